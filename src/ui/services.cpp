// services: 暖巢志愿服务超市, the warm-nest volunteer service supermarket. The catalogue as big picture
// buttons (icons drawn with the draw list, so no image or font grows the download); an elder or a
// proxy picks one and asks; volunteers see open requests nearest first and take one; the volunteer
// says it is done (with the minutes, and the amount for a money errand) and the elder's side
// confirms (checking the same amount). Hours, stars and the thank-you list come from core queries.
// Every rule is the reducer's (rules_services.cpp): a refusal is shown in its words.
#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "core/civil.h"
#include "imgui.h"
#include "ui/item_table.h"
#include "ui/life.h"
#include "ui/theme.h"
#include "ui/person_picker.h"
#include "ui/widgets.h"

namespace sihui::ui {

namespace {
// [SECTION] Icons: a few strokes each, in a square of side 2r around c
void draw_icon(ImDrawList* dl, ImVec2 c, float r, const std::string& id, ImU32 col) {
  const float t = std::max(1.5f, r * 0.13f);
  auto P = [&](float x, float y) { return ImVec2(c.x + x * r, c.y + y * r); };
  if (id == "groceries") {  // a basket with a handle
    ImVec2 q[4] = {P(-0.9f, -0.1f), P(0.9f, -0.1f), P(0.6f, 0.8f), P(-0.6f, 0.8f)};
    dl->AddConvexPolyFilled(q, 4, col);
    dl->PathArcTo(c, r * 0.6f, 3.14159f, 6.28318f, 16);
    dl->PathStroke(col, 0, t);
  } else if (id == "bills") {  // a lightning bolt and a drop
    ImVec2 q[6] = {P(-0.1f, -0.9f), P(-0.6f, 0.1f), P(-0.15f, 0.1f), P(-0.35f, 0.9f), P(0.25f, -0.2f), P(-0.2f, -0.2f)};
    dl->AddPolyline(q, 6, col, ImDrawFlags_Closed, t);
    dl->AddCircleFilled(P(0.55f, 0.45f), r * 0.3f, col);
    ImVec2 d[3] = {P(0.28f, 0.38f), P(0.82f, 0.38f), P(0.55f, -0.1f)};
    dl->AddTriangleFilled(d[0], d[1], d[2], col);
  } else if (id == "haircut" || id == "nails") {  // scissors
    float s = id == "nails" ? 0.75f : 1.0f;
    dl->AddCircle(P(-0.45f * s, 0.55f * s), r * 0.28f * s, col, 16, t);
    dl->AddCircle(P(0.45f * s, 0.55f * s), r * 0.28f * s, col, 16, t);
    dl->AddLine(P(-0.3f * s, 0.3f * s), P(0.55f * s, -0.9f * s), col, t);
    dl->AddLine(P(0.3f * s, 0.3f * s), P(-0.55f * s, -0.9f * s), col, t);
  } else if (id == "doctor") {  // a cross in a circle
    dl->AddCircle(c, r * 0.9f, col, 32, t);
    dl->AddRectFilled(P(-0.18f, -0.6f), P(0.18f, 0.6f), col);
    dl->AddRectFilled(P(-0.6f, -0.18f), P(0.6f, 0.18f), col);
  } else if (id == "medicine") {  // a capsule, half filled
    dl->AddRect(P(-0.9f, -0.35f), P(0.9f, 0.35f), col, r * 0.35f, 0, t);
    dl->AddRectFilled(P(-0.9f, -0.35f), P(0.0f, 0.35f), col, r * 0.35f, ImDrawFlags_RoundCornersLeft);
  } else if (id == "cleaning") {  // a broom
    dl->AddLine(P(0.6f, -0.9f), P(-0.05f, 0.15f), col, t);
    ImVec2 q[4] = {P(-0.35f, 0.0f), P(0.25f, 0.35f), P(-0.1f, 0.95f), P(-0.85f, 0.5f)};
    dl->AddConvexPolyFilled(q, 4, col);
  } else if (id == "repair") {  // a wrench
    dl->AddLine(P(-0.55f, 0.55f), P(0.3f, -0.3f), col, t * 1.6f);
    dl->AddCircle(P(0.45f, -0.45f), r * 0.35f, col, 16, t * 1.3f);
    dl->AddCircleFilled(P(-0.6f, 0.6f), r * 0.18f, col);
  } else if (id == "reading") {  // an open book
    ImVec2 l[4] = {P(-0.95f, -0.6f), P(-0.05f, -0.45f), P(-0.05f, 0.75f), P(-0.95f, 0.6f)};
    ImVec2 rr[4] = {P(0.05f, -0.45f), P(0.95f, -0.6f), P(0.95f, 0.6f), P(0.05f, 0.75f)};
    dl->AddPolyline(l, 4, col, ImDrawFlags_Closed, t);
    dl->AddPolyline(rr, 4, col, ImDrawFlags_Closed, t);
  } else if (id == "papers") {  // a document with lines
    ImVec2 q[5] = {P(-0.6f, -0.9f), P(0.25f, -0.9f), P(0.6f, -0.55f), P(0.6f, 0.9f), P(-0.6f, 0.9f)};
    dl->AddPolyline(q, 5, col, ImDrawFlags_Closed, t);
    for (float y : {-0.3f, 0.1f, 0.5f}) dl->AddLine(P(-0.35f, y), P(0.35f, y), col, t * 0.8f);
  } else if (id == "meals") {  // a bowl with steam
    dl->PathArcTo(P(0, 0.1f), r * 0.8f, 0.0f, 3.14159f, 16);
    dl->PathFillConvex(col);
    for (float x : {-0.35f, 0.0f, 0.35f}) dl->AddLine(P(x, -0.2f), P(x + 0.1f, -0.8f), col, t * 0.8f);
  } else if (id == "walk") {  // a person walking
    dl->AddCircleFilled(P(0.05f, -0.7f), r * 0.2f, col);
    dl->AddLine(P(0.0f, -0.4f), P(-0.1f, 0.25f), col, t);
    dl->AddLine(P(-0.1f, 0.25f), P(-0.5f, 0.9f), col, t);
    dl->AddLine(P(-0.1f, 0.25f), P(0.35f, 0.9f), col, t);
    dl->AddLine(P(-0.45f, -0.05f), P(0.45f, -0.2f), col, t);
  } else {  // any other service: a heart
    dl->AddCircleFilled(P(-0.38f, -0.25f), r * 0.42f, col);
    dl->AddCircleFilled(P(0.38f, -0.25f), r * 0.42f, col);
    dl->AddTriangleFilled(P(-0.78f, -0.08f), P(0.78f, -0.08f), P(0.0f, 0.85f), col);
  }
}

std::string new_record_id(const char* prefix) {
  static std::random_device rd;
  static const char* hex = "0123456789abcdef";
  std::string id = prefix;
  for (int i = 0; i < 3; ++i) {
    std::uint32_t v = rd();
    for (int k = 0; k < 4; ++k) id.push_back(hex[(v >> (k * 4)) & 15]);
  }
  return id;
}

constexpr const char* kMasked = "\u2022\u2022\u2022";  // what sync puts in place of a field this device may not read

std::string hours_words(std::int64_t minutes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(minutes) / 60.0);
  return buf;
}
}  // namespace

