// map_edit: outlines, GeoJSON import/export and the edit history (map_edit.h; decision 0022).
#include "core/map_edit.h"

#include "core/community_query.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

namespace sihui::core {

namespace {
using json = nlohmann::json;

constexpr std::int64_t kMaxLon = 180000000, kMaxLat = 90000000;

bool in_range(const MicroPoint& p) { return p.x >= -kMaxLon && p.x <= kMaxLon && p.y >= -kMaxLat && p.y <= kMaxLat; }

// Twice the signed area (micro-degrees squared, as double: only compared).
double area2(const std::vector<MicroPoint>& pts) {
  double a = 0;
  for (std::size_t i = 0, n = pts.size(); i < n; ++i) {
    const auto& p = pts[i];
    const auto& q = pts[(i + 1) % n];
    a += static_cast<double>(p.x) * static_cast<double>(q.y) - static_cast<double>(q.x) * static_cast<double>(p.y);
  }
  return a;
}

bool contains(const std::vector<MicroPoint>& poly, MicroPoint p) {
  bool in = false;
  for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
    const auto& a = poly[i];
    const auto& b = poly[j];
    if ((a.y > p.y) != (b.y > p.y)) {
      double x = static_cast<double>(b.x - a.x) * static_cast<double>(p.y - a.y) / static_cast<double>(b.y - a.y) +
                 static_cast<double>(a.x);
      if (static_cast<double>(p.x) < x) in = !in;
    }
  }
  return in;
}

// micro-degrees -> "119.150123" (exact: integer arithmetic only).
void put_degrees(std::string& out, std::int64_t v) {
  if (v < 0) {
    out += '-';
    v = -v;
  }
  out += std::to_string(v / 1000000);
  std::string frac = std::to_string(v % 1000000);
  out += '.';
  out.append(6 - frac.size(), '0');
  out += frac;
}

std::string json_text(const std::string& s) { return json(s).dump(); }

// A flat JSON object written by hand: nlohmann's initializer lists cost kilobytes of wasm each.
struct Obj {
  std::string text = "{";
  Obj& str(const char* key, const std::string& v) { return raw(key, json_text(v)); }
  Obj& num(const char* key, std::int64_t v) { return raw(key, std::to_string(v)); }
  Obj& raw(const char* key, const std::string& v) {
    if (text.size() > 1) text += ',';
    text += '"';
    text += key;
    text += "\":";
    text += v;
    return *this;
  }
  std::string done() const { return text + "}"; }
};

// A ring of [lon, lat] positions -> points, the closing repeat dropped. Returns an error key.
std::string read_ring(const json& ring, std::vector<MicroPoint>* out) {
  out->clear();
  if (!ring.is_array()) return "geojson.error.bad_geometry";
  if (ring.size() > kMaxOutlinePoints + 1) return "geojson.error.too_many_points";
  for (const auto& pos : ring) {
    if (!pos.is_array() || pos.size() < 2 || !pos[0].is_number() || !pos[1].is_number())
      return "geojson.error.bad_geometry";
    double lon = pos[0].get<double>(), lat = pos[1].get<double>();
    if (!std::isfinite(lon) || !std::isfinite(lat) || std::fabs(lon) > 180 || std::fabs(lat) > 90)
      return "geojson.error.out_of_range";
    out->push_back({std::llround(lon * 1e6), std::llround(lat * 1e6)});
  }
  if (out->size() >= 2 && out->front() == out->back()) out->pop_back();
  if (out->size() < 3) return "geojson.error.bad_geometry";
  if (out->size() > kMaxOutlinePoints) return "geojson.error.too_many_points";
  return "";
}

// The outer ring of a Polygon, or of a MultiPolygon's largest part. "" ok; "skip" = not a polygon.
std::string read_geometry(const json& g, std::vector<MicroPoint>* out) {
  if (g.is_null()) return "skip";
  if (!g.is_object() || !g.contains("type") || !g["type"].is_string()) return "geojson.error.bad_geometry";
  const std::string type = g["type"].get<std::string>();
  if (type == "Point" || type == "MultiPoint" || type == "LineString" || type == "MultiLineString" ||
      type == "GeometryCollection")
    return "skip";
  if (type != "Polygon" && type != "MultiPolygon") return "geojson.error.bad_geometry";
  auto c = g.find("coordinates");
  if (c == g.end() || !c->is_array() || c->empty()) return "geojson.error.bad_geometry";
  if (type == "Polygon") return (*c)[0].is_array() ? read_ring((*c)[0], out) : "geojson.error.bad_geometry";
  double best = -1;
  std::vector<MicroPoint> ring;
  for (const auto& part : *c) {
    if (!part.is_array() || part.empty()) return "geojson.error.bad_geometry";
    if (auto e = read_ring(part[0], &ring); !e.empty()) return e;
    double a = std::fabs(area2(ring));
    if (a > best) {
      best = a;
      *out = ring;
    }
  }
  return "";
}

std::string prop(const json& props, const char* key) {
  for (const json* o : {&props, props.is_object() && props.contains("tags") ? &props["tags"] : nullptr}) {
    if (!o || !o->is_object()) continue;
    auto it = o->find(key);
    if (it == o->end()) continue;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
  }
  return "";
}
bool has_prop(const json& props, const char* key) {
  if (!props.is_object()) return false;
  if (props.contains(key)) return true;
  return props.contains("tags") && props["tags"].is_object() && props["tags"].contains(key);
}

// A name as the schema allows it: at most 64 characters (UTF-8 code points).
std::string clip_name(std::string s) {
  std::size_t chars = 0, i = 0;
  for (; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++chars > 64) break;
  s.resize(i);
  return s;
}
}  // namespace

