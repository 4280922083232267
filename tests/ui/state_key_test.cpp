// StateKey (ui/state_key.h): a screen's derived rows are built again only when the state changed
// (another object, an op applied, a rebase) or their own time came; an idle frame keeps them.
#include "ui/state_key.h"

#include <catch_amalgamated.hpp>
#include <cstdint>

namespace {
struct FakeState {  // the two counters of core::State the key reads
  std::int64_t ops_applied = 0;
  std::int64_t last_seq = 0;
};
}  // namespace

TEST_CASE("a state key holds until the state changes or its time comes") {
  sihui::ui::StateKey key;
  FakeState s{10, 7}, other{10, 7};
  CHECK_FALSE(key.current(s, 0));  // never built
  key.set(s, 5000);
  CHECK(key.current(s, 0));
  CHECK(key.current(s, 4999));     // idle frames: kept
  CHECK_FALSE(key.current(s, 5000));  // a report falls overdue: the order may change
  CHECK_FALSE(key.current(other, 0));  // the same counts in another state object
  key.set(s, INT64_MAX);
  s.ops_applied = 11;  // a new report arrived (or any op was applied)
  CHECK_FALSE(key.current(s, 0));
  key.set(s, INT64_MAX);
  CHECK(key.current(s, 0));
  s.last_seq = 8;  // confirmed ops replaced pending ones: the same count, another state
  CHECK_FALSE(key.current(s, 0));
}
