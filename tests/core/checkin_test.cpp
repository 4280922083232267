// Check-in at the door by code or QR text, and each student's record across a course (core/checkin.h).
#include <catch_amalgamated.hpp>

#include "core/checkin.h"
#include "support.h"

using namespace sihui;
using namespace sihui::core;

namespace {
struct ClassWorld : test::World {
  ClassWorld() {
    must("course.add", "teacher", {{"id", "ms"}, {"title", "面塑公益课"}, {"teacher", "teacher"}});
    for (int n = 1; n <= 3; ++n)
      must("session.add", "teacher", {{"id", "s" + std::to_string(n)}, {"course", "ms"}, {"number", n},
                                       {"starts_at", shanghai_ms(2020, 8, 7 * n, 9, 0)}, {"duration_min", 120}, {"seats", 2}});
    must("session.signup", "grandma", {{"session", "s1"}});
    must("session.signup", "worker", {{"session", "s1"}});
    must("session.signup", "leader", {{"session", "s1"}});  // wait-listed: two seats
  }
};
}  // namespace

TEST_CASE("check-in codes: six letters without look-alikes, stable, different per person and session") {
  std::string c = checkin_code("s1", "grandma");
  REQUIRE(c.size() == 6);
  for (char ch : c) CHECK(std::string("0O1IL").find(ch) == std::string::npos);
  CHECK(checkin_code("s1", "grandma") == c);
  CHECK(checkin_code("s1", "worker") != c);
  CHECK(checkin_code("s2", "grandma") != c);
  CHECK(checkin_text("s1", "grandma") == "SIHUI:CHECKIN:s1:grandma:" + c);
}

TEST_CASE("find_checkin: by letters in any case or by the QR text; refusals say why") {
  ClassWorld w;
  std::string g = checkin_code("s1", "grandma");
  auto m = find_checkin(w.s, "s1", g);
  CHECK(m.result == CheckinFind::found);
  CHECK(m.person == "grandma");
  std::string spaced = g.substr(0, 3) + "-" + g.substr(3);
  for (auto& ch : spaced) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  CHECK(find_checkin(w.s, "s1", " " + spaced + "\n").person == "grandma");
  CHECK(find_checkin(w.s, "s1", checkin_text("s1", "worker") + "\r\n").person == "worker");
  CHECK(find_checkin(w.s, "s1", checkin_text("s1", "leader")).result == CheckinFind::waitlisted);
  CHECK(find_checkin(w.s, "s2", checkin_text("s1", "worker")).result == CheckinFind::other_session);
  CHECK(find_checkin(w.s, "s1", "SIHUI:CHECKIN:s1:worker:AAAAAA").result == CheckinFind::unknown);  // damaged
  CHECK(find_checkin(w.s, "s1", "SIHUI:CHECKIN:s1").result == CheckinFind::unknown);
  CHECK(find_checkin(w.s, "s1", "ABC").result == CheckinFind::unknown);
  CHECK(find_checkin(w.s, "s1", "").result == CheckinFind::unknown);
  CHECK(find_checkin(w.s, "nope", g).result == CheckinFind::unknown);
  CHECK(find_checkin(w.s, "s1", checkin_code("s1", "daughter")).result == CheckinFind::unknown);  // no place
  w.must("session.checkin", "teacher", {{"session", "s1"}, {"person", "grandma"}});
  CHECK(find_checkin(w.s, "s1", g).result == CheckinFind::already);
  w.must("session.close", "teacher", {{"session", "s1"}});
  CHECK(find_checkin(w.s, "s1", checkin_code("s1", "worker")).result == CheckinFind::closed);
}

TEST_CASE("course students: came, no-shows marked at closing, the teacher's level, across sessions") {
  ClassWorld w;
  w.must("session.signup", "grandma", {{"session", "s2"}});
  w.must("session.signup", "worker", {{"session", "s2"}});
  w.must("session.checkin", "teacher", {{"session", "s1"}, {"person", "grandma"}});
  w.must("session.close", "teacher", {{"session", "s1"}});  // worker did not come: a no-show
  w.must("session.checkin", "teacher", {{"session", "s2"}, {"person", "grandma"}});
  w.must("session.checkin", "teacher", {{"session", "s2"}, {"person", "worker"}});
  w.must("session.close", "teacher", {{"session", "s2"}});
  w.must("course.progress", "teacher", {{"course", "ms"}, {"person", "grandma"}, {"level", 3}, {"note", "会捏小动物了"}});
  auto rows = course_students(w.s, "ms");
  REQUIRE(rows.size() == 2);  // leader only waited: never had a place
  CHECK(rows[0].person == "grandma");
  CHECK(rows[0].signed_up == 2);
  CHECK(rows[0].came == 2);
  CHECK(rows[0].no_shows == 0);
  CHECK(rows[0].level == 3);
  CHECK(rows[0].note == "会捏小动物了");
  CHECK(rows[0].last_came == shanghai_ms(2020, 8, 14, 9, 0));
  CHECK(rows[0].name == "居民grandma");
  CHECK(rows[1].person == "worker");
  CHECK(rows[1].came == 1);
  CHECK(rows[1].no_shows == 1);
  CHECK(course_students(w.s, "other").empty());
}