// [SECTION] Outlines
bool parse_outline(std::string_view text, std::vector<MicroPoint>* out) {
  out->clear();
  while (!text.empty()) {
    auto semi = text.find(';');
    std::string_view pair = text.substr(0, semi);
    text = semi == std::string_view::npos ? std::string_view{} : text.substr(semi + 1);
    auto comma = pair.find(',');
    MicroPoint p;
    auto num = [](std::string_view s, std::int64_t* v) {
      auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
      return !s.empty() && r.ec == std::errc{} && r.ptr == s.data() + s.size();
    };
    if (comma == std::string_view::npos || !num(pair.substr(0, comma), &p.x) || !num(pair.substr(comma + 1), &p.y) ||
        !in_range(p) || out->size() >= kMaxOutlinePoints) {
      out->clear();
      return false;
    }
    out->push_back(p);
  }
  if (out->size() < 3) {
    out->clear();
    return false;
  }
  return true;
}

std::string format_outline(const std::vector<MicroPoint>& pts) {
  std::string s;
  for (const auto& p : pts) {
    if (!s.empty()) s += ';';
    s += std::to_string(p.x);
    s += ',';
    s += std::to_string(p.y);
  }
  return s;
}

std::string move_outline(std::string_view text, std::int64_t dx, std::int64_t dy) {
  std::vector<MicroPoint> pts;
  if (!parse_outline(text, &pts)) return std::string(text);
  for (auto& p : pts) {
    p.x += dx;
    p.y += dy;
  }
  return format_outline(pts);
}

MicroPoint outline_centre(const std::vector<MicroPoint>& pts) {
  if (pts.empty()) return {};
  std::int64_t x0 = pts[0].x, x1 = x0, y0 = pts[0].y, y1 = y0;
  for (const auto& p : pts) {
    x0 = std::min(x0, p.x); x1 = std::max(x1, p.x);
    y0 = std::min(y0, p.y); y1 = std::max(y1, p.y);
  }
  return {(x0 + x1) / 2, (y0 + y1) / 2};
}

// [SECTION] Proposed operations
DraftOp outline_op(std::string_view place, const Id& id, std::string_view outline) {
  return {"place.outline.set", "{\"id\":" + json_text(id) + ",\"outline\":" + json_text(std::string(outline)) +
                                   ",\"place\":" + json_text(std::string(place)) + "}"};
}

std::string current_outline(const State& s, std::string_view place, const Id& id) {
  if (place == "compound") {
    auto it = s.compounds.find(id);
    return it == s.compounds.end() ? "" : it->second.outline;
  }
  if (place == "building") {
    auto it = s.buildings.find(id);
    return it == s.buildings.end() ? "" : it->second.outline;
  }
  auto it = s.grids.find(id);
  return it == s.grids.end() ? "" : it->second.boundary;
}

