// clinic: 道德门诊, the moral clinic. The weekly duty roster (members put themselves on a day); the
// resolution rate and case counts by month as a bar chart for the committee, computed from the cases
// and showing no names; the case log for clinic members only (parties, category, complaint, sittings
// with diagnosis and prescription, follow-up visits, the outcome), follow-ups due first.
// Sync's redaction (serve.py, decision 0009) already masks case details for everyone outside the
// clinic; this screen also draws the log only for members, so a staff device shows counts alone.
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
#include "ui/widgets.h"

namespace sihui::ui {

namespace {
const char* const kCategories[] = {"noise", "leak", "stairwell", "uncivil", "pets", "parking", "family", "other"};
const char* const kOutcomes[] = {"resolved", "partly", "referred", "failed"};

std::string new_case_id() {
  static std::random_device rd;
  static const char* hex = "0123456789abcdef";
  std::string id = "case-";
  for (int i = 0; i < 3; ++i) {
    std::uint32_t v = rd();
    for (int k = 0; k < 4; ++k) id.push_back(hex[(v >> (k * 4)) & 15]);
  }
  return id;
}

// "甲、乙, 丙" -> {"甲", "乙", "丙"}: split at the list marks people type, spaces trimmed.
std::vector<std::string> split_parties(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    std::size_t a = cur.find_first_not_of(' '), b = cur.find_last_not_of(' ');
    if (a != std::string::npos) out.push_back(cur.substr(a, b - a + 1));
    cur.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    bool sep = false;
    for (std::string_view s : {std::string_view("、"), std::string_view("，"), std::string_view("；"), std::string_view(","),
                               std::string_view(";")}) {
      if (text.compare(i, s.size(), s) == 0) {
        flush();
        i += s.size();
        sep = true;
        break;
      }
    }
    if (!sep) cur += text[i++];
  }
  flush();
  return out;
}
}  // namespace

bool Life::clinic_member() const {
  if (demo()) return true;  // the demo's cases are invented: shown to look at, buttons disabled
  const core::Person* p = me();
  return p && core::clinic_member(*p);
}

