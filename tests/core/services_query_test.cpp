// services_query: the supermarket's lists (open requests nearest first, a person's requests, a
// volunteer's errands), hours, stars and the thank-you list; the clinic's duty, case order and the
// monthly counts the committee sees; the hats a person wears on the home screen; money in words.
#include <catch_amalgamated.hpp>

#include "core/services_query.h"
#include "support.h"

using namespace sihui;
using namespace sihui::core;

namespace {
std::vector<Id> ids(const std::vector<const ServiceRequest*>& v) {
  std::vector<Id> out;
  for (auto* r : v) out.push_back(r->id);
  return out;
}
void catalogue(test::World& w) {
  w.must("service.add", "admin", {{"id", "groceries"}, {"name", "代买菜"}, {"money", true}, {"minutes", 60}});
  w.must("service.add", "admin", {{"id", "haircut"}, {"name", "理发"}, {"minutes", 40}});
}
}  // namespace

TEST_CASE("money in words: fen to yuan and back and bad input refused") {
  CHECK(format_yuan(2850) == "28.50");
  CHECK(format_yuan(300) == "3.00");
  CHECK(format_yuan(5) == "0.05");
  CHECK(format_yuan(0) == "0.00");
  std::int64_t f = -1;
  CHECK(parse_yuan("28.5", &f));
  CHECK(f == 2850);
  CHECK(parse_yuan(" ¥28.05 ", &f));
  CHECK(f == 2805);
  CHECK(parse_yuan("28元", &f));
  CHECK(f == 2800);
  CHECK(parse_yuan("0", &f));
  CHECK(f == 0);
  f = 77;
  for (const char* bad : {"", " ", "-3", "28.", ".5", "2.345", "abc", "12a", "1.2.3", "10000000", "1000000.01"}) {
    INFO(bad);
    CHECK_FALSE(parse_yuan(bad, &f));
    CHECK(f == 77);
  }
  CHECK(parse_yuan("1000000", &f));
  CHECK(f == 100000000);
}

TEST_CASE("the catalogue: most asked-for first, then by name") {
  test::World w;
  catalogue(w);
  w.must("service.add", "admin", {{"id", "bills"}, {"name", "代缴水电费"}, {"money", true}});
  auto names = [&] {
    std::vector<std::string> v;
    for (auto* s : service_catalogue(w.s)) v.push_back(s->id);
    return v;
  };
  CHECK(names() == std::vector<std::string>{"groceries", "bills", "haircut"});  // by name (code points): 代买 < 代缴 < 理发
  w.must("service.request", "grandma", {{"id", "q1"}, {"service", "haircut"}});
  w.must("service.request", "grandma", {{"id", "q2"}, {"service", "haircut"}});
  w.must("service.request", "grandma", {{"id", "q3"}, {"service", "groceries"}});
  w.must("service.cancel", "grandma", {{"request", "q3"}});  // asked for, even if cancelled
  CHECK(names() == std::vector<std::string>{"haircut", "groceries", "bills"});
}

TEST_CASE("open requests: the volunteer own grid first and never their own and then by time") {
  test::World w;
  catalogue(w);
  w.person("vol2", 1990, "u9");  // lives in the south compound (grid g2)
  w.must("role.grant", "admin", {{"person", "vol2"}, {"role", "volunteer"}});
  w.person("elder9", 1935, "u9");
  w.must("service.request", "grandma", {{"id", "q-north"}, {"service", "haircut"}});           // grid g1
  w.must("service.request", "elder9", {{"id", "q-south"}, {"service", "haircut"}});            // grid g2
  w.must("service.request", "vol2", {{"id", "q-own"}, {"service", "haircut"}});                 // vol2's own
  w.must("service.request", "grandma", {{"id", "q-early"}, {"service", "groceries"}, {"wanted_at", 1000}});
  CHECK(ids(open_requests(w.s, "vol2")) == std::vector<Id>{"q-south", "q-early", "q-north"});
  CHECK(request_near(w.s, w.s.requests.at("q-south"), "vol2"));
  CHECK_FALSE(request_near(w.s, w.s.requests.at("q-north"), "vol2"));
  // A student volunteer with no home in the community: by time only.
  CHECK(ids(open_requests(w.s, "vol")) == std::vector<Id>{"q-early", "q-north", "q-south", "q-own"});
  CHECK(open_requests(w.s, "vol", 2).size() == 2);
  // A taken request leaves the open list.
  w.must("service.take", "vol", {{"request", "q-south"}});
  CHECK(ids(open_requests(w.s, "vol2")) == std::vector<Id>{"q-early", "q-north"});
  CHECK(ids(volunteer_tasks(w.s, "vol")) == std::vector<Id>{"q-south"});
}

