// People, places, grids, roles and proxies; authorisation by the author at that point in the log.
#include <catch_amalgamated.hpp>

#include "core/community_query.h"
#include "core/reducer_internal.h"
#include "support.h"

using namespace sihui;
using namespace sihui::core;

TEST_CASE("the community starts with community.init, once") {
  State s;
  Reducer r(test::schema());
  auto o = r.apply(s, test::make_op(1, "place.compound.add", "admin", {{"id", "c"}, {"name", "x"}}, 1));
  CHECK(o.key() == "reason.community.not_initialised");
  CHECK(r.apply(s, test::make_op(2, "community.init", "admin", {{"name", "仓南街社区"}, {"admin_name", "张霞"}}, 2)).accepted());
  CHECK(rules::is_staff(s.persons.at("admin")));
  CHECK(r.apply(s, test::make_op(3, "community.init", "x", {{"name", "y"}, {"admin_name", "z"}}, 3)).key() ==
        "reason.community.already_initialised");
}

TEST_CASE("an op from the wrong role is refused with a reason and changes nothing") {
  test::World w;
  auto before = w.s.compounds;
  auto o = w.run("place.compound.add", "grandma", {{"id", "east"}, {"name", "东苑"}});
  CHECK(o.verdict == Verdict::refused);
  CHECK(o.key() == "reason.op.role");
  CHECK(w.s.compounds == before);
  CHECK(w.run("person.add", "nobody", {{"id", "x"}, {"name", "x"}, {"birth_year", 1950}}).key() == "reason.author.unknown");
  // Authorisation follows the log: once granted, the same op is accepted.
  w.must("role.grant", "admin", {{"person", "grandma"}, {"role", "staff"}});
  CHECK(w.run("place.compound.add", "grandma", {{"id", "east"}, {"name", "东苑"}}).accepted());
  w.must("role.revoke", "admin", {{"person", "grandma"}, {"role", "staff"}});
  CHECK(w.run("place.compound.add", "grandma", {{"id", "west"}, {"name", "西苑"}}).key() == "reason.op.role");
}

TEST_CASE("places nest and grids cover compounds once") {
  test::World w;
  CHECK(w.run("place.building.add", "admin", {{"id", "b1"}, {"compound", "nowhere"}, {"name", "1"}}).key() ==
        "reason.not_found.compound");
  CHECK(w.run("place.compound.add", "admin", {{"id", "north"}, {"name", "again"}}).key() == "reason.id.taken");
  CHECK(w.run("grid.add", "admin", {{"id", "g3"}, {"name", "x"}, {"compounds", {"north"}}}).key() ==
        "reason.grid.compound_taken");
  CHECK(rules::grid_of_person(w.s, w.s.persons.at("grandma")) == "g1");
  CHECK(rules::grid_of_person(w.s, w.s.persons.at("daughter")) == "g2");
}

TEST_CASE("a grid has one leader; changing it moves the role") {
  test::World w;
  w.must("grid.set_leader", "admin", {{"grid", "g1"}, {"person", "worker"}});
  CHECK(w.s.grids.at("g1").leader == "worker");
  CHECK_FALSE(rules::has_role(w.s.persons.at("leader"), Role::grid_leader, "g1"));
  CHECK(rules::has_role(w.s.persons.at("worker"), Role::grid_leader, "g1"));
  CHECK(w.run("role.grant", "admin", {{"person", "worker"}, {"role", "unit_leader"}}).key() == "reason.role.scope_required");
  CHECK(w.run("role.revoke", "admin", {{"person", "admin"}, {"role", "staff"}}).key() == "reason.role.last_staff");
}

TEST_CASE("grid workers edit residents of their own grid only") {
  test::World w;
  CHECK(w.run("person.add", "worker", {{"id", "n1"}, {"name", "新居民"}, {"birth_year", 1990}, {"unit", "u1"}}).accepted());
  CHECK(w.run("person.add", "worker", {{"id", "n2"}, {"name", "南苑居民"}, {"birth_year", 1990}, {"unit", "u9"}}).key() ==
        "reason.act_for.not_allowed");
  CHECK(w.run("person.add", "admin", {{"id", "n3"}, {"name", "x"}, {"birth_year", 1990}, {"tags", {"astronaut"}}}).key() ==
        "reason.person.bad_tag");
  w.must("person.update", "worker", {{"person", "n1"}, {"phone", "13800000000"}, {"household", "h301"}});
  CHECK(w.s.persons.at("n1").household == "h301");
  CHECK(w.s.persons.at("n1").phone == "13800000000");
  w.must("person.leave", "worker", {{"person", "n1"}});
  CHECK(w.run("report.file", "n1", {{"id", "r"}, {"category", "repair"}, {"subtype", "broken_lift"}, {"compound", "north"}})
            .key() == "reason.author.unknown");
}

