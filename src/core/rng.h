// rng: splitmix64, the same numbers on every platform (std's distributions are not), for the demo
// generator and the property tests. Not for ids (those come from the platform's entropy).
#pragma once
#include <cstdint>

namespace sihui::core {

struct SplitMix64 {
  std::uint64_t x;  // the state; seed it directly
  std::uint64_t next() {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // 0 <= result < n; 0 when n <= 0 (an empty choice), never a division by zero.
  std::int64_t below(std::int64_t n) { return n <= 0 ? 0 : static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(n)); }
  bool chance(int percent) { return below(100) < percent; }
};

}  // namespace sihui::core
