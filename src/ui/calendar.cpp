// calendar: the community's calendar as a list (a week of days), a week strip or a month grid, with
// filters by kind. Recurring events say so (↻), called-off occurrences are struck through and say
// "✕ 取消" with the reason, moved ones say "→ 改期" with the original time: words and icons, not colour only.
#include <algorithm>
#include <cstdio>

#include "core/civil.h"
#include "imgui.h"
#include "ui/item_table.h"
#include "ui/life.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace sihui::ui {

using core::EntryKind;

namespace {
constexpr EntryKind kKinds[] = {EntryKind::festival, EntryKind::club, EntryKind::klass, EntryKind::clinic,
                                EntryKind::canteen, EntryKind::volunteer, EntryKind::other};

// Places buttons left to right and starts a new line when the next one would not fit.
struct Flow {
  float avail, used = 0;
  bool first = true;
  explicit Flow(float a) : avail(a) {}
  void next(float w) {
    float gap = ImGui::GetStyle().ItemSpacing.x;
    if (!first && used + gap + w <= avail) {
      ImGui::SameLine();
      used += gap + w;
    } else {
      used = w;
    }
    first = false;
  }
};

float button_width(const char* label) {
  return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
}

// The smallest touch target, 44 CSS px, in framebuffer pixels.
float min_target() { return 44.0f * ImGui::GetStyle().FontScaleDpi; }

std::string hhmm(std::int64_t t) { return core::format_time(t); }
}  // namespace

void Life::filters() {
  bool all = filter_ == core::kAllEntryKinds;
  // A narrow screen (a phone at large text) folds the eight chips behind one button saying what is shown.
  if (ImGui::GetContentRegionAvail().x < em(17)) {
    std::string shown;
    if (all) {
      shown = tr("cal.filter.all");
    } else {
      for (EntryKind k : kKinds)
        if (filter_ & core::entry_bit(k)) shown += (shown.empty() ? "" : tr("life.list_sep")) + kind_words(k);
    }
    std::string l = i18n::format(tr("cal.filter.button"), {{"shown", shown}}) + (filters_open_ ? " ▲" : " ▼") + "##filters";
    if (Button(l.c_str(), -1)) filters_open_ = !filters_open_;
    if (!filters_open_) return;
  }
  Flow flow(ImGui::GetContentRegionAvail().x);
  std::string label = std::string(all ? "✓ " : "") + tr("cal.filter.all") + "##f-all";
  flow.next(button_width(label.c_str()));
  if (all) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_Header));
  if (Button(label.c_str())) {
    filter_ = core::kAllEntryKinds;
    heights_.clear();
  }
  if (all) ImGui::PopStyleColor();
  for (EntryKind k : kKinds) {
    bool on = !all && (filter_ & core::entry_bit(k));
    std::string l = std::string(on ? "✓ " : "") + kind_words(k) + "##f-" + std::string(core::enum_name(k));
    flow.next(button_width(l.c_str()) + em(0.7f));
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_Header));
    // A dot in the kind's colour at the start of the chip, matching the dots of the month grid.
    ImVec2 p = ImGui::GetCursorScreenPos();
    bool pressed = ImGui::Button(l.c_str(), ImVec2(button_width(l.c_str()) + em(0.7f), 0));
    item_table().set_role(ImGui::GetItemID(), Role::Checkbox,
                          kind_words(k) + (on ? std::string(" ✓") : std::string()));
    ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(p.x + em(0.55f), p.y + ImGui::GetFrameHeight() * 0.5f), em(0.22f),
                                                kind_color(k));
    if (on) ImGui::PopStyleColor();
    if (pressed) {
      // From "all", a tap shows only that kind; then taps add and remove kinds.
      if (all) filter_ = core::entry_bit(k);
      else filter_ ^= core::entry_bit(k);
      if (filter_ == 0) filter_ = core::kAllEntryKinds;
      heights_.clear();
    }
  }
}

