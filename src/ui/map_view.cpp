#include "ui/map_view.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <unordered_map>

namespace sihui::ui::map {

Box bounds(const std::vector<Box>& boxes) {
  if (boxes.empty()) return {{-100, -100}, {100, 100}};
  Box b = boxes.front();
  for (const auto& o : boxes) {
    b.min.x = std::min(b.min.x, o.min.x);
    b.min.y = std::min(b.min.y, o.min.y);
    b.max.x = std::max(b.max.x, o.max.x);
    b.max.y = std::max(b.max.y, o.max.y);
  }
  return b;
}

Projection Projection::around(std::int64_t lon0, std::int64_t lat0) {
  Projection p;
  p.lon0 = lon0;
  p.lat0 = lat0;
  constexpr double kPi = 3.14159265358979323846;
  p.my = 0.111319;  // 111,319 m per degree of latitude
  p.mx = 0.111319 * std::cos(static_cast<double>(lat0) * 1e-6 * kPi / 180.0);
  return p;
}

Vec Projection::to_world(std::int64_t x, std::int64_t y) const {
  return {static_cast<double>(x - lon0) * mx, static_cast<double>(y - lat0) * my};
}

void Projection::to_micro(Vec w, std::int64_t* x, std::int64_t* y) const {
  *x = lon0 + std::llround(w.x / mx);
  *y = lat0 + std::llround(w.y / my);
}

void View::set_viewport(double x, double y, double w, double h) {
  port_ = {{x, y}, {x + std::max(1.0, w), y + std::max(1.0, h)}};
}

void View::set(Vec centre, double scale) {
  centre_ = centre;
  scale_ = scale;
  clamp();
}

Vec View::to_screen(Vec w) const {
  Vec c = port_.centre();
  return {c.x + (w.x - centre_.x) * scale_, c.y - (w.y - centre_.y) * scale_};
}

Vec View::to_world(Vec s) const {
  Vec c = port_.centre();
  return {centre_.x + (s.x - c.x) / scale_, centre_.y - (s.y - c.y) / scale_};
}

void View::pan(double dx, double dy) {
  centre_.x -= dx / scale_;
  centre_.y += dy / scale_;
  clamp();
}

void View::zoom_at(double factor, Vec at) {
  if (!(factor > 0)) return;
  Vec before = to_world(at);
  scale_ = std::clamp(scale_ * factor, min_scale, max_scale);
  Vec after = to_world(at);
  centre_.x += before.x - after.x;
  centre_.y += before.y - after.y;
  clamp();
}

void View::pinch(Vec a0, Vec b0, Vec a1, Vec b1) {
  double d0 = std::hypot(b0.x - a0.x, b0.y - a0.y), d1 = std::hypot(b1.x - a1.x, b1.y - a1.y);
  Vec m0{(a0.x + b0.x) / 2, (a0.y + b0.y) / 2}, m1{(a1.x + b1.x) / 2, (a1.y + b1.y) / 2};
  pan(m1.x - m0.x, m1.y - m0.y);
  if (d0 > 1 && d1 > 1) zoom_at(d1 / d0, m1);
}

void View::fit(const Box& world, double margin) {
  double w = std::max(1.0, port_.w() - 2 * margin), h = std::max(1.0, port_.h() - 2 * margin);
  double s = std::min(w / std::max(1.0, world.w()), h / std::max(1.0, world.h()));
  s = std::clamp(s, 1e-4, max_scale);
  min_scale = std::min(s / 4, max_scale);
  limits_ = world;
  fitted_ = true;
  centre_ = world.centre();
  scale_ = s;
  clamp();
}

void View::clamp() {
  scale_ = std::clamp(scale_, min_scale, max_scale);
  centre_.x = std::clamp(centre_.x, limits_.min.x, limits_.max.x);
  centre_.y = std::clamp(centre_.y, limits_.min.y, limits_.max.y);
}

std::vector<std::pair<std::int64_t, std::int64_t>> parse_boundary(std::string_view text) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  while (!text.empty()) {
    auto semi = text.find(';');
    std::string_view pair = text.substr(0, semi);
    text = semi == std::string_view::npos ? std::string_view{} : text.substr(semi + 1);
    auto comma = pair.find(',');
    if (comma == std::string_view::npos) continue;
    auto num = [](std::string_view s, std::int64_t* v) {
      while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
      while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
      auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
      return !s.empty() && r.ec == std::errc{} && r.ptr == s.data() + s.size();
    };
    std::int64_t x = 0, y = 0;
    if (num(pair.substr(0, comma), &x) && num(pair.substr(comma + 1), &y)) out.emplace_back(x, y);
  }
  if (out.size() < 3) out.clear();
  return out;
}

