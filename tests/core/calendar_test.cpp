// Civil dates in Asia/Shanghai, the RRULE subset, event exceptions and moved occurrences.
#include <catch_amalgamated.hpp>

#include "core/civil.h"
#include "support.h"

using namespace sihui;
using namespace sihui::core;

TEST_CASE("civil date arithmetic round-trips and knows weekdays") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(2000, 3, 1) == 11017);
  for (std::int64_t d = -800000; d < 800000; d += 997) {
    std::int64_t y; int m, dd;
    civil_from_days(d, &y, &m, &dd);
    REQUIRE(days_from_civil(y, m, dd) == d);
  }
  CHECK(iso_weekday(days_from_civil(2020, 8, 24)) == 1);  // a Monday
  CHECK(days_in_month(2020, 2) == 29);
  CHECK(days_in_month(1900, 2) == 28);
  // 2020-08-24 07:30 Shanghai is 2020-08-23 23:30 UTC.
  std::int64_t t = shanghai_ms(2020, 8, 24, 7, 30);
  CHECK(t == 1598225400000);
  CHECK(format_date(t) == "2020-08-24");
  CHECK(format_time(t) == "07:30");
  std::int64_t ms = 0;
  CHECK(parse_date_or_ms("2020-08-24", &ms));
  CHECK(ms == shanghai_ms(2020, 8, 24));
  CHECK_FALSE(parse_date_or_ms("2020-02-30", &ms));
}

TEST_CASE("RRULE: weekly clinic duty, the monthly festival on the 2nd Saturday, COUNT and UNTIL") {
  RRule r;
  std::string err;
  REQUIRE(parse_rrule("FREQ=WEEKLY;BYDAY=TU", &r, &err));
  std::int64_t start = shanghai_ms(2020, 1, 7, 9, 0);  // a Tuesday
  auto v = expand_rrule(r, start, shanghai_ms(2020, 8, 1), shanghai_ms(2020, 9, 1));
  REQUIRE(v.size() == 4);
  CHECK(format_date(v[0]) == "2020-08-04");
  CHECK(format_time(v[0]) == "09:00");

  REQUIRE(parse_rrule("FREQ=MONTHLY;BYDAY=2SA", &r, &err));
  v = expand_rrule(r, shanghai_ms(2019, 1, 12, 9, 0), shanghai_ms(2020, 1, 1), shanghai_ms(2021, 1, 1));
  REQUIRE(v.size() == 12);
  CHECK(format_date(v[0]) == "2020-01-11");
  CHECK(format_date(v[7]) == "2020-08-08");
  REQUIRE(parse_rrule("FREQ=MONTHLY;BYDAY=-1FR", &r, &err));
  v = expand_rrule(r, shanghai_ms(2020, 1, 31, 9, 0), shanghai_ms(2020, 1, 1), shanghai_ms(2020, 4, 1));
  REQUIRE(v.size() == 3);
  CHECK(format_date(v[1]) == "2020-02-28");

  REQUIRE(parse_rrule("FREQ=DAILY;INTERVAL=2;COUNT=3", &r, &err));
  v = expand_rrule(r, shanghai_ms(2020, 8, 1, 8, 0), 0, shanghai_ms(2030, 1, 1));
  REQUIRE(v.size() == 3);
  CHECK(format_date(v[2]) == "2020-08-05");
  REQUIRE(parse_rrule("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20200831", &r, &err));
  v = expand_rrule(r, shanghai_ms(2020, 8, 3, 19, 0), 0, shanghai_ms(2030, 1, 1));
  REQUIRE(v.size() == 5);  // 3,5 / 17,19 / 31 Aug; the 2nd Sep is past UNTIL
  CHECK(format_date(v.back()) == "2020-08-31");
  REQUIRE(parse_rrule("FREQ=MONTHLY", &r, &err));  // the 31st: months without one are skipped
  v = expand_rrule(r, shanghai_ms(2020, 1, 31, 9, 0), 0, shanghai_ms(2020, 7, 1));
  CHECK(v.size() == 3);  // Jan, Mar, May

  for (const char* bad : {"", "FREQ=YEARLY", "FREQ=WEEKLY;BYDAY=XX", "FREQ=WEEKLY;BYDAY=2SA", "FREQ=DAILY;COUNT=0",
                          "FREQ=DAILY;COUNT=2;UNTIL=20200101", "FREQ=WEEKLY;BYHOUR=9", "FREQ=DAILY;UNTIL=2020"}) {
    INFO(bad);
    CHECK_FALSE(parse_rrule(bad, &r, &err));
  }
}

