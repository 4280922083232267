// The committee's report statistics: counts by category, grid and month, time to close, overdue,
// satisfaction, repeat spots, and the CSV export.
#include <catch_amalgamated.hpp>

#include "core/query.h"
#include "core/report_stats.h"
#include "support.h"

using namespace sihui;
using namespace sihui::core;

namespace {

void file(test::World& w, const std::string& id, const std::string& cat, const std::string& sub, const std::string& unit) {
  w.must("report.file", "grandma", {{"id", id}, {"category", cat}, {"subtype", sub}, {"unit", unit}});
}

void close_it(test::World& w, const std::string& id, const std::string& leader, std::int64_t after_minutes) {
  w.must("report.accept", leader, {{"report", id}});
  w.must("report.handle", leader, {{"report", id}});
  w.must("report.review", leader, {{"report", id}});
  w.now += after_minutes * kMsPerMinute - 4 * kMsPerMinute;  // run() adds a minute before each op
  w.must("report.close", leader, {{"report", id}});
}

std::string words(const char* key) { return std::string("<") + key + ">"; }

}  // namespace

TEST_CASE("report statistics count by category, grid and month from the reports themselves") {
  test::World w;
  w.now = shanghai_ms(2020, 7, 10, 9, 0);
  file(w, "july", "repair", "leaking_roof", "u1");  // July, grid g1, closed in August
  w.now = shanghai_ms(2020, 8, 3, 9, 0);
  file(w, "a1", "dispute", "planting_on_green", "u1");  // g1
  close_it(w, "a1", "leader", 120);                     // two hours to close
  file(w, "a2", "dispute", "planting_on_green", "u1");
  close_it(w, "a2", "leader", 600);  // ten hours
  w.must("report.rate", "grandma", {{"report", "a1"}, {"stars", 5}});
  w.must("report.rate", "grandma", {{"report", "a2"}, {"stars", 4}});
  file(w, "a3", "dispute", "planting_on_green", "u1");  // open; its due time passes below
  file(w, "b1", "emergency", "gas_smell", "u9");        // g2, open
  close_it(w, "july", "leader", 60);
  std::int64_t now = shanghai_ms(2020, 8, 20, 12, 0);

  ReportStats st = report_stats(w.s, now, 2);  // July and August
  CHECK(st.from == shanghai_ms(2020, 7, 1));
  CHECK(st.to == shanghai_ms(2020, 9, 1));
  CHECK(st.total.filed == 5);
  CHECK(st.total.closed == 3);
  CHECK(st.total.open == 2);
  CHECK(st.total.overdue == 2);  // a3 (72 h) and b1 (2 h) are both past due on the 20th
  CHECK(st.total.rated == 2);
  CHECK(st.total.stars == 9);
  const ReportCounts& dispute = st.by_category[static_cast<std::size_t>(Category::dispute)];
  CHECK(dispute.filed == 3);
  CHECK(dispute.closed == 2);
  CHECK(dispute.median_close_minutes == (120 + 600) / 2);  // even count: the mean of the middle two
  CHECK(st.by_category[static_cast<std::size_t>(Category::care)].filed == 0);
  CHECK(st.by_category[static_cast<std::size_t>(Category::care)].median_close_minutes == -1);
  REQUIRE(st.by_grid.size() == 2);
  CHECK(st.by_grid[0].grid == "g1");
  CHECK(st.by_grid[0].counts.filed == 4);
  CHECK(st.by_grid[1].grid == "g2");
  CHECK(st.by_grid[1].counts.filed == 1);
  CHECK(st.by_grid[1].counts.overdue == 1);
  REQUIRE(st.by_month.size() == 2);
  CHECK(st.by_month[0].month == "2020-07");
  CHECK(st.by_month[0].filed == 1);
  CHECK(st.by_month[0].closed == 0);
  CHECK(st.by_month[1].month == "2020-08");
  CHECK(st.by_month[1].filed == 4);
  CHECK(st.by_month[1].closed == 3);  // the July report closed in August counts in August
  // Repeat spots: three dispute reports at building b3 of the north compound.
  REQUIRE(st.repeats.size() == 1);
  CHECK(st.repeats[0].compound == "north");
  CHECK(st.repeats[0].building == "b3");
  CHECK(st.repeats[0].category == Category::dispute);
  CHECK(st.repeats[0].count == 3);

  // One month only: the July report falls out, the month list has one row.
  ReportStats aug = report_stats(w.s, now, 1);
  CHECK(aug.total.filed == 4);
  CHECK(aug.by_month.size() == 1);
  // Before the due times nothing is overdue.
  CHECK(report_stats(w.s, shanghai_ms(2020, 8, 3, 10, 0), 1).total.overdue == 0);
}

