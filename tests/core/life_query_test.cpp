// The calendar, class and canteen screens' queries (core/life_query.h), directly and through run_query.
#include <catch_amalgamated.hpp>

#include "core/demo.h"
#include "core/life_query.h"
#include "core/query.h"
#include "support.h"

using namespace sihui;
using namespace sihui::core;

namespace {
// The small world plus a family of three in household h301, a class and two lunch sittings.
struct LifeWorld : test::World {
  LifeWorld() {
    person("mum", 1980, "u1", nlohmann::json::array(), "h301");
    person("dad", 1978, "u1", nlohmann::json::array(), "h301");
    person("kid", 2012, "u1", nlohmann::json::array(), "h301");
    person("old", 1990, "u1");
    must("proxy.grant", "grandma", {{"elder", "grandma"}, {"proxy", "daughter"}});
    must("course.add", "teacher", {{"id", "ms"}, {"title", "面塑公益课"}, {"teacher", "teacher"}});
    must("session.add", "teacher", {{"id", "s1"}, {"course", "ms"}, {"number", 1}, {"starts_at", shanghai_ms(2020, 8, 8, 9, 0)},
                                     {"duration_min", 120}, {"seats", 3}, {"theme", "孔子像"}});
    must("session.add", "teacher", {{"id", "s2"}, {"course", "ms"}, {"number", 2}, {"starts_at", shanghai_ms(2020, 8, 15, 9, 0)},
                                     {"duration_min", 120}, {"seats", 30}, {"theme", "红船"}});
    must("canteen.sitting.add", "cook", {{"id", "l1"}, {"starts_at", shanghai_ms(2020, 8, 3, 11, 30)}, {"meal", "lunch"}});
    must("canteen.sitting.add", "cook", {{"id", "l2"}, {"starts_at", shanghai_ms(2020, 8, 4, 11, 30)}, {"meal", "lunch"}, {"seats", 2}});
  }
};
}  // namespace

TEST_CASE("life entries: events, class sessions and sittings in one ordered list, filtered by kind") {
  LifeWorld w;
  w.must("event.add", "admin", {{"id", "fest"}, {"title", "月月仓南节"}, {"starts_at", shanghai_ms(2020, 1, 11, 9, 0)},
                                {"duration_min", 180}, {"rrule", "FREQ=MONTHLY;BYDAY=2SA"}, {"category", "festival"}});
  w.must("event.add", "uncle", {{"id", "clinic"}, {"title", "道德门诊"}, {"starts_at", shanghai_ms(2020, 1, 7, 9, 0)},
                                {"duration_min", 120}, {"rrule", "FREQ=WEEKLY;BYDAY=TU"}, {"category", "clinic"}});
  w.must("event.cancel", "uncle", {{"event", "clinic"}, {"occurrence", shanghai_ms(2020, 8, 4, 9, 0)}, {"reason", "高温"}});
  const auto from = shanghai_ms(2020, 8, 1), to = shanghai_ms(2020, 9, 1);
  auto all = life_entries(w.s, from, to);
  // 4 clinic Tuesdays (one called off), the festival on the 8th, 2 sessions, 2 sittings.
  REQUIRE(all.size() == 9);
  CHECK(all[0].kind == EntryKind::canteen);  // 3 Aug 11:30
  CHECK(all[0].seats == 40);
  CHECK(all[1].kind == EntryKind::clinic);  // 4 Aug 09:00, cancelled, before the 11:30 lunch
  CHECK(all[1].cancelled);
  CHECK(all[1].recurring);
  CHECK(all[1].note == "高温");
  CHECK(all[2].kind == EntryKind::canteen);
  // 8 Aug 09:00: the festival and session 1 at the same minute, festival first (kind order).
  CHECK(all[3].kind == EntryKind::festival);
  CHECK(all[4].kind == EntryKind::klass);
  CHECK(all[4].number == 1);
  CHECK(all[4].theme == "孔子像");
  CHECK(all[4].title == "面塑公益课");

  auto classes = life_entries(w.s, from, to, entry_bit(EntryKind::klass) | entry_bit(EntryKind::festival));
  CHECK(classes.size() == 3);
  CHECK(life_entries(w.s, from, to, 0).empty());

  auto days = day_summaries(all, shanghai(from).day, 31);
  CHECK(days[3].count == 2);  // 4 Aug: the called-off clinic and lunch
  CHECK(days[3].cancelled == 1);
  CHECK(days[3].kinds == (entry_bit(EntryKind::clinic) | entry_bit(EntryKind::canteen)));
  CHECK(days[7].count == 2);
  CHECK(days[0].count == 0);

  QueryContext ctx;
  ctx.community = &w.s;
  auto r = run_query(ctx, "life.entries", R"({"from": "2020-08-01", "to": "2020-09-01", "kinds": ["class"]})");
  REQUIRE(r.ok);
  REQUIRE(r.value.size() == 2);
  CHECK(r.value[0]["session"] == "s1");
  CHECK(r.value[0]["seats"] == 3);
  CHECK(run_query(ctx, "life.entries", R"({"from": "2020-08-01", "to": "2020-09-01", "kinds": ["party"]})").error_code == "bad_args");
  CHECK(run_query(ctx, "life.entries", R"({"from": "2020-08-01"})").error_code == "bad_args");
}

