// small_id_map: SmallIdMap<V> against std::map<std::string, V> under random inserts (with right and
// wrong hints), erases and lookups: the same entries in the same order after every step.
#include <catch_amalgamated.hpp>

#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/small_id_map.h"

using namespace sihui::core;

namespace {
std::vector<std::pair<std::string, int>> entries(const SmallIdMap<int>& m) {
  std::vector<std::pair<std::string, int>> v;
  for (const auto& [k, x] : m) v.emplace_back(k, x);
  return v;
}
std::vector<std::pair<std::string, int>> entries(const std::map<std::string, int>& m) {
  return {m.begin(), m.end()};
}
}  // namespace

TEST_CASE("SmallIdMap keeps std::string's order and std::map's answers through inserts and erases") {
  std::mt19937 rng(20261127);
  // Ids that share prefixes, differ in length, and cross the 8-byte compare boundary.
  std::vector<std::string> ids = {"", "a", "ab", "abc", "p1", "p10", "p100", "p2", "p20", "zz", "abcdefgh",
                                  "abcdefghi", "abcdefgg", "p-a484a38ac75f9868", "p-a484a38ac75f9869", "\xe4\xb8\xad"};
  for (int i = 0; i < 40; ++i) ids.push_back("p" + std::to_string(rng() % 500));
  for (int round = 0; round < 200; ++round) {
    SmallIdMap<int> m;
    std::map<std::string, int> ref;
    for (int step = 0; step < 120; ++step) {
      const std::string& id = ids[rng() % ids.size()];
      switch (rng() % 5) {
        case 0: {  // emplace
          auto [it, fresh] = m.emplace(id, step);
          auto [rit, rfresh] = ref.emplace(id, step);
          REQUIRE(fresh == rfresh);
          REQUIRE(it->first == rit->first);
          REQUIRE(it->second == rit->second);
          break;
        }
        case 1: {  // emplace_hint at lower_bound (the reducer's way) or at a wrong place
          if (m.count(id)) break;
          auto hint = (rng() % 2) ? m.lower_bound(id) : (rng() % 2 ? m.begin() : m.end());
          auto it = m.emplace_hint(hint, id, step);
          ref.emplace(id, step);
          REQUIRE(it->first == id);
          break;
        }
        case 2: {  // erase by id or by iterator
          if (rng() % 2) {
            REQUIRE(m.erase(id) == ref.erase(id));
          } else if (auto it = m.find(id); it != m.end()) {
            auto next = m.erase(it);
            auto rnext = ref.erase(ref.find(id));
            REQUIRE((next == m.end()) == (rnext == ref.end()));
            if (next != m.end()) REQUIRE(next->first == rnext->first);
          }
          break;
        }
        case 3: {  // lookups
          auto lb = m.lower_bound(id);
          auto rlb = ref.lower_bound(id);
          REQUIRE((lb == m.end()) == (rlb == ref.end()));
          if (lb != m.end()) REQUIRE(lb->first == rlb->first);
          REQUIRE(m.count(id) == ref.count(id));
          if (ref.count(id)) {
            REQUIRE(m.at(id) == ref.at(id));
          } else {
            REQUIRE_THROWS_AS(m.at(id), std::out_of_range);
          }
          break;
        }
        default: {  // change a value in place
          if (auto it = m.find(id); it != m.end()) {
            it->second += 1000;
            ref[id] += 1000;
          }
          break;
        }
      }
      REQUIRE(m.size() == ref.size());
      REQUIRE(entries(m) == entries(ref));
    }
    // Walking backwards gives the same entries reversed; equality is by content and order.
    std::vector<std::string> back;
    for (auto it = m.rbegin(); it != m.rend(); ++it) back.push_back(it->first);
    std::vector<std::string> fwd;
    for (const auto& e : ref) fwd.push_back(e.first);
    REQUIRE(std::vector<std::string>(fwd.rbegin(), fwd.rend()) == back);
    SmallIdMap<int> copy;
    for (auto it = ref.rbegin(); it != ref.rend(); ++it) copy.emplace(it->first, it->second);
    REQUIRE(copy == m);
    if (!ref.empty()) {
      copy.begin()->second += 1;
      REQUIRE_FALSE(copy == m);
    }
  }
}
