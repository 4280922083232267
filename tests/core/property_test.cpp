// Property tests: random op sequences from many authors; invariants after every op; snapshot at
// every k-th op + replay of the tail equals full replay, byte for byte.
// SIHUI_PROPERTY_SCALE (default 1) multiplies the number of sequences.
#include <catch_amalgamated.hpp>

#include <cstdlib>
#include <map>

#include "core/rng.h"
#include "core/snapshot.h"
#include "support.h"

using namespace sihui;
using namespace sihui::core;

namespace {
int scale() {
  const char* s = std::getenv("SIHUI_PROPERTY_SCALE");
  int v = s ? std::atoi(s) : 1;
  return v < 1 ? 1 : v;
}

struct Rng : SplitMix64 {  // the core's splitmix64, with int results for indexing here
  int below(int n) { return static_cast<int>(SplitMix64::below(n)); }
};

void check_invariants(const State& s, const std::map<std::string, std::size_t>& log_pos) {
  INFO(test::domain_violation(s));
  REQUIRE(test::domain_violation(s).empty());
  for (const auto& [id, ses] : s.sessions)
    for (std::size_t i = 1; i < ses.waitlist.size(); ++i)  // first come, first served, by log order
      REQUIRE(log_pos.at(ses.waitlist[i - 1].op) < log_pos.at(ses.waitlist[i].op));
}
}  // namespace

TEST_CASE("random op sequences keep the invariants and snapshots replay to the same bytes") {
  const int sequences = 60 * scale();
  const int steps = 400;
  for (int seq_no = 0; seq_no < sequences; ++seq_no) {
    Rng rng{static_cast<std::uint64_t>(seq_no) * 7919u + 1};
    test::World w;
    std::vector<std::string> people;
    for (int i = 0; i < 14; ++i) {
      std::string id = "p" + std::to_string(i);
      w.person(id, 1928 + rng.below(90), i % 2 ? "u1" : "u9", i % 5 == 0 ? nlohmann::json{"student"} : nlohmann::json::array(),
               i < 4 ? "h301" : "");
      people.push_back(id);
    }
    for (const char* extra : {"leader", "worker", "teacher", "cook", "vol", "admin", "grandma"}) people.push_back(extra);
    w.must("course.add", "teacher", {{"id", "c"}, {"title", "面塑"}, {"teacher", "teacher"}});
    for (int k = 0; k < 3; ++k) {
      w.must("session.add", "teacher", {{"id", "s" + std::to_string(k)}, {"course", "c"}, {"number", k + 1},
                                        {"starts_at", shanghai_ms(2021, 1, 1 + k, 9, 0)}, {"duration_min", 60},
                                        {"seats", 1 + rng.below(5)}, {"open_to", {"resident", "student", "teen"}}});
      w.must("canteen.sitting.add", "cook", {{"id", "m" + std::to_string(k)}, {"starts_at", shanghai_ms(2021, 1, 1 + k, 11, 30)},
                                            {"meal", "lunch"}, {"seats", 2 + rng.below(4)}});
    }
    // Log of this sequence, from a fresh state, so snapshots can be compared with full replay.
    State base = w.s;
    std::vector<Op> log;
    std::map<std::string, std::size_t> log_pos;
    for (int step = 0; step < steps; ++step) {
      const std::string& a = people[static_cast<std::size_t>(rng.below(static_cast<int>(people.size())))];
      const std::string& b = people[static_cast<std::size_t>(rng.below(static_cast<int>(people.size())))];
      std::string ses = "s" + std::to_string(rng.below(3));
      std::string sit = "m" + std::to_string(rng.below(3));
      std::string rep = "r" + std::to_string(rng.below(6));
      Op op;
      switch (rng.below(12)) {
        case 0: case 1: {
          nlohmann::json p = {{"session", ses}, {"person", b}};
          if (rng.below(3) == 0) p["group"] = {people[static_cast<std::size_t>(rng.below(4))]};
          op = w.op("session.signup", a, p);
          break;
        }
        case 2: op = w.op("session.cancel", a, {{"session", ses}, {"person", b}}); break;
        case 3: op = w.op("session.checkin", rng.below(2) ? "teacher" : a, {{"session", ses}, {"person", b}}); break;
        case 4: op = w.op("canteen.book", a, {{"sitting", sit}, {"person", b}}); break;
        case 5: op = w.op("canteen.cancel", a, {{"sitting", sit}, {"person", b}}); break;
        case 6: op = w.op("canteen.exception.grant", rng.below(2) ? "cook" : a, {{"person", b}, {"reason", "特殊情况"}}); break;
        case 7: op = w.op("proxy.grant", a, {{"elder", b}, {"proxy", a}}); break;
        case 8: op = w.op("report.file", a, {{"id", rep}, {"category", "dispute"}, {"subtype", "noise"}, {"compound", "north"}}); break;
        case 9: {
          static const char* steps_k[] = {"report.accept", "report.handle", "report.review", "report.close", "report.reopen"};
          op = w.op(steps_k[rng.below(5)], rng.below(2) ? "leader" : a, {{"report", rep}});
          break;
        }
        case 10: op = w.op("report.rate", a, {{"report", rep}, {"stars", 1 + rng.below(5)}}); break;
        default: op = w.op("session.close", rng.below(4) ? a : "teacher", {{"session", ses}}); break;
      }
      op.seq = static_cast<std::int64_t>(w.s.last_seq + 1);
      log_pos[op.id] = log.size();
      w.r.apply(w.s, op);
      log.push_back(op);
      check_invariants(w.s, log_pos);
    }
    // Snapshot at every k-th position, then replay the tail: equal bytes to the full replay.
    const std::string full = write_snapshot(w.s);
    State replay = base;
    for (const auto& op : log) w.r.apply(replay, op);
    REQUIRE(write_snapshot(replay) == full);
    const std::size_t k = 37;
    State running = base;
    for (std::size_t i = 0; i <= log.size(); ++i) {
      if (i % k == 0 || i == log.size()) {
        State loaded;
        REQUIRE(read_snapshot(write_snapshot(running), &loaded, nullptr));
        for (std::size_t j = i; j < log.size(); ++j) w.r.apply(loaded, log[j]);
        REQUIRE(write_snapshot(loaded) == full);
      }
      if (i < log.size()) w.r.apply(running, log[i]);
    }
    // Re-applying the confirmed log (a repeated pull) changes nothing.
    for (const auto& op : log) w.r.apply(replay, op);
    REQUIRE(write_snapshot(replay) == full);
  }
}