TEST_CASE("months roll over the year and reports outside the range are left out") {
  test::World w;
  w.now = shanghai_ms(2020, 12, 31, 23, 0);
  file(w, "dec", "info", "policy_question", "u1");
  w.now = shanghai_ms(2021, 1, 2, 9, 0);
  file(w, "jan", "info", "policy_question", "u1");
  ReportStats st = report_stats(w.s, shanghai_ms(2021, 1, 15), 3);
  REQUIRE(st.by_month.size() == 3);
  CHECK(st.by_month[0].month == "2020-11");
  CHECK(st.by_month[1].month == "2020-12");
  CHECK(st.by_month[1].filed == 1);
  CHECK(st.by_month[2].month == "2021-01");
  CHECK(st.by_month[2].filed == 1);
  CHECK(report_stats(w.s, shanghai_ms(2021, 3, 1), 1).total.filed == 0);
  CHECK(report_stats(w.s, shanghai_ms(2021, 3, 1), 1).repeats.empty());
  CHECK(report_stats(w.s, shanghai_ms(2021, 1, 15), 0).by_month.size() == 1);  // clamped to one month
}

TEST_CASE("the statistics CSV starts with a BOM, uses the translated words and quotes what needs it") {
  test::World w;
  w.now = shanghai_ms(2020, 8, 3, 9, 0);
  file(w, "a1", "dispute", "planting_on_green", "u1");
  close_it(w, "a1", "leader", 90);
  w.must("report.rate", "grandma", {{"report", "a1"}, {"stars", 4}});
  ReportStats st = report_stats(w.s, shanghai_ms(2020, 8, 20), 1);
  std::string csv = report_stats_csv(w.s, st, [](const char* key) {
    return std::string(key) == "stats.by_grid" ? std::string("网格, \"按\"") : words(key);
  });
  REQUIRE(csv.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(csv.find("<stats.csv.section>,<stats.csv.name>,<stats.filed>,<stats.closed>,<stats.open>,<stats.overdue>,"
                 "<stats.csv.median_hours>,<stats.csv.rating>\r\n") == 3);
  CHECK(csv.find("<stats.total>,2020-08-01 ~ 2020-08-31,1,1,0,0,1.5,4.00\r\n") != std::string::npos);
  CHECK(csv.find("<stats.by_category>,<category.dispute>,1,1,0,0,1.5,4.00\r\n") != std::string::npos);
  CHECK(csv.find("<stats.by_category>,<category.repair>,0,0,0,0,,\r\n") != std::string::npos);
  CHECK(csv.find("\"网格, \"\"按\"\"\",北苑网格,1,1,0,0,1.5,4.00\r\n") != std::string::npos);
  CHECK(csv.find("\"网格, \"\"按\"\"\",南苑网格,0,0,0,0,,\r\n") != std::string::npos);
  CHECK(csv.find("<stats.by_month>,2020-08,1,1,,,,\r\n") != std::string::npos);
}

TEST_CASE("the reports.stats query gives the page's numbers and refuses a bad range") {
  test::World w;
  w.now = shanghai_ms(2020, 8, 3, 9, 0);
  file(w, "a1", "dispute", "planting_on_green", "u1");
  file(w, "a2", "repair", "leaking_roof", "u9");
  QueryContext ctx{};
  ctx.community = &w.s;
  auto r = run_query(ctx, "reports.stats", R"({"now":"2020-08-20","months":2})");
  REQUIRE(r.ok);
  CHECK(r.value["total"]["filed"] == 2);
  CHECK(r.value["by_category"]["dispute"]["filed"] == 1);
  CHECK(r.value["by_grid"].size() == 2);
  CHECK(r.value["by_month"].size() == 2);
  CHECK(r.value["by_month"][1]["month"] == "2020-08");
  CHECK(run_query(ctx, "reports.stats", R"({"months":0})").error_code == "bad_args");
  CHECK(run_query(ctx, "reports.stats", R"({"months":"six"})").error_code == "bad_args");
  CHECK(run_query(QueryContext{}, "reports.stats", "{}").error_code == "unavailable");
}

TEST_CASE("similar open reports: same category at the same building (or compound), newest first, closed ones left out") {
  test::World w;
  file(w, "r1", "dispute", "parking_chaos", "u1");    // north, b3
  file(w, "r2", "dispute", "noise", "u1");            // north, b3: same category, other sub-type
  file(w, "r3", "repair", "leaking_roof", "u1");      // other category
  file(w, "r4", "dispute", "parking_chaos", "u9");    // south
  w.must("report.file", "grandma", {{"id", "r5"}, {"category", "dispute"}, {"subtype", "parking_chaos"}, {"compound", "north"}});
  file(w, "r6", "dispute", "parking_chaos", "u1");
  close_it(w, "r6", "leader", 30);
  auto near = similar_open_reports(w.s, Category::dispute, "north", "b3");
  REQUIRE(near.size() == 3);
  CHECK(near[0]->id == "r5");  // the compound's yard (no building) counts for every building in it
  CHECK(near[1]->id == "r2");
  CHECK(near[2]->id == "r1");
  CHECK(similar_open_reports(w.s, Category::dispute, "south", "b9").size() == 1);
  CHECK(similar_open_reports(w.s, Category::care, "north", "b3").empty());
  CHECK(similar_open_reports(w.s, Category::dispute, "", "").empty());
}
