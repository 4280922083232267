// Map editing: outlines, GeoJSON import (good and bad input), export and round trip, the
// place.outline.set rule, and undo/redo as inverse operations.
#include <catch_amalgamated.hpp>

#include "core/map_edit.h"
#include "support.h"

using namespace sihui;
using namespace sihui::core;

namespace {
// Applies proposed ops as `author`; returns how many were accepted.
int apply_all(test::World& w, const std::vector<DraftOp>& ops, const char* author = "admin") {
  int n = 0;
  for (const auto& d : ops) n += w.run(d.kind, author, nlohmann::json::parse(d.payload)).accepted();
  return n;
}
const Building* building_named(const State& s, const std::string& name, const Id& compound = {}) {
  for (const auto& [id, b] : s.buildings)
    if (b.name == name && (compound.empty() || b.compound == compound)) return &b;
  return nullptr;
}
const Compound* compound_named(const State& s, const std::string& name) {
  for (const auto& [id, c] : s.compounds)
    if (c.name == name) return &c;
  return nullptr;
}
std::string fixture(const char* name) { return test::slurp(std::string(SIHUI_SOURCE_DIR "/tests/fixtures/") + name); }
}  // namespace

TEST_CASE("outlines parse strictly and move by whole micro-degrees") {
  std::vector<MicroPoint> pts;
  CHECK(parse_outline("1,2;3,4;5,-6", &pts));
  CHECK(pts == std::vector<MicroPoint>{{1, 2}, {3, 4}, {5, -6}});
  CHECK(format_outline(pts) == "1,2;3,4;5,-6");
  CHECK_FALSE(parse_outline("1,2;3,4", &pts));           // two points
  CHECK_FALSE(parse_outline("1,2;3,x;5,6", &pts));       // malformed
  CHECK_FALSE(parse_outline("1,2;3,4;181000000,6", &pts));  // out of range
  CHECK(pts.empty());
  std::string many;
  for (int i = 0; i < 151; ++i) many += (i ? ";" : "") + std::to_string(i) + ",0";
  CHECK_FALSE(parse_outline(many, &pts));
  CHECK(move_outline("1,2;3,4;5,6", 10, -1) == "11,1;13,3;15,5");
  CHECK(move_outline("", 10, 10).empty());
}

TEST_CASE("place.outline.set sets outlines of compounds, buildings and grids, staff only, valid shapes only") {
  test::World w;
  CHECK(w.run("place.outline.set", "admin", {{"place", "building"}, {"id", "b3"}, {"outline", "1,1;2,1;2,2"}}).accepted());
  CHECK(w.s.buildings.at("b3").outline == "1,1;2,1;2,2");
  CHECK(w.run("place.outline.set", "admin", {{"place", "compound"}, {"id", "north"}, {"outline", "0,0;9,0;9,9"}}).accepted());
  CHECK(w.s.compounds.at("north").outline == "0,0;9,0;9,9");
  CHECK(w.run("place.outline.set", "admin", {{"place", "grid"}, {"id", "g1"}, {"outline", "0,0;9,0;9,9"}}).accepted());
  CHECK(w.s.grids.at("g1").boundary == "0,0;9,0;9,9");
  CHECK(w.run("place.outline.set", "admin", {{"place", "building"}, {"id", "b3"}, {"outline", ""}}).accepted());
  CHECK(w.s.buildings.at("b3").outline.empty());
  auto before = w.s.buildings;
  CHECK(w.run("place.outline.set", "admin", {{"place", "building"}, {"id", "b3"}, {"outline", "1,1;2,1"}}).key() ==
        "reason.place.bad_outline");
  CHECK(w.run("place.outline.set", "admin", {{"place", "building"}, {"id", "zz"}, {"outline", "1,1;2,1;2,2"}}).key() ==
        "reason.not_found.building");
  CHECK(w.run("place.outline.set", "leader", {{"place", "building"}, {"id", "b3"}, {"outline", "1,1;2,1;2,2"}}).key() ==
        "reason.op.role");
  CHECK(w.s.buildings == before);
  CHECK(w.run("place.building.add", "admin", {{"id", "bx"}, {"compound", "north"}, {"name", "5号楼"}, {"outline", "1,1"}})
            .key() == "reason.place.bad_outline");
}