// [SECTION] Shared helpers
std::string Life::service_name(const core::Id& service) const {
  auto it = s_->services.find(service);
  return it == s_->services.end() ? service : it->second.name;
}

std::string Life::person_name(const core::Id& person) const {
  auto it = s_->persons.find(person);
  return it == s_->persons.end() ? person : it->second.name;
}

// The elder as a volunteer may read them: the name when sync let this device see it (it is masked
// "•••" otherwise), and the home's compound and building, which are public.
std::string Life::elder_words(const core::Id& person) const {
  std::string out;
  auto it = s_->persons.find(person);
  if (it == s_->persons.end()) return person;
  if (it->second.name != kMasked) out = it->second.name;
  if (auto u = s_->units.find(it->second.unit); u != s_->units.end())
    if (auto b = s_->buildings.find(u->second.building); b != s_->buildings.end()) {
      auto c = s_->compounds.find(b->second.compound);
      std::string place = (c == s_->compounds.end() ? std::string() : c->second.name) + b->second.name;
      out += (out.empty() ? "" : " · ") + place;
    }
  return out.empty() ? std::string(kMasked) : out;
}

std::string Life::stars_words(int stars) const {
  std::string s;
  for (int i = 0; i < 5; ++i) s += i < stars ? "★" : "☆";
  return s;
}

