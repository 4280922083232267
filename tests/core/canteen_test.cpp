// The elders' canteen: 40 seats, 80+ by birth year, exceptions, proxies, attendance.
#include <catch_amalgamated.hpp>

#include "support.h"

using namespace sihui;
using namespace sihui::core;

namespace {
struct CanteenWorld : test::World {
  CanteenWorld() {
    must("canteen.sitting.add", "cook", {{"id", "L0824"}, {"starts_at", core::shanghai_ms(2020, 8, 24, 11, 30)}, {"meal", "lunch"}});
    for (int i = 0; i < 45; ++i) person("e" + std::to_string(i), 1930 + (i % 10));
  }
  const Sitting& st() { return s.sittings.at("L0824"); }
};
}  // namespace

TEST_CASE("a sitting has 40 seats by default: the 40th is booked, the 41st refused") {
  CanteenWorld w;
  CHECK(w.st().seats == 40);
  for (int i = 0; i < 39; ++i) REQUIRE(w.run("canteen.book", "e" + std::to_string(i), {{"sitting", "L0824"}}).accepted());
  CHECK(w.run("canteen.book", "e39", {{"sitting", "L0824"}, {"diet", "少盐软食"}}).accepted());
  CHECK(w.st().bookings.size() == 40);
  auto o = w.run("canteen.book", "e40", {{"sitting", "L0824"}});
  CHECK(o.verdict == Verdict::refused);
  CHECK(o.key() == "reason.canteen.full");
  CHECK(o.params.at(0).num == 40);
  // A cancellation frees the seat for the next one.
  w.must("canteen.cancel", "e0", {{"sitting", "L0824"}});
  CHECK(w.run("canteen.book", "e40", {{"sitting", "L0824"}}).accepted());
  CHECK(w.run("canteen.book", "e40", {{"sitting", "L0824"}}).key() == "reason.canteen.already_booked");
}

TEST_CASE("eligibility: exactly 80 by birth year in the sitting's year") {
  CanteenWorld w;
  w.person("born1940", 1940);  // 80 in 2020
  w.person("born1941", 1941);  // 79 in 2020
  CHECK(w.run("canteen.book", "born1940", {{"sitting", "L0824"}}).accepted());
  auto o = w.run("canteen.book", "born1941", {{"sitting", "L0824"}});
  CHECK(o.key() == "reason.canteen.under_80");
  CHECK(o.params.at(0).num == 79);
  // The same person turns 80 in the next year's sittings (New Year in Shanghai, not UTC).
  w.must("canteen.sitting.add", "cook", {{"id", "NY"}, {"starts_at", core::shanghai_ms(2021, 1, 1, 0, 30)}, {"meal", "breakfast"}});
  w.now = core::shanghai_ms(2020, 12, 31, 12, 0);
  CHECK(w.run("canteen.book", "born1941", {{"sitting", "NY"}}).accepted());
}

TEST_CASE("staff may grant an exception with a reason, and revoke it") {
  CanteenWorld w;
  w.person("young", 1955, "u1", {"disabled"});
  CHECK(w.run("canteen.exception.grant", "grandma", {{"person", "young"}, {"reason", "x"}}).key() == "reason.op.role");
  w.must("canteen.exception.grant", "cook", {{"person", "young"}, {"reason", "独居，行动不便"}});
  CHECK(w.run("canteen.book", "young", {{"sitting", "L0824"}}).accepted());
  w.must("canteen.exception.revoke", "admin", {{"person", "young"}});
  w.must("canteen.cancel", "young", {{"sitting", "L0824"}});
  CHECK(w.run("canteen.book", "young", {{"sitting", "L0824"}}).key() == "reason.canteen.under_80");
  CHECK(w.run("canteen.exception.revoke", "admin", {{"person", "young"}}).key() == "reason.canteen.no_exception");
}

TEST_CASE("a daughter books for her mother once she is a proxy; others may not") {
  CanteenWorld w;
  CHECK(w.run("canteen.book", "daughter", {{"sitting", "L0824"}, {"person", "grandma"}}).key() == "reason.act_for.not_allowed");
  w.must("proxy.grant", "grandma", {{"elder", "grandma"}, {"proxy", "daughter"}});
  CHECK(w.run("canteen.book", "daughter", {{"sitting", "L0824"}, {"person", "grandma"}, {"diet", "糖尿病"}}).accepted());
  CHECK(w.st().bookings.at("grandma").by == "daughter");
  CHECK(w.st().bookings.at("grandma").diet == "糖尿病");
  CHECK(w.run("canteen.cancel", "leader2", {{"sitting", "L0824"}, {"person", "grandma"}}).key() == "reason.act_for.not_allowed");
  CHECK(w.run("canteen.cancel", "worker", {{"sitting", "L0824"}, {"person", "grandma"}}).accepted());  // her grid worker
}

TEST_CASE("attendance: booked diners check in, walk-ins take free seats, bookings close at the start") {
  CanteenWorld w;
  w.must("canteen.book", "e1", {{"sitting", "L0824"}});
  CHECK(w.run("canteen.attend", "e1", {{"sitting", "L0824"}, {"person", "e1"}}).key() == "reason.op.role");
  w.must("canteen.attend", "cook", {{"sitting", "L0824"}, {"person", "e1"}});
  CHECK(w.run("canteen.attend", "cook", {{"sitting", "L0824"}, {"person", "e1"}}).key() == "reason.canteen.already_attended");
  w.must("canteen.attend", "cook", {{"sitting", "L0824"}, {"person", "e2"}});
  CHECK(w.st().bookings.at("e2").walk_in);
  CHECK(w.run("canteen.attend", "cook", {{"sitting", "L0824"}, {"person", "vol"}}).key() == "reason.canteen.under_80");
  w.now = core::shanghai_ms(2020, 8, 24, 11, 30);
  CHECK(w.run("canteen.book", "e3", {{"sitting", "L0824"}}).key() == "reason.canteen.too_late");
}
