// Reminders for a person's sign-ups and bookings, and the canteen's missed-diner alerts (core/reminders.h).
#include <catch_amalgamated.hpp>

#include "core/query.h"
#include "core/reminders.h"
#include "support.h"

using namespace sihui;
using namespace sihui::core;

namespace {
struct RemindWorld : test::World {
  RemindWorld() {
    must("proxy.grant", "grandma", {{"elder", "grandma"}, {"proxy", "daughter"}});
    must("course.add", "teacher", {{"id", "ms"}, {"title", "面塑公益课"}, {"teacher", "teacher"}});
    must("session.add", "teacher", {{"id", "s1"}, {"course", "ms"}, {"number", 16},
                                     {"starts_at", shanghai_ms(2020, 8, 25, 9, 0)}, {"duration_min", 120}, {"seats", 1}});
    must("canteen.sitting.add", "cook", {{"id", "l25"}, {"starts_at", shanghai_ms(2020, 8, 25, 11, 30)}, {"meal", "lunch"}});
  }
};
std::vector<std::string> keys(const std::vector<Reminder>& v) {
  std::vector<std::string> k;
  for (const auto& r : v) k.push_back(r.key);
  return k;
}
}  // namespace

TEST_CASE("reminders: the day before from midnight, an hour before, none after the start") {
  RemindWorld w;
  w.must("session.signup", "grandma", {{"session", "s1"}});
  w.must("canteen.book", "daughter", {{"sitting", "l25"}, {"person", "grandma"}});  // the proxy books for her
  // Sunday 23 Aug 23:59: nothing yet (the day before is Monday 24 Aug).
  CHECK(due_reminders(w.s, "grandma", shanghai_ms(2020, 8, 23, 23, 59)).empty());
  CHECK(next_reminder_at(w.s, "grandma", shanghai_ms(2020, 8, 23, 23, 59)) == shanghai_ms(2020, 8, 24));
  // Monday 24 Aug 00:00 to Tuesday 07:59: both day-before reminders.
  auto mon = due_reminders(w.s, "grandma", shanghai_ms(2020, 8, 24, 0, 0));
  REQUIRE(mon.size() == 2);
  CHECK(mon[0].when == RemindWhen::day_before);
  CHECK(mon[0].plan.session == "s1");
  CHECK(mon[0].due == shanghai_ms(2020, 8, 24));
  CHECK(mon[1].plan.sitting == "l25");
  CHECK(keys(due_reminders(w.s, "grandma", shanghai_ms(2020, 8, 25, 7, 59))) == keys(mon));
  // Tuesday 08:00: the class's hour-before reminder replaces its day-before one; lunch is still "tomorrow's".
  auto hour = due_reminders(w.s, "grandma", shanghai_ms(2020, 8, 25, 8, 0));
  REQUIRE(hour.size() == 2);
  CHECK(hour[0].when == RemindWhen::hour_before);
  CHECK(hour[0].key == "session|s1|grandma|hour_before");
  CHECK(hour[1].when == RemindWhen::day_before);
  // 09:00: the class has started: only lunch, whose hour comes at 10:30.
  auto nine = due_reminders(w.s, "grandma", shanghai_ms(2020, 8, 25, 9, 0));
  REQUIRE(nine.size() == 1);
  CHECK(nine[0].plan.sitting == "l25");
  CHECK(next_reminder_at(w.s, "grandma", shanghai_ms(2020, 8, 25, 9, 0)) == shanghai_ms(2020, 8, 25, 10, 30));
  CHECK(due_reminders(w.s, "grandma", shanghai_ms(2020, 8, 25, 11, 30)).empty());
  // The proxy sees the booking she made for her mother (she acts for her), not the class.
  auto proxy = due_reminders(w.s, "daughter", shanghai_ms(2020, 8, 25, 10, 30));
  REQUIRE(proxy.size() == 1);
  CHECK(proxy[0].plan.person == "grandma");
  CHECK(proxy[0].when == RemindWhen::hour_before);
}