bool Life::volunteers() const {
  if (demo()) return true;
  const core::Person* p = me();
  if (!p) return false;
  auto hats = core::hats_of(*p);
  return std::find(hats.begin(), hats.end(), core::Hat::volunteer) != hats.end();
}

// [SECTION] The screen
void Life::services(const UiModel& m, std::vector<UiAction>& out) {
  if (!top(m, "svc.title", "svc.about")) return;
  const core::Person* self = me();
  const core::Person* target = nullptr;
  if (self) {
    auto people = core::acting_for(*s_, self->id);
    for (const auto* p : people)
      if (p->id == svc_for_) target = p;
    if (!target) target = self;
    if (people.size() > 1) {
      Heading(tr("svc.for_whom"), 1.15f);
      for (const auto* p : people) {
        if (ChoiceButton(p == self ? std::string(tr("canteen.me")) : p->name, "svc-for-" + p->id, p == target)) svc_for_ = p->id;
      }
      ImGui::Spacing();
    }
  } else {
    Paragraph(tr(demo() ? "life.demo_readonly" : "life.need_account"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  }

  Heading(tr("svc.pick"), 1.2f);
  service_tiles(target);
  if (!svc_pick_.empty()) ask_panel(self, target, out);
  result_here("svc-ask");

  // The person's own requests (and those of the people they act for).
  if (self) {
    auto mine = core::person_requests(*s_, self->id, 12);
    ImGui::Spacing();
    Heading(tr("svc.mine"), 1.2f);
    if (mine.empty()) Paragraph(tr("svc.mine.none"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    BeginList("mine");
    for (const auto* r : mine) request_card(*r, self, out, false);
    EndList();
  }

  // Volunteers: what they took, then what is open, nearest first.
  if (volunteers()) {
    const core::Id vid = self ? self->id : core::Id{};
    ImGui::Spacing();
    Heading(tr("svc.volunteer"), 1.2f);
    if (self) {
      auto st = core::volunteer_stats(*s_, self->id);
      std::string words = i18n::format(tr("svc.my_hours"), {{"n", std::to_string(st.services)}, {"h", hours_words(st.minutes)}}) +
                          " " + stars_words(st.stars);
      if (st.stars < 5)
        words += " · " + i18n::format(tr("svc.next_star"), {{"h", hours_words(st.next_star_minutes)}});
      if (st.rank) words += " · " + i18n::format(tr("svc.rank"), {{"n", std::to_string(st.rank)}});
      said(words, palette().accent);
      auto tasks = core::volunteer_tasks(*s_, self->id);
      if (!tasks.empty()) {
        Heading(tr("svc.tasks"), 1.1f);
        BeginList("tasks");
        for (const auto* r : tasks) request_card(*r, self, out, true);
        EndList();
      }
    }
    auto open = core::open_requests(*s_, vid, 15);
    Heading(tr("svc.open"), 1.1f);
    if (open.empty()) Paragraph(tr("svc.open.none"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    BeginList("open");
    for (const auto* r : open) request_card(*r, self, out, true);
    EndList();
  }
  thanks_list();
  back_row();
}

// The catalogue: square-ish tiles, an icon above the service's name.
void Life::service_tiles(const core::Person* target) {
  const auto& pal = palette();
  // The order counts every request: once per change of the state. Ids, not pointers: the view state
  // is rebuilt when sync confirms what was pending.
  if (catalogue_key_[0] != s_->ops_applied || catalogue_key_[1] != s_->last_seq || catalogue_.size() != s_->services.size()) {
    catalogue_.clear();
    for (const auto* sv : core::service_catalogue(*s_)) catalogue_.push_back(sv->id);
    catalogue_key_[0] = s_->ops_applied, catalogue_key_[1] = s_->last_seq;
  }
  std::vector<const core::Service*> list;
  for (const auto& id : catalogue_)
    if (auto it = s_->services.find(id); it != s_->services.end()) list.push_back(&it->second);
  if (list.empty()) {
    Paragraph(tr("svc.none"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    return;
  }
  const float avail = ImGui::GetContentRegionAvail().x, gap = ImGui::GetStyle().ItemSpacing.x;
  int cols = std::max(2, static_cast<int>((avail + gap) / (em(5.5f) + gap)));
  cols = std::min(cols, 6);
  const float w = (avail - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
  const float icon_h = em(2.8f), pad = em(0.5f);
  ImFont* font = ImGui::GetFont();
  const float fs = ImGui::GetFontSize();
  int max_lines = 1;
  for (const auto* sv : list)
    max_lines = std::max(max_lines, static_cast<int>(wrap_text(font, fs, sv->name, w - 2 * pad).size()));
  const float h = pad * 2 + icon_h + em(0.3f) + static_cast<float>(max_lines) * fs * 1.25f;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 ink = m_->settings->high_contrast ? IM_COL32(0, 0, 0, 255) : pal.accent;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const core::Service& sv = *list[i];
    if (i % static_cast<std::size_t>(cols)) ImGui::SameLine();
    ImVec2 p = ImGui::GetCursorScreenPos();
    std::string id = sv.name + "##svc-" + sv.id;
    bool picked = svc_pick_ == sv.id;
    ImGui::BeginDisabled(!target);
    bool pressed = ImGui::InvisibleButton(id.c_str(), ImVec2(w, h));
    ImGui::EndDisabled();
    std::string label = sv.name;
    if (sv.money) label += std::string(" · ") + tr("svc.money_mark");
    item_table().set_role(ImGui::GetItemID(), Role::Button, label);
    if (pressed) {
      svc_pick_ = picked ? std::string() : sv.id;
      svc_note_.clear();
      svc_amount_.clear();
      svc_error_.clear();
    }
    bool hov = ImGui::IsItemHovered();
    ImU32 bg = picked ? ImGui::GetColorU32(ImGuiCol_Header) : hov ? ImGui::GetColorU32(ImGuiCol_FrameBgHovered)
                                                                   : ImGui::GetColorU32(ImGuiCol_FrameBg);
    dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), bg, em(0.5f));
    dl->AddRect(p, ImVec2(p.x + w, p.y + h), picked ? ink : ImGui::GetColorU32(ImGuiCol_Border), em(0.5f), 0,
                picked ? em(0.15f) : 1.0f);
    draw_icon(dl, ImVec2(p.x + w * 0.5f, p.y + pad + icon_h * 0.5f), icon_h * 0.42f, sv.id, ink);
    if (sv.money) {  // a small coin mark: the amount is confirmed by both
      ImVec2 cc(p.x + w - em(0.75f), p.y + em(0.75f));
      dl->AddCircle(cc, em(0.42f), pal.warn, 16, em(0.08f));
      const char* y = "¥";
      ImVec2 ts = font->CalcTextSizeA(fs * 0.7f, FLT_MAX, 0, y);
      dl->AddText(font, fs * 0.7f, ImVec2(cc.x - ts.x * 0.5f, cc.y - ts.y * 0.5f), pal.warn, y);
    }
    float y = p.y + pad + icon_h + em(0.3f);
    for (auto line : wrap_text(font, fs, sv.name, w - 2 * pad)) {
      float lw = font->CalcTextSizeA(fs, FLT_MAX, 0, line.data(), line.data() + line.size()).x;
      dl->AddText(font, fs, ImVec2(p.x + (w - lw) * 0.5f, y), ImGui::GetColorU32(ImGuiCol_Text), line.data(),
                  line.data() + line.size());
      y += fs * 1.25f;
    }
  }
}

// Asking: for whom, a note, an estimate for money errands; nothing is sent while the input is wrong.
void Life::ask_panel(const core::Person* self, const core::Person* target, std::vector<UiAction>& out) {
  auto it = s_->services.find(svc_pick_);
  if (it == s_->services.end() || !target) return;
  const core::Service& sv = it->second;
  ImGui::Spacing();
  ImGui::BeginChild("##svc-ask", ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  Heading(i18n::format(tr("svc.ask.title"), {{"name", sv.name}}), 1.15f);
  std::string whom = target == self ? std::string(tr("canteen.me")) : target->name;
  Paragraph(i18n::format(tr("svc.ask.for"), {{"name", whom}}));
  if (sv.money) Paragraph(tr("svc.ask.money"), palette().warn);
  TextField(tr("svc.ask.note"), &svc_note_, tr("svc.ask.note_hint"));
  if (sv.money) TextField(tr("svc.ask.amount"), &svc_amount_, tr("svc.amount_hint"));
  if (!svc_error_.empty()) said(svc_error_, palette().bad);
  std::string send = i18n::format(tr("svc.ask.send"), {{"name", sv.name}}) + "##svc-send";
  if (Button(send.c_str(), -1)) {
    std::int64_t fen = 0;
    if (sv.money && !svc_amount_.empty() && !core::parse_yuan(svc_amount_, &fen)) {
      svc_error_ = tr("svc.bad_amount");
    } else if (svc_note_.size() > 500) {
      svc_error_ = tr("svc.note_too_long");
    } else {
      Payload p;
      p.str("id", new_record_id("req-")).str("service", sv.id).str("for", target->id);
      if (!svc_note_.empty()) p.str("note", svc_note_);
      if (sv.money && !svc_amount_.empty()) p.num("amount_fen", fen);
      submit(out, "service.request", p, whom + " " + sv.name, "svc-ask");
      svc_pick_.clear();
      svc_note_.clear();
      svc_amount_.clear();
      svc_error_.clear();
    }
  }
  ImGui::EndChild();
}

// One request: what, for whom, its state in words, and the buttons this person may press.
void Life::request_card(const core::ServiceRequest& r, const core::Person* self, std::vector<UiAction>& out,
                        bool volunteer_view) {
  const auto& pal = palette();
  auto svi = s_->services.find(r.service);
  const bool money = svi != s_->services.end() && svi->second.money;
  const std::string name = service_name(r.service), elder = elder_words(r.for_person);
  std::string cid = "##req-" + r.id + (volunteer_view ? "-v" : "-e");
  BeginListItem(r.id);  // a list item when drawn in a list (screen readers)
  ImGui::BeginChild(cid.c_str(), ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  Heading(name + " · " + elder, 1.1f);
  std::string meta = i18n::format(tr("svc.asked_at"), {{"when", date_words(r.made_at) + " " + core::format_time(r.made_at)}});
  if (volunteer_view && r.status == core::RequestStatus::open && self && core::request_near(*s_, r, self->id))
    meta += " · " + std::string(tr("svc.near"));
  if (r.amount_fen > 0) meta += " · " + i18n::format(tr("svc.estimate"), {{"yuan", core::format_yuan(r.amount_fen)}});
  Paragraph(meta, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  if (!r.note.empty() && r.note != kMasked) Paragraph(r.note);
  std::string vol = person_name(r.volunteer);
  if (vol == kMasked) vol = tr("svc.the_volunteer");
  const std::string mins = std::to_string(r.minutes);
  const bool mine_done = volunteer_view && self && r.volunteer == self->id && r.status == core::RequestStatus::done;
  if (mine_done)
    said(money ? i18n::format(tr("svc.st.done_mine_money"), {{"min", mins}, {"yuan", core::format_yuan(r.volunteer_amount_fen)}})
               : i18n::format(tr("svc.st.done_mine"), {{"min", mins}}),
         pal.warn);
  else switch (r.status) {
    case core::RequestStatus::open: said(tr("svc.st.open"), pal.warn); break;
    case core::RequestStatus::taken: said(i18n::format(tr("svc.st.taken"), {{"name", vol}})); break;
    case core::RequestStatus::done:
      said(money ? i18n::format(tr("svc.st.done_money"), {{"name", vol}, {"min", mins}, {"yuan", core::format_yuan(r.volunteer_amount_fen)}})
                 : i18n::format(tr("svc.st.done"), {{"name", vol}, {"min", mins}}),
           pal.warn);
      break;
    case core::RequestStatus::confirmed:
      said("✓ " + (money ? i18n::format(tr("svc.st.confirmed_money"), {{"name", vol}, {"yuan", core::format_yuan(r.elder_amount_fen)}})
                         : i18n::format(tr("svc.st.confirmed"), {{"name", vol}})),
           pal.ok);
      break;
    case core::RequestStatus::cancelled: said(tr("svc.st.cancelled"), ImGui::GetColorU32(ImGuiCol_TextDisabled)); break;
  }
  const bool can = self && !demo();
  const std::string what = name + " · " + elder;
  auto action = [&](const char* key, const char* idp, const std::string& spoken) {
    std::string l = std::string(tr(key)) + "##" + idp + r.id;
    ImGui::BeginDisabled(!can);
    bool pressed = Button(l.c_str(), -1);
    ImGui::EndDisabled();
    item_table().set_role(ImGui::GetItemID(), Role::Button, std::string(tr(key)) + tr("life.colon") + spoken);
    return pressed && can;
  };
  if (volunteer_view) {
    const bool mine = self && r.volunteer == self->id;
    if (r.status == core::RequestStatus::open && action("svc.take", "svc-take-", what))
      submit(out, "service.take", Payload().str("request", r.id), what, r.id);
    if (r.status == core::RequestStatus::taken && mine) {
      auto& mm = svc_minutes_[r.id];
      if (mm.empty()) mm = std::to_string(svi == s_->services.end() ? 60 : svi->second.minutes);
      TextField((std::string(tr("svc.minutes")) + "##svc-min-" + r.id).c_str(), &mm, "60", ImGuiInputTextFlags_CharsDecimal);
      std::string* fen_text = nullptr;
      if (money) {
        fen_text = &svc_fen_["v" + r.id];
        TextField((std::string(tr("svc.spent")) + "##svc-spent-" + r.id).c_str(), fen_text, tr("svc.amount_hint"));
      }
      if (action("svc.done", "svc-done-", what)) {
        std::int64_t fen = 0;
        char* end = nullptr;
        long minutes = std::strtol(mm.c_str(), &end, 10);
        if (mm.empty() || *end || minutes < 1 || minutes > 1440) {
          last_result_ = tr("svc.bad_minutes"), result_anchor_ = r.id;
        } else if (money && !core::parse_yuan(*fen_text, &fen)) {
          last_result_ = tr("svc.bad_amount"), result_anchor_ = r.id;
        } else {
          Payload p;
          p.str("request", r.id).num("minutes", minutes);
          if (money) p.num("amount_fen", fen);
          submit(out, "service.done", p, what, r.id);
        }
      }
    }
  } else if (self && r.volunteer != self->id) {
    if ((r.status == core::RequestStatus::open || r.status == core::RequestStatus::taken) &&
        action("svc.cancel", "svc-cancel-", what))
      submit(out, "service.cancel", Payload().str("request", r.id), what, r.id);
    if (r.status == core::RequestStatus::done) {
      std::string* fen_text = nullptr;
      if (money) {
        fen_text = &svc_fen_["e" + r.id];
        if (fen_text->empty() && r.volunteer_amount_fen >= 0) *fen_text = core::format_yuan(r.volunteer_amount_fen);
        TextField((std::string(tr("svc.check_amount")) + "##svc-check-" + r.id).c_str(), fen_text, tr("svc.amount_hint"));
      }
      if (action("svc.confirm", "svc-confirm-", what)) {
        std::int64_t fen = 0;
        if (money && !core::parse_yuan(*fen_text, &fen)) {
          last_result_ = tr("svc.bad_amount"), result_anchor_ = r.id;
        } else {
          Payload p;
          p.str("request", r.id);
          if (money) p.num("amount_fen", fen);
          submit(out, "service.confirm", p, what, r.id);
        }
      }
    }
  }
  result_here(r.id);
  ImGui::EndChild();
  EndListItem();
  ImGui::Spacing();
}

// The thank-you list: volunteers by confirmed hours, with their stars.
void Life::thanks_list() {
  auto list = core::thank_you_list(*s_, 10);
  ImGui::Spacing();
  Heading(tr("svc.thanks"), 1.2f);
  Paragraph(tr("svc.thanks.about"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  if (list.empty()) Paragraph(tr("svc.thanks.none"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  int n = 0;
  for (const auto& t : list)
    said(std::to_string(++n) + ". " + t.name + " · " +
         i18n::format(tr("svc.thanks.row"), {{"h", hours_words(t.minutes)}, {"n", std::to_string(t.services)}}) + " " +
         stars_words(t.stars));
}

}  // namespace sihui::ui
