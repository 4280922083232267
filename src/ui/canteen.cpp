// canteen: 站南爱老公益食堂. The next week's sittings with seats left (a bar and the numbers), booking
// by the elder or by a proxy who first picks whom they book for (with the age and the 80+ rule in
// words), a dietary note, cancelling; refusals are the reducer's reason, translated. Staff see the
// kitchen's count for a day: booked, came, walk-ins and the dietary notes.
#include <algorithm>
#include <cstdio>

#include "core/civil.h"
#include "imgui.h"
#include "ui/item_table.h"
#include "ui/life.h"
#include "ui/theme.h"
#include "ui/person_picker.h"
#include "ui/widgets.h"

namespace sihui::ui {

void Life::canteen(const UiModel& m, std::vector<UiAction>& out) {
  if (!top(m, "canteen.title", "canteen.about")) return;
  const auto& pal = palette();
  const core::Person* self = me();
  const core::Person* target = nullptr;
  const std::int64_t t_now = now();
  const std::int64_t today = core::shanghai(t_now).day;
  auto sittings = core::sittings_between(*s_, t_now, core::shanghai_day_start(today + 8));

  if (self) {
    // Whom for: the person, their household and those who named them proxy.
    auto people = core::acting_for(*s_, self->id);
    for (const auto* p : people)
      if (p->id == for_person_) target = p;
    if (!target) target = self;
    if (people.size() > 1) {
      Heading(tr("canteen.for_whom"), 1.15f);
      for (const auto* p : people) {
        auto el = core::canteen_eligibility(*p, sittings.empty() ? t_now : sittings.front()->starts_at);
        std::string words = p->name + " · " + i18n::format(tr("class.age"), {{"n", std::to_string(el.age)}}) + " · " +
                            tr(el.exception ? "canteen.ok_exception" : el.eligible ? "canteen.ok" : "canteen.under_80");
        if (ChoiceButton(words, "for-" + p->id, p == target)) for_person_ = p->id;
      }
      ImGui::Spacing();
    }
    TextField(tr("canteen.diet"), &diet_, tr("canteen.diet_hint"));
    ImGui::Spacing();
  } else {
    Paragraph(tr(demo() ? "life.demo_readonly" : "life.need_account"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  }

  Heading(tr("canteen.next_week"), 1.2f);
  if (sittings.empty()) Paragraph(tr("canteen.none"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  for (const core::Sitting* st : sittings) {
    std::string meal = "canteen.meal." + std::string(core::enum_name(st->meal));
    std::string when = day_words(core::shanghai(st->starts_at).day) + " · " + tr(meal.c_str()) + " " +
                       core::format_time(st->starts_at);
    std::string cid = "##sitting-" + st->id;
    ImGui::BeginChild(cid.c_str(), ImVec2(0, 0),
                      ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
    Heading(when, 1.15f);
    seat_bar(static_cast<std::int64_t>(st->bookings.size()), st->seats, 0, true);
    std::string what = date_words(st->starts_at) + " " + tr(meal.c_str());
    if (target) {
      auto b = st->bookings.find(target->id);
      std::string whom = target == self ? std::string(tr("canteen.me")) : target->name;
      if (b != st->bookings.end()) {
        std::string t = "✓ " + i18n::format(tr("canteen.booked_for"), {{"name", whom}});
        if (!b->second.diet.empty()) t += tr("life.colon") + b->second.diet;
        said(t, pal.ok);
        std::string l = std::string(tr("canteen.cancel")) + "##unbook-" + st->id;
        if (Button(l.c_str()))
          submit(out, "canteen.cancel", Payload().str("sitting", st->id).str("person", target->id), whom + " " + what, st->id);
        item_table().set_role(ImGui::GetItemID(), Role::Button,
                              i18n::format(tr("canteen.cancel_for"), {{"name", whom}, {"when", what}}));
      } else {
        std::string l = i18n::format(tr("canteen.book_for"), {{"name", whom}}) + "##book-" + st->id;
        if (Button(l.c_str(), -1)) {
          Payload payload;
          payload.str("sitting", st->id).str("person", target->id);
          if (!diet_.empty()) payload.str("diet", diet_);
          submit(out, "canteen.book", payload, whom + " " + what, st->id);
        }
        item_table().set_role(ImGui::GetItemID(), Role::Button,
                              i18n::format(tr("canteen.book_for"), {{"name", whom}}) + " " + what);
      }
    }
    result_here(st->id);
    ImGui::EndChild();
    ImGui::Spacing();
  }
  if (canteen_staff()) kitchen();
  back_row();
}

// The kitchen's count for a day, for the cooks and staff.
void Life::kitchen() {
  const auto& pal = palette();
  const std::int64_t today = core::shanghai(now()).day;
  if (kitchen_day_ < 0) {
    kitchen_day_ = today;
    // The demo ends on a Sunday: show the last day the kitchen was open, within a week.
    for (int back = 0; back < 7 && core::kitchen_count(*s_, kitchen_day_).sittings == 0; ++back) --kitchen_day_;
    if (core::kitchen_count(*s_, kitchen_day_).sittings == 0) kitchen_day_ = today;
  }
  ImGui::Spacing();
  Heading(tr("kitchen.title"), 1.2f);
  {
    std::string prev = std::string("◀ ") + tr("kitchen.prev") + "##k-prev";
    std::string next = std::string(tr("kitchen.next")) + " ▶##k-next";
    // Side by side when both fit (a phone at 200% text stacks them: nothing past the edge).
    float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
    bool row = fits_in(half, prev.c_str()) && fits_in(half, next.c_str());
    if (Button(prev.c_str(), row ? 0 : -1)) --kitchen_day_;
    if (row) ImGui::SameLine();
    if (Button(next.c_str(), row ? 0 : -1)) ++kitchen_day_;
  }
  Heading(day_words(kitchen_day_), 1.1f);
  auto k = core::kitchen_count(*s_, kitchen_day_);
  if (!k.sittings) {
    Paragraph(tr("kitchen.closed"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    return;
  }
  // The number the cooks need, large; then the bar and the details.
  ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * 2.0f);
  ImGui::PushStyleColor(ImGuiCol_Text, pal.accent);
  std::string big = i18n::format(tr("kitchen.portions"), {{"n", std::to_string(k.booked)}});
  ImGui::TextUnformatted(big.c_str());
  ImGui::PopStyleColor();
  ImGui::PopFont();
  seat_bar(k.booked, k.seats, 0, true);
  Paragraph(i18n::format(tr("kitchen.came"), {{"came", std::to_string(k.attended)}, {"walk_ins", std::to_string(k.walk_ins)}}));
  if (k.diets.empty()) {
    Paragraph(tr("kitchen.no_diets"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  } else {
    std::string diets = tr("kitchen.diets");
    bool first = true;
    for (const auto& [d, n] : k.diets) {
      if (!first) diets += tr("life.list_sep");
      diets += d + " ×" + std::to_string(n);
      first = false;
    }
    Paragraph(diets);
  }
}

}  // namespace sihui::ui