TEST_CASE("an OpenStreetMap-like GeoJSON proposes a compound and its buildings") {
  test::World w;
  auto imp = import_geojson(w.s, fixture("osm-small.geojson"), "t");
  REQUIRE(imp.error.empty());
  CHECK(imp.new_compounds == 1);
  CHECK(imp.new_buildings == 3);
  CHECK(imp.skipped == 1);  // the bench (a point)
  CHECK(imp.ops.size() == 4);
  CHECK(apply_all(w, imp.ops) == 4);
  const Compound* c = compound_named(w.s, "新河小区");
  REQUIRE(c);
  CHECK(c->outline == "119160000,36710000;119162000,36710000;119162000,36711500;119160000,36711500");
  CHECK(c->point_x == 119161000);
  CHECK(c->point_y == 36710750);
  const Building* b2 = building_named(w.s, "2号楼", c->id);  // from addr:housenumber
  REQUIRE(b2);
  CHECK(b2->compound == c->id);
  const Building* b3 = building_named(w.s, "3号楼", c->id);  // the MultiPolygon's larger part
  REQUIRE(b3);
  CHECK(b3->outline == "119160300,36710900;119161500,36710900;119161500,36711100;119160300,36711100");
  // The same file again: nothing new, nothing changed.
  auto again = import_geojson(w.s, fixture("osm-small.geojson"), "u");
  REQUIRE(again.error.empty());
  CHECK(again.ops.empty());
  CHECK(again.unchanged == 4);
}

TEST_CASE("a building found again by name gets its new footprint; a grid by name its boundary") {
  test::World w;
  w.must("place.outline.set", "admin", {{"place", "compound"}, {"id", "north"}, {"outline", "0,0;1000,0;1000,1000;0,1000"}});
  std::string text = R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"building":"yes","name":"3号楼"},
     "geometry":{"type":"Polygon","coordinates":[[[0.0001,0.0001],[0.0002,0.0001],[0.0002,0.0002],[0.0001,0.0001]]]}},
    {"type":"Feature","properties":{"name":"北苑网格","sihui:kind":"grid"},
     "geometry":{"type":"Polygon","coordinates":[[[0,0],[0.002,0],[0.002,0.002],[0,0]]]}},
    {"type":"Feature","properties":{"building":"yes"},
     "geometry":{"type":"Polygon","coordinates":[[[5,5],[5.1,5],[5.1,5.1],[5,5]]]}}]})";
  auto imp = import_geojson(w.s, text, "t");
  REQUIRE(imp.error.empty());
  CHECK(imp.new_buildings == 0);
  CHECK(imp.outlines == 2);
  CHECK(imp.skipped == 1);  // the building outside every compound
  CHECK(apply_all(w, imp.ops) == 2);
  CHECK(w.s.buildings.at("b3").outline == "100,100;200,100;200,200");
  CHECK(w.s.grids.at("g1").boundary == "0,0;2000,0;2000,2000");
}

