// Queries for the screens, directly and through run_query, on a small world and on the demo.
#include <catch_amalgamated.hpp>

#include "core/categories.h"
#include "core/community_query.h"
#include "core/demo.h"
#include "core/query.h"
#include "support.h"

using namespace sihui;
using namespace sihui::core;

TEST_CASE("calendar: monthly festival and weekly clinic in a Shanghai date range, with exceptions") {
  test::World w;
  w.must("event.add", "admin", {{"id", "fest"}, {"title", "月月仓南节"}, {"starts_at", shanghai_ms(2020, 1, 11, 9, 0)},
                                {"duration_min", 180}, {"rrule", "FREQ=MONTHLY;BYDAY=2SA"}, {"category", "festival"}});
  w.must("event.add", "uncle", {{"id", "clinic"}, {"title", "道德门诊"}, {"starts_at", shanghai_ms(2020, 1, 7, 9, 0)},
                                {"duration_min", 120}, {"rrule", "FREQ=WEEKLY;BYDAY=TU"}});
  w.must("event.cancel", "uncle", {{"event", "clinic"}, {"occurrence", shanghai_ms(2020, 8, 4, 9, 0)}, {"reason", "高温"}});
  w.must("event.override", "uncle", {{"event", "clinic"}, {"occurrence", shanghai_ms(2020, 9, 1, 9, 0)},
                                     {"starts_at", shanghai_ms(2020, 8, 31, 14, 0)}});  // moved into August
  auto occ = calendar_occurrences(w.s, shanghai_ms(2020, 8, 1), shanghai_ms(2020, 9, 1));
  REQUIRE(occ.size() == 6);  // 4 (cancelled, kept), 8 (festival), 11, 18, 25, and 1 Sep moved to 31 Aug
  CHECK(format_date(occ[0].start) == "2020-08-04");
  CHECK(occ[0].cancelled);
  CHECK(occ[0].note == "高温");
  CHECK(occ[1].event == "fest");
  CHECK(format_date(occ[1].start) == "2020-08-08");
  CHECK(occ[5].moved);
  CHECK(format_time(occ[5].start) == "14:00");
  CHECK(occ[5].original == shanghai_ms(2020, 9, 1, 9, 0));
  CHECK(calendar_occurrences(w.s, shanghai_ms(2020, 9, 1), shanghai_ms(2020, 9, 2)).empty());

  QueryContext ctx;
  ctx.community = &w.s;
  auto r = run_query(ctx, "calendar", R"({"from": "2020-08-01", "to": "2020-09-01"})");
  REQUIRE(r.ok);
  CHECK(r.value.size() == 6);
  CHECK(r.value[1]["title"] == "月月仓南节");
  CHECK(r.value[1]["time"] == "09:00");
  CHECK(run_query(ctx, "calendar", R"({"from": "2020-02-30", "to": "2020-03-01"})").error_code == "bad_args");
  CHECK(run_query(QueryContext{}, "calendar", "{}").error_code == "unavailable");
}

