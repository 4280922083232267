// stats: the committee's statistics page of 汇管理 (issue 6): the reports of the last 3, 6 or 12
// months by category, by grid and by month, time to close, overdue, satisfaction and repeat spots,
// drawn as bar charts with the same numbers in words (each chart is a status item the accessibility
// mirror and tests read), and a CSV for Excel/WPS. Everything comes from core::report_stats.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/civil.h"
#include "core/report_stats.h"
#include "imgui.h"
#include "imgui_internal.h"
#include "ui/item_table.h"
#include "ui/manage.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace sihui::ui {

using core::Id;

namespace {

struct Bar {
  std::string label;
  std::int64_t filed = 0, closed = 0, overdue = 0;
};

ImU32 with_alpha(ImU32 c, float a) {
  ImVec4 v = ImGui::ColorConvertU32ToFloat4(c);
  v.w = a;
  return ImGui::ColorConvertFloat4ToU32(v);
}

// A chart is one item: its rectangle, described in words for the mirror and tests.
void chart_item(const char* id, ImVec2 a, ImVec2 b, const std::string& words) {
  ImRect bb(a, b);
  ImGui::ItemSize(bb);
  ImGuiID gid = ImGui::GetID(id);
  ImGui::ItemAdd(bb, gid, nullptr, ImGuiItemFlags_NoNav);
  item_table().set_role(gid, Role::Status, words);
}

// Horizontal bars: the label on the left, a bar of everything filed with the closed part solid and
// the open part light, the numbers after it. Returns nothing; draws at the cursor, full width.
void hbars(const char* id, const std::vector<Bar>& rows, const std::string& words, const char* num_with_overdue) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImFont* font = ImGui::GetFont();
  float fs = ImGui::GetFontSize();
  float width = ImGui::GetContentRegionAvail().x;
  float row_h = fs * 1.6f, gap = em(0.5f);
  float label_w = 0;
  for (const auto& r : rows) label_w = std::max(label_w, ImGui::CalcTextSize(r.label.c_str()).x);
  bool stacked = label_w > width * 0.4f;  // narrow phone, large text: label above its bar
  std::int64_t max = 1;
  for (const auto& r : rows) max = std::max(max, r.filed);
  ImVec2 origin = ImGui::GetCursorScreenPos();
  float y = origin.y;
  const Palette& pal = palette();
  ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  for (const auto& r : rows) {
    std::string num = std::to_string(r.filed);
    if (r.overdue)
      num = i18n::format(num_with_overdue, {{"filed", std::to_string(r.filed)}, {"overdue", std::to_string(r.overdue)}});
    float num_w = ImGui::CalcTextSize(num.c_str()).x;
    float bar_x = origin.x + (stacked ? 0 : label_w + gap);
    // Stacked (narrow): the numbers go on the label's line and the bar gets the whole width.
    float bar_max = stacked ? width : std::max(em(2.0f), origin.x + width - bar_x - num_w - gap);
    if (stacked) {
      std::string line = r.label + "  " + num;
      if (ImGui::CalcTextSize(line.c_str()).x <= width) {
        dl->AddText(font, fs, ImVec2(origin.x, y), text, line.c_str());
      } else {  // still too wide: the numbers on a line of their own
        dl->AddText(font, fs, ImVec2(origin.x, y), text, r.label.c_str());
        y += fs * 1.3f;
        dl->AddText(font, fs, ImVec2(origin.x, y), text, num.c_str());
      }
      y += fs * 1.3f;
    } else {
      dl->AddText(font, fs, ImVec2(origin.x, y + (row_h - fs) / 2), text, r.label.c_str());
    }
    float total_w = bar_max * static_cast<float>(r.filed) / static_cast<float>(max);
    float closed_w = bar_max * static_cast<float>(r.closed) / static_cast<float>(max);
    float top = y + row_h * 0.15f, bottom = y + row_h * 0.85f;
    if (r.filed) dl->AddRectFilled(ImVec2(bar_x, top), ImVec2(bar_x + total_w, bottom), with_alpha(pal.accent, 0.3f));
    if (r.closed) dl->AddRectFilled(ImVec2(bar_x, top), ImVec2(bar_x + closed_w, bottom), pal.accent);
    if (r.overdue) {  // a red end cap on the bar: overdue ones are said in words too
      dl->AddRectFilled(ImVec2(bar_x + total_w - std::min(total_w, em(0.4f)), top), ImVec2(bar_x + total_w, bottom), pal.warn);
    }
    if (!stacked) dl->AddText(font, fs, ImVec2(bar_x + total_w + gap, y + (row_h - fs) / 2), text, num.c_str());
    y += row_h + (stacked ? em(0.3f) : 0);
  }
  chart_item(id, origin, ImVec2(origin.x + width, y), words);
}