void Life::clinic(const UiModel& m, std::vector<UiAction>& out) {
  if (!top(m, "clinic.title", "clinic.about")) return;
  duty_roster(out);
  if (is_staff() || clinic_member()) {
    ImGui::Spacing();
    int months = ImGui::GetContentRegionAvail().x >= em(24) ? 12 : 6;
    clinic_chart(core::clinic_summary(*s_, now(), months));
  }
  ImGui::Spacing();
  Heading(tr("clinic.log"), 1.2f);
  if (!clinic_member()) {
    said(tr("clinic.log.members_only"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    back_row();
    return;
  }
  new_case_form(out);
  auto cases = core::clinic_cases(*s_, now());
  if (cases.empty()) Paragraph(tr("clinic.log.none"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  std::size_t n = 0;
  BeginList("cases");
  for (const auto* k : cases) {
    if (n++ >= cases_shown_) break;
    case_card(*k, out);
  }
  EndList();
  if (cases.size() > cases_shown_) {
    std::string more = i18n::format(tr("clinic.more"), {{"n", std::to_string(cases.size() - cases_shown_)}}) + "##case-more";
    if (Button(more.c_str(), -1)) cases_shown_ += 20;
  }
  back_row();
}

// [SECTION] The duty roster: one line a weekday; members put themselves on or off a day.
void Life::duty_roster(std::vector<UiAction>& out) {
  const auto& pal = palette();
  Heading(tr("clinic.roster"), 1.2f);
  const int today = core::shanghai(now()).weekday;
  const core::Person* self = me();
  const bool member = self && core::clinic_member(*self) && !demo();
  for (int wd = 1; wd <= 7; ++wd) {
    auto duty = core::clinic_duty(*s_, wd);
    char key[16];
    std::snprintf(key, sizeof key, "cal.wd.%d", wd);
    std::string names;
    bool on = false;
    for (const auto* p : duty) {
      if (!names.empty()) names += tr("life.list_sep");
      names += p->name;
      if (self && p->id == self->id) on = true;
    }
    std::string line = std::string(tr(key)) + tr("life.colon") + (names.empty() ? std::string(tr("clinic.roster.nobody")) : names);
    if (wd == today) line = "▶ " + line + " · " + tr("cal.today");
    said(line, wd == today ? pal.accent : names.empty() ? ImGui::GetColorU32(ImGuiCol_TextDisabled) : ImGui::GetColorU32(ImGuiCol_Text));
    if (member) {
      std::string l = std::string(tr(on ? "clinic.roster.off" : "clinic.roster.on")) + "##duty-" + std::to_string(wd);
      if (Button(l.c_str())) {
        std::vector<std::string> members;
        for (const auto* p : duty)
          if (p->id != self->id) members.push_back(p->id);
        if (!on) members.push_back(self->id);
        Payload p;
        p.num("weekday", wd).strs("members", members);
        submit(out, "clinic.roster.set", p, tr(key), "duty");
      }
      item_table().set_role(ImGui::GetItemID(), Role::Button,
                            std::string(tr(on ? "clinic.roster.off" : "clinic.roster.on")) + tr("life.colon") + tr(key));
    }
  }
  result_here("duty");
}

// [SECTION] The committee's view: the rate in large type, cases by month as bars, no names.
void Life::clinic_chart(const core::ClinicSummary& c) {
  const auto& pal = palette();
  Heading(tr("clinic.stats"), 1.2f);
  char pct[16];
  std::snprintf(pct, sizeof pct, "%lld", static_cast<long long>((c.resolution_permille + 5) / 10));
  ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * 1.8f);
  ImGui::PushStyleColor(ImGuiCol_Text, pal.accent);
  std::string big = c.closed ? i18n::format(tr("clinic.rate"), {{"pct", pct}}) : std::string(tr("clinic.rate.none"));
  ImGui::TextWrapped("%s", big.c_str());
  ImGui::PopStyleColor();
  ImGui::PopFont();
  said(i18n::format(tr("clinic.totals"), {{"months", std::to_string(c.months.size())},
                                         {"opened", std::to_string(c.opened)},
                                         {"closed", std::to_string(c.closed)},
                                         {"resolved", std::to_string(c.resolved)},
                                         {"open", std::to_string(c.open_now)}}));
  // Bars: cases opened (accent) and resolved (green) side by side, a month a pair.
  std::int64_t top = 1;
  for (const auto& mo : c.months) top = std::max({top, mo.opened, mo.resolved});
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImFont* font = ImGui::GetFont();
  const float fs = ImGui::GetFontSize(), small = fs * 0.8f;
  const float w = ImGui::GetContentRegionAvail().x, h = em(7);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float axis = font->CalcTextSizeA(small, FLT_MAX, 0, std::to_string(top).c_str()).x + em(0.4f);
  const float chart_w = w - axis, slot = chart_w / static_cast<float>(c.months.size());
  const float base = p.y + small * 1.3f + h;
  const ImU32 opened_col = m_->settings->high_contrast ? IM_COL32(0, 0, 0, 255) : pal.accent;
  const ImU32 resolved_col = m_->settings->high_contrast ? IM_COL32(90, 90, 90, 255) : pal.ok;
  const ImU32 muted = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  std::string top_s = std::to_string(top);
  dl->AddText(font, small, ImVec2(p.x, base - h - small * 0.5f), muted, top_s.c_str());
  dl->AddText(font, small, ImVec2(p.x, base - small), muted, "0");
  dl->AddLine(ImVec2(p.x + axis, base - h), ImVec2(p.x + w, base - h), ImGui::GetColorU32(ImGuiCol_Border));
  dl->AddLine(ImVec2(p.x + axis, base), ImVec2(p.x + w, base), ImGui::GetColorU32(ImGuiCol_Text), 1.5f);
  for (std::size_t i = 0; i < c.months.size(); ++i) {
    const auto& mo = c.months[i];
    float x0 = p.x + axis + slot * static_cast<float>(i);
    float bw = std::max(2.0f, slot * 0.34f), gap = slot * 0.08f;
    float ho = h * static_cast<float>(mo.opened) / static_cast<float>(top);
    float hr = h * static_cast<float>(mo.resolved) / static_cast<float>(top);
    float bx = x0 + (slot - 2 * bw - gap) * 0.5f;
    if (mo.opened) dl->AddRectFilled(ImVec2(bx, base - ho), ImVec2(bx + bw, base), opened_col);
    if (mo.resolved) dl->AddRectFilled(ImVec2(bx + bw + gap, base - hr), ImVec2(bx + 2 * bw + gap, base), resolved_col);
    if (mo.opened) {  // the count above the bar when there is room
      std::string n = std::to_string(mo.opened);
      float tw = font->CalcTextSizeA(small, FLT_MAX, 0, n.c_str()).x;
      if (tw <= slot) dl->AddText(font, small, ImVec2(bx + bw * 0.5f - tw * 0.5f, base - ho - small * 1.15f), muted, n.c_str());
    }
    int month = std::atoi(mo.month.c_str() + 5);
    std::string label = i18n::format(tr("clinic.month_short"), {{"m", std::to_string(month)}});
    float lw = font->CalcTextSizeA(small, FLT_MAX, 0, label.c_str()).x;
    if (lw > slot * 0.95f) {
      label = std::to_string(month);
      lw = font->CalcTextSizeA(small, FLT_MAX, 0, label.c_str()).x;
    }
    dl->AddText(font, small, ImVec2(x0 + (slot - lw) * 0.5f, base + small * 0.2f), ImGui::GetColorU32(ImGuiCol_Text),
                label.c_str());
  }
  ImGui::Dummy(ImVec2(w, base - p.y + small * 1.4f));
  // The legend, and the same numbers in words (the accessibility mirror reads these).
  ImVec2 q = ImGui::GetCursorScreenPos();
  float sw = em(0.7f);
  dl->AddRectFilled(ImVec2(q.x, q.y + em(0.4f)), ImVec2(q.x + sw, q.y + em(0.4f) + sw), opened_col);
  ImGui::SetCursorScreenPos(ImVec2(q.x + sw + em(0.3f), q.y));
  ImGui::TextUnformatted(tr("clinic.legend.opened"));
  ImGui::SameLine(0, em(1));
  q = ImGui::GetCursorScreenPos();
  dl->AddRectFilled(ImVec2(q.x, q.y + em(0.4f)), ImVec2(q.x + sw, q.y + em(0.4f) + sw), resolved_col);
  ImGui::SetCursorScreenPos(ImVec2(q.x + sw + em(0.3f), q.y));
  ImGui::TextUnformatted(tr("clinic.legend.resolved"));
  for (auto it = c.months.rbegin(); it != c.months.rend(); ++it) {
    if (!it->opened && !it->closed) continue;
    said(i18n::format(tr("clinic.month_row"), {{"y", it->month.substr(0, 4)},
                                              {"m", std::to_string(std::atoi(it->month.c_str() + 5))},
                                              {"opened", std::to_string(it->opened)},
                                              {"closed", std::to_string(it->closed)},
                                              {"resolved", std::to_string(it->resolved)}}),
         ImGui::GetColorU32(ImGuiCol_TextDisabled));
  }
}

// [SECTION] The case log (members only)
void Life::new_case_form(std::vector<UiAction>& out) {
  std::string open = std::string(tr(case_form_ ? "clinic.new.hide" : "clinic.new")) + "##case-new";
  if (Button(open.c_str(), -1)) case_form_ = !case_form_;
  result_here("case-form");
  if (!case_form_) return;
  ImGui::BeginChild("##case-form", ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  Paragraph(tr("clinic.category"));
  float avail = ImGui::GetContentRegionAvail().x;
  float x = 0, gap = ImGui::GetStyle().ItemSpacing.x;
  for (const char* cat : kCategories) {
    std::string key = std::string("clinic.cat.") + cat;
    bool cur = case_cat_ == cat;
    std::string l = std::string(cur ? "✓ " : "") + tr(key.c_str()) + "##cat-" + cat;
    float bw = ImGui::CalcTextSize(l.c_str(), nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
    if (x > 0 && x + gap + bw <= avail) ImGui::SameLine();
    else x = 0;
    if (cur) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_Header));
    if (Button(l.c_str())) case_cat_ = cat;
    if (cur) ImGui::PopStyleColor();
    x += (x > 0 ? gap : 0) + bw;
  }
  TextField(tr("clinic.parties"), &case_parties_, tr("clinic.parties_hint"));
  TextField(tr("clinic.complaint"), &case_complaint_, tr("clinic.complaint_hint"));
  const bool can = me() && !demo();
  ImGui::BeginDisabled(!can);
  std::string save = std::string(tr("clinic.new.save")) + "##case-save";
  if (Button(save.c_str(), -1)) {
    auto parties = split_parties(case_parties_);
    bool long_name = std::any_of(parties.begin(), parties.end(), [](const std::string& s) { return s.size() > 64; });
    if (case_complaint_.find_first_not_of(' ') == std::string::npos) {
      last_result_ = tr("clinic.need_complaint"), result_anchor_ = "case-form";
    } else if (parties.size() > 10 || long_name) {
      last_result_ = tr("clinic.bad_parties"), result_anchor_ = "case-form";
    } else if (case_complaint_.size() > 2000) {
      last_result_ = tr("clinic.too_long"), result_anchor_ = "case-form";
    } else {
      Payload p;
      p.str("id", new_case_id()).str("category", case_cat_).strs("parties", parties).str("complaint", case_complaint_);
      std::string key = "clinic.cat." + case_cat_;
      submit(out, "clinic.case.open", p, tr(key.c_str()), "case-form");
      case_parties_.clear();
      case_complaint_.clear();
      case_form_ = false;
    }
  }
  ImGui::EndDisabled();
  ImGui::EndChild();
}

void Life::case_card(const core::ClinicCase& k, std::vector<UiAction>& out) {
  const auto& pal = palette();
  const std::int64_t t = now();
  std::string cid = "##case-" + k.id;
  BeginListItem(k.id);  // a list item when drawn in a list (screen readers)
  ImGui::BeginChild(cid.c_str(), ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  std::string cat = tr(("clinic.cat." + k.category).c_str());
  std::string out_key = "clinic_outcome." + std::string(core::enum_name(k.outcome));
  Heading(cat + " · " + i18n::format(tr("clinic.opened_on"), {{"date", date_words(k.opened_at)}}), 1.1f);
  said(std::string(k.outcome == core::CaseOutcome::resolved ? "✓ " : "") + tr(out_key.c_str()),
       k.outcome == core::CaseOutcome::open ? pal.warn : k.outcome == core::CaseOutcome::resolved ? pal.ok : ImGui::GetColorU32(ImGuiCol_Text));
  if (!k.parties.empty()) {
    std::string names;
    for (const auto& p : k.parties) names += (names.empty() ? "" : tr("life.list_sep")) + p;
    Paragraph(std::string(tr("clinic.parties.short")) + tr("life.colon") + names);
  }
  Paragraph(k.complaint);
  for (const auto& e : k.entries) {
    std::string line = date_words(e.at) + " " + tr(e.followup ? "clinic.entry.followup" : "clinic.entry.session") + tr("life.colon");
    if (!e.diagnosis.empty()) line += std::string(tr("clinic.diagnosis")) + " " + e.diagnosis + "  ";
    if (!e.prescription.empty()) line += std::string(tr("clinic.prescription")) + " " + e.prescription + "  ";
    if (!e.note.empty()) line += e.note;
    Paragraph(line, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  }
  if (!k.outcome_note.empty()) Paragraph(k.outcome_note);
  if (core::followup_due(k, t))
    said(i18n::format(tr("clinic.followup_due"), {{"date", date_words(core::last_touched(k))}}), pal.warn);
  if (k.outcome == core::CaseOutcome::open) {
    const bool open = case_open_ == k.id;
    std::string l = std::string(tr(open ? "clinic.record.hide" : "clinic.record")) + "##case-rec-" + k.id;
    if (Button(l.c_str(), -1)) {
      case_open_ = open ? std::string() : k.id;
      case_diag_.clear(), case_rx_.clear(), case_note_.clear();
    }
    if (open) {
      const bool can = me() && !demo();
      const std::string what = cat + " · " + date_words(k.opened_at);
      ImGui::BeginDisabled(!can);
      TextField(tr("clinic.diagnosis.field"), &case_diag_, tr("clinic.diagnosis_hint"));
      TextField(tr("clinic.prescription.field"), &case_rx_, tr("clinic.prescription_hint"));
      std::string s1 = std::string(tr("clinic.add_session")) + "##case-sess-" + k.id;
      if (Button(s1.c_str(), -1)) {
        if (case_diag_.empty() && case_rx_.empty()) {
          last_result_ = tr("clinic.need_text"), result_anchor_ = k.id;
        } else {
          submit(out, "clinic.case.session", Payload().str("case", k.id).str("diagnosis", case_diag_).str("prescription", case_rx_),
                 what, k.id);
          case_diag_.clear(), case_rx_.clear();
        }
      }
      TextField(tr("clinic.followup.field"), &case_note_, tr("clinic.followup_hint"));
      std::string s2 = std::string(tr("clinic.add_followup")) + "##case-fu-" + k.id;
      if (Button(s2.c_str(), -1)) {
        if (case_note_.empty()) {
          last_result_ = tr("clinic.need_text"), result_anchor_ = k.id;
        } else {
          submit(out, "clinic.case.followup", Payload().str("case", k.id).str("note", case_note_), what, k.id);
          case_note_.clear();
        }
      }
      Paragraph(tr("clinic.close"));
      for (const char* o : kOutcomes) {
        std::string key = std::string("clinic_outcome.") + o;
        std::string b = std::string(tr("clinic.close_as")) + tr(key.c_str()) + "##case-close-" + o + "-" + k.id;
        if (Button(b.c_str(), -1)) {
          Payload p;
          p.str("case", k.id).str("outcome", o);
          if (!case_note_.empty()) p.str("note", case_note_);
          submit(out, "clinic.case.close", p, what, k.id);
          case_open_.clear();
        }
      }
      ImGui::EndDisabled();
    }
  }
  result_here(k.id);
  ImGui::EndChild();
  EndListItem();
  ImGui::Spacing();
}

}  // namespace sihui::ui