TEST_CASE("seats, wait-list position and open reports with overdue flags") {
  test::World w;
  w.must("course.add", "teacher", {{"id", "c"}, {"title", "面塑"}, {"teacher", "teacher"}});
  w.must("session.add", "teacher", {{"id", "s"}, {"course", "c"}, {"number", 1}, {"starts_at", shanghai_ms(2020, 9, 1, 9, 0)},
                                    {"duration_min", 60}, {"seats", 1}});
  w.must("session.signup", "grandma", {{"session", "s"}});
  w.must("session.signup", "daughter", {{"session", "s"}});
  auto j = session_seats(w.s, "s", "daughter");
  CHECK(j["free"] == 0);
  CHECK(j["status"] == "waitlisted");
  CHECK(j["position"] == 1);

  w.must("report.file", "grandma", {{"id", "r1"}, {"category", "emergency"}, {"subtype", "gas_smell"}, {"unit", "u1"}});
  w.must("report.file", "grandma", {{"id", "r2"}, {"category", "repair"}, {"subtype", "broken_lift"}, {"unit", "u1"}});
  std::int64_t filed = w.s.reports.at("r1").filed_at;
  auto open = open_reports(w.s, "g1", filed + 3 * kMsPerHour);
  REQUIRE(open.size() == 2);
  CHECK(open[0]["report"] == "r1");
  CHECK(open[0]["overdue"] == true);
  CHECK(open[0]["escalated"] == false);
  CHECK(open[1]["overdue"] == false);
  CHECK(open_reports(w.s, "g1", filed + 5 * kMsPerHour)[0]["escalated"] == true);
  CHECK(open_reports(w.s, "g2", filed).empty());
  // The typed rows in the same order, and when their flags next change: r1 (emergency, due after
  // 2 h) escalates 2 h after that, r2 (repair) falls overdue at its own due time.
  std::int64_t next = 0;
  auto rows = open_report_rows(w.s, "g1", filed + 3 * kMsPerHour, &next);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].report->id == "r1");
  CHECK(rows[0].overdue);
  CHECK_FALSE(rows[0].escalated);
  CHECK(rows[1].report->id == "r2");
  const Report& r1 = w.s.reports.at("r1");
  const Report& r2 = w.s.reports.at("r2");
  CHECK(next == std::min(r1.due_at + due_hours(r1.category) * kMsPerHour, r2.due_at) + 1);
  open_report_rows(w.s, "g1", filed + 1000 * kMsPerHour, &next);
  CHECK(next == INT64_MAX);  // both escalated: nothing changes any more
  open_report_rows(w.s, "g2", filed, &next);
  CHECK(next == INT64_MAX);
}

TEST_CASE("statistics and missed-meal alerts on the demo community") {
  auto ops = make_demo(DemoOptions{});
  Reducer r(test::schema());
  State s;
  for (const auto& op : ops) r.apply(s, op);
  QueryContext ctx;
  ctx.community = &s;
  auto st = run_query(ctx, "stats", R"({"from": "2019-01-01", "to": "2020-01-01"})");
  REQUIRE(st.ok);
  const auto& v = st.value;
  CHECK(v["reports_by_category"].size() == 6);
  CHECK(v["reports_by_category"]["emergency"]["median_minutes"].get<std::int64_t>() < 24 * 60);
  CHECK(v["clinic"]["resolution_permille"].get<std::int64_t>() > 800);
  CHECK(v["volunteers"]["hours"].get<std::int64_t>() > 100);
  CHECK(v["canteen_by_month"].contains("2019-04"));
  CHECK_FALSE(v["canteen_by_month"].contains("2019-03"));
  CHECK(v["canteen_by_month"]["2019-05"]["attended"].get<std::int64_t>() > 300);
  auto sittings = run_query(ctx, "canteen.sittings", R"({"from": "2020-08-17", "to": "2020-08-18"})");
  REQUIRE(sittings.ok);
  REQUIRE(sittings.value.size() == 1);
  CHECK(sittings.value[0]["seats"] == 40);
  auto missed = run_query(ctx, "canteen.missed_meals", R"({"now": "2020-08-20"})");
  REQUIRE(missed.ok);
  for (const auto& m : missed.value) CHECK_FALSE(m["grid_leader"].get<std::string>().empty());
  auto sum = run_query(ctx, "community.summary", "");
  REQUIRE(sum.ok);
  CHECK(sum.value["name"] == "仓南街社区");
  CHECK(run_query(ctx, "community.hash", "").value["hash"].get<std::string>().size() == 16);
  CHECK(run_query(ctx, "reports.open", R"({"grid": "g1"})").ok);
  CHECK(volunteer_stars(10 * 60) == 1);
  CHECK(volunteer_stars(10 * 60 - 1) == 0);
  CHECK(volunteer_stars(200 * 60) == 5);
}
