// Heritage classes: seats, wait list, automatic promotion, groups held together, who may join.
#include <catch_amalgamated.hpp>

#include "support.h"

using namespace sihui;
using namespace sihui::core;

namespace {
struct ClassWorld : test::World {
  ClassWorld(std::int64_t seats = 3) {
    must("course.add", "teacher", {{"id", "mianshu"}, {"title", "面塑公益课"}, {"teacher", "teacher"}});
    must("session.add", "teacher",
         {{"id", "s16"}, {"course", "mianshu"}, {"number", 16}, {"starts_at", core::shanghai_ms(2020, 9, 5, 9, 0)},
          {"duration_min", 120}, {"seats", seats}, {"open_to", {"resident", "student", "teen"}}});
    for (int i = 0; i < 8; ++i) person("r" + std::to_string(i), 1950 + i);
  }
  const Session& ses() { return s.sessions.at("s16"); }
};
}  // namespace

TEST_CASE("the last seat is taken, the next sign-up is wait-listed with its position") {
  ClassWorld w(3);
  CHECK(w.run("session.signup", "r0", {{"session", "s16"}}).accepted());
  CHECK(w.run("session.signup", "r1", {{"session", "s16"}}).reason == Reason::none);
  auto third = w.run("session.signup", "r2", {{"session", "s16"}});
  CHECK(third.accepted());
  CHECK(third.reason == Reason::none);  // the 3rd of 3 seats: enrolled
  auto fourth = w.run("session.signup", "r3", {{"session", "s16"}});
  CHECK(fourth.accepted());
  CHECK(fourth.key() == "reason.class.full_waitlisted");
  REQUIRE(fourth.params.size() == 1);
  CHECK(fourth.params[0].name == "position");
  CHECK(fourth.params[0].num == 1);
  auto fifth = w.run("session.signup", "r4", {{"session", "s16"}});
  CHECK(fifth.params[0].num == 2);
  CHECK(w.ses().taken == 3);
  CHECK(w.ses().waitlist.size() == 2);
  CHECK(w.run("session.signup", "r0", {{"session", "s16"}}).key() == "reason.class.already_signed_up");
}

TEST_CASE("a cancellation promotes the head of the wait list") {
  ClassWorld w(2);
  w.must("session.signup", "r0", {{"session", "s16"}});
  w.must("session.signup", "r1", {{"session", "s16"}});
  w.must("session.signup", "r2", {{"session", "s16"}});
  w.must("session.signup", "r3", {{"session", "s16"}});
  CHECK(w.run("session.cancel", "r4", {{"session", "s16"}}).key() == "reason.class.not_signed_up");
  CHECK(w.run("session.cancel", "r3", {{"session", "s16"}, {"person", "r0"}}).key() == "reason.act_for.not_allowed");
  w.must("session.cancel", "r0", {{"session", "s16"}});
  REQUIRE(w.ses().enrolled.size() == 2);
  CHECK(w.ses().enrolled[1].persons[0] == "r2");  // the head, not r3
  CHECK(w.ses().waitlist.size() == 1);
  CHECK(w.ses().waitlist[0].persons[0] == "r3");
  // Cancelling from the wait list promotes nobody and keeps order.
  w.must("session.cancel", "teacher", {{"session", "s16"}, {"person", "r3"}});
  CHECK(w.ses().waitlist.empty());
}

TEST_CASE("family places are held together: a group gets seats only if all fit") {
  ClassWorld w(4);
  w.must("person.add", "admin", {{"id", "mum"}, {"name", "妈妈"}, {"birth_year", 1985}, {"household", "h301"}});
  w.must("person.add", "admin", {{"id", "kid"}, {"name", "孩子"}, {"birth_year", 2010}, {"household", "h301"}});
  w.must("person.add", "admin", {{"id", "dad"}, {"name", "爸爸"}, {"birth_year", 1984}, {"household", "h301"}});
  w.must("session.signup", "r0", {{"session", "s16"}});
  w.must("session.signup", "r1", {{"session", "s16"}});
  // 2 seats left, a family of 3: all three wait together.
  auto o = w.run("session.signup", "mum", {{"session", "s16"}, {"group", {"kid", "dad"}}});
  CHECK(o.key() == "reason.class.full_waitlisted");
  CHECK(w.ses().taken == 2);
  // A later single does not jump the queue even though a seat is free.
  CHECK(w.run("session.signup", "r2", {{"session", "s16"}}).key() == "reason.class.full_waitlisted");
  // One cancellation makes room for the whole family at once.
  w.must("session.cancel", "r1", {{"session", "s16"}});
  REQUIRE(w.ses().enrolled.size() == 2);
  CHECK(w.ses().enrolled[1].persons == std::vector<std::string>{"mum", "kid", "dad"});
  CHECK(w.ses().taken == 4);
  CHECK(w.run("session.signup", "mum", {{"session", "s16"}, {"person", "r5"}}).key() ==
        "reason.act_for.not_allowed");
  CHECK(w.run("session.signup", "r5", {{"session", "s16"}, {"group", {"r5"}}}).key() == "reason.class.group_duplicate");
}