TEST_CASE("a family of three is wait-listed together, shown in the roster, promoted by a cancellation") {
  LifeWorld w;
  w.must("session.signup", "leader", {{"session", "s1"}});
  w.must("session.signup", "worker", {{"session", "s1"}});
  w.must("session.signup", "old", {{"session", "s1"}});
  auto o = w.run("session.signup", "mum", {{"session", "s1"}, {"group", {"dad", "kid"}}});
  REQUIRE(o.accepted());
  CHECK(o.reason == Reason::class_waitlisted);

  const Session& ses = w.s.sessions.at("s1");
  auto mum = signup_status(ses, "mum"), kid = signup_status(ses, "kid");
  CHECK(mum.waitlisted);
  CHECK(mum.position == 1);
  CHECK(kid.position == 1);
  CHECK(kid.group == mum.group);
  CHECK(mum.persons.size() == 3);

  auto roster = session_roster(w.s, "s1");
  REQUIRE(roster.size() == 6);
  CHECK(roster[0].person == "leader");
  CHECK(roster[0].enrolled);
  CHECK(roster[3].person == "mum");
  CHECK_FALSE(roster[3].enrolled);
  CHECK(roster[3].position == 1);
  CHECK(roster[5].group_size == 3);
  CHECK(roster[5].by == "mum");

  // Home: mum sees one plan for the whole family, wait-listed at 1.
  auto plans = person_plans(w.s, "mum", shanghai_ms(2020, 8, 1));
  REQUIRE(plans.size() == 1);
  CHECK(plans[0].waitlisted);
  CHECK(plans[0].position == 1);

  // Two cancel: one seat, then two; the family of three still waits (strict first come).
  w.must("session.cancel", "leader", {{"session", "s1"}});
  w.must("session.cancel", "worker", {{"session", "s1"}});
  CHECK(signup_status(w.s.sessions.at("s1"), "dad").waitlisted);
  w.must("session.cancel", "old", {{"session", "s1"}});
  auto dad = signup_status(w.s.sessions.at("s1"), "dad");
  CHECK(dad.enrolled);
  CHECK(person_plans(w.s, "dad", shanghai_ms(2020, 8, 1)).at(0).waitlisted == false);

  // Check-in and the CSV export.
  w.must("session.checkin", "teacher", {{"session", "s1"}, {"person", "kid"}});
  roster = session_roster(w.s, "s1");
  REQUIRE(roster.size() == 3);
  CHECK(roster[2].attended);
  std::vector<std::string> labels = {"序号", "姓名", "出生年份", "状态", "候补位置", "组", "签到",
                                     "已报名", "候补", "已签到", "未到", "未签到"};
  auto csv = roster_csv(roster, labels);
  CHECK(csv.rfind("\xEF\xBB\xBF序号,姓名,出生年份,状态,候补位置,组,签到\r\n", 0) == 0);
  CHECK(csv.find("3,居民kid,2012,已报名,,1,已签到\r\n") != std::string::npos);
  CHECK(csv.find("1,居民mum,1980,已报名,,1,未签到\r\n") != std::string::npos);
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("王秀兰") == "王秀兰");

  QueryContext ctx;
  ctx.community = &w.s;
  auto r = run_query(ctx, "class.roster", R"({"session": "s1"})");
  REQUIRE(r.ok);
  CHECK(r.value.size() == 3);
  CHECK(run_query(ctx, "class.roster", R"({"session": "nope"})").error_code == "not_found");
}

