// role_home: the home screen per role. A person who wears several hats (resident and volunteer, staff,
// clinic member) switches with one row of big buttons that says which hat is on; each hat has its
// panel: a volunteer sees open requests nearest first and their hours, staff see what needs them
// today (the kitchen's count, today's classes, requests nobody took, the clinic in numbers), a clinic
// member sees today's duty and the follow-ups due. life_home.cpp puts them above the big buttons; the
// resident's panel is there too.
#include <algorithm>
#include <cstdio>

#include "core/civil.h"
#include "core/community_query.h"
#include "imgui.h"
#include "ui/item_table.h"
#include "ui/life.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace sihui::ui {

using core::Hat;

// Draws the switch when the person has more than one hat; returns the hat that is on.
Hat Life::hat_switch() {
  std::vector<Hat> hats;
  if (demo()) hats = {Hat::resident, Hat::volunteer, Hat::staff, Hat::clinic};  // to look at every panel
  else if (const core::Person* p = me()) hats = core::hats_of(*p);
  if (hats.size() <= 1) return Hat::resident;
  Hat cur = demo() ? Hat::resident : hats.back();  // the most specific hat, until the person picks one
  for (Hat h : hats)
    if (hat_ == core::enum_name(h)) cur = h;
  Paragraph(tr("hat.label"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  const float avail = ImGui::GetContentRegionAvail().x, gap = ImGui::GetStyle().ItemSpacing.x;
  const float w = (avail - gap * static_cast<float>(hats.size() - 1)) / static_cast<float>(hats.size());
  std::vector<std::string> labels;
  bool row = true;
  for (Hat h : hats) {
    std::string key = "hat." + std::string(core::enum_name(h));
    labels.push_back(std::string(h == cur ? "✓ " : "") + tr(key.c_str()) + "##hat-" + std::string(core::enum_name(h)));
    row = row && fits_in(w, labels.back().c_str());
  }
  // Two by two when four do not fit in a row but two do.
  const float w2 = (avail - gap) / 2;
  bool pairs = !row && std::all_of(labels.begin(), labels.end(), [&](const std::string& l) { return fits_in(w2, l.c_str()); });
  for (std::size_t i = 0; i < hats.size(); ++i) {
    if (i && (row || (pairs && i % 2))) ImGui::SameLine();
    bool on = hats[i] == cur;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_Header));
    if (Button(labels[i].c_str(), row ? w : pairs ? w2 : -1)) {
      hat_ = core::enum_name(hats[i]);
      cur = hats[i];
    }
    if (on) ImGui::PopStyleColor();
  }
  ImGui::Spacing();
  return cur;
}