TEST_CASE("who may join: teenagers need a guardian, sessions may be closed to some") {
  ClassWorld w(10);
  w.must("person.add", "admin", {{"id", "teen"}, {"name", "少年"}, {"birth_year", 2008}, {"household", "h301"}});
  w.must("person.add", "admin", {{"id", "mum"}, {"name", "妈妈"}, {"birth_year", 1985}, {"household", "h301"}});
  CHECK(w.run("session.signup", "teen", {{"session", "s16"}}).key() == "reason.class.guardian_required");
  CHECK(w.run("session.signup", "teen", {{"session", "s16"}, {"guardian", "mum"}}).accepted());
  w.must("session.add", "teacher",
         {{"id", "s17"}, {"course", "mianshu"}, {"number", 17}, {"starts_at", core::shanghai_ms(2020, 10, 5, 9, 0)},
          {"duration_min", 120}, {"seats", 10}, {"open_to", {"student"}}});
  CHECK(w.run("session.signup", "r0", {{"session", "s17"}}).key() == "reason.class.not_open_to");
  CHECK(w.run("session.signup", "vol", {{"session", "s17"}}).accepted());
  CHECK(w.run("session.add", "teacher", {{"id", "dup"}, {"course", "mianshu"}, {"number", 17}, {"starts_at", 1},
                                         {"duration_min", 1}, {"seats", 1}}).key() == "reason.class.number_taken");
  CHECK(w.run("session.add", "grandma", {{"id", "x"}, {"course", "mianshu"}, {"number", 18}, {"starts_at", 1},
                                         {"duration_min", 1}, {"seats", 1}}).key() == "reason.op.role");
  CHECK(w.run("session.signup", "r1", {{"session", "s16"}, {"group", {"r2", "r3", "r4", "r5", "r6", "r7", "leader", "worker", "cook"}}})
            .key() == "reason.act_for.not_allowed");
}

TEST_CASE("check-in, closing marks no-shows, sign-up after start is refused") {
  ClassWorld w(5);
  w.must("session.signup", "r0", {{"session", "s16"}});
  w.must("session.signup", "r1", {{"session", "s16"}});
  CHECK(w.run("session.checkin", "r0", {{"session", "s16"}, {"person", "r0"}}).key() == "reason.op.role");
  w.must("session.checkin", "teacher", {{"session", "s16"}, {"person", "r0"}});
  CHECK(w.run("session.checkin", "teacher", {{"session", "s16"}, {"person", "r0"}}).key() ==
        "reason.class.already_checked_in");
  CHECK(w.run("session.checkin", "teacher", {{"session", "s16"}, {"person", "r2"}}).key() == "reason.class.not_signed_up");
  w.must("session.close", "teacher", {{"session", "s16"}});
  CHECK(w.ses().no_shows == std::set<std::string>{"r1"});
  CHECK(w.run("session.signup", "r3", {{"session", "s16"}}).key() == "reason.class.closed");
  w.now = core::shanghai_ms(2020, 10, 6, 0, 0);
  w.must("session.add", "teacher", {{"id", "old"}, {"course", "mianshu"}, {"number", 1}, {"starts_at", core::shanghai_ms(2018, 5, 1, 9, 0)},
                                    {"duration_min", 60}, {"seats", 5}});
  CHECK(w.run("session.signup", "r3", {{"session", "old"}}).key() == "reason.class.started");
  w.must("course.progress", "teacher", {{"course", "mianshu"}, {"person", "r0"}, {"level", 3}, {"note", "会捏小兔子"}});
  CHECK(w.s.courses.at("mianshu").progress.at("r0").level == 3);
}
