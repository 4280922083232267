#include "core/report_stats.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "core/civil.h"
#include "core/life_query.h"  // csv_field

namespace sihui::core {

namespace {

struct Acc {
  ReportCounts c;
  std::vector<std::int64_t> minutes;
  void add(const Report& r, std::int64_t now) {
    ++c.filed;
    if (r.status == ReportStatus::closed) {
      ++c.closed;
      minutes.push_back(std::max<std::int64_t>(0, (r.closed_at - r.filed_at) / kMsPerMinute));
    } else {
      ++c.open;
      if (now > r.due_at && r.status != ReportStatus::handled && r.status != ReportStatus::reviewed) ++c.overdue;
    }
    if (r.rating >= 1 && r.rating <= 5) {
      ++c.rated;
      c.stars += r.rating;
    }
  }
  ReportCounts done() {
    if (!minutes.empty()) {
      std::sort(minutes.begin(), minutes.end());
      std::size_t n = minutes.size();
      c.median_close_minutes = n % 2 ? minutes[n / 2] : (minutes[n / 2 - 1] + minutes[n / 2]) / 2;
    }
    return c;
  }
};

// UTC ms of 00:00 Shanghai on the first day of the month `delta` months after the month of t.
std::int64_t month_start(std::int64_t t, int delta) {
  std::int64_t y = 0;
  int m = 0, d = 0;
  civil_from_days(floor_div(t + kShanghaiOffsetMs, kMsPerDay), &y, &m, &d);
  std::int64_t index = y * 12 + (m - 1) + delta;
  return shanghai_ms(floor_div(index, 12), static_cast<int>(index - floor_div(index, 12) * 12) + 1, 1);
}

std::string hours_text(std::int64_t minutes) {
  if (minutes < 0) return {};
  std::int64_t tenths = (minutes * 10 + 30) / 60;  // to a tenth of an hour
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

std::string rating_text(const ReportCounts& c) {
  if (!c.rated) return {};
  std::int64_t hundredths = (c.stars * 100 + c.rated / 2) / c.rated;
  std::string frac = std::to_string(hundredths % 100);
  return std::to_string(hundredths / 100) + "." + (frac.size() < 2 ? "0" + frac : frac);
}

}  // namespace

std::vector<RepeatSpot> repeat_spots(const State& s, std::int64_t from, std::int64_t to) {
  std::map<std::tuple<Id, Id, int>, RepeatSpot> at;
  for (const auto& [id, r] : s.reports) {
    if (r.filed_at < from || r.filed_at >= to || r.compound.empty()) continue;
    auto& spot = at[{r.compound, r.building, static_cast<int>(r.category)}];
    spot.compound = r.compound;
    spot.building = r.building;
    spot.category = r.category;
    ++spot.count;
    spot.last_filed = std::max(spot.last_filed, r.filed_at);
  }
  std::vector<RepeatSpot> out;
  for (auto& [k, spot] : at)
    if (spot.count >= kRepeatThreshold) out.push_back(spot);
  std::stable_sort(out.begin(), out.end(), [](const RepeatSpot& a, const RepeatSpot& b) {
    return a.count != b.count ? a.count > b.count : a.last_filed > b.last_filed;
  });
  return out;
}

std::vector<const Report*> similar_open_reports(const State& s, Category category, const Id& compound, const Id& building) {
  std::vector<const Report*> out;
  if (compound.empty()) return out;
  for (const auto& [id, r] : s.reports) {
    if (r.status == ReportStatus::closed || r.category != category || r.compound != compound) continue;
    if (!building.empty() && !r.building.empty() && r.building != building) continue;
    out.push_back(&r);
  }
  std::stable_sort(out.begin(), out.end(), [](const Report* a, const Report* b) { return a->filed_at > b->filed_at; });
  return out;
}

ReportStats report_stats(const State& s, std::int64_t now, int months) {
  months = std::clamp(months, 1, 120);
  ReportStats st;
  st.from = month_start(now, -(months - 1));
  st.to = month_start(now, 1);
  Acc total;
  std::array<Acc, kCategoryCount> cat;
  std::map<Id, Acc> grid;
  Acc no_grid;
  std::map<std::string, MonthCounts> month;
  for (int i = 0; i < months; ++i) {
    std::string key = format_month(month_start(now, -(months - 1) + i));
    month[key].month = key;
  }
  for (const auto& [id, r] : s.reports) {
    if (r.status == ReportStatus::closed && r.closed_at >= st.from && r.closed_at < st.to) {
      auto it = month.find(format_month(r.closed_at));
      if (it != month.end()) ++it->second.closed;
    }
    if (r.filed_at < st.from || r.filed_at >= st.to) continue;
    total.add(r, now);
    auto c = static_cast<std::size_t>(r.category);
    if (c < kCategoryCount) cat[c].add(r, now);
    (r.grid.empty() ? no_grid : grid[r.grid]).add(r, now);
    auto it = month.find(format_month(r.filed_at));
    if (it != month.end()) ++it->second.filed;
  }
  st.total = total.done();
  for (std::size_t i = 0; i < kCategoryCount; ++i) st.by_category[i] = cat[i].done();
  for (const auto& [gid, g] : s.grids) {  // every grid, also those with no reports (a zero is news too)
    auto it = grid.find(gid);
    st.by_grid.push_back({gid, it == grid.end() ? ReportCounts{} : it->second.done()});
  }
  for (auto& [gid, acc] : grid)  // reports routed to a grid the state no longer lists
    if (!s.grids.count(gid)) st.by_grid.push_back({gid, acc.done()});
  if (no_grid.c.filed) st.by_grid.push_back({Id{}, no_grid.done()});
  for (auto& [k, m] : month) st.by_month.push_back(m);
  st.repeats = repeat_spots(s, st.from, st.to);
  return st;
}

std::string report_stats_csv_words(const State& s, const ReportStats& st, const StatsCsvWords& w) {
  std::string out = "\xEF\xBB\xBF";  // UTF-8 BOM: Excel and WPS then read the Chinese right
  auto row = [&](const std::string& section, const std::string& name, const ReportCounts& c) {
    out += csv_field(section) + "," + csv_field(name) + "," + std::to_string(c.filed) + "," + std::to_string(c.closed) +
           "," + std::to_string(c.open) + "," + std::to_string(c.overdue) + "," + hours_text(c.median_close_minutes) +
           "," + rating_text(c) + "\r\n";
  };
  out += csv_field(w.section) + "," + csv_field(w.name) + "," + csv_field(w.filed) + "," + csv_field(w.closed) + "," +
         csv_field(w.open) + "," + csv_field(w.overdue) + "," + csv_field(w.median_hours) + "," + csv_field(w.rating) +
         "\r\n";
  row(w.total, format_date(st.from) + " ~ " + format_date(st.to - 1), st.total);
  for (std::size_t i = 0; i < kCategoryCount; ++i) row(w.by_category, w.category[i], st.by_category[i]);
  for (const auto& g : st.by_grid) {
    auto it = s.grids.find(g.grid);
    std::string name = g.grid.empty() ? w.no_grid : it != s.grids.end() && !it->second.name.empty() ? it->second.name : g.grid;
    row(w.by_grid, name, g.counts);
  }
  for (const auto& m : st.by_month) {
    out += csv_field(w.by_month) + "," + csv_field(m.month) + "," + std::to_string(m.filed) + "," +
           std::to_string(m.closed) + ",,,,\r\n";
  }
  return out;
}

}  // namespace sihui::core