// [SECTION] GeoJSON import
GeoImport import_geojson(const State& s, std::string_view bytes, std::string_view id_prefix) {
  GeoImport r;
  auto fail = [&](std::string key, std::size_t feature) {
    GeoImport e;
    e.error = std::move(key);
    e.feature = feature;
    return e;
  };
  if (bytes.size() > kMaxGeoJsonBytes) return fail("geojson.error.too_big", 0);
  json doc = json::parse(bytes.begin(), bytes.end(), nullptr, false);
  if (doc.is_discarded()) return fail("geojson.error.not_json", 0);
  if (!doc.is_object() || doc.value("type", json()) != "FeatureCollection" || !doc.contains("features") ||
      !doc["features"].is_array())
    return fail("geojson.error.not_collection", 0);
  const json& features = doc["features"];
  if (features.size() > kMaxGeoJsonFeatures) return fail("geojson.error.too_many_features", 0);

  struct Shape {
    std::size_t n;  // feature number, 1-based
    std::string kind, name, housenumber;
    std::vector<MicroPoint> pts;
  };
  std::vector<Shape> shapes;
  std::size_t n = 0;
  for (const auto& f : features) {
    ++n;
    if (!f.is_object() || f.value("type", json()) != "Feature") return fail("geojson.error.bad_geometry", n);
    Shape sh;
    sh.n = n;
    std::string e = read_geometry(f.contains("geometry") ? f["geometry"] : json(), &sh.pts);
    if (e == "skip") {
      ++r.skipped;
      continue;
    }
    if (!e.empty()) return fail(e, n);
    json props = f.contains("properties") && f["properties"].is_object() ? f["properties"] : json::object();
    std::string sk = prop(props, "sihui:kind");
    sh.kind = sk == "grid" ? "grid" : sk == "building" || (sk.empty() && has_prop(props, "building")) ? "building" : "compound";
    sh.name = clip_name(prop(props, "name"));
    sh.housenumber = prop(props, "addr:housenumber");
    shapes.push_back(std::move(sh));
  }

  // Compounds first (buildings are placed inside them), then grids, then buildings.
  std::map<std::string, Id> compound_by_name;
  for (const auto& [id, c] : s.compounds) compound_by_name.emplace(c.name, id);
  struct Yard { Id id; std::vector<MicroPoint> pts; };
  std::vector<Yard> yards;  // every compound with an outline: from the file or already on the map
  std::set<Id> outlined;     // compounds given an outline by this file
  std::set<Id> taken_ids;
  auto new_id = [&](char what) {
    for (int k = 1;; ++k) {
      Id id = std::string(id_prefix) + what + std::to_string(k);
      bool used = taken_ids.count(id) || s.compounds.count(id) || s.buildings.count(id);
      if (!used) {
        taken_ids.insert(id);
        return id;
      }
    }
  };
  std::vector<DraftOp> adds, buildings_add, outlines;
  for (const auto& sh : shapes) {
    if (sh.kind != "compound") continue;
    if (sh.name.empty()) {
      ++r.skipped;
      continue;
    }
    std::string outline = format_outline(sh.pts);
    auto it = compound_by_name.find(sh.name);
    if (it != compound_by_name.end()) {
      if (outlined.count(it->second)) { ++r.skipped; continue; }  // the same name twice in the file
      outlined.insert(it->second);
      yards.push_back({it->second, sh.pts});
      if (s.compounds.count(it->second) && s.compounds.at(it->second).outline == outline) {
        ++r.unchanged;
        continue;
      }
      outlines.push_back(outline_op("compound", it->second, outline));
      r.names.push_back(sh.name);
      ++r.outlines;
      continue;
    }
    Id id = new_id('c');
    compound_by_name.emplace(sh.name, id);
    outlined.insert(id);
    yards.push_back({id, sh.pts});
    MicroPoint c = outline_centre(sh.pts);
    adds.push_back({"place.compound.add",
                    Obj().str("id", id).str("name", sh.name).str("outline", outline).num("point_x", c.x).num("point_y", c.y).done()});
    r.names.push_back(sh.name);
    ++r.new_compounds;
  }
  for (const auto& [id, c] : s.compounds) {
    std::vector<MicroPoint> pts;
    if (!outlined.count(id) && parse_outline(c.outline, &pts)) yards.push_back({id, pts});
  }
  for (const auto& sh : shapes) {
    if (sh.kind != "grid") continue;
    const Grid* g = nullptr;
    for (const auto& [id, gr] : s.grids)
      if (gr.name == sh.name) g = &gr;
    if (!g) { ++r.skipped; continue; }
    std::string outline = format_outline(sh.pts);
    if (g->boundary == outline) { ++r.unchanged; continue; }
    outlines.push_back(outline_op("grid", g->id, outline));
    r.names.push_back(sh.name);
    ++r.outlines;
  }
  std::map<Id, std::set<std::string>> names_in;  // compound -> building names (existing and new)
  for (const auto& [id, b] : s.buildings) names_in[b.compound].insert(b.name);
  for (const auto& sh : shapes) {
    if (sh.kind != "building") continue;
    MicroPoint mid = outline_centre(sh.pts);
    const Yard* yard = nullptr;
    for (const auto& y : yards)
      if (contains(y.pts, mid)) { yard = &y; break; }
    if (!yard) { ++r.skipped; continue; }
    std::string name = sh.name;
    if (name.empty() && !sh.housenumber.empty()) name = clip_name(sh.housenumber + "号楼");
    std::string outline = format_outline(sh.pts);
    if (!name.empty() && names_in[yard->id].count(name)) {
      // The same building (by name in that compound): a new footprint if it is on the map already.
      const Building* b = nullptr;
      for (const auto& [id, x] : s.buildings)
        if (x.compound == yard->id && x.name == name) b = &x;
      if (!b) { ++r.skipped; continue; }  // the same name twice in the file
      if (b->outline == outline) { ++r.unchanged; continue; }
      outlines.push_back(outline_op("building", b->id, outline));
      r.names.push_back(name);
      ++r.outlines;
      continue;
    }
    for (int k = 1; name.empty(); ++k)  // nameless: the first free "N号楼" of the compound
      if (!names_in[yard->id].count(std::to_string(k) + "号楼")) name = std::to_string(k) + "号楼";
    names_in[yard->id].insert(name);
    buildings_add.push_back({"place.building.add",
                             Obj().str("compound", yard->id).str("id", new_id('b')).str("name", name).str("outline", outline).done()});
    r.names.push_back(name);
    ++r.new_buildings;
  }
  r.ops = std::move(adds);
  r.ops.insert(r.ops.end(), buildings_add.begin(), buildings_add.end());
  r.ops.insert(r.ops.end(), outlines.begin(), outlines.end());
  return r;
}