TEST_CASE("nearest first by the map when the volunteer's grid has nothing open") {
  test::World w;
  catalogue(w);
  w.must("place.compound.add", "admin", {{"id", "east"}, {"name", "东苑小区"}, {"point_x", 119100000}, {"point_y", 36700000}});
  w.must("place.compound.add", "admin", {{"id", "far"}, {"name", "远苑小区"}, {"point_x", 119300000}, {"point_y", 36900000}});
  w.must("place.compound.add", "admin", {{"id", "near"}, {"name", "近苑小区"}, {"point_x", 119110000}, {"point_y", 36700000}});
  for (auto [b, c, u] : {std::tuple{"be", "east", "ue"}, {"bf", "far", "uf"}, {"bn", "near", "un"}}) {
    w.must("place.building.add", "admin", {{"id", b}, {"compound", c}, {"name", "1号楼"}});
    w.must("place.unit.add", "admin", {{"id", u}, {"building", b}, {"name", "1单元"}});
  }
  w.person("v-east", 1995, "ue");
  w.must("role.grant", "admin", {{"person", "v-east"}, {"role", "volunteer"}});
  w.person("e-far", 1930, "uf");
  w.person("e-near", 1931, "un");
  w.must("service.request", "e-far", {{"id", "q-far"}, {"service", "haircut"}});
  w.must("service.request", "e-near", {{"id", "q-near"}, {"service", "haircut"}});
  w.must("service.request", "grandma", {{"id", "q-nomap"}, {"service", "haircut"}});  // north has no point
  CHECK(ids(open_requests(w.s, "v-east")) == std::vector<Id>{"q-near", "q-far", "q-nomap"});
}

TEST_CASE("a person requests: their own and those of people they act for and unfinished first") {
  test::World w;
  catalogue(w);
  w.must("proxy.grant", "grandma", {{"elder", "grandma"}, {"proxy", "daughter"}});
  w.must("service.request", "daughter", {{"id", "q1"}, {"service", "groceries"}, {"for", "grandma"}});
  w.must("service.request", "grandma", {{"id", "q2"}, {"service", "haircut"}});
  w.must("service.request", "leader", {{"id", "q3"}, {"service", "haircut"}});
  w.must("service.cancel", "grandma", {{"request", "q2"}});
  CHECK(ids(person_requests(w.s, "daughter")) == std::vector<Id>{"q1", "q2"});
  CHECK(ids(person_requests(w.s, "grandma")) == std::vector<Id>{"q1", "q2"});
  CHECK(ids(person_requests(w.s, "leader")) == std::vector<Id>{"q3"});
  CHECK(waiting_confirmation(w.s, "daughter") == 0);
  w.must("service.take", "vol", {{"request", "q1"}});
  w.must("service.done", "vol", {{"request", "q1"}, {"minutes", 50}, {"amount_fen", 2850}});
  CHECK(waiting_confirmation(w.s, "daughter") == 1);
  CHECK(waiting_confirmation(w.s, "grandma") == 1);
  CHECK(waiting_confirmation(w.s, "vol") == 0);
  w.must("service.confirm", "grandma", {{"request", "q1"}, {"amount_fen", 2850}});
  CHECK(waiting_confirmation(w.s, "daughter") == 0);
  CHECK(volunteer_tasks(w.s, "vol").empty());
}

TEST_CASE("hours and stars and the thank-you list come from confirmed requests only") {
  test::World w;
  catalogue(w);
  w.person("vol2", 1990, "u9");
  w.must("role.grant", "admin", {{"person", "vol2"}, {"role", "volunteer"}});
  int n = 0;
  auto serve = [&](const char* vol, std::int64_t minutes, bool confirm) {
    std::string id = "q" + std::to_string(++n);
    w.must("service.request", "grandma", {{"id", id}, {"service", "haircut"}});
    w.must("service.take", vol, {{"request", id}});
    w.must("service.done", vol, {{"request", id}, {"minutes", minutes}});
    if (confirm) w.must("service.confirm", "grandma", {{"request", id}});
  };
  for (int i = 0; i < 11; ++i) serve("vol", 60, true);  // 11 hours: one star
  serve("vol", 600, false);                              // done, not confirmed: not counted
  serve("vol2", 600, true);
  serve("vol2", 600, true);
  serve("vol2", 700, true);                              // 31h40: two stars
  auto a = volunteer_stats(w.s, "vol");
  CHECK(a.minutes == 660);
  CHECK(a.services == 11);
  CHECK(a.stars == 1);
  CHECK(a.next_star_minutes == 30 * 60 - 660);
  CHECK(a.rank == 2);
  auto b = volunteer_stats(w.s, "vol2");
  CHECK(b.stars == 2);
  CHECK(b.rank == 1);
  auto none = volunteer_stats(w.s, "leader");
  CHECK(none.stars == 0);
  CHECK(none.rank == 0);
  CHECK(none.next_star_minutes == 600);
  auto t = thank_you_list(w.s);
  REQUIRE(t.size() == 2);
  CHECK(t[0].person == "vol2");
  CHECK(t[0].name == "居民vol2");
  CHECK(t[1].person == "vol");
  CHECK(t[1].services == 11);
  CHECK(thank_you_list(w.s, 1).size() == 1);
}

