// life_home: the home screen's part for everyone: four big buttons for what people do most (eat, ask
// for help, the classes, the calendar); for the resident's role, today at a glance and this person's
// sign-ups and bookings. People with several roles see the switch and their role's panel above the
// buttons (role_home.cpp).
#include <algorithm>

#include "core/civil.h"
#include "core/reminders.h"
#include "imgui.h"
#include "ui/item_table.h"
#include "ui/life.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace sihui::ui {

// Reminders of what this person (or someone they act for) signed up for or booked: the day before and
// an hour before (core/reminders.h). "知道了" hides the ones shown; a new one shows again.
void Life::reminders_card() {
  const core::Person* self = me();
  if (!self) return;
  auto due = core::due_reminders(*s_, self->id, now());
  std::string keys;
  for (const auto& r : due) keys += r.key + ";";
  if (due.empty() || keys == reminders_hidden_) return;
  const auto& pal = palette();
  ImGui::PushStyleColor(ImGuiCol_ChildBg, pal.banner);
  ImGui::BeginChild("##reminders", ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  Heading(tr("remind.title"), 1.2f);
  for (const auto& r : due) {
    const core::Plan& p = r.plan;
    std::string what;
    if (p.kind == core::EntryKind::klass)
      what = p.title + " " + i18n::format(tr("class.session_name"), {{"n", std::to_string(p.number)}});
    else if (auto st = s_->sittings.find(p.sitting); st != s_->sittings.end())
      what = std::string(tr("canteen.short")) + " " + tr(("canteen.meal." + std::string(core::enum_name(st->second.meal))).c_str());
    if (p.person != self->id)
      if (auto q = s_->persons.find(p.person); q != s_->persons.end()) what += " · " + q->second.name;
    const char* key = r.when == core::RemindWhen::hour_before ? "remind.hour" : "remind.day";
    std::string line = i18n::format(tr(key), {{"when", day_words(core::shanghai(p.start).day) + " " + core::format_time(p.start)},
                                              {"what", what}});
    if (!p.place.empty()) line += " · " + p.place;
    said(line);
  }
  if (Button((std::string(tr("remind.ok")) + "##remind-ok").c_str())) reminders_hidden_ = keys;
  ImGui::EndChild();
  ImGui::PopStyleColor();
  ImGui::Spacing();
}

// For grid leaders, grid workers and staff: regular canteen diners of their grids who have not come for
// several open days in a row (core/reminders.h), so someone knocks on their door.
void Life::missed_card() {
  std::vector<core::Id> grids;
  if (demo()) {
    for (const auto& [id, g] : s_->grids) grids.push_back(id);
  } else if (const core::Person* self = me()) {
    grids = core::grids_watched(*s_, self->id);
  }
  if (grids.empty()) return;
  auto all = core::missed_diners(*s_, now());
  std::vector<const core::MissedDiner*> mine;
  for (const auto& d : all)
    if (std::find(grids.begin(), grids.end(), d.grid) != grids.end()) mine.push_back(&d);
  if (mine.empty()) return;
  const auto& pal = palette();
  ImGui::BeginChild("##missed", ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  Heading(i18n::format(tr("missed.title"), {{"n", std::to_string(mine.size())}}), 1.2f);
  Paragraph(tr("missed.about"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  const std::size_t kMax = 8;
  for (std::size_t i = 0; i < mine.size() && i < kMax; ++i) {
    const auto& d = *mine[i];
    std::string line = i18n::format(tr("missed.row"), {{"name", d.name}, {"days", std::to_string(d.missed_days)}});
    if (d.last_seen) line += " · " + i18n::format(tr("missed.last"), {{"date", date_words(d.last_seen)}});
    if (auto g = s_->grids.find(d.grid); g != s_->grids.end() && grids.size() > 1) line += " · " + g->second.name;
    said(line, pal.warn);
  }
  if (mine.size() > kMax)
    Paragraph(i18n::format(tr("home.today.more"), {{"n", std::to_string(mine.size() - kMax)}}),
              ImGui::GetColorU32(ImGuiCol_TextDisabled));
  ImGui::EndChild();
  ImGui::Spacing();
}

void Life::home_panel(const UiModel& m) {
  begin(m);
  const auto& pal = palette();
  if (s_) reminders_card();
  // People with several roles: the switch first, then that role's panel above the big buttons.
  const core::Hat hat = s_ ? hat_switch() : core::Hat::resident;
  switch (hat) {
    case core::Hat::resident: break;
    case core::Hat::volunteer: volunteer_home(); break;
    case core::Hat::staff: staff_home(); break;
    case core::Hat::clinic: clinic_home(); break;
  }
  if (hat != core::Hat::resident) ImGui::Spacing();
  // Four big buttons: two columns on a phone (one at large text), four across on a tablet.
  {
    struct B { const char* id; const char* title; const char* sub; Go to; int color; };
    const B bs[] = {{"home-eat", "home.eat", "home.eat.sub", Go::canteen, 1},
                    {"home-help", "home.help", "home.help.sub", Go::services, 0},
                    {"home-classes", "class.title", "home.classes.sub", Go::classes, 2},
                    {"home-calendar", "cal.title", "home.calendar.sub", Go::calendar, 3}};
    float avail = ImGui::GetContentRegionAvail().x, gap = ImGui::GetStyle().ItemSpacing.x;
    int cols = avail >= em(36) ? 4 : avail >= em(17) ? 2 : 1;
    float w = (avail - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
    float h = cols == 4 ? em(4.5f) : 0;
    for (const auto& b : bs) h = std::max(h, BigButtonHeight(tr(b.title), tr(b.sub), w));
    for (int i = 0; i < 4; ++i) {
      if (i % cols) ImGui::SameLine();
      if (BigButton(bs[i].id, tr(bs[i].title), tr(bs[i].sub), ImVec2(w, h), pal.card[bs[i].color], pal.card_text))
        go_ = bs[i].to;
    }
  }
  channels_button();
  if (!s_ || hat != core::Hat::resident) return;
  ImGui::Spacing();

  // Today at a glance.
  const std::int64_t t = now(), today = core::shanghai(t).day;
  ImGui::BeginChild("##today", ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  Heading(day_words(today), 1.2f);
  auto entries = core::life_entries(*s_, core::shanghai_day_start(today), core::shanghai_day_start(today + 1));
  const int kMax = 5;
  int n = 0;
  for (const auto& e : entries) {
    if (n++ >= kMax) break;
    std::string title = e.title;
    if (!e.session.empty()) title += " " + i18n::format(tr("class.session_name"), {{"n", std::to_string(e.number)}});
    if (!e.sitting.empty()) {
      std::string meal = "canteen.meal." + std::string(core::enum_name(e.meal));
      title = std::string(tr("canteen.short")) + " " + tr(meal.c_str());
    }
    std::string line = core::format_time(e.start) + "  " + kind_words(e.kind) + " · " + title;
    if (e.cancelled) line = "✕ " + line + " · " + tr("cal.cancelled");
    else if (e.moved) line = "→ " + line + " · " + tr("cal.moved_short");
    Paragraph(line, e.cancelled ? pal.bad : ImGui::GetColorU32(ImGuiCol_Text));
  }
  if (entries.empty()) Paragraph(tr("home.today.nothing"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  if (n > kMax)
    Paragraph(i18n::format(tr("home.today.more"), {{"n", std::to_string(entries.size() - kMax)}}),
              ImGui::GetColorU32(ImGuiCol_TextDisabled));
  std::string all = std::string(tr("home.today.all")) + "##home-all-events";
  if (Button(all.c_str())) go_ = Go::calendar;
  ImGui::EndChild();

  // This person's sign-ups and bookings (and those of the people they act for).
  if (const core::Person* self = me()) {
    auto plans = core::person_plans(*s_, self->id, t, 6);
    ImGui::Spacing();
    ImGui::BeginChild("##plans", ImVec2(0, 0),
                      ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
    Heading(tr("home.plans"), 1.2f);
    if (plans.empty()) Paragraph(tr("home.plans.none"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    for (const auto& p : plans) {
      std::string who;
      if (p.person != self->id)
        if (auto q = s_->persons.find(p.person); q != s_->persons.end()) who = " · " + q->second.name;
      std::string when = day_words(core::shanghai(p.start).day) + " " + core::format_time(p.start);
      if (p.kind == core::EntryKind::klass) {
        std::string state = p.waitlisted ? i18n::format(tr("class.row.waiting"), {{"pos", std::to_string(p.position)}})
                                         : std::string("✓ ") + tr("class.row.enrolled");
        Paragraph(when + " · " + p.title + " " +
                      i18n::format(tr("class.session_name"), {{"n", std::to_string(p.number)}}) + who + " · " + state,
                  p.waitlisted ? pal.warn : ImGui::GetColorU32(ImGuiCol_Text));
      } else {
        Paragraph(when + " · " + tr("canteen.short") + who + " · ✓ " + tr("canteen.booked"));
      }
    }
    ImGui::EndChild();
  }

  // Grid leaders: regular diners who stopped coming.
  ImGui::Spacing();
  missed_card();

  // Requests the volunteer says are done, waiting for this person's side to confirm.
  if (const core::Person* self = me()) {
    if (std::size_t waiting = core::waiting_confirmation(*s_, self->id)) {
      ImGui::Spacing();
      said(i18n::format(tr("home.svc_confirm"), {{"n", std::to_string(waiting)}}), pal.warn);
      std::string l = std::string(tr("home.svc_open")) + "##home-svc-confirm";
      if (Button(l.c_str(), -1)) go_ = Go::services;
    }
  }
}

}  // namespace sihui::ui