TEST_CASE("bad GeoJSON gets one clear error and proposes nothing") {
  test::World w;
  auto err = [&](std::string_view text) {
    auto imp = import_geojson(w.s, text, "t");
    CHECK(imp.ops.empty());
    return imp.error;
  };
  CHECK(err("not json {") == "geojson.error.not_json");
  CHECK(err(R"({"type":"Feature"})") == "geojson.error.not_collection");
  CHECK(err(R"([1,2])") == "geojson.error.not_collection");
  CHECK(err(R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[1,1],[2,2]]]}}]})") ==
        "geojson.error.bad_geometry");
  CHECK(err(R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Circle","coordinates":[]}}]})") ==
        "geojson.error.bad_geometry");
  CHECK(err(R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[["a",1],[2,2],[3,3]]]}}]})") ==
        "geojson.error.bad_geometry");
  CHECK(err(fixture("osm-bad.geojson")) == "geojson.error.out_of_range");
  std::string ring;
  for (int i = 0; i < 200; ++i) ring += (i ? "," : "") + std::string("[1.") + std::to_string(i) + ",2]";
  CHECK(err(R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[)" +
            ring + "]]}}]}") == "geojson.error.too_many_points");
  CHECK(err(std::string(kMaxGeoJsonBytes + 1, ' ')) == "geojson.error.too_big");
  // The error names the feature: the second one here.
  auto imp = import_geojson(w.s, R"({"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"name":"好"},"geometry":{"type":"Polygon","coordinates":[[[1,1],[2,1],[2,2],[1,1]]]}},
      {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[1,91],[2,1],[2,2],[1,91]]]}}]})", "t");
  CHECK(imp.error == "geojson.error.out_of_range");
  CHECK(imp.feature == 2);
  CHECK(imp.ops.empty());
  CHECK(imp.new_compounds == 0);
}

TEST_CASE("export then import into an empty map gives the same shapes") {
  test::World a;
  a.must("place.outline.set", "admin", {{"place", "compound"}, {"id", "north"}, {"outline", "119150000,36700000;119151000,36700000;119151000,36701000;119150000,36701000"}});
  a.must("place.outline.set", "admin", {{"place", "building"}, {"id", "b3"}, {"outline", "119150100,36700100;119150400,36700100;119150400,36700250;119150100,36700250"}});
  a.must("place.outline.set", "admin", {{"place", "grid"}, {"id", "g1"}, {"outline", "-119150000,-36700000;119152000,-36700000;119152000,36702000"}});
  std::string text = export_geojson(a.s);
  auto doc = nlohmann::json::parse(text, nullptr, false);
  REQUIRE(doc.is_object());
  CHECK(doc["type"] == "FeatureCollection");
  CHECK(doc["features"].size() == 3);  // grid g1, 北苑小区, 3号楼 (南苑小区 has neither point nor outline)
  // Into a community with the same places: their outlines are set, and it exports the same text.
  test::World b;
  auto imp = import_geojson(b.s, text, "n");
  REQUIRE(imp.error.empty());
  CHECK(imp.outlines == 3);
  CHECK(apply_all(b, imp.ops) == 3);
  CHECK(b.s.compounds.at("north").outline == a.s.compounds.at("north").outline);
  CHECK(b.s.buildings.at("b3").outline == a.s.buildings.at("b3").outline);
  CHECK(b.s.grids.at("g1").boundary == a.s.grids.at("g1").boundary);
  CHECK(export_geojson(b.s) == text);
  // Into a new community: the compound and its building are added with the same shapes.
  State fresh;
  Reducer r(test::schema());
  REQUIRE(r.apply(fresh, test::make_op(1, "community.init", "admin", {{"name", "新社区"}, {"admin_name", "张霞"}}, 1)).accepted());
  auto imp2 = import_geojson(fresh, text, "n");
  REQUIRE(imp2.error.empty());
  CHECK(imp2.new_compounds == 1);
  CHECK(imp2.new_buildings == 1);
  CHECK(imp2.skipped == 1);  // the grid: there is no grid of that name here
  std::uint64_t n = 2;
  for (const auto& d : imp2.ops) CHECK(r.apply(fresh, test::make_op(n++, d.kind, "admin", nlohmann::json::parse(d.payload), 2)).accepted());
  REQUIRE(compound_named(fresh, "北苑小区"));
  CHECK(compound_named(fresh, "北苑小区")->outline == a.s.compounds.at("north").outline);
  REQUIRE(building_named(fresh, "3号楼"));
  CHECK(building_named(fresh, "3号楼")->outline == a.s.buildings.at("b3").outline);
}

