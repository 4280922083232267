// Problem reports: routing to the grid leader, the status chain, reopen, rating, links, due times.
#include <catch_amalgamated.hpp>

#include "core/categories.h"
#include "support.h"

using namespace sihui;
using namespace sihui::core;

TEST_CASE("a report is routed to the grid leader of its place and walks the status chain") {
  test::World w;
  w.must("report.file", "grandma", {{"id", "r1"}, {"category", "emergency"}, {"subtype", "aerial_charging_cable"},
                                    {"unit", "u1"}, {"description", "三楼窗口拉电线给电动车充电"}});
  const Report& r = w.s.reports.at("r1");
  CHECK(r.grid == "g1");
  CHECK(r.compound == "north");
  CHECK(r.building == "b3");
  CHECK(r.assignee == "leader");
  CHECK(r.due_at == r.filed_at + 2 * kMsPerHour);
  CHECK(w.run("report.accept", "leader2", {{"report", "r1"}}).key() == "reason.report.not_your_grid");
  CHECK(w.run("report.review", "leader", {{"report", "r1"}}).key() == "reason.report.bad_transition");
  w.must("report.accept", "worker", {{"report", "r1"}});
  w.must("report.dispatch", "leader", {{"report", "r1"}, {"to", "vol"}});
  CHECK(w.run("report.handle", "daughter", {{"report", "r1"}}).key() == "reason.op.role");
  w.must("report.handle", "vol", {{"report", "r1"}, {"note", "已拆除"}});
  CHECK(w.run("report.close", "leader", {{"report", "r1"}}).key() == "reason.report.bad_transition");
  w.must("report.review", "leader", {{"report", "r1"}});
  CHECK(w.run("report.close", "worker", {{"report", "r1"}}).key() == "reason.op.role");  // who may close: leader or staff
  w.must("report.close", "leader", {{"report", "r1"}});
  CHECK(w.s.reports.at("r1").status == ReportStatus::closed);
  CHECK(w.s.reports.at("r1").timeline.size() == 6);
  CHECK(w.run("report.rate", "daughter", {{"report", "r1"}, {"stars", 5}}).key() == "reason.report.not_reporter");
  w.must("report.rate", "grandma", {{"report", "r1"}, {"stars", 5}, {"text", "谢谢王书记"}});
  CHECK(w.run("report.rate", "grandma", {{"report", "r1"}, {"stars", 4}}).key() == "reason.report.already_rated");
}

TEST_CASE("reopening sends a report back to the start with a new due time") {
  test::World w;
  w.must("report.file", "grandma", {{"id", "r1"}, {"category", "dispute"}, {"subtype", "planting_on_green"}, {"compound", "north"}});
  CHECK(w.run("report.reopen", "grandma", {{"report", "r1"}}).key() == "reason.report.bad_transition");
  w.must("report.accept", "leader", {{"report", "r1"}});
  w.must("report.handle", "leader", {{"report", "r1"}});
  CHECK(w.run("report.reopen", "daughter", {{"report", "r1"}}).key() == "reason.report.not_reporter");
  w.must("report.reopen", "grandma", {{"report", "r1"}, {"reason", "菜又种上了"}});
  const Report& r = w.s.reports.at("r1");
  CHECK(r.status == ReportStatus::registered);
  CHECK(r.reopen_count == 1);
  CHECK(r.due_at == w.now + 72 * kMsPerHour);
}

TEST_CASE("reports need a place and a sub-type of their category; they may be linked") {
  test::World w;
  CHECK(w.run("report.file", "grandma", {{"id", "r1"}, {"category", "repair"}, {"subtype", "parking_chaos"}, {"compound", "north"}})
            .key() == "reason.report.bad_subtype");
  CHECK(w.run("report.file", "grandma", {{"id", "r1"}, {"category", "dispute"}, {"subtype", "parking_chaos"}}).key() ==
        "reason.report.no_location");
  w.must("report.file", "grandma", {{"id", "r1"}, {"category", "dispute"}, {"subtype", "parking_chaos"},
                                    {"point_x", 119161000}, {"point_y", 36707000}});
  CHECK(w.s.reports.at("r1").grid.empty());  // a bare map point goes to the committee
  w.must("report.file", "daughter", {{"id", "r2"}, {"category", "dispute"}, {"subtype", "parking_chaos"}, {"compound", "north"}});
  CHECK(w.run("report.link", "leader", {{"report", "r2"}, {"other", "r2"}, {"relation", "duplicate"}}).key() ==
        "reason.report.link_self");
  w.must("report.link", "leader", {{"report", "r2"}, {"other", "r1"}, {"relation", "repeat_spot"}});
  CHECK(w.s.reports.at("r1").links.size() == 1);
  w.must("report.comment", "daughter", {{"report", "r2"}, {"text", "今天又堵了消防通道"}});
  for (const auto& st : kSubtypes) CHECK(subtype_in(st.id, st.category));
}

TEST_CASE("staff file for a walk-in or phone caller: the caller's name and phone are kept with the report") {
  test::World w;
  w.must("report.file", "admin", {{"id", "r1"}, {"category", "care"}, {"subtype", "elder_visit"}, {"unit", "u1"},
                                  {"caller_name", "王秀兰"}, {"caller_phone", "13912345678"}});
  const Report& r = w.s.reports.at("r1");
  CHECK(r.reporter == "admin");
  CHECK(r.caller_name == "王秀兰");
  CHECK(r.caller_phone == "13912345678");
  CHECK(r.grid == "g1");
  CHECK(r.assignee == "leader");
  // As a reader who may not see them pulls it: masked, and the report is routed all the same.
  w.must("report.file", "admin", {{"id", "r2"}, {"category", "care"}, {"subtype", "elder_visit"}, {"unit", "u1"},
                                  {"caller_name", std::string(kMasked)}, {"caller_phone", std::string(kMasked)}});
  CHECK(w.s.reports.at("r2").caller_name == kMasked);
  CHECK(w.s.reports.at("r2").assignee == "leader");
  // Without a caller the fields stay empty.
  w.must("report.file", "grandma", {{"id", "r3"}, {"category", "repair"}, {"subtype", "door_lock"}, {"unit", "u1"}});
  CHECK(w.s.reports.at("r3").caller_name.empty());
  // Too long for the schema: the op is invalid and refused, nothing changes (the form says so before sending).
  nlohmann::json j = {{"id", test::op_id(999)}, {"kind", "report.file"}, {"author", "admin"}, {"made_at", w.now + 1},
                      {"payload", {{"id", "r4"}, {"category", "care"}, {"subtype", "elder_visit"}, {"unit", "u1"},
                                   {"caller_phone", std::string(21, '1')}}}};
  Op op;
  REQUIRE(decode_op_json(test::schema(), j, &op) == DecodeError::ok);
  CHECK(op.invalid == "caller_phone: too long");
  State before = w.s;
  CHECK_FALSE(w.r.apply(w.s, op).accepted());
  CHECK(w.s.reports.count("r4") == 0);
  CHECK(w.s.reports.size() == before.reports.size());
}