TEST_CASE("canteen: whom a proxy acts for, eligibility from the birth year, the kitchen's count, plans") {
  LifeWorld w;
  auto people = acting_for(w.s, "daughter");
  REQUIRE(people.size() == 2);
  CHECK(people[0]->id == "daughter");
  CHECK(people[1]->id == "grandma");
  auto family = acting_for(w.s, "dad");
  REQUIRE(family.size() == 3);  // dad, then kid and mum by name
  CHECK(acting_for(w.s, "nobody").empty());

  const auto at = shanghai_ms(2020, 8, 3, 11, 30);
  auto g = canteen_eligibility(w.s.persons.at("grandma"), at);
  CHECK(g.age == 86);
  CHECK(g.eligible);
  auto d = canteen_eligibility(w.s.persons.at("daughter"), at);
  CHECK(d.age == 58);
  CHECK_FALSE(d.eligible);
  w.must("canteen.exception.grant", "cook", {{"person", "daughter"}, {"reason", "照顾母亲"}});
  CHECK(canteen_eligibility(w.s.persons.at("daughter"), at).eligible);
  CHECK(canteen_eligibility(w.s.persons.at("daughter"), at).exception);

  w.must("canteen.book", "daughter", {{"sitting", "l1"}, {"person", "grandma"}, {"diet", "少盐"}});
  w.must("canteen.book", "daughter", {{"sitting", "l1"}, {"diet", "少盐"}});
  w.must("canteen.book", "leader", {{"sitting", "l2"}, {"person", "grandma"}});
  w.must("canteen.attend", "cook", {{"sitting", "l1"}, {"person", "grandma"}});
  auto k = kitchen_count(w.s, shanghai(at).day);
  CHECK(k.sittings == 1);
  CHECK(k.seats == 40);
  CHECK(k.booked == 2);
  CHECK(k.attended == 1);
  CHECK(k.diets.at("少盐") == 2);
  CHECK(kitchen_count(w.s, shanghai(at).day + 2).sittings == 0);

  auto plans = person_plans(w.s, "daughter", shanghai_ms(2020, 8, 1));
  REQUIRE(plans.size() == 3);  // grandma and herself on the 3rd, grandma on the 4th
  CHECK(plans[0].kind == EntryKind::canteen);
  CHECK(plans[2].sitting == "l2");
  CHECK(plans[2].person == "grandma");
  CHECK(person_plans(w.s, "daughter", shanghai_ms(2020, 8, 4)).size() == 1);

  QueryContext ctx;
  ctx.community = &w.s;
  auto r = run_query(ctx, "person.plans", R"({"person": "daughter", "from": "2020-08-01"})");
  REQUIRE(r.ok);
  CHECK(r.value.size() == 3);
  CHECK(r.value[0]["diet"] == "少盐");
}

TEST_CASE("life entries on the demo: a month of the community's calendar") {
  DemoOptions o;
  o.residents = 500;
  auto ops = make_demo(o);
  Reducer r(test::schema());
  State s;
  for (const auto& op : ops) r.apply(s, op);
  auto month = life_entries(s, shanghai_ms(2020, 7, 1), shanghai_ms(2020, 8, 1));
  int festivals = 0, clinics = 0, clubs = 0, lunches = 0;
  for (const auto& e : month) {
    festivals += e.kind == EntryKind::festival;
    clinics += e.kind == EntryKind::clinic;
    clubs += e.kind == EntryKind::club;
    lunches += e.kind == EntryKind::canteen;
  }
  CHECK(festivals == 1);
  CHECK(clinics == 4);       // Tuesdays of July 2020: 7, 14, 21, 28
  CHECK(clubs >= 20);        // five clubs, weekly
  CHECK(lunches == 27);      // Monday to Saturday
  auto sessions = course_sessions(s, "mianshu");
  REQUIRE(sessions.size() == 15);
  CHECK(sessions.front()->number == 1);
  CHECK(sessions.back()->number == 15);
  CHECK(sessions.back()->closed);
}
