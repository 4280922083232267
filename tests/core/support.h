// support: shared helpers of the core tests: the real schema, an op factory and a small community.
#pragma once
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "core/civil.h"
#include "core/model.h"
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

// The domain invariants every state must keep, whatever the log: "" or the first one broken.
// (Wait-list order by log position is checked by the property test, which knows the positions.)
inline std::string domain_violation(const core::State& s) {
  for (const auto& [id, ses] : s.sessions) {
    std::int64_t taken = 0;
    std::set<std::string> seen;
    for (const auto* list : {&ses.enrolled, &ses.waitlist})
      for (const auto& g : *list) {
        if (g.persons.empty()) return "session " + id + ": an empty place";
        for (const auto& p : g.persons)
          if (!seen.insert(p).second) return "session " + id + ": " + p + " twice";
      }
    for (const auto& g : ses.enrolled) taken += static_cast<std::int64_t>(g.persons.size());
    if (taken != ses.taken) return "session " + id + ": cached count differs from recomputation";
    if (taken > ses.seats) return "session " + id + ": more enrolled than seats";
    if (!ses.waitlist.empty() && taken + static_cast<std::int64_t>(ses.waitlist.front().persons.size()) <= ses.seats)
      return "session " + id + ": the wait-list head would fit";
  }
  for (const auto& [id, st] : s.sittings) {
    if (static_cast<std::int64_t>(st.bookings.size()) > st.seats) return "sitting " + id + ": overbooked";
    for (const auto& [pid, b] : st.bookings)
      if (!s.persons.count(pid)) return "sitting " + id + ": unknown person " + pid;
  }
  for (const auto& [id, c] : s.compounds)  // a compound's grid and the grid's compounds agree
    if (!c.grid.empty() && (!s.grids.count(c.grid) || !s.grids.at(c.grid).compounds.count(id)))
      return "compound " + id + ": not in its grid's list";
  for (const auto& [id, g] : s.grids)
    for (const auto& cid : g.compounds)
      if (!s.compounds.count(cid) || s.compounds.at(cid).grid != id) return "grid " + id + ": lists " + cid + " of another grid";
  for (const auto& [id, r] : s.reports) {
    if ((r.closed_at != 0) != (r.status == core::ReportStatus::closed)) return "report " + id + ": closed_at vs status";
    if (r.rating != 0 && r.status != core::ReportStatus::closed) return "report " + id + ": rated while open";
  }
  return "";
}

// A small community: one compound in grid g1 led by "leader", two buildings, units, residents.
struct World {
  core::State s;
  core::Reducer r{schema()};
  std::uint64_t next = 1;
  std::int64_t now = core::shanghai_ms(2020, 8, 1, 9, 0);

  std::vector<core::Op> log;  // every op run() applied, in order (the sync simulation's genesis)

  core::Outcome run(std::string_view kind, std::string_view author, nlohmann::json payload) {
    now += 60'000;
    log.push_back(make_op(next++, kind, author, std::move(payload), now));
    return r.apply(s, log.back());
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