// [SECTION] GeoJSON export
std::string export_geojson(const State& s) {
  std::string out = "{\"type\":\"FeatureCollection\",\"features\":[";
  bool first = true;
  auto feature = [&](const Obj& props, const std::vector<MicroPoint>& pts, bool point) {
    out += first ? "\n" : ",\n";
    first = false;
    out += "{\"type\":\"Feature\",\"properties\":" + props.done() + ",\"geometry\":{\"type\":";
    if (point) {
      out += "\"Point\",\"coordinates\":[";
      put_degrees(out, pts[0].x);
      out += ',';
      put_degrees(out, pts[0].y);
      out += "]}}";
      return;
    }
    out += "\"Polygon\",\"coordinates\":[[";
    for (std::size_t i = 0; i <= pts.size(); ++i) {  // closed ring: the first point again at the end
      const auto& p = pts[i % pts.size()];
      out += i ? ",[" : "[";
      put_degrees(out, p.x);
      out += ',';
      put_degrees(out, p.y);
      out += ']';
    }
    out += "]]}}";
  };
  std::vector<MicroPoint> pts;
  for (const auto& [id, g] : s.grids)
    if (parse_outline(g.boundary, &pts)) feature(Obj().str("name", g.name).str("sihui:kind", "grid"), pts, false);
  for (const auto& [id, c] : s.compounds) {
    Obj props = Obj().str("name", c.name).str("sihui:kind", "compound");
    if (parse_outline(c.outline, &pts)) feature(props, pts, false);
    else if (c.point_x || c.point_y) feature(props, {{c.point_x, c.point_y}}, true);
  }
  for (const auto& [id, b] : s.buildings) {
    if (!parse_outline(b.outline, &pts)) continue;
    auto c = s.compounds.find(b.compound);
    feature(Obj().str("building", "yes").str("name", b.name)
                .str("sihui:compound", c == s.compounds.end() ? "" : c->second.name).str("sihui:kind", "building"),
            pts, false);
  }
  out += "\n]}\n";
  return out;
}

// [SECTION] Undo and redo
void EditHistory::push(Edit e) {
  done_.push_back(std::move(e));
  if (done_.size() > kMax) done_.erase(done_.begin());
  undone_.clear();
}

const std::string& EditHistory::undo_label() const {
  static const std::string none;
  return done_.empty() ? none : done_.back().label;
}
const std::string& EditHistory::redo_label() const {
  static const std::string none;
  return undone_.empty() ? none : undone_.back().label;
}

std::vector<DraftOp> EditHistory::undo() {
  if (done_.empty()) return {};
  Edit e = std::move(done_.back());
  done_.pop_back();
  auto ops = e.inverse;
  undone_.push_back(std::move(e));
  return ops;
}