TEST_CASE("reminders: none for a wait-listed place, and one once promoted") {
  RemindWorld w;
  w.must("session.signup", "worker", {{"session", "s1"}});
  w.must("session.signup", "grandma", {{"session", "s1"}});  // one seat: grandma waits
  const auto t = shanghai_ms(2020, 8, 24, 12, 0);
  CHECK(due_reminders(w.s, "grandma", t).empty());
  CHECK(due_reminders(w.s, "worker", t).size() == 1);
  w.must("session.cancel", "worker", {{"session", "s1"}});
  auto r = due_reminders(w.s, "grandma", t);
  REQUIRE(r.size() == 1);
  CHECK(r[0].plan.session == "s1");
  CHECK(due_reminders(w.s, "nobody", t).empty());
}

TEST_CASE("missed diners: a regular who stops coming for three open days alerts the grid leader") {
  test::World w;
  w.person("eater", 1935);       // grid g1, comes every day then stops
  w.person("other", 1936, "u9"); // grid g2, comes every day
  w.person("rare", 1937);        // came twice: not a regular
  // 14 open days, 1..14 Aug (lunch each day); "eater" comes 1..11, "other" every day, "rare" twice.
  for (int d = 1; d <= 14; ++d) {
    std::string id = "l" + std::to_string(d);
    w.must("canteen.sitting.add", "cook", {{"id", id}, {"starts_at", shanghai_ms(2020, 8, d, 11, 30)}, {"meal", "lunch"}});
    for (std::string who : {"eater", "other", "rare"}) {
      if (who == "eater" && d > 11) continue;
      if (who == "rare" && d != 2 && d != 5) continue;
      w.must("canteen.book", who, {{"sitting", id}});
      w.must("canteen.attend", "cook", {{"sitting", id}, {"person", who}});
    }
  }
  // On the 15th: the last three open days (12..14) without "eater".
  auto m = missed_diners(w.s, shanghai_ms(2020, 8, 15, 8, 0));
  REQUIRE(m.size() == 1);
  CHECK(m[0].person == "eater");
  CHECK(m[0].grid == "g1");
  CHECK(m[0].leader == "leader");
  CHECK(m[0].missed_days == 3);
  CHECK(m[0].came_before == 10);  // open days 2..11, the ten before the run (1 Aug is too far back)
  CHECK(m[0].last_seen == shanghai_ms(2020, 8, 11, 11, 30));
  CHECK(missed_diners(w.s, shanghai_ms(2020, 8, 15, 8, 0), "g2").empty());
  CHECK(missed_diners(w.s, shanghai_ms(2020, 8, 15, 8, 0), "g1").size() == 1);
  // On the 14th (two open days missed so far) there is no alert yet; and with too little history none at all.
  CHECK(missed_diners(w.s, shanghai_ms(2020, 8, 14, 8, 0)).empty());
  CHECK(missed_diners(w.s, shanghai_ms(2020, 8, 10, 8, 0)).empty());
  // A day without a sitting is not a missed day: a sitting on the 20th he comes to ends the alert.
  w.must("canteen.sitting.add", "cook", {{"id", "l20"}, {"starts_at", shanghai_ms(2020, 8, 20, 11, 30)}, {"meal", "lunch"}});
  w.must("canteen.book", "eater", {{"sitting", "l20"}});
  CHECK(missed_diners(w.s, shanghai_ms(2020, 8, 20, 8, 0)).size() == 1);  // the 20th has not happened yet
  w.must("canteen.attend", "cook", {{"sitting", "l20"}, {"person", "eater"}});
  CHECK(missed_diners(w.s, shanghai_ms(2020, 8, 21, 8, 0)).empty());
  // The JSON query says the same.
  QueryContext ctx;
  ctx.community = &w.s;
  auto j = run_query(ctx, "canteen.missed_meals", R"({"now": "2020-08-15"})");
  REQUIRE(j.ok);
  REQUIRE(j.value.size() == 1);
  CHECK(j.value[0]["missed_days"] == 3);
  CHECK(j.value[0]["grid_leader"] == "leader");
}

TEST_CASE("grids watched: a leader's and a worker's grid, every grid for staff, none for a resident") {
  test::World w;
  CHECK(grids_watched(w.s, "leader") == std::vector<Id>{"g1"});
  CHECK(grids_watched(w.s, "worker") == std::vector<Id>{"g1"});
  CHECK(grids_watched(w.s, "admin") == std::vector<Id>{"g1", "g2"});
  CHECK(grids_watched(w.s, "grandma").empty());
  CHECK(grids_watched(w.s, "nobody").empty());
}
