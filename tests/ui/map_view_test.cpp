// The grid map's geometry: projection, pan and zoom about a point, pinch, fit and its limits,
// boundaries, hit tests, building layout, pin offsets and label placement.
#include <catch_amalgamated.hpp>

#include "ui/map_view.h"

using namespace sihui::ui::map;
using Catch::Approx;

static View view_800x600() {
  View v;
  v.set_viewport(100, 50, 800, 600);
  v.set({0, 0}, 1);
  return v;
}

TEST_CASE("projection: micro-degrees to metres, east and north positive, shrunk by latitude") {
  auto p = Projection::around(119150000, 36700000);
  Vec o = p.to_world(119150000, 36700000);
  CHECK(o.x == 0);
  CHECK(o.y == 0);
  Vec ne = p.to_world(119160000, 36710000);  // 0.01 degree east and north
  CHECK(ne.y == Approx(1113.19));
  CHECK(ne.x == Approx(1113.19 * 0.80175).epsilon(0.001));  // cos(36.7 degrees)
}

TEST_CASE("screen and world round-trip; north is up") {
  View v = view_800x600();
  Vec c = v.to_screen({0, 0});
  CHECK(c.x == 500);
  CHECK(c.y == 350);
  Vec n = v.to_screen({0, 10});
  CHECK(n.y == 340);
  Vec w = v.to_world({123, 456});
  Vec s = v.to_screen(w);
  CHECK(s.x == Approx(123));
  CHECK(s.y == Approx(456));
}

TEST_CASE("panning moves the content with the pointer") {
  View v = view_800x600();
  Vec before = v.to_screen({10, 10});
  v.pan(30, -20);
  Vec after = v.to_screen({10, 10});
  CHECK(after.x == Approx(before.x + 30));
  CHECK(after.y == Approx(before.y - 20));
}

TEST_CASE("zooming keeps the point under the wheel or finger in place, within limits") {
  View v = view_800x600();
  Vec at{200, 150};
  Vec world = v.to_world(at);
  v.zoom_at(2, at);
  CHECK(v.scale() == Approx(2));
  Vec again = v.to_screen(world);
  CHECK(again.x == Approx(at.x));
  CHECK(again.y == Approx(at.y));
  v.zoom_at(1e6, at);
  CHECK(v.scale() == v.max_scale);
  v.zoom_at(1e-9, at);
  CHECK(v.scale() == v.min_scale);
  v.zoom_at(0, at);  // ignored
  CHECK(v.scale() == v.min_scale);
}

TEST_CASE("a pinch pans by the midpoint and zooms by the change of distance") {
  View v = view_800x600();
  Vec a0{400, 350}, b0{600, 350};
  Vec mid_world = v.to_world({500, 350});
  v.pinch(a0, b0, {350, 360}, {650, 360});  // fingers spread 1.5x, moved 10 px down
  CHECK(v.scale() == Approx(1.5));
  Vec m = v.to_screen(mid_world);
  CHECK(m.x == Approx(500));
  CHECK(m.y == Approx(360));
}

TEST_CASE("fit shows the whole box and keeps the person from losing the map") {
  View v;
  v.set_viewport(0, 0, 400, 300);
  Box world{{-1000, -500}, {1000, 500}};
  v.fit(world, 20);
  CHECK(v.scale() == Approx(360.0 / 2000));
  CHECK(v.fitted());
  Vec tl = v.to_screen({-1000, 500});
  CHECK(tl.x >= 19.9);
  CHECK(tl.y >= 0);
  v.zoom_at(1e-6, {200, 150});
  CHECK(v.scale() == Approx(360.0 / 2000 / 4));
  v.pan(1e7, 1e7);  // far away: the centre stops at the edge of the map
  CHECK(v.centre().x == Approx(-1000));
  CHECK(v.centre().y == Approx(500));
}

