// The service supermarket (requests, volunteers, both confirm, money errands) and the moral clinic.
#include <catch_amalgamated.hpp>

#include "support.h"

using namespace sihui;
using namespace sihui::core;

TEST_CASE("a volunteer takes a request, both confirm, the hours reach the ledger") {
  test::World w;
  w.must("service.add", "admin", {{"id", "groceries"}, {"name", "代买菜"}, {"money", true}, {"minutes", 60}});
  w.must("service.add", "admin", {{"id", "haircut"}, {"name", "理发"}});
  w.must("proxy.grant", "grandma", {{"elder", "grandma"}, {"proxy", "daughter"}});
  w.must("service.request", "daughter", {{"id", "q1"}, {"service", "groceries"}, {"for", "grandma"}, {"amount_fen", 3000}});
  CHECK(w.s.requests.at("q1").for_person == "grandma");
  CHECK(w.run("service.take", "grandma", {{"request", "q1"}}).key() == "reason.op.role");
  w.must("service.take", "vol", {{"request", "q1"}});
  CHECK(w.run("service.take", "vol", {{"request", "q1"}}).key() == "reason.service.bad_state");
  CHECK(w.run("service.confirm", "grandma", {{"request", "q1"}, {"amount_fen", 2850}}).key() == "reason.service.bad_state");
  CHECK(w.run("service.done", "vol", {{"request", "q1"}, {"minutes", 50}}).key() == "reason.service.amount_required");
  w.must("service.done", "vol", {{"request", "q1"}, {"minutes", 50}, {"amount_fen", 2850}});
  auto o = w.run("service.confirm", "grandma", {{"request", "q1"}, {"amount_fen", 2580}});
  CHECK(o.key() == "reason.service.amount_mismatch");
  CHECK(o.params.at(0).num == 2850);
  CHECK(w.run("service.confirm", "leader2", {{"request", "q1"}, {"amount_fen", 2850}}).key() == "reason.act_for.not_allowed");
  w.must("service.confirm", "daughter", {{"request", "q1"}, {"amount_fen", 2850}});
  CHECK(w.s.persons.at("vol").volunteer_minutes == 50);
  CHECK(w.s.persons.at("vol").services_done == 1);

  w.must("service.request", "grandma", {{"id", "q2"}, {"service", "haircut"}});
  w.must("role.grant", "admin", {{"person", "grandma"}, {"role", "volunteer"}});
  CHECK(w.run("service.take", "grandma", {{"request", "q2"}}).key() == "reason.service.own_request");
  w.must("service.take", "vol", {{"request", "q2"}});
  CHECK(w.run("service.done", "grandma", {{"request", "q2"}, {"minutes", 5}}).key() == "reason.service.not_taker");
  w.must("service.cancel", "grandma", {{"request", "q2"}});
  CHECK(w.s.requests.at("q2").status == RequestStatus::cancelled);
}

TEST_CASE("the moral clinic: roster of members only, cases run to an outcome") {
  test::World w;
  CHECK(w.run("clinic.roster.set", "uncle", {{"weekday", 2}, {"members", {"uncle", "grandma"}}}).key() ==
        "reason.clinic.not_member");
  w.must("clinic.roster.set", "uncle", {{"weekday", 2}, {"members", {"uncle"}}});
  CHECK(w.s.clinic_roster.at(2).count("uncle"));
  CHECK(w.run("clinic.case.open", "admin", {{"id", "k1"}, {"category", "leak"}, {"complaint", "x"}}).key() == "reason.op.role");
  w.must("clinic.case.open", "uncle", {{"id", "k1"}, {"category", "leak"}, {"parties", {"401户", "301户"}},
                                       {"complaint", "楼上漏水到楼下"}});
  w.must("clinic.case.session", "uncle", {{"case", "k1"}, {"diagnosis", "防水层老化"}, {"prescription", "两户分摊维修"}});
  w.must("clinic.case.followup", "uncle", {{"case", "k1"}, {"note", "一周后回访，已修好"}});
  w.must("clinic.case.close", "uncle", {{"case", "k1"}, {"outcome", "resolved"}});
  CHECK(w.s.cases.at("k1").entries.size() == 2);
  CHECK(w.run("clinic.case.followup", "uncle", {{"case", "k1"}, {"note", "x"}}).key() == "reason.clinic.case_closed");
}