void Life::volunteer_home() {
  const auto& pal = palette();
  const core::Person* self = me();
  const core::Id vid = self ? self->id : core::Id{};
  ImGui::BeginChild("##vol-home", ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  Heading(tr("home.vol.title"), 1.2f);
  if (self) {
    auto st = core::volunteer_stats(*s_, self->id);
    char h[32];
    std::snprintf(h, sizeof h, "%.1f", static_cast<double>(st.minutes) / 60.0);
    said(i18n::format(tr("svc.my_hours"), {{"n", std::to_string(st.services)}, {"h", h}}) + " " + stars_words(st.stars), pal.accent);
    if (auto tasks = core::volunteer_tasks(*s_, self->id); !tasks.empty())
      said(i18n::format(tr("home.vol.tasks"), {{"n", std::to_string(tasks.size())}}), pal.warn);
  }
  auto open = core::open_requests(*s_, vid, 50);
  if (open.empty()) Paragraph(tr("svc.open.none"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  for (std::size_t i = 0; i < open.size() && i < 5; ++i) {
    const auto& r = *open[i];
    std::string line = service_name(r.service) + " · " + elder_words(r.for_person) + " · " + date_words(r.made_at);
    if (self && core::request_near(*s_, r, self->id)) line += " · " + std::string(tr("svc.near"));
    said(line);
  }
  std::string l = i18n::format(tr("home.vol.go"), {{"n", std::to_string(open.size())}}) + "##home-vol-go";
  if (Button(l.c_str(), -1)) go_ = Go::services;
  ImGui::EndChild();
}

void Life::staff_home() {
  const std::int64_t t = now(), today = core::shanghai(t).day;
  // Counting reports and missed meals walks the whole community: once per change of the log or day.
  const std::int64_t key[4] = {s_->ops_applied, s_->last_seq, today, static_cast<std::int64_t>(m_->settings->lang)};
  if (!std::equal(key, key + 4, staff_key_) || staff_lines_.empty()) {
    std::copy(key, key + 4, staff_key_);
    staff_lines_.clear();
    if (canteen_staff()) {
      auto k = core::kitchen_count(*s_, today);
      staff_lines_.push_back(k.sittings ? i18n::format(tr("home.kitchen_today"), {{"n", std::to_string(k.booked)}})
                                        : std::string(tr("home.staff.no_kitchen")));
    }
    for (const auto& [id, ses] : s_->sessions)
      if (core::shanghai(ses.starts_at).day == today) {
        auto c = s_->courses.find(ses.course);
        staff_lines_.push_back(core::format_time(ses.starts_at) + " " + (c == s_->courses.end() ? id : c->second.title) + " " +
                               i18n::format(tr("class.session_name"), {{"n", std::to_string(ses.number)}}) + " · " +
                               i18n::format(tr("seats.taken"), {{"taken", std::to_string(ses.taken)}, {"seats", std::to_string(ses.seats)}}));
      }
    std::size_t waiting = 0;
    for (const auto& [id, r] : s_->requests)
      if (r.status == core::RequestStatus::open && t - r.made_at >= core::kMsPerDay) ++waiting;
    staff_lines_.push_back(i18n::format(tr("home.staff.requests"), {{"n", std::to_string(waiting)}}));
    if (is_staff()) {
      staff_lines_.push_back(i18n::format(tr("home.staff.reports"), {{"n", std::to_string(core::open_reports(*s_, "", t).size())}}));
      staff_lines_.push_back(i18n::format(tr("home.staff.missed"), {{"n", std::to_string(core::missed_meals(*s_, t).size())}}));
      auto c = core::clinic_summary(*s_, t, 1);
      staff_lines_.push_back(i18n::format(tr("home.staff.clinic"), {{"open", std::to_string(c.open_now)}, {"n", std::to_string(c.opened)}}));
    }
  }
  ImGui::BeginChild("##staff-home", ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  Heading(day_words(today) + " · " + tr("home.staff.title"), 1.2f);
  for (const auto& line : staff_lines_) said("· " + line);
  const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
  std::string a = std::string(tr("svc.title")) + "##home-staff-svc", b = std::string(tr("clinic.title")) + "##home-staff-clinic";
  bool row = fits_in(half, a.c_str()) && fits_in(half, b.c_str());
  if (Button(a.c_str(), row ? half : -1)) go_ = Go::services;
  if (row) ImGui::SameLine();
  if (Button(b.c_str(), row ? half : -1)) go_ = Go::clinic;
  ImGui::EndChild();
}

void Life::clinic_home() {
  const auto& pal = palette();
  const std::int64_t t = now();
  const int wd = core::shanghai(t).weekday;
  const core::Person* self = me();
  ImGui::BeginChild("##clinic-home", ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  Heading(tr("home.clinic.title"), 1.2f);
  auto duty = core::clinic_duty(*s_, wd);
  std::string names;
  bool mine = false;
  for (const auto* p : duty) {
    names += (names.empty() ? "" : tr("life.list_sep")) + p->name;
    if (self && p->id == self->id) mine = true;
  }
  said(names.empty() ? std::string(tr("home.clinic.nobody")) : i18n::format(tr("home.clinic.today"), {{"names", names}}),
       mine ? pal.accent : ImGui::GetColorU32(ImGuiCol_Text));
  if (mine) said(tr("home.clinic.you"), pal.accent);
  std::size_t open = 0, due = 0;
  for (const auto& [id, k] : s_->cases) {
    if (k.outcome != core::CaseOutcome::open) continue;
    ++open;
    if (core::followup_due(k, t)) ++due;
  }
  said(i18n::format(tr("home.clinic.cases"), {{"open", std::to_string(open)}, {"due", std::to_string(due)}}),
       due ? pal.warn : ImGui::GetColorU32(ImGuiCol_Text));
  std::string l = std::string(tr("home.clinic.go")) + "##home-clinic-go";
  if (Button(l.c_str(), -1)) go_ = Go::clinic;
  ImGui::EndChild();
}

}  // namespace sihui::ui