TEST_CASE("undo and redo are new inverse operations, and a new edit clears redo") {
  test::World w;
  EditHistory h;
  CHECK_FALSE(h.can_undo());
  CHECK(h.undo().empty());
  std::string o1 = "1,1;2,1;2,2", o2 = "5,5;6,5;6,6";
  auto e1 = outline_edit(w.s, "building", "b3", o1, "move 3");
  CHECK(apply_all(w, e1.forward) == 1);
  h.push(e1);
  auto e2 = outline_edit(w.s, "building", "b3", o2, "move 3 again");
  CHECK(apply_all(w, e2.forward) == 1);
  h.push(e2);
  CHECK(h.undo_label() == "move 3 again");
  std::size_t log_before = w.log.size();
  CHECK(apply_all(w, h.undo()) == 1);
  CHECK(w.s.buildings.at("b3").outline == o1);
  CHECK(apply_all(w, h.undo()) == 1);
  CHECK(w.s.buildings.at("b3").outline.empty());
  CHECK_FALSE(h.can_undo());
  CHECK(w.log.size() == log_before + 2);  // undo appended ops; nothing was taken out of the log
  CHECK(h.redo_label() == "move 3");
  CHECK(apply_all(w, h.redo()) == 1);
  CHECK(w.s.buildings.at("b3").outline == o1);
  CHECK(h.can_redo());
  h.push(outline_edit(w.s, "building", "b3", o2, "other"));
  CHECK_FALSE(h.can_redo());
  CHECK(h.size() == 2);
}

TEST_CASE("role edits undo to the state before: a grid's previous leader comes back") {
  test::World w;
  w.person("newcomer", 1980);
  EditHistory h;
  auto e = role_edit(w.s, "newcomer", Role::grid_leader, "g1", true, "lead");
  CHECK(apply_all(w, e.forward) == 1);
  h.push(e);
  CHECK(w.s.grids.at("g1").leader == "newcomer");
  CHECK(apply_all(w, h.undo()) == 1);
  CHECK(w.s.grids.at("g1").leader == "leader");
  CHECK_FALSE(w.s.persons.at("newcomer").roles.count(Grant{Role::grid_leader, "g1"}));
  CHECK(apply_all(w, h.redo()) == 1);
  CHECK(w.s.grids.at("g1").leader == "newcomer");
  // A volunteer grid worker ("1 + N"): grant, undo revokes it.
  auto v = role_edit(w.s, "vol", Role::grid_worker, "g1", true, "worker");
  CHECK(apply_all(w, v.forward) == 1);
  h.push(v);
  CHECK(w.s.persons.at("vol").roles.count(Grant{Role::grid_worker, "g1"}));
  CHECK(apply_all(w, h.undo()) == 1);
  CHECK_FALSE(w.s.persons.at("vol").roles.count(Grant{Role::grid_worker, "g1"}));
  // A building leader taken away, then given back by undo.
  w.must("role.grant", "admin", {{"person", "grandma"}, {"role", "building_leader"}, {"scope", "b3"}});
  auto r = role_edit(w.s, "grandma", Role::building_leader, "b3", false, "remove");
  CHECK(apply_all(w, r.forward) == 1);
  CHECK(apply_all(w, r.inverse) == 1);
  CHECK(w.s.persons.at("grandma").roles.count(Grant{Role::building_leader, "b3"}));
}