void Life::calendar(const UiModel& m, std::vector<UiAction>& out) {
  if (!top(m, "cal.title", nullptr)) return;
  const std::int64_t today = core::shanghai(now()).day;
  if (cursor_day_ < 0) cursor_day_ = today;
  if (!embed_event_.empty() && !m.embed.empty()) {  // the embed's event:ID: its next dates, nothing else
    const std::int64_t from = core::shanghai_day_start(today), to = core::shanghai_day_start(today + 92);
    int shown = 0;
    for (const auto& e : core::life_entries(*s_, from, to)) {
      if (e.event != embed_event_ || shown >= 12) continue;
      if (shown == 0) Heading(e.title, 1.2f);
      Heading(day_words(core::shanghai(e.start).day), 1.05f);
      BeginList(("embed-" + std::to_string(shown)).c_str());
      entry_card(e, shown++);
      EndList();
    }
    if (!shown) Paragraph(tr("embed.not_found"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    return;
  }

  // View (list, week, month; the current one ticked), then earlier / later / today, flowing into
  // one row on a tablet and wrapping on a phone.
  Flow flow(ImGui::GetContentRegionAvail().x);
  {
    const char* keys[] = {"cal.view.list", "cal.view.week", "cal.view.month"};
    for (int i = 0; i < 3; ++i) {
      std::string l = std::string(view_ == i ? "✓ " : "") + tr(keys[i]) + "##view" + std::to_string(i);
      flow.next(button_width(l.c_str()));
      if (view_ == i) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_Header));
      if (Button(l.c_str())) {
        view_ = i;
        heights_.clear();
      }
      if (view_ == i) ImGui::PopStyleColor();
    }
  }
  // The range shown and its title.
  auto c = core::shanghai(core::shanghai_day_start(cursor_day_));
  std::int64_t first = cursor_day_, days = 7;
  int lead = 0;
  std::string title;
  if (view_ == 2) {
    std::int64_t first_of_month = core::days_from_civil(c.year, c.month, 1);
    lead = core::iso_weekday(first_of_month) - 1;
    first = first_of_month - lead;
    int dim = core::days_in_month(c.year, c.month);
    days = ((lead + dim + 6) / 7) * 7;
    title = i18n::format(tr("cal.month_title"), {{"y", std::to_string(c.year)}, {"m", std::to_string(c.month)}});
  } else if (view_ == 1) {
    first = cursor_day_ - (core::iso_weekday(cursor_day_) - 1);
    title = i18n::format(tr("cal.range"), {{"from", date_words(core::shanghai_day_start(first))},
                                           {"to", date_words(core::shanghai_day_start(first + 6))}});
  } else {
    title = i18n::format(tr("cal.range"), {{"from", date_words(core::shanghai_day_start(first))},
                                           {"to", date_words(core::shanghai_day_start(first + 6))}});
  }

  // ◀ earlier · later ▶ · today
  {
    std::string prev = std::string("◀ ") + tr(view_ == 2 ? "cal.prev_month" : "cal.prev_week") + "##cal-prev";
    std::string next = std::string(tr(view_ == 2 ? "cal.next_month" : "cal.next_week")) + " ▶##cal-next";
    std::string back = std::string(tr("cal.today")) + "##cal-today";
    auto shift = [&](int dir) {
      if (view_ == 2) {
        int mo = c.month + dir;
        std::int64_t y = c.year;
        if (mo < 1) mo = 12, --y;
        if (mo > 12) mo = 1, ++y;
        cursor_day_ = core::days_from_civil(y, mo, 1);
      } else {
        cursor_day_ += 7 * dir;
      }
      heights_.clear();
    };
    float gap = ImGui::GetStyle().ItemSpacing.x;
    flow.next(button_width(prev.c_str()) + gap * 2);  // a little air between the two groups
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (flow.used > button_width(prev.c_str()) + gap * 2 ? gap * 2 : 0));
    if (Button(prev.c_str())) shift(-1);
    flow.next(button_width(next.c_str()));
    if (Button(next.c_str())) shift(1);
    flow.next(button_width(back.c_str()));
    ImGui::BeginDisabled(cursor_day_ == today);
    if (Button(back.c_str())) {
      cursor_day_ = today;
      heights_.clear();
    }
    ImGui::EndDisabled();
  }
  Heading(title, 1.15f);
  filters();
  {  // 订阅日历: the feed links, folded until asked for
    std::string l = std::string(tr("feed.button")) + (subscribe_open_ ? " ▲" : " ▼") + "##subscribe";
    if (Button(l.c_str())) {
      subscribe_open_ = !subscribe_open_;
      asked_link_ = false;
    }
    if (subscribe_open_) subscribe_panel(out);
  }
  ImGui::Spacing();

  // Entries of the range, cached until the community, the range or the filters change.
  const std::int64_t from = core::shanghai_day_start(first), to = core::shanghai_day_start(first + days);
  std::int64_t key[4] = {static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(s_)) ^ (s_->ops_applied * 1000003) ^ s_->last_seq,
                         from, to, static_cast<std::int64_t>(filter_)};
  if (!std::equal(key, key + 4, cached_key_)) {
    cached_ = core::life_entries(*s_, from, to, filter_);
    std::copy(key, key + 4, cached_key_);
  }

  if (view_ == 0) {
    int shown = 0;
    for (std::int64_t d = first; d < first + days; ++d) {
      Heading(day_words(d), 1.1f);
      std::int64_t a = core::shanghai_day_start(d), b = core::shanghai_day_start(d + 1);
      bool any = false;
      BeginList(("day-" + std::to_string(d)).c_str());
      for (const auto& e : cached_) {
        if (e.start < a || e.start >= b) continue;
        any = true;
        entry_card(e, shown++);
      }
      EndList();
      if (!any) Paragraph(tr("cal.nothing"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
      ImGui::Spacing();
    }
  } else {
    month_view(cached_, first, static_cast<int>(days), lead);
    ImGui::Spacing();
    day_list(cached_, cursor_day_);
  }
  back_row();
}

// A grid of day cells, 7 a row (Monday first). Each cell says how many entries the day has; wide cells
// also name how many were called off. The selected day is filled, today is framed and says "今天".
void Life::month_view(const std::vector<core::Entry>& entries, std::int64_t first_day, int days, int lead) {
  const auto& pal = palette();
  const std::int64_t today = core::shanghai(now()).day;
  auto sums = core::day_summaries(entries, first_day, days);
  float avail = ImGui::GetContentRegionAvail().x;
  float gap = std::max(2.0f, em(0.15f));
  float cw = (avail - gap * 6) / 7;
  bool wide = cw >= em(3.4f);
  float ch = wide ? em(3.9f) : std::max(min_target(), em(1.9f));
  const int month = view_ == 2 ? core::shanghai(core::shanghai_day_start(first_day + lead)).month : 0;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  // Weekday names over the columns.
  {
    ImVec2 p = ImGui::GetCursorScreenPos();
    for (int i = 0; i < 7; ++i) {
      char k[24];
      std::snprintf(k, sizeof k, "cal.wd.%d", i + 1);
      if (ImGui::CalcTextSize(tr(k)).x > cw) std::snprintf(k, sizeof k, "cal.wdn.%d", i + 1);  // 一 二 三 on a phone
      const char* t = tr(k);
      float tw = ImGui::CalcTextSize(t).x;
      float x = p.x + static_cast<float>(i) * (cw + gap) + std::max(0.0f, (cw - tw) * 0.5f);
      dl->AddText(ImVec2(x, p.y), ImGui::GetColorU32(ImGuiCol_TextDisabled), t);
    }
    ImGui::Dummy(ImVec2(avail, ImGui::GetTextLineHeight()));
  }
  ImGuiStyle& st = ImGui::GetStyle();
  ImVec2 spacing = st.ItemSpacing;
  st.ItemSpacing = ImVec2(gap, gap);
  for (int i = 0; i < days; ++i) {
    std::int64_t d = first_day + i;
    auto lt = core::shanghai(core::shanghai_day_start(d));
    const auto& sum = sums[static_cast<std::size_t>(i)];
    if (i % 7) ImGui::SameLine();
    ImVec2 p = ImGui::GetCursorScreenPos();
    char id[32];
    std::snprintf(id, sizeof id, "##day%lld", static_cast<long long>(d));
    bool pressed = ImGui::InvisibleButton(id, ImVec2(cw, ch));
    std::string label = date_words(core::shanghai_day_start(d)) + " " +
                        i18n::format(tr("cal.count"), {{"n", std::to_string(sum.count)}});
    if (sum.cancelled) label += " " + i18n::format(tr("cal.cancelled_count"), {{"n", std::to_string(sum.cancelled)}});
    if (d == today) label += " " + std::string(tr("cal.today"));
    item_table().set_role(ImGui::GetItemID(), Role::Button, label);
    if (pressed) {
      cursor_day_ = d;
      heights_.clear();
    }
    bool selected = d == cursor_day_, other_month = month && lt.month != month;
    ImU32 bg = selected ? ImGui::GetColorU32(ImGuiCol_Header)
               : ImGui::IsItemHovered() ? ImGui::GetColorU32(ImGuiCol_FrameBgHovered)
                                        : ImGui::GetColorU32(ImGuiCol_FrameBg);
    float r = em(0.3f);
    dl->AddRectFilled(p, ImVec2(p.x + cw, p.y + ch), bg, r);
    dl->AddRect(p, ImVec2(p.x + cw, p.y + ch), d == today ? pal.accent : ImGui::GetColorU32(ImGuiCol_Border), r, 0,
                d == today ? em(0.15f) : 1.0f);
    ImU32 text = other_month ? ImGui::GetColorU32(ImGuiCol_TextDisabled) : ImGui::GetColorU32(ImGuiCol_Text);
    std::string num = std::to_string(lt.mday);
    float pad = wide ? em(0.35f) : std::max(1.0f, (cw - ImGui::CalcTextSize(num.c_str()).x) * 0.5f);
    dl->AddText(ImVec2(p.x + pad, p.y + em(0.15f)), text, num.c_str());
    if (wide) {
      if (d == today) {
        const char* t = tr("cal.today");
        dl->AddText(ImVec2(p.x + cw - ImGui::CalcTextSize(t).x - em(0.3f), p.y + em(0.15f)), pal.accent, t);
      }
      if (sum.count) {
        std::string n = i18n::format(tr("cal.count"), {{"n", std::to_string(sum.count)}});
        dl->AddText(ImVec2(p.x + em(0.35f), p.y + em(1.35f)), text, n.c_str());
      }
      if (sum.cancelled) {
        std::string n = "✕" + std::to_string(sum.cancelled);
        dl->AddText(ImVec2(p.x + cw - ImGui::CalcTextSize(n.c_str()).x - em(0.3f), p.y + em(1.35f)), pal.bad, n.c_str());
      }
      // One dot per kind present, in the kind's colour (the words are in the list below).
      float x = p.x + em(0.5f);
      for (EntryKind k : kKinds)
        if (sum.kinds & core::entry_bit(k)) {
          dl->AddCircleFilled(ImVec2(x, p.y + em(3.1f)), em(0.2f), kind_color(k));
          x += em(0.55f);
        }
    } else if (sum.count) {
      // Narrow cells: a dot under the number says "something on"; a cross when all of it is off.
      ImVec2 c(p.x + cw * 0.5f, p.y + ch - em(0.35f));
      if (sum.cancelled == sum.count) dl->AddText(ImVec2(c.x - em(0.3f), c.y - em(0.55f)), pal.bad, "✕");
      else dl->AddCircleFilled(c, em(0.17f), text);
    }
  }
  st.ItemSpacing = spacing;
  ImGui::Dummy(ImVec2(0, 0));
}

void Life::day_list(const std::vector<core::Entry>& entries, std::int64_t day) {
  Heading(day_words(day), 1.15f);
  std::int64_t a = core::shanghai_day_start(day), b = core::shanghai_day_start(day + 1);
  int shown = 0;
  BeginList(("day-" + std::to_string(day)).c_str());
  for (const auto& e : entries)
    if (e.start >= a && e.start < b) entry_card(e, shown++);
  EndList();
  if (!shown) Paragraph(tr("cal.nothing"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
}

// One entry as a bordered card: kind and time, title, place, what is special about this occurrence,
// seats, and the button that leads to signing up or booking.
void Life::entry_card(const core::Entry& e, int index) {
  const auto& pal = palette();
  // Cards out of view are skipped (their height from the last frame is kept), so long lists stay cheap.
  if (index < static_cast<int>(heights_.size()) && heights_[static_cast<std::size_t>(index)] > 0) {
    float h = heights_[static_cast<std::size_t>(index)];
    ImVec2 p = ImGui::GetCursorScreenPos();
    if (!ImGui::IsRectVisible(p, ImVec2(p.x + 1, p.y + h))) {
      ImGui::Dummy(ImVec2(1, h - ImGui::GetStyle().ItemSpacing.y));
      return;
    }
  }
  float y0 = ImGui::GetCursorPosY();
  std::string cid = "##entry" + std::to_string(index);
  BeginListItem(e.event + e.session + e.sitting + e.request + std::to_string(e.start));  // a list item when drawn in a list (screen readers)
  ImGui::BeginChild(cid.c_str(), ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, em(0.25f)));
  // Line 1: ● kind · time · ↻ every week
  {
    ImVec2 p = ImGui::GetCursorScreenPos();
    float r = em(0.3f);
    ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(p.x + r, p.y + em(kLineSpacing) * 0.5f), r, kind_color(e.kind));
    ImGui::SetCursorScreenPos(ImVec2(p.x + em(0.9f), p.y));
    std::string when = hhmm(e.start);
    if (e.end > e.start && e.kind != EntryKind::canteen) when += "–" + hhmm(e.end);
    std::string line = kind_words(e.kind) + " · " + when;
    if (e.recurring) {
      const std::string& rule = s_->events.at(e.event).rrule;
      const char* key = rule.find("MONTHLY") != std::string::npos ? "cal.rule.monthly"
                        : rule.find("DAILY") != std::string::npos ? "cal.rule.daily"
                                                                   : "cal.rule.weekly";
      line += std::string(" · ↻ ") + tr(key);
    }
    Paragraph(line, kind_color(e.kind));
  }
  // Line 2: the title (struck through when called off)
  std::string title;
  if (!e.session.empty()) {
    title = e.title + " " + i18n::format(tr("class.session_name"), {{"n", std::to_string(e.number)}});
    if (!e.theme.empty()) title += " · " + e.theme;
  } else if (!e.sitting.empty()) {
    std::string meal = "canteen.meal." + std::string(core::enum_name(e.meal));
    title = std::string(tr("canteen.short")) + " " + tr(meal.c_str());
  } else {
    title = e.title;
  }
  {
    ImVec2 p = ImGui::GetCursorScreenPos();
    Heading(title, 1.15f);
    if (e.cancelled) {
      ImVec2 q = ImGui::GetItemRectMax();
      float y = (p.y + q.y) * 0.5f;
      ImGui::GetWindowDrawList()->AddLine(ImVec2(p.x, y), ImVec2(q.x, y), pal.bad, std::max(1.0f, em(0.08f)));
    }
  }
  if (!e.place.empty()) Paragraph(i18n::format(tr("cal.place"), {{"place", e.place}}));
  if (e.cancelled) {
    std::string t = std::string("✕ ") + tr("cal.cancelled");
    if (!e.note.empty()) t += tr("life.colon") + e.note;
    Paragraph(t, pal.bad);
  } else if (e.moved) {
    Paragraph("→ " + i18n::format(tr("cal.moved"), {{"when", date_words(e.original) + " " + hhmm(e.original)}}), pal.warn);
    if (!e.note.empty()) Paragraph(e.note);
  } else if (!e.note.empty()) {
    Paragraph(e.note);
  }
  if (!e.access_note.empty()) Paragraph("※ " + e.access_note);
  if (e.seats >= 0 && !e.cancelled) seat_bar(e.taken, e.seats, e.waiting, e.kind == EntryKind::canteen);
  if (!e.session.empty() && e.start > now()) {
    std::string b = std::string(tr("cal.to_class")) + "##go-" + e.session;
    if (Button(b.c_str())) {
      open_session_ = e.session;
      go_ = Go::classes;
    }
  } else if (!e.sitting.empty() && e.start > now()) {
    std::string b = std::string(tr("cal.to_canteen")) + "##go-" + e.sitting;
    if (Button(b.c_str())) go_ = Go::canteen;
  }
  ImGui::PopStyleVar();
  ImGui::EndChild();
  EndListItem();
  if (static_cast<int>(heights_.size()) <= index) heights_.resize(static_cast<std::size_t>(index) + 1, 0);
  heights_[static_cast<std::size_t>(index)] = ImGui::GetCursorPosY() - y0;
}

}  // namespace sihui::ui
