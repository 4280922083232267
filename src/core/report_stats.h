// report_stats: the committee's statistics of problem reports (issue 6), computed from the reports
// themselves, never typed in: by category, by grid and by month, time to close, overdue, satisfaction,
// and repeat spots (the same problem at the same place again and again). Pure; the UI draws it as
// charts and words, and exports it as CSV.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"

namespace sihui::core {

inline constexpr std::size_t kCategoryCount = 6;  // Category::repair .. Category::dispute

struct ReportCounts {
  std::int64_t filed = 0;    // filed in the range
  std::int64_t closed = 0;   // of those, closed by now
  std::int64_t open = 0;     // of those, not closed by now
  std::int64_t overdue = 0;  // of the open ones, past their due time and not yet handled
  std::int64_t median_close_minutes = -1;  // of the closed ones; -1 = none closed
  std::int64_t rated = 0, stars = 0;       // ratings given (1..5 each) and their sum
};

struct GridCounts {
  Id grid;  // "" = reports with no grid (went straight to the committee)
  ReportCounts counts;
};

struct MonthCounts {
  std::string month;  // "2020-08" (Shanghai)
  std::int64_t filed = 0, closed = 0;  // filed in that month; closed in that month (whenever filed)
};

struct RepeatSpot {
  Id compound, building;  // the place (building may be "" for the compound's yard)
  Category category = Category::repair;
  std::int64_t count = 0;       // reports there of that category in the range
  std::int64_t last_filed = 0;  // the latest one
};

struct ReportStats {
  std::int64_t from = 0, to = 0;  // [from, to) in UTC ms, whole Shanghai months
  ReportCounts total;
  std::array<ReportCounts, kCategoryCount> by_category{};
  std::vector<GridCounts> by_grid;    // in grid id order, the no-grid row last
  std::vector<MonthCounts> by_month;  // every month of the range, oldest first
  std::vector<RepeatSpot> repeats;    // count >= kRepeatThreshold, most first
};

inline constexpr std::int64_t kRepeatThreshold = 3;

// Statistics of the reports filed in the `months` whole Shanghai months ending with now's month.
ReportStats report_stats(const State& s, std::int64_t now, int months);

// Repeat spots among every report (open or closed) filed in [from, to).
std::vector<RepeatSpot> repeat_spots(const State& s, std::int64_t from, std::int64_t to);

// Open reports of this category at the same place, newest first: the same building, or the same
// compound when either has no building. Offered to a resident filing a new one ("join it instead").
std::vector<const Report*> similar_open_reports(const State& s, Category category, const Id& compound, const Id& building);

// The statistics as CSV (RFC 4180, UTF-8 with a BOM for Excel and WPS): one row per category, grid
// and month. labels: translated words by key, looked up through `label(key)`; names of grids,
// compounds and buildings come from the state.
template <class Label>
std::string report_stats_csv(const State& s, const ReportStats& st, Label&& label);

// Implementation detail of report_stats_csv (kept out of the template).
struct StatsCsvWords {
  std::string section, name, filed, closed, open, overdue, median_hours, rating, category[kCategoryCount],
      by_category, by_grid, by_month, no_grid, total;
};
std::string report_stats_csv_words(const State& s, const ReportStats& st, const StatsCsvWords& w);

template <class Label>
std::string report_stats_csv(const State& s, const ReportStats& st, Label&& label) {
  StatsCsvWords w;
  w.section = label("stats.csv.section");
  w.name = label("stats.csv.name");
  w.filed = label("stats.filed");
  w.closed = label("stats.closed");
  w.open = label("stats.open");
  w.overdue = label("stats.overdue");
  w.median_hours = label("stats.csv.median_hours");
  w.rating = label("stats.csv.rating");
  w.by_category = label("stats.by_category");
  w.by_grid = label("stats.by_grid");
  w.by_month = label("stats.by_month");
  w.no_grid = label("stats.no_grid");
  w.total = label("stats.total");
  static constexpr const char* kCat[kCategoryCount] = {"category.repair", "category.care", "category.info",
                                                      "category.culture", "category.emergency", "category.dispute"};
  for (std::size_t i = 0; i < kCategoryCount; ++i) w.category[i] = label(kCat[i]);
  return report_stats_csv_words(s, st, w);
}

}  // namespace sihui::core
