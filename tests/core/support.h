// support: shared helpers of the core tests: the real schema, an op factory and a small community.
#pragma once
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "core/civil.h"
#include "core/op.h"
#include "core/reducer.h"
#include "core/schema.h"

namespace sihui::test {

inline std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline const core::Schema& schema() {
  static core::Schema s = [] {
    core::Schema x;
    std::string err;
    if (!x.load(slurp(SIHUI_SOURCE_DIR "/assets/schema/ops.json"), &err)) {
      std::fprintf(stderr, "schema: %s\n", err.c_str());
      std::abort();
    }
    return x;
  }();
  return s;
}

inline std::string op_id(std::uint64_t n) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%032llx", static_cast<unsigned long long>(n));
  return buf;
}

// Makes an op through JSON, so tests exercise the same validation as ops from the network.
inline core::Op make_op(std::uint64_t n, std::string_view kind, std::string_view author, nlohmann::json payload,
                        std::int64_t made_at) {
  nlohmann::json j = {{"id", op_id(n)}, {"kind", kind}, {"author", author}, {"made_at", made_at},
                      {"payload", std::move(payload)}};
  core::Op op;
  auto e = core::decode_op_json(schema(), j, &op);
  if (e != core::DecodeError::ok) {
    std::fprintf(stderr, "make_op: %s\n", std::string(core::decode_error_code(e)).c_str());
    std::abort();
  }
  return op;
}

// A small community: one compound in grid g1 led by "leader", two buildings, units, residents.
struct World {
  core::State s;
  core::Reducer r{schema()};
  std::uint64_t next = 1;
  std::int64_t now = core::shanghai_ms(2020, 8, 1, 9, 0);

  core::Outcome run(std::string_view kind, std::string_view author, nlohmann::json payload) {
    now += 60'000;
    return r.apply(s, make_op(next++, kind, author, std::move(payload), now));
  }
  core::Op op(std::string_view kind, std::string_view author, nlohmann::json payload) {
    now += 60'000;
    return make_op(next++, kind, author, std::move(payload), now);
  }
  void must(std::string_view kind, std::string_view author, nlohmann::json payload) {
    auto o = run(kind, author, std::move(payload));
    if (!o.accepted()) {
      std::fprintf(stderr, "setup op %s refused: %s\n", std::string(kind).c_str(), std::string(o.key()).c_str());
      std::abort();
    }
  }
  void person(const std::string& id, std::int64_t birth_year, const std::string& unit = "u1",
              nlohmann::json tags = nlohmann::json::array(), const std::string& household = "") {
    nlohmann::json p = {{"id", id}, {"name", "居民" + id}, {"birth_year", birth_year}, {"tags", tags}};
    if (!unit.empty()) p["unit"] = unit;
    if (!household.empty()) p["household"] = household;
    must("person.add", "admin", p);
  }

  World() {
    must("community.init", "admin", {{"name", "仓南街社区"}, {"admin_name", "张霞"}});
    must("place.compound.add", "admin", {{"id", "north"}, {"name", "北苑小区"}});
    must("place.compound.add", "admin", {{"id", "south"}, {"name", "南苑小区"}});
    must("place.building.add", "admin", {{"id", "b3"}, {"compound", "north"}, {"name", "3号楼"}});
    must("place.building.add", "admin", {{"id", "b9"}, {"compound", "south"}, {"name", "9号楼"}});
    must("place.unit.add", "admin", {{"id", "u1"}, {"building", "b3"}, {"name", "1单元"}});
    must("place.unit.add", "admin", {{"id", "u9"}, {"building", "b9"}, {"name", "1单元"}});
    must("grid.add", "admin", {{"id", "g1"}, {"name", "北苑网格"}, {"compounds", {"north"}}});
    must("grid.add", "admin", {{"id", "g2"}, {"name", "南苑网格"}, {"compounds", {"south"}}});
    must("household.add", "admin", {{"id", "h301"}, {"unit", "u1"}, {"label", "301"}});
    person("leader", 1962);
    person("leader2", 1960, "u9");
    must("grid.set_leader", "admin", {{"grid", "g1"}, {"person", "leader"}});
    must("grid.set_leader", "admin", {{"grid", "g2"}, {"person", "leader2"}});
    person("worker", 1985);
    must("role.grant", "admin", {{"person", "worker"}, {"role", "grid_worker"}, {"scope", "g1"}});
    person("grandma", 1934, "u1", {"living_alone"});  // 86 in 2020
    person("daughter", 1962, "u9");
    person("teacher", 1970);
    must("role.grant", "admin", {{"person", "teacher"}, {"role", "teacher"}});
    person("cook", 1975);
    must("role.grant", "admin", {{"person", "cook"}, {"role", "canteen_staff"}});
    person("vol", 2000, "", {"student"});
    must("role.grant", "admin", {{"person", "vol"}, {"role", "volunteer"}});
    person("uncle", 1948, "u9", {"retired_cadre", "party_member"});
    must("role.grant", "admin", {{"person", "uncle"}, {"role", "clinic"}});
  }
};

}  // namespace sihui::test
