// Touch gestures: tap, slider drag, scroll and long press become the right ImGui input.
#include <catch_amalgamated.hpp>

#include "ui/gesture.h"

using sihui::ui::PointerAction;
using sihui::ui::TouchGestures;
using K = PointerAction::Kind;

static std::vector<K> kinds(const std::vector<PointerAction>& v) {
  std::vector<K> out;
  for (const auto& a : v) out.push_back(a.kind);
  return out;
}

TEST_CASE("a tap is a left click where the finger was") {
  TouchGestures g;
  auto a = g.down(100, 200, 0, false);
  CHECK(kinds(a) == std::vector<K>{K::Move, K::Down});
  CHECK(a[0].x == 100);
  CHECK(kinds(g.move(104, 203, 50)).empty());  // within the slop: still a tap
  auto b = g.up(104, 203, 120);
  CHECK(kinds(b) == std::vector<K>{K::Move, K::Up});
  CHECK_FALSE(g.active());
}

TEST_CASE("dragging off a button scrolls and never clicks it") {
  TouchGestures g;
  g.down(100, 400, 0, false);
  auto a = g.move(100, 380, 30);
  REQUIRE(kinds(a) == std::vector<K>{K::MoveAway, K::Up, K::Scroll});
  CHECK(a[2].y == -20);
  auto b = g.move(100, 350, 60);
  REQUIRE(kinds(b) == std::vector<K>{K::Scroll});
  CHECK(b[0].y == -30);
  CHECK(g.scrolling());
  CHECK(kinds(g.up(100, 350, 90)).empty());  // released long ago: no second Up, no click
}

TEST_CASE("dragging a slider moves the pointer instead of scrolling") {
  TouchGestures g;
  g.down(100, 100, 0, true);
  auto a = g.move(160, 102, 20);
  CHECK(kinds(a) == std::vector<K>{K::Move});
  CHECK(kinds(g.up(170, 102, 40)) == std::vector<K>{K::Move, K::Up});
}

TEST_CASE("holding still becomes a right click for the context menu") {
  TouchGestures g;
  g.down(50, 60, 1000, false);
  CHECK(g.tick(1400).empty());
  auto a = g.tick(1560);
  REQUIRE(kinds(a) == std::vector<K>{K::MoveAway, K::Up, K::Move, K::Down, K::Up});
  CHECK(a[3].button == 1);
  CHECK(a[4].button == 1);
  CHECK(kinds(g.up(50, 60, 1700)).empty());  // no left click after the long press
  CHECK(g.tick(5000).empty());
}

TEST_CASE("a cancelled touch releases without clicking") {
  TouchGestures g;
  g.down(1, 1, 0, false);
  CHECK(kinds(g.cancel()) == std::vector<K>{K::MoveAway, K::Up});
  CHECK(g.cancel().empty());
}