TEST_CASE("every GeoJSON error the import can give has a sentence in both languages") {
  // Read from the source, so a new error cannot be forgotten.
  std::string src = test::slurp(SIHUI_SOURCE_DIR "/src/core/map_edit.cpp") + test::slurp(SIHUI_SOURCE_DIR "/src/ui/map_edit.cpp");
  std::set<std::string> keys;
  for (std::size_t at = src.find("\"geojson.error."); at != std::string::npos; at = src.find("\"geojson.error.", at + 1))
    keys.insert(src.substr(at + 1, src.find('"', at + 1) - at - 1));
  CHECK(keys.size() == 8);
  auto zh = nlohmann::json::parse(test::slurp(SIHUI_SOURCE_DIR "/assets/lang/zh-CN.json"));
  auto en = nlohmann::json::parse(test::slurp(SIHUI_SOURCE_DIR "/assets/lang/en.json"));
  for (const auto& k : keys) {
    INFO(k);
    CHECK(zh.contains(k));
    CHECK(en.contains(k));
  }
}

TEST_CASE("place.remove takes away an empty place, staff only, and keeps its name for history") {
  test::World w;
  w.must("place.building.add", "admin", {{"id", "b5"}, {"compound", "north"}, {"name", "5号楼"}});
  w.must("place.unit.add", "admin", {{"id", "u5"}, {"building", "b5"}, {"name", "1单元"}});
  w.must("report.file", "grandma", {{"id", "r1"}, {"category", "dispute"}, {"subtype", "planting_on_green"}, {"building", "b5"}});
  CHECK(w.run("place.remove", "grandma", {{"place", "unit"}, {"id", "u5"}}).key() == "reason.op.role");
  CHECK(w.s.units.count("u5"));
  // A building with a unit under it stays; the unit goes first, then the building.
  auto o = w.run("place.remove", "admin", {{"place", "building"}, {"id", "b5"}});
  CHECK(o.key() == "reason.place.has_units");
  CHECK(w.s.buildings.count("b5"));
  CHECK(w.run("place.remove", "admin", {{"place", "unit"}, {"id", "u5"}}).accepted());
  CHECK_FALSE(w.s.units.count("u5"));
  // An open report does not hold a place: reports are history and keep the id and the name.
  CHECK(w.run("place.remove", "admin", {{"place", "building"}, {"id", "b5"}}).accepted());
  CHECK_FALSE(w.s.buildings.count("b5"));
  CHECK(w.s.removed_places.at("building:b5") == "5号楼");
  CHECK(w.s.removed_places.at("unit:u5") == "1单元");
  CHECK(w.s.reports.at("r1").building == "b5");
  // Gone means gone: a second removal, a report or a unit there are refused.
  CHECK(w.run("place.remove", "admin", {{"place", "building"}, {"id", "b5"}}).key() == "reason.not_found.building");
  CHECK(w.run("place.unit.add", "admin", {{"id", "u6"}, {"building", "b5"}, {"name", "2单元"}}).key() == "reason.not_found.building");
  // Adding the id again (undo of a removal) brings it back and ends its "removed" entry.
  CHECK(w.run("place.building.add", "admin", {{"id", "b5"}, {"compound", "north"}, {"name", "5号楼"}}).accepted());
  CHECK_FALSE(w.s.removed_places.count("building:b5"));
  CHECK(test::domain_violation(w.s).empty());
}