bool point_in_polygon(const std::vector<Vec>& poly, Vec p) {
  bool in = false;
  for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
    const Vec &a = poly[i], &b = poly[j];
    if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) in = !in;
  }
  return in;
}

std::vector<Box> layout_buildings(Vec centre, int n) {
  std::vector<Box> out;
  if (n <= 0) return out;
  constexpr double kW = 36, kH = 14, kStepX = 50, kStepY = 34;
  int cols = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))));
  int rows = (n + cols - 1) / cols;
  double x0 = centre.x - (cols - 1) * kStepX / 2, y0 = centre.y + (rows - 1) * kStepY / 2;
  for (int i = 0; i < n; ++i) {
    double cx = x0 + (i % cols) * kStepX, cy = y0 - (i / cols) * kStepY;
    out.push_back({{cx - kW / 2, cy - kH / 2}, {cx + kW / 2, cy + kH / 2}});
  }
  return out;
}

Box compound_outline(Vec centre, const std::vector<Box>& buildings) {
  if (buildings.empty()) return {{centre.x - 30, centre.y - 30}, {centre.x + 30, centre.y + 30}};
  return bounds(buildings).grown(15);
}

std::vector<Vec> pin_offsets(int count, double gap, int max_shown) {
  std::vector<Vec> out;
  int n = std::clamp(count, 0, std::max(0, max_shown));
  for (int i = 0; i < n; ++i) out.push_back({(i - (n - 1) / 2.0) * gap, 0});
  return out;
}

std::vector<int> merge_pins(const std::vector<Vec>& at, double cell) {
  std::vector<int> out(at.size(), 0);
  if (!(cell > 0)) {  // no cell: every anchor on its own
    for (std::size_t i = 0; i < at.size(); ++i) out[i] = static_cast<int>(i);
    return out;
  }
  std::unordered_map<std::uint64_t, int> seeded;  // cell -> the cluster whose first anchor is in it
  std::vector<Vec> first;
  auto key = [](std::int64_t cx, std::int64_t cy) {
    return (static_cast<std::uint64_t>(cx) << 32) ^ (static_cast<std::uint64_t>(cy) & 0xffffffffu);
  };
  seeded.reserve(at.size());
  for (std::size_t i = 0; i < at.size(); ++i) {
    auto cx = static_cast<std::int64_t>(std::floor(at[i].x / cell));
    auto cy = static_cast<std::int64_t>(std::floor(at[i].y / cell));
    int into = -1;
    for (int dx = -1; dx <= 1 && into < 0; ++dx)
      for (int dy = -1; dy <= 1 && into < 0; ++dy) {
        auto it = seeded.find(key(cx + dx, cy + dy));
        if (it == seeded.end()) continue;
        const Vec& o = first[static_cast<std::size_t>(it->second)];
        if (std::abs(o.x - at[i].x) < cell && std::abs(o.y - at[i].y) < cell) into = it->second;
      }
    if (into < 0) {
      into = static_cast<int>(first.size());
      first.push_back(at[i]);
      seeded.emplace(key(cx, cy), into);  // a cell holds one seed: a later one nearby joins it
    }
    out[i] = into;
  }
  return out;
}

bool LabelPlacer::place(const Box& b) {
  for (const auto& p : placed_)
    if (p.overlaps(b)) return false;
  placed_.push_back(b);
  return true;
}

}  // namespace sihui::ui::map
