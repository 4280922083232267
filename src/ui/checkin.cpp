// checkin: class check-in at the door. The resident shows a code for each place they hold (a QR code
// drawn module by module with ImGui rectangles, and six letters to read out); staff type the letters
// or scan the QR code with a handheld scanner (it types into the field like a keyboard). Check-in is
// an op like any other: saved on the tablet at once, synced when there is a network. The teacher also
// sees each student's record across the course's sessions (came, no-shows, level).
#include <algorithm>

#include "core/checkin.h"
#include "core/civil.h"
#include "imgui.h"
#include "imgui_internal.h"
#include "ui/item_table.h"
#include "ui/life.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace sihui::ui {

// A QR code of `side` pixels (4 modules of white border included). The modules come from the page
// (qrcode-generator, loaded the first time one is needed); until then a blank square.
bool Life::qr(const std::string& text, float side, std::vector<UiAction>& out) {
  ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + side, p.y + side), IM_COL32(255, 255, 255, 255));
  const QrCode* code = nullptr;
  if (m_->qr_codes)
    if (auto it = m_->qr_codes->find(text); it != m_->qr_codes->end()) code = &it->second;
  if (!code) out.emplace_back(MakeQr{text});
  if (code && code->size > 0) {
    const int n = code->size + 8;  // 4 modules of quiet zone on each side
    // Whole pixels per module, so every module is the same size and edges stay sharp for scanners.
    float mod = std::max(1.0f, static_cast<float>(static_cast<int>(side / static_cast<float>(n))));
    float off = (side - mod * static_cast<float>(n)) * 0.5f + 4 * mod;
    float x0 = static_cast<float>(static_cast<int>(p.x + off)), y0 = static_cast<float>(static_cast<int>(p.y + off));
    for (int y = 0; y < code->size; ++y)
      for (int x = 0; x < code->size; ++x)
        if (code->dark[static_cast<std::size_t>(y * code->size + x)])
          dl->AddRectFilled(ImVec2(x0 + static_cast<float>(x) * mod, y0 + static_cast<float>(y) * mod),
                            ImVec2(x0 + static_cast<float>(x + 1) * mod, y0 + static_cast<float>(y + 1) * mod),
                            IM_COL32(0, 0, 0, 255));
  }
  ImGui::Dummy(ImVec2(side, side));
  return code && code->size > 0;
}

// The resident's side: one code per place this person holds here (theirs and their family's).
void Life::checkin_codes(const core::Session& ses, std::vector<UiAction>& out) {
  const core::Person* self = me();
  if (!self) return;
  std::vector<const core::Person*> holders;
  for (const core::Person* p : core::acting_for(*s_, self->id))
    if (core::signup_status(ses, p->id).enrolled) holders.push_back(p);
  if (holders.empty()) return;
  const bool open = codes_session_ == ses.id;
  std::string l = std::string(tr(open ? "checkin.hide_code" : "checkin.show_code")) + "##codes-" + ses.id;
  if (Button(l.c_str(), -1)) codes_session_ = open ? std::string() : ses.id;
  if (!open) return;
  Paragraph(tr("checkin.code_about"));
  const float side = std::min(ImGui::GetContentRegionAvail().x, em(13));
  for (const core::Person* p : holders) {
    ImGui::Spacing();
    Heading(p->name, 1.15f);
    ImVec2 at = ImGui::GetCursorScreenPos();
    bool made = qr(core::checkin_text(ses.id, p->id), side, out);
    // The square as an item, so the accessibility mirror (and a test taking its picture) can find it.
    ImGuiID id = ImGui::GetID(("qr-" + p->id).c_str());
    ImGui::ItemAdd(ImRect(at, ImVec2(at.x + side, at.y + side)), id, nullptr, ImGuiItemFlags_NoNav);
    item_table().set_role(id, Role::Status, i18n::format(tr(made ? "checkin.qr_of" : "checkin.qr_making"), {{"name", p->name}}));
    std::string code = core::checkin_code(ses.id, p->id);
    Heading(i18n::format(tr("checkin.letters"), {{"code", code.substr(0, 3) + " " + code.substr(3)}}), 1.6f);
  }
}

// The door: a code typed (or scanned) checks that person in.
void Life::checkin_by_code(const core::Session& ses, std::vector<UiAction>& out) {
  if (ses.closed) return;
  const auto& pal = palette();
  bool enter = TextField(tr("checkin.field"), &code_input_, tr("checkin.field_hint"),
                         ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_CharsUppercase);
  std::string go = std::string(tr("checkin.go")) + "##code-go";
  ImGui::BeginDisabled(demo() || code_input_.empty());
  bool pressed = Button(go.c_str());
  ImGui::EndDisabled();
  if ((enter || pressed) && !code_input_.empty() && !demo()) {
    auto m = core::find_checkin(*s_, ses.id, code_input_);
    std::string name = m.person;
    if (auto q = s_->persons.find(m.person); q != s_->persons.end()) name = q->second.name;
    std::string key = "checkin.find." + std::string(core::enum_name(m.result));
    code_said_ = i18n::format(tr(key.c_str()), {{"name", name}});
    code_color_ = m.result == core::CheckinFind::found ? pal.ok : pal.bad;
    if (m.result == core::CheckinFind::found)
      submit(out, "session.checkin", Payload().str("session", ses.id).str("person", m.person),
             i18n::format(tr("class.checkin_what"), {{"name", name}}), "roster");
    code_input_.clear();
  }
  if (!code_said_.empty()) said(code_said_, code_color_);
}

// Each student across the course's sessions, for the teacher.
void Life::students(const core::Course& c) {
  std::string l = std::string(tr(show_students_ ? "students.hide" : "students.show")) + "##students";
  if (Button(l.c_str(), -1)) show_students_ = !show_students_;
  if (!show_students_) return;
  auto rows = core::course_students(*s_, c.id);
  if (rows.empty()) Paragraph(tr("students.none"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  const auto& pal = palette();
  for (const auto& r : rows) {
    std::string line = i18n::format(tr("students.row"), {{"name", r.name.empty() ? r.person : r.name},
                                                         {"came", std::to_string(r.came)},
                                                         {"of", std::to_string(r.signed_up)}});
    if (r.no_shows) line += " · " + i18n::format(tr("students.no_shows"), {{"n", std::to_string(r.no_shows)}});
    if (r.level) line += " · " + i18n::format(tr("students.level"), {{"n", std::to_string(r.level)}});
    if (!r.note.empty()) line += " · " + r.note;
    said(line, r.no_shows > r.came ? pal.warn : ImGui::GetColorU32(ImGuiCol_Text));
  }
}

}  // namespace sihui::ui