TEST_CASE("boundaries: pairs of micro-degrees; malformed ones skipped; too few points give none") {
  auto p = parse_boundary("1,2;3,4; 5 , 6 ;x,1;7");
  REQUIRE(p.size() == 3);
  CHECK(p[2] == std::pair<std::int64_t, std::int64_t>{5, 6});
  CHECK(parse_boundary("1,2;3,4").empty());
  CHECK(parse_boundary("").empty());
  CHECK(parse_boundary(";;,;").empty());
}

TEST_CASE("point in polygon, convex and concave") {
  std::vector<Vec> square{{0, 0}, {10, 0}, {10, 10}, {0, 10}};
  CHECK(point_in_polygon(square, {5, 5}));
  CHECK_FALSE(point_in_polygon(square, {11, 5}));
  std::vector<Vec> ell{{0, 0}, {10, 0}, {10, 4}, {4, 4}, {4, 10}, {0, 10}};
  CHECK(point_in_polygon(ell, {2, 8}));
  CHECK_FALSE(point_in_polygon(ell, {8, 8}));
}

TEST_CASE("buildings are laid out in rows around the compound, apart, inside its outline") {
  auto b = layout_buildings({100, 100}, 7);
  REQUIRE(b.size() == 7);
  for (std::size_t i = 0; i < b.size(); ++i)
    for (std::size_t j = i + 1; j < b.size(); ++j) CHECK_FALSE(b[i].overlaps(b[j]));
  CHECK(b[0].min.x < b[1].min.x);  // numbered left to right
  CHECK(b[0].min.y > b[3].min.y);  // then top to bottom
  Box o = compound_outline({100, 100}, b);
  for (const auto& x : b) CHECK((o.contains(x.min) && o.contains(x.max)));
  CHECK(o.contains({100, 100}));
  CHECK(layout_buildings({0, 0}, 0).empty());
  CHECK(compound_outline({0, 0}, {}).w() == 60);
}

TEST_CASE("pins sharing an anchor sit in a centred row, at most max_shown") {
  auto p = pin_offsets(3, 20, 4);
  REQUIRE(p.size() == 3);
  CHECK(p[0].x == -20);
  CHECK(p[1].x == 0);
  CHECK(p[2].x == 20);
  CHECK(pin_offsets(9, 20, 4).size() == 4);
  CHECK(pin_offsets(0, 20, 4).empty());
}

TEST_CASE("pins closer than a cell merge into the first one's cluster, others stay apart") {
  // 0 and 1 are 10 px apart (one cluster); 2 is 35 px right of 0 (its own); 3 is 25 px from 2 but
  // across a cell border (it still joins 2); 4 is far away; 5 is near 0 again.
  auto c = merge_pins({{5, 5}, {15, 5}, {40, 5}, {62, 14}, {500, 500}, {8, 28}}, 30);
  REQUIRE(c.size() == 6);
  CHECK(c[0] == 0);
  CHECK(c[1] == 0);
  CHECK(c[2] == 1);
  CHECK(c[3] == 1);
  CHECK(c[4] == 2);
  CHECK(c[5] == 0);
  // Negative coordinates (anchors left of or above the screen) are cells like any other.
  auto n = merge_pins({{-5, -5}, {5, 5}, {-70, 0}}, 30);
  CHECK(n == std::vector<int>{0, 0, 1});
  // A cell of 0 merges nothing; no anchors, no clusters.
  CHECK(merge_pins({{1, 1}, {1, 1}}, 0) == std::vector<int>{0, 1});
  CHECK(merge_pins({}, 30).empty());
}

TEST_CASE("labels that would overlap one already placed are hidden") {
  LabelPlacer lp;
  CHECK(lp.place({{0, 0}, {100, 20}}));
  CHECK_FALSE(lp.place({{50, 10}, {150, 30}}));
  CHECK(lp.place({{100, 0}, {200, 20}}));  // touching is fine
  lp.reserve({{300, 0}, {320, 20}});
  CHECK_FALSE(lp.place({{310, 5}, {400, 15}}));
  lp.clear();
  CHECK(lp.place({{50, 10}, {150, 30}}));
}