TEST_CASE("the clinic: duty by weekday and open cases with follow-ups due first and monthly counts without names") {
  test::World w;
  w.person("uncle2", 1946, "u1");
  w.must("role.grant", "admin", {{"person", "uncle2"}, {"role", "clinic"}});
  w.must("clinic.roster.set", "uncle", {{"weekday", 2}, {"members", {"uncle2", "uncle"}}});
  auto duty = clinic_duty(w.s, 2);
  REQUIRE(duty.size() == 2);
  CHECK(duty[0]->id == "uncle");  // 居民uncle < 居民uncle2
  CHECK(clinic_duty(w.s, 3).empty());
  CHECK(clinic_member(w.s.persons.at("uncle")));
  CHECK_FALSE(clinic_member(w.s.persons.at("leader")));

  // July: two cases, one resolved in July, one failed in August; August: one resolved, one open.
  w.now = shanghai_ms(2020, 7, 7, 9, 0);
  w.must("clinic.case.open", "uncle", {{"id", "k1"}, {"category", "noise"}, {"parties", {"甲", "乙"}}, {"complaint", "x"}});
  w.must("clinic.case.open", "uncle", {{"id", "k2"}, {"category", "leak"}, {"complaint", "y"}});
  w.must("clinic.case.close", "uncle", {{"case", "k1"}, {"outcome", "resolved"}});
  w.now = shanghai_ms(2020, 8, 4, 9, 0);
  w.must("clinic.case.close", "uncle", {{"case", "k2"}, {"outcome", "failed"}});
  w.must("clinic.case.open", "uncle", {{"id", "k3"}, {"category", "pets"}, {"complaint", "z"}});
  w.must("clinic.case.session", "uncle", {{"case", "k3"}, {"diagnosis", "d"}, {"prescription", "p"}});
  w.must("clinic.case.close", "uncle", {{"case", "k3"}, {"outcome", "resolved"}});
  w.must("clinic.case.open", "uncle", {{"id", "k4"}, {"category", "parking"}, {"complaint", "w"}});
  w.now = shanghai_ms(2020, 8, 5, 9, 0);
  w.must("clinic.case.open", "uncle", {{"id", "k5"}, {"category", "family"}, {"complaint", "v"}});

  const std::int64_t now = shanghai_ms(2020, 8, 12, 9, 0);  // k4 untouched for 8 days, k5 for 7
  CHECK(followup_due(w.s.cases.at("k4"), now));
  CHECK_FALSE(followup_due(w.s.cases.at("k5"), shanghai_ms(2020, 8, 11, 9, 0)));
  CHECK_FALSE(followup_due(w.s.cases.at("k3"), now));  // closed
  std::vector<Id> order;
  for (auto* k : clinic_cases(w.s, now)) order.push_back(k->id);
  CHECK(order == std::vector<Id>{"k4", "k5", "k3", "k2", "k1"});

  auto c = clinic_summary(w.s, now, 3);
  REQUIRE(c.months.size() == 3);
  CHECK(c.months[0].month == "2020-06");
  CHECK(c.months[0].opened == 0);
  CHECK(c.months[1].month == "2020-07");
  CHECK(c.months[1].opened == 2);
  CHECK(c.months[1].closed == 1);
  CHECK(c.months[1].resolved == 1);
  CHECK(c.months[2].month == "2020-08");
  CHECK(c.months[2].opened == 3);
  CHECK(c.months[2].closed == 2);
  CHECK(c.months[2].resolved == 1);
  CHECK(c.opened == 5);
  CHECK(c.closed == 3);
  CHECK(c.resolved == 2);
  CHECK(c.open_now == 2);
  CHECK(c.resolution_permille == 666);
  // Names never reach the committee's answer.
  CHECK(clinic_summary_json(c).dump().find("甲") == std::string::npos);
  // A window that ends in June sees nothing; across a year boundary the months still run in order.
  auto june = clinic_summary(w.s, shanghai_ms(2020, 6, 30, 9, 0), 2);
  CHECK(june.opened == 0);
  CHECK(june.resolution_permille == 0);
  auto jan = clinic_summary(w.s, shanghai_ms(2021, 1, 3, 9, 0), 2);
  CHECK(jan.months[0].month == "2020-12");
  CHECK(jan.months[1].month == "2021-01");
}

TEST_CASE("hats: resident first, then volunteer, staff roles and clinic") {
  test::World w;
  CHECK(hats_of(w.s.persons.at("grandma")) == std::vector<Hat>{Hat::resident});
  CHECK(hats_of(w.s.persons.at("vol")) == std::vector<Hat>{Hat::resident, Hat::volunteer});
  CHECK(hats_of(w.s.persons.at("cook")) == std::vector<Hat>{Hat::resident, Hat::staff});
  CHECK(hats_of(w.s.persons.at("leader")) == std::vector<Hat>{Hat::resident, Hat::staff});
  w.must("role.grant", "admin", {{"person", "uncle"}, {"role", "volunteer"}});
  CHECK(hats_of(w.s.persons.at("uncle")) == std::vector<Hat>{Hat::resident, Hat::volunteer, Hat::clinic});
}