// The legend: a swatch and its words for each colour (colour is never the only signal: numbers
// and words are drawn next to the bars as well).
void legend(const char* closed, const char* open, const char* overdue) {
  const Palette& pal = palette();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  float fs = ImGui::GetFontSize();
  struct Key { ImU32 colour; const char* word; };
  const Key keys[] = {{pal.accent, closed}, {with_alpha(pal.accent, 0.3f), open}, {pal.warn, overdue}};
  float avail = ImGui::GetContentRegionAvail().x, x0 = ImGui::GetCursorScreenPos().x, used = 0;
  for (const auto& k : keys) {
    float w = fs * 1.2f + ImGui::CalcTextSize(k.word).x;
    if (used > 0 && used + w > avail) used = 0;
    else if (used > 0) ImGui::SameLine(0, 0);
    if (used > 0) ImGui::SetCursorScreenPos(ImVec2(x0 + used, ImGui::GetCursorScreenPos().y));
    ImVec2 p = ImGui::GetCursorScreenPos();
    dl->AddRectFilled(ImVec2(p.x, p.y + fs * 0.2f), ImVec2(p.x + fs * 0.8f, p.y + fs), k.colour);
    ImGui::SetCursorScreenPos(ImVec2(p.x + fs, p.y));
    ImGui::TextUnformatted(k.word);
    used += w + em(0.8f);
  }
}

}  // namespace

std::int64_t Manage::stats_now() const {
  // The demo's log ends in August 2020: its statistics are seen from the day after its last op.
  if (m_->demo && st()) return core::shanghai_day_start(core::shanghai(st()->clock).day + 1) + 8 * core::kMsPerHour;
  return m_->now_ms;
}