TEST_CASE("place.remove refuses while people, households, leaders, buildings or a grid hang on the place") {
  test::World w;
  auto refused_key = [&](const char* place, const char* id) {
    auto before = w.s.compounds.size() + w.s.buildings.size() + w.s.units.size();
    auto key = std::string(w.run("place.remove", "admin", {{"place", place}, {"id", id}}).key());
    CHECK(w.s.compounds.size() + w.s.buildings.size() + w.s.units.size() == before);  // changed nothing
    return key;
  };
  CHECK(refused_key("unit", "u1") == "reason.place.has_households");  // h301
  CHECK(refused_key("unit", "u9") == "reason.place.has_residents");   // leader2, daughter, uncle
  CHECK(refused_key("building", "b3") == "reason.place.has_units");
  CHECK(refused_key("compound", "north") == "reason.place.in_grid");  // grid g1 covers it
  CHECK(refused_key("unit", "nowhere") == "reason.not_found.unit");
  // The reason names the place and the count, so the words can say what to do first.
  auto o = w.run("place.remove", "admin", {{"place", "unit"}, {"id", "u9"}});
  REQUIRE(o.params.size() == 2);
  CHECK(o.params[0].text == "1单元");
  CHECK(o.params[1].num == 3);
  // A compound in no grid with a building; a building with a leader; a unit with a leader.
  w.must("place.compound.add", "admin", {{"id", "east"}, {"name", "东苑"}});
  w.must("place.building.add", "admin", {{"id", "e1"}, {"compound", "east"}, {"name", "1号楼"}});
  w.must("place.unit.add", "admin", {{"id", "e1u"}, {"building", "e1"}, {"name", "1单元"}});
  CHECK(refused_key("compound", "east") == "reason.place.has_buildings");
  w.must("role.grant", "admin", {{"person", "teacher"}, {"role", "unit_leader"}, {"scope", "e1u"}});
  CHECK(refused_key("unit", "e1u") == "reason.place.has_leaders");
  CHECK(place_removable(w.s, "unit", "e1u").key() == "reason.place.has_leaders");
  w.must("role.revoke", "admin", {{"person", "teacher"}, {"role", "unit_leader"}, {"scope", "e1u"}});
  CHECK(place_removable(w.s, "unit", "e1u").accepted());
  w.must("place.remove", "admin", {{"place", "unit"}, {"id", "e1u"}});
  w.must("role.grant", "admin", {{"person", "teacher"}, {"role", "building_leader"}, {"scope", "e1"}});
  CHECK(refused_key("building", "e1") == "reason.place.has_leaders");
  w.must("role.revoke", "admin", {{"person", "teacher"}, {"role", "building_leader"}, {"scope", "e1"}});
  w.must("place.remove", "admin", {{"place", "building"}, {"id", "e1"}});
  CHECK(w.run("place.remove", "admin", {{"place", "compound"}, {"id", "east"}}).accepted());
  CHECK(w.s.removed_places.at("compound:east") == "东苑");
}

TEST_CASE("undo of a GeoJSON import removes what it added and sets outlines back; redo adds them again") {
  test::World w;
  // An earlier outline on an existing place, which the second import changes.
  w.must("place.outline.set", "admin", {{"place", "compound"}, {"id", "north"}, {"outline", "0,0;1000,0;1000,1000;0,1000"}});
  w.must("place.outline.set", "admin", {{"place", "building"}, {"id", "b3"}, {"outline", "1,1;2,1;2,2"}});
  std::string geo = R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"building":"yes","name":"3号楼"},
     "geometry":{"type":"Polygon","coordinates":[[[0.0001,0.0001],[0.0002,0.0001],[0.0002,0.0002],[0.0001,0.0001]]]}}]})";
  auto imp = import_geojson(w.s, fixture("osm-small.geojson"), "t");
  REQUIRE(imp.error.empty());
  auto before = w.s;
  EditHistory h;
  Edit e = import_edit(w.s, imp.ops, "import");
  CHECK(apply_all(w, e.forward) == 4);
  h.push(e);
  REQUIRE(compound_named(w.s, "新河小区"));
  CHECK(e.inverse.size() == 4);
  CHECK(e.inverse.front().kind == "place.remove");  // buildings first (last added), the compound last
  CHECK(e.inverse.back().payload.find("\"compound\"") != std::string::npos);
  CHECK(apply_all(w, h.undo()) == 4);
  CHECK_FALSE(compound_named(w.s, "新河小区"));
  CHECK(w.s.compounds == before.compounds);
  CHECK(w.s.buildings == before.buildings);
  CHECK(w.s.removed_places.size() == 4);
  CHECK(apply_all(w, h.redo()) == 4);
  REQUIRE(compound_named(w.s, "新河小区"));
  CHECK(building_named(w.s, "2号楼", compound_named(w.s, "新河小区")->id));
  CHECK(w.s.removed_places.empty());
  // An import that reshapes an existing building: undo gives the earlier outline back.
  auto imp2 = import_geojson(w.s, geo, "v");
  REQUIRE(imp2.error.empty());
  REQUIRE(imp2.ops.size() == 1);
  Edit e2 = import_edit(w.s, imp2.ops, "import 2");
  CHECK(apply_all(w, e2.forward) == 1);
  CHECK(w.s.buildings.at("b3").outline != "1,1;2,1;2,2");
  CHECK(apply_all(w, e2.inverse) == 1);
  CHECK(w.s.buildings.at("b3").outline == "1,1;2,1;2,2");
}

