// The grid map's search: places for everyone, people for staff only, reports by their words.
#include <catch_amalgamated.hpp>

#include "core/map_search.h"
#include "support.h"

using namespace sihui;
using namespace sihui::core;

namespace {
std::string words(std::string_view subtype) { return subtype == "planting_on_green" ? "种菜毁绿" : std::string(subtype); }
std::vector<std::string> ids(const std::vector<SearchHit>& hits) {
  std::vector<std::string> out;
  for (const auto& h : hits) out.push_back(h.id);
  return out;
}
}  // namespace

TEST_CASE("the map search finds compounds and buildings by name, all terms required, best match first") {
  test::World w;
  auto hits = map_search(w.s, "3号楼", false, words);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].kind == SearchHit::Kind::building);
  CHECK(hits[0].id == "b3");
  CHECK(hits[0].compound == "north");
  CHECK(hits[0].score > 10);
  CHECK(ids(map_search(w.s, "北苑 3", false, words)) == std::vector<std::string>{"b3"});
  CHECK(map_search(w.s, "北苑　9", false, words).empty());  // the ideographic space separates terms too
  auto north = map_search(w.s, "北苑小区", false, words);
  REQUIRE(!north.empty());
  CHECK(north[0].kind == SearchHit::Kind::compound);  // the whole name beats a building inside it
  CHECK(north[0].id == "north");
  CHECK(map_search(w.s, "   ", false, words).empty());
  CHECK(map_search(w.s, "no such place", false, words).empty());
}

TEST_CASE("people are found by staff only, at their home; reports by sub-type words, open before closed") {
  test::World w;
  w.person("p1", 1950, "u9");
  auto resident = map_search(w.s, "居民p1", false, words);
  CHECK(resident.empty());  // a resident's search never lists people
  auto staff = map_search(w.s, "居民P1", true, words);  // ASCII case does not matter
  REQUIRE(staff.size() == 1);
  CHECK(staff[0].kind == SearchHit::Kind::person);
  CHECK(staff[0].building == "b9");
  CHECK(staff[0].compound == "south");

  w.must("report.file", "grandma", {{"id", "old"}, {"category", "dispute"}, {"subtype", "planting_on_green"}, {"unit", "u1"}});
  w.must("report.accept", "leader", {{"report", "old"}});
  w.must("report.handle", "leader", {{"report", "old"}});
  w.must("report.review", "leader", {{"report", "old"}});
  w.must("report.close", "leader", {{"report", "old"}});
  w.must("report.file", "grandma", {{"id", "new"}, {"category", "dispute"}, {"subtype", "planting_on_green"}, {"unit", "u1"},
                                    {"description", "东侧草坪"}});
  CHECK(ids(map_search(w.s, "种菜", false, words)) == std::vector<std::string>{"new", "old"});
  CHECK(ids(map_search(w.s, "草坪", false, words)) == std::vector<std::string>{"new"});
  auto one = map_search(w.s, "种菜", false, words, 1);
  CHECK(one.size() == 1);
  CHECK(one[0].building == "b3");
}