TEST_CASE("events: bad rules refused, occurrences cancelled or moved within a week") {
  test::World w;
  std::int64_t start = shanghai_ms(2020, 1, 7, 9, 0);
  CHECK(w.run("event.add", "uncle", {{"id", "clinic"}, {"title", "道德门诊坐诊"}, {"starts_at", start},
                                     {"duration_min", 120}, {"rrule", "FREQ=WEEKLY;BYDAY=XX"}}).key() == "reason.event.bad_rrule");
  w.must("event.add", "uncle", {{"id", "clinic"}, {"title", "道德门诊坐诊"}, {"starts_at", start}, {"duration_min", 120},
                                {"rrule", "FREQ=WEEKLY;BYDAY=TU"}, {"category", "clinic"}, {"exdates", {shanghai_ms(2020, 1, 28, 9, 0)}}});
  CHECK(w.run("event.cancel", "uncle", {{"event", "clinic"}, {"occurrence", start + 3600000}}).key() ==
        "reason.event.no_occurrence");
  CHECK(w.run("event.cancel", "uncle", {{"event", "clinic"}, {"occurrence", shanghai_ms(2020, 1, 28, 9, 0)}}).key() ==
        "reason.event.no_occurrence");  // already left out by EXDATE
  w.must("event.cancel", "uncle", {{"event", "clinic"}, {"occurrence", shanghai_ms(2020, 2, 4, 9, 0)}, {"reason", "春节"}});
  CHECK(w.run("event.override", "uncle", {{"event", "clinic"}, {"occurrence", shanghai_ms(2020, 2, 11, 9, 0)},
                                          {"starts_at", shanghai_ms(2020, 2, 25, 9, 0)}}).key() == "reason.event.override_too_far");
  CHECK(w.s.events.at("clinic").overrides.size() == 1);
  w.must("event.override", "uncle", {{"event", "clinic"}, {"occurrence", shanghai_ms(2020, 2, 11, 9, 0)},
                                     {"starts_at", shanghai_ms(2020, 2, 12, 14, 0)}, {"place", "活动室"}});
  CHECK(w.run("event.update", "teacher", {{"event", "clinic"}, {"title", "x"}}).key() == "reason.event.not_organiser");
  w.must("event.cancel", "admin", {{"event", "clinic"}, {"reason", "停办"}});
  CHECK(w.run("event.update", "uncle", {{"event", "clinic"}, {"title", "x"}}).key() == "reason.event.cancelled");
}

TEST_CASE("clubs: join once, leave once") {
  test::World w;
  w.must("club.add", "admin", {{"id", "chess"}, {"name", "象棋队"}, {"leader", "uncle"}});
  w.must("club.join", "grandma", {{"club", "chess"}});
  CHECK(w.run("club.join", "grandma", {{"club", "chess"}}).key() == "reason.club.already_member");
  CHECK(w.run("club.leave", "daughter", {{"club", "chess"}}).key() == "reason.club.not_member");
  CHECK(w.run("club.join", "daughter", {{"club", "chess"}, {"person", "grandma"}}).key() == "reason.act_for.not_allowed");
  w.must("club.leave", "uncle", {{"club", "chess"}, {"person", "grandma"}});  // the leader may remove
  CHECK(w.s.clubs.at("chess").members == std::set<std::string>{"uncle"});
}