void Manage::stats_page(std::vector<UiAction>& out) {
  const core::State& s = *st();
  // The range: three chips.
  const int ranges[] = {3, 6, 12};
  float avail = ImGui::GetContentRegionAvail().x, gap = ImGui::GetStyle().ItemSpacing.x;
  float w = (avail - 2 * gap) / 3;
  std::string labels[3];
  bool row = true;
  for (int i = 0; i < 3; ++i) {
    labels[i] = std::string(stats_months_ == ranges[i] ? "✓ " : "") +
                i18n::format(tr("stats.range"), {{"n", std::to_string(ranges[i])}}) + "##stats-range-" + std::to_string(ranges[i]);
    row = row && fits_in(w, labels[i].c_str());
  }
  for (int i = 0; i < 3; ++i) {
    if (i > 0 && row) ImGui::SameLine();
    bool current = stats_months_ == ranges[i];
    if (current) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_Header));
    bool pressed = Button(labels[i].c_str(), row ? w : -1);
    item_table().on_info(ImGui::GetItemID(), labels[i].c_str(), true, current);
    item_table().set_role(ImGui::GetItemID(), Role::Checkbox);
    if (current) ImGui::PopStyleColor();
    if (pressed) stats_months_ = ranges[i];
  }
  ImGui::Spacing();

  std::int64_t now = stats_now();
  core::ReportStats rs = core::report_stats(s, now, stats_months_);
  const core::ReportCounts& t = rs.total;
  std::string range = core::format_date(rs.from) + " ~ " + core::format_date(rs.to - 1);
  std::string summary = i18n::format(tr("stats.summary"), {{"range", range},
                                                            {"filed", std::to_string(t.filed)},
                                                            {"closed", std::to_string(t.closed)},
                                                            {"open", std::to_string(t.open)},
                                                            {"overdue", std::to_string(t.overdue)}});
  StatusParagraph(summary);
  if (t.median_close_minutes >= 0) {
    char hours[32];
    std::snprintf(hours, sizeof hours, "%.1f", static_cast<double>(t.median_close_minutes) / 60.0);
    StatusParagraph(i18n::format(tr("stats.median"), {{"hours", hours}}));
  }
  if (t.rated) {
    char stars[32];
    std::snprintf(stars, sizeof stars, "%.1f", static_cast<double>(t.stars) / static_cast<double>(t.rated));
    StatusParagraph(i18n::format(tr("stats.rating"), {{"stars", stars}, {"n", std::to_string(t.rated)}}));
  } else {
    StatusParagraph(tr("stats.no_rating"));
  }
  ImGui::Spacing();
  legend(tr("stats.closed"), tr("stats.open"), tr("stats.overdue"));

  auto row_words = [&](const Bar& b) {
    return i18n::format(tr("stats.bar.row"), {{"name", b.label},
                                              {"filed", std::to_string(b.filed)},
                                              {"closed", std::to_string(b.closed)},
                                              {"overdue", std::to_string(b.overdue)}});
  };
  auto chart = [&](const char* heading, const char* id, const std::vector<Bar>& bars) {
    ImGui::Spacing();
    Heading(tr(heading), 1.15f);
    std::string words = std::string(tr(heading)) + tr("stats.colon");
    for (const auto& b : bars) words += row_words(b) + (&b == &bars.back() ? "" : tr("stats.sep"));
    hbars(id, bars, words, tr("stats.bar.num"));
  };
  std::vector<Bar> cats;
  for (std::size_t i = 0; i < core::kCategoryCount; ++i) {
    const auto& c = rs.by_category[i];
    cats.push_back({category_name(static_cast<core::Category>(i)), c.filed, c.closed, c.overdue});
  }
  chart("stats.by_category", "stats-by-category", cats);
  std::vector<Bar> grids;
  for (const auto& g : rs.by_grid) {
    auto it = s.grids.find(g.grid);
    std::string name = g.grid.empty() ? tr("stats.no_grid") : it != s.grids.end() && !it->second.name.empty() ? it->second.name : g.grid;
    grids.push_back({name, g.counts.filed, g.counts.closed, g.counts.overdue});
  }
  if (!grids.empty()) chart("stats.by_grid", "stats-by-grid", grids);

  // By month: columns of reports filed, a dot for those closed in the month, the month under each.
  ImGui::Spacing();
  Heading(tr("stats.by_month"), 1.15f);
  {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float fs = ImGui::GetFontSize();
    float width = ImGui::GetContentRegionAvail().x, height = em(7.0f);
    ImVec2 o = ImGui::GetCursorScreenPos();
    std::int64_t max = 1;
    for (const auto& m : rs.by_month) max = std::max({max, m.filed, m.closed});
    std::size_t n = rs.by_month.size();
    float slot = width / static_cast<float>(std::max<std::size_t>(1, n));
    const char* month_label = tr("stats.month_label");
    float label_w = ImGui::CalcTextSize(i18n::format(month_label, {{"m", "12"}}).c_str()).x + em(0.3f);
    int every = std::max(1, static_cast<int>(std::ceil(label_w / std::max(1.0f, slot))));
    float top = o.y + fs * 1.2f, base = o.y + height - fs * 1.3f;
    const Palette& pal = palette();
    ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), grid = with_alpha(ImGui::GetColorU32(ImGuiCol_Text), 0.25f);
    dl->AddLine(ImVec2(o.x, base), ImVec2(o.x + width, base), grid, 1.0f);
    dl->AddLine(ImVec2(o.x, top), ImVec2(o.x + width, top), grid, 1.0f);
    std::string max_text = std::to_string(max);
    dl->AddText(ImVec2(o.x, top - fs * 1.1f), text, max_text.c_str());
    std::string words = std::string(tr("stats.by_month")) + tr("stats.colon");
    ImVec2 prev{};
    for (std::size_t i = 0; i < n; ++i) {
      const auto& m = rs.by_month[i];
      float cx = o.x + slot * (static_cast<float>(i) + 0.5f);
      float bw = std::min(slot * 0.6f, em(2.0f));
      float h = (base - top) * static_cast<float>(m.filed) / static_cast<float>(max);
      if (m.filed) dl->AddRectFilled(ImVec2(cx - bw / 2, base - h), ImVec2(cx + bw / 2, base), with_alpha(pal.accent, 0.45f));
      ImVec2 dot(cx, base - (base - top) * static_cast<float>(m.closed) / static_cast<float>(max));
      if (i > 0) dl->AddLine(prev, dot, pal.ok, em(0.12f));
      dl->AddCircleFilled(dot, em(0.22f), pal.ok);
      prev = dot;
      if (static_cast<int>(n - 1 - i) % every == 0) {  // label the newest month, then every `every`th
        std::string mm = i18n::format(month_label, {{"m", std::to_string(std::stoi(m.month.substr(5)))}});
        float tw = ImGui::CalcTextSize(mm.c_str()).x;
        dl->AddText(ImVec2(cx - tw / 2, base + fs * 0.15f), text, mm.c_str());
      }
      words += i18n::format(tr("stats.month.row"), {{"month", m.month},
                                                    {"filed", std::to_string(m.filed)},
                                                    {"closed", std::to_string(m.closed)}});
      if (i + 1 < n) words += tr("stats.sep");
    }
    chart_item("stats-by-month", o, ImVec2(o.x + width, o.y + height), words);
    // The month chart's own key: the columns are filed, the line closed.
    ImVec2 p = ImGui::GetCursorScreenPos();
    dl->AddRectFilled(ImVec2(p.x, p.y + fs * 0.2f), ImVec2(p.x + fs * 0.8f, p.y + fs), with_alpha(pal.accent, 0.45f));
    ImGui::SetCursorScreenPos(ImVec2(p.x + fs, p.y));
    ImGui::TextUnformatted(tr("stats.month.filed"));
    ImGui::SameLine(0, em(0.8f));
    p = ImGui::GetCursorScreenPos();
    dl->AddCircleFilled(ImVec2(p.x + fs * 0.4f, p.y + fs * 0.6f), em(0.22f), pal.ok);
    ImGui::SetCursorScreenPos(ImVec2(p.x + fs, p.y));
    ImGui::TextUnformatted(tr("stats.month.closed"));
  }

  // Repeat spots: the same problem at the same place three times or more.
  ImGui::Spacing();
  Heading(tr("stats.repeats.title"), 1.15f);
  if (rs.repeats.empty()) {
    StatusParagraph(tr("stats.repeats.none"));
  } else {
    std::size_t shown = 0;
    for (const auto& r : rs.repeats) {
      if (++shown > 10) break;
      StatusParagraph(i18n::format(tr("stats.repeat.row"), {{"place", place_name(r.compound, r.building, Id{})},
                                                            {"category", category_name(r.category)},
                                                            {"count", std::to_string(r.count)},
                                                            {"date", core::format_date(r.last_filed)}}));
    }
  }

  ImGui::Spacing();
  std::string csv = std::string(tr("stats.export")) + "##stats-csv";
  if (Button(csv.c_str(), -1)) {
    std::string file = "reports-" + core::format_month(rs.from) + "-" + core::format_month(rs.to - 1) + ".csv";
    out.emplace_back(Download{file, core::report_stats_csv(s, rs, [this](const char* key) { return std::string(tr(key)); })});
  }
}

}  // namespace sihui::ui
