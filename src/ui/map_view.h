// map_view: the grid map's geometry without ImGui: projection of micro-degrees to local metres,
// the view (centre and zoom) with pan, zoom about a point, pinch and fit, hit testing, label
// placement without overlaps and the schematic layout of buildings in a compound (buildings have
// no coordinates in the model yet; decision 0014). Pure, tested natively (tests/ui/map_view_test.cpp).
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

namespace sihui::ui::map {

struct Vec {
  double x = 0, y = 0;
};
struct Box {  // axis-aligned; min <= max
  Vec min, max;
  double w() const { return max.x - min.x; }
  double h() const { return max.y - min.y; }
  Vec centre() const { return {(min.x + max.x) / 2, (min.y + max.y) / 2}; }
  bool contains(Vec p) const { return p.x >= min.x && p.x <= max.x && p.y >= min.y && p.y <= max.y; }
  bool overlaps(const Box& o) const { return min.x < o.max.x && o.min.x < max.x && min.y < o.max.y && o.min.y < max.y; }
  Box grown(double d) const { return {{min.x - d, min.y - d}, {max.x + d, max.y + d}}; }
};
Box bounds(const std::vector<Box>& boxes);  // empty input: a 200 m box around the origin

// Micro-degrees (lon = x, lat = y) to metres east and north of an origin; equirectangular,
// exact enough for a neighbourhood of a few kilometres.
struct Projection {
  std::int64_t lon0 = 0, lat0 = 0;
  double mx = 0.111319, my = 0.111319;  // metres per micro-degree east and north
  static Projection around(std::int64_t lon0, std::int64_t lat0);
  Vec to_world(std::int64_t x, std::int64_t y) const;
  void to_micro(Vec w, std::int64_t* x, std::int64_t* y) const;  // the inverse, rounded
};

// Screen: pixels, y down. World: metres, y up (north).
class View {
 public:
  double min_scale = 0.01, max_scale = 20;  // pixels per metre

  void set_viewport(double x, double y, double w, double h);
  Box viewport() const { return port_; }
  Vec centre() const { return centre_; }
  double scale() const { return scale_; }
  void set(Vec centre, double scale);  // clamped

  Vec to_screen(Vec w) const;
  Vec to_world(Vec s) const;
  // The content follows the pointer by (dx, dy) pixels.
  void pan(double dx, double dy);
  // Multiplies the scale by factor (clamped), keeping the world point under `at` where it is.
  void zoom_at(double factor, Vec at);
  // Two fingers moved from (a0, b0) to (a1, b1): the midpoint pans, the distance ratio zooms.
  void pinch(Vec a0, Vec b0, Vec a1, Vec b1);
  // Centres the box with `margin` pixels around it; min_scale becomes a quarter of that zoom so
  // the person cannot lose the map, and the centre stays inside `limits` from then on.
  void fit(const Box& world, double margin);
  bool fitted() const { return fitted_; }

 private:
  void clamp();
  Box port_{{0, 0}, {1, 1}};
  Vec centre_;
  double scale_ = 1;
  Box limits_{{-1e9, -1e9}, {1e9, 1e9}};
  bool fitted_ = false;
};

// "x,y;x,y;..." in micro-degrees (Grid::boundary). Malformed pairs are skipped; fewer than three
// points give an empty polygon.
std::vector<std::pair<std::int64_t, std::int64_t>> parse_boundary(std::string_view text);
bool point_in_polygon(const std::vector<Vec>& poly, Vec p);

// Schematic footprints of n buildings around a compound's point: rows of slabs 36 m x 14 m,
// numbered left to right, top to bottom (index i is building i in id order).
std::vector<Box> layout_buildings(Vec centre, int n);
// The compound's outline: its buildings with a 15 m yard (or a 60 m square when it has none).
Box compound_outline(Vec centre, const std::vector<Box>& buildings);

// Screen offsets of `count` pins sharing one anchor: a row above it, `gap` pixels apart,
// centred; at most `max_shown` are placed (the rest are summed up as "+n" by the caller).
std::vector<Vec> pin_offsets(int count, double gap, int max_shown);

// Pin anchors on screen merged by cell: in order, an anchor joins the first cluster whose first
// anchor is less than `cell` away on both axes (looked up in its own and the eight neighbouring
// cells, so it costs O(n)), else it starts a cluster. Returns each anchor's cluster, numbered in
// order of their first anchor.
std::vector<int> merge_pins(const std::vector<Vec>& at, double cell);

// Screen-space labels placed first come, first served; a label that would overlap one already
// placed is hidden. The caller offers the most important ones first.
class LabelPlacer {
 public:
  void clear() { placed_.clear(); }
  bool place(const Box& screen_box);  // true: draw it
  void reserve(const Box& screen_box) { placed_.push_back(screen_box); }  // e.g. a pin or button
 private:
  std::vector<Box> placed_;
};

}  // namespace sihui::ui::map