TEST_CASE("removing a place is an edit that undo adds back as it was") {
  test::World w;
  w.must("place.compound.add", "admin", {{"id", "east"}, {"name", "东苑"}, {"point_x", 5}, {"point_y", 6}, {"outline", "0,0;9,0;9,9"}});
  auto before = w.s.compounds.at("east");
  Edit e = remove_edit(w.s, "compound", "east", "remove east");
  CHECK(apply_all(w, e.forward) == 1);
  CHECK_FALSE(w.s.compounds.count("east"));
  CHECK(apply_all(w, e.inverse) == 1);
  CHECK(w.s.compounds.at("east") == before);
  Edit u = remove_edit(w.s, "unit", "u1", "remove u1");
  CHECK(apply_all(w, u.forward) == 0);  // households live there: refused, nothing changed
  CHECK(w.s.units.count("u1"));
  CHECK(remove_edit(w.s, "unit", "nowhere", "x").inverse.empty());
}

TEST_CASE("grid.compound.move puts a compound in another grid or in none; every refusal changes nothing") {
  test::World w;
  w.must("place.compound.add", "admin", {{"id", "east"}, {"name", "东苑"}});  // in no grid
  auto move = [&](const char* who, const char* compound, const char* grid) {
    nlohmann::json p = {{"compound", compound}};
    if (grid) p["grid"] = grid;
    auto compounds = w.s.compounds;
    auto grids = w.s.grids;
    auto o = w.run("grid.compound.move", who, p);
    if (!o.accepted()) {
      CHECK(w.s.compounds == compounds);
      CHECK(w.s.grids == grids);
    }
    CHECK(test::domain_violation(w.s).empty());
    return o;
  };
  CHECK(move("admin", "nowhere", "g1").key() == "reason.not_found.compound");
  CHECK(move("admin", "north", "g9").key() == "reason.not_found.grid");
  auto same = move("admin", "north", "g1");
  CHECK(same.key() == "reason.grid.compound_already_in");
  REQUIRE(same.params.size() == 2);
  CHECK(same.params[0].text == "北苑小区");
  CHECK(same.params[1].text == "北苑网格");
  CHECK(move("admin", "east", nullptr).key() == "reason.grid.compound_in_no_grid");
  // Residents and grid workers may not; a grid leader of another grid is told whose grid it is.
  CHECK(move("grandma", "north", nullptr).key() == "reason.op.role");
  CHECK(move("worker", "north", nullptr).key() == "reason.op.role");
  auto other = move("leader2", "north", "g2");  // leader2 leads g2, not g1
  CHECK(other.key() == "reason.grid.not_led");
  REQUIRE(other.params.size() == 1);
  CHECK(other.params[0].text == "北苑网格");
  CHECK(move("leader2", "north", nullptr).key() == "reason.grid.not_led");
  CHECK(move("leader2", "east", "g1").key() == "reason.grid.not_led");  // into a grid they do not lead
  CHECK(move("leader", "north", "g2").key() == "reason.grid.not_led");  // out of theirs into another's
  CHECK(w.s.compounds.at("north").grid == "g1");
  // A grid leader takes a compound with no grid into their own grid and out again.
  CHECK(move("leader", "east", "g1").accepted());
  CHECK(w.s.grids.at("g1").compounds == std::set<Id>{"east", "north"});
  CHECK(move("leader", "east", nullptr).accepted());
  CHECK(w.s.compounds.at("east").grid.empty());
  // Staff move a compound between grids: its residents now belong to the other grid's people.
  CHECK(move("admin", "north", "g2").accepted());
  CHECK(w.s.compounds.at("north").grid == "g2");
  CHECK(w.s.grids.at("g1").compounds.empty());
  CHECK(w.s.grids.at("g2").compounds == std::set<Id>{"north", "south"});
  CHECK(w.run("household.add", "worker", {{"id", "h302"}, {"unit", "u1"}, {"label", "302"}}).key() == "reason.act_for.not_allowed");
  w.must("role.grant", "admin", {{"person", "daughter"}, {"role", "grid_worker"}, {"scope", "g2"}});
  CHECK(w.run("household.add", "daughter", {{"id", "h302"}, {"unit", "u1"}, {"label", "302"}}).accepted());
  // Out of every grid, a compound can be removed once nothing else hangs on it.
  CHECK(w.run("place.remove", "admin", {{"place", "compound"}, {"id", "north"}}).key() == "reason.place.in_grid");
  CHECK(move("admin", "north", nullptr).accepted());
  CHECK(w.s.grids.at("g2").compounds == std::set<Id>{"south"});
  CHECK(place_removable(w.s, "compound", "north").key() == "reason.place.has_buildings");  // no longer "in a grid"
}