TEST_CASE("proxies: the elder or staff grants, the proxy may then act for the elder") {
  test::World w;
  CHECK(w.run("proxy.grant", "daughter", {{"elder", "grandma"}, {"proxy", "daughter"}}).key() ==
        "reason.act_for.not_allowed");
  w.must("proxy.grant", "grandma", {{"elder", "grandma"}, {"proxy", "daughter"}});
  CHECK(rules::may_act_for(w.s, w.s.persons.at("daughter"), w.s.persons.at("grandma")));
  CHECK_FALSE(rules::may_act_for(w.s, w.s.persons.at("grandma"), w.s.persons.at("daughter")));
  CHECK(rules::may_act_for(w.s, w.s.persons.at("worker"), w.s.persons.at("grandma")));  // her grid's worker
  CHECK_FALSE(rules::may_act_for(w.s, w.s.persons.at("worker"), w.s.persons.at("daughter")));
  w.must("proxy.revoke", "daughter", {{"elder", "grandma"}, {"proxy", "daughter"}});
  CHECK_FALSE(rules::may_act_for(w.s, w.s.persons.at("daughter"), w.s.persons.at("grandma")));
}

TEST_CASE("a grant to a public role carries the public display name: a masked name becomes readable, a real one stays") {
  test::World w;
  const std::string mask(kMasked);
  // A device that pulled these persons redacted (decision 0009) holds the mask in place of their names.
  w.must("person.add", "admin", {{"id", "wang"}, {"name", mask}, {"phone", mask}, {"birth_year", 1965}, {"unit", "u1"}});
  w.must("person.add", "admin", {{"id", "zhao"}, {"name", mask}, {"birth_year", 1970}, {"unit", "u9"}});
  w.must("person.add", "admin", {{"id", "sun"}, {"name", mask}, {"birth_year", 1980}, {"unit", "u1"}});
  CHECK(grant_display_name(w.s, "wang", Role::grid_leader).empty());  // this device cannot read it
  CHECK(grant_display_name(w.s, "worker", Role::unit_leader) == "居民worker");
  CHECK(grant_display_name(w.s, "worker", Role::volunteer).empty());   // not a public role
  CHECK(grant_display_name(w.s, "nobody", Role::grid_leader).empty());
  w.must("grid.set_leader", "admin", {{"grid", "g1"}, {"person", "wang"}, {"name", "王建华"}});
  CHECK(w.s.persons.at("wang").name == "王建华");
  CHECK(w.s.persons.at("wang").phone == mask);  // the phone stays as this reader pulled it
  w.must("role.grant", "admin", {{"person", "zhao"}, {"role", "building_leader"}, {"scope", "b9"}, {"name", "赵楼长"}});
  CHECK(w.s.persons.at("zhao").name == "赵楼长");
  // Not a public role: the name is not taken (serve.py refuses such a grant; a device ignores it).
  w.must("role.grant", "admin", {{"person", "sun"}, {"role", "volunteer"}, {"name", "孙志愿"}});
  CHECK(w.s.persons.at("sun").name == mask);
  // A name this device can read is kept, whatever the grant says.
  w.must("role.grant", "admin", {{"person", "worker"}, {"role", "unit_leader"}, {"scope", "u1"}, {"name", "别的名字"}});
  CHECK(w.s.persons.at("worker").name == "居民worker");
  // A refused grant changes nothing.
  CHECK_FALSE(w.run("role.grant", "admin", {{"person", "sun"}, {"role", "grid_worker"}, {"scope", "nope"}, {"name", "孙"}}).accepted());
  CHECK(w.s.persons.at("sun").name == mask);
}