std::vector<DraftOp> EditHistory::redo() {
  if (undone_.empty()) return {};
  Edit e = std::move(undone_.back());
  undone_.pop_back();
  auto ops = e.forward;
  done_.push_back(std::move(e));
  return ops;
}

Edit outline_edit(const State& s, std::string_view place, const Id& id, std::string_view outline, std::string label) {
  Edit e;
  e.label = std::move(label);
  e.forward.push_back(outline_op(place, id, outline));
  e.inverse.push_back(outline_op(place, id, current_outline(s, place, id)));
  return e;
}

Edit role_edit(const State& s, const Id& person, Role role, const Id& scope, bool grant, std::string label) {
  auto op = [&](bool g, const Id& who) {
    Obj p = Obj().str("person", who).str("role", std::string(enum_name(role)));
    if (!scope.empty()) p.str("scope", scope);
    // A leader's name is public: devices that hold it masked learn it from the grant (decision 0023).
    if (g) {
      if (std::string name = grant_display_name(s, who, role); !name.empty()) p.str("name", name);
    }
    return DraftOp{g ? "role.grant" : "role.revoke", p.done()};
  };
  Edit e;
  e.label = std::move(label);
  e.forward.push_back(op(grant, person));
  Id before;
  if (role == Role::grid_leader)
    if (auto g = s.grids.find(scope); g != s.grids.end()) before = g->second.leader;
  if (grant && !before.empty() && before != person) e.inverse.push_back(op(true, before));  // the old leader back
  else e.inverse.push_back(op(!grant, person));
  return e;
}

// [SECTION] Removing places (decision 0026)
DraftOp remove_op(std::string_view place, const Id& id) {
  return {"place.remove", Obj().str("id", id).str("place", std::string(place)).done()};
}

std::vector<DraftOp> readd_ops(const State& s, std::string_view place, const Id& id) {
  if (place == "compound") {
    auto it = s.compounds.find(id);
    if (it == s.compounds.end()) return {};
    const Compound& c = it->second;
    Obj o = Obj().str("id", id).str("name", c.name).num("point_x", c.point_x).num("point_y", c.point_y);
    if (!c.outline.empty()) o.str("outline", c.outline);
    return {{"place.compound.add", o.done()}};
  }
  if (place == "building") {
    auto it = s.buildings.find(id);
    if (it == s.buildings.end()) return {};
    const Building& b = it->second;
    Obj o = Obj().str("id", id).str("compound", b.compound).str("name", b.name);
    if (!b.outline.empty()) o.str("outline", b.outline);
    return {{"place.building.add", o.done()}};
  }
  if (place == "unit") {
    auto it = s.units.find(id);
    if (it == s.units.end()) return {};
    return {{"place.unit.add", Obj().str("id", id).str("building", it->second.building).str("name", it->second.name).done()}};
  }
  return {};
}

Edit remove_edit(const State& s, std::string_view place, const Id& id, std::string label) {
  Edit e;
  e.label = std::move(label);
  e.forward.push_back(remove_op(place, id));
  e.inverse = readd_ops(s, place, id);
  return e;
}

DraftOp compound_move_op(const Id& compound, const Id& grid) {
  Obj o = Obj().str("compound", compound);
  if (!grid.empty()) o.str("grid", grid);
  return {"grid.compound.move", o.done()};
}

Edit compound_move_edit(const State& s, const Id& compound, const Id& grid, std::string label) {
  Edit e;
  e.label = std::move(label);
  e.forward.push_back(compound_move_op(compound, grid));
  auto c = s.compounds.find(compound);
  e.inverse.push_back(compound_move_op(compound, c == s.compounds.end() ? Id{} : c->second.grid));
  return e;
}

Edit import_edit(const State& s, const std::vector<DraftOp>& ops, std::string label) {
  Edit e;
  e.label = std::move(label);
  e.forward = ops;
  // Undone last to first: outlines back to what they were, then new buildings, then new compounds go.
  for (auto it = ops.rbegin(); it != ops.rend(); ++it) {
    json p = json::parse(it->payload, nullptr, false);
    if (!p.is_object()) continue;
    const std::string id = p.value("id", std::string());
    if (it->kind == "place.compound.add") e.inverse.push_back(remove_op("compound", id));
    else if (it->kind == "place.building.add") e.inverse.push_back(remove_op("building", id));
    else if (it->kind == "place.unit.add") e.inverse.push_back(remove_op("unit", id));
    else if (it->kind == "place.outline.set") {
      const std::string place = p.value("place", std::string());
      e.inverse.push_back(outline_op(place, id, current_outline(s, place, id)));
    }
  }
  return e;
}

}  // namespace sihui::core