TEST_CASE("the editor's undo and redo of a grid move and of a unit's removal") {
  test::World w;
  EditHistory h;
  // North from g1 to g2, then out of every grid; undo twice brings it back to g1, redo replays.
  Edit to_g2 = compound_move_edit(w.s, "north", "g2", "north to g2");
  CHECK(to_g2.forward == std::vector<DraftOp>{compound_move_op("north", "g2")});
  CHECK(to_g2.inverse == std::vector<DraftOp>{compound_move_op("north", "g1")});
  CHECK(apply_all(w, to_g2.forward) == 1);
  h.push(to_g2);
  Edit out = compound_move_edit(w.s, "north", "", "north out");
  CHECK(out.forward.front().payload.find("grid") == std::string::npos);  // no grid field: out of every grid
  CHECK(apply_all(w, out.forward) == 1);
  h.push(out);
  CHECK(w.s.compounds.at("north").grid.empty());
  CHECK(h.undo_label() == "north out");
  CHECK(apply_all(w, h.undo()) == 1);
  CHECK(w.s.compounds.at("north").grid == "g2");
  CHECK(apply_all(w, h.undo()) == 1);
  CHECK(w.s.compounds.at("north").grid == "g1");
  CHECK(w.s.grids.at("g1").compounds == std::set<Id>{"north"});
  CHECK_FALSE(h.can_undo());
  CHECK(apply_all(w, h.redo()) == 1);
  CHECK(w.s.compounds.at("north").grid == "g2");
  CHECK(test::domain_violation(w.s).empty());
  // A unit nobody lives in: removed, undone (back with its name and building), redone.
  w.must("place.unit.add", "admin", {{"id", "u2"}, {"building", "b3"}, {"name", "2单元"}});
  auto unit = w.s.units.at("u2");
  Edit rm = remove_edit(w.s, "unit", "u2", "remove u2");
  CHECK(apply_all(w, rm.forward) == 1);
  h.push(rm);
  CHECK_FALSE(w.s.units.count("u2"));
  CHECK(w.s.removed_places.at("unit:u2") == "2单元");
  CHECK(apply_all(w, h.undo()) == 1);
  CHECK(w.s.units.at("u2") == unit);
  CHECK_FALSE(w.s.removed_places.count("unit:u2"));
  CHECK(apply_all(w, h.redo()) == 1);
  CHECK_FALSE(w.s.units.count("u2"));
  // A unit people live in is refused in words, as for any place (grandma and household 301 in u1).
  CHECK(place_removable(w.s, "unit", "u1").key() == "reason.place.has_households");
}
