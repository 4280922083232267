// state_key: which version of the community state a screen's derived rows were built from, so a
// screen keeps them between frames and builds them again only when the state changed (or a time
// passed at which they change by themselves), never on an idle frame. The map's pins and side
// panel key the same way (pointer, ops_applied; decision 0014); this is the list's (decision 0030).
#pragma once
#include <cstdint>

namespace sihui::ui {

struct StateKey {
  const void* state = nullptr;  // the state object (a replica's rebuilt state is another object)
  std::int64_t ops = -1;        // its ops_applied: every op applied, accepted or refused
  std::int64_t seq = -1;        // its last_seq: confirmed ops (a rebase moves it)
  std::int64_t until = 0;       // the rows change by themselves at this time (a report falls overdue)

  // S: core::State (or a test's stand-in with ops_applied and last_seq).
  template <class S>
  bool current(const S& s, std::int64_t now) const {
    return state == &s && ops == s.ops_applied && seq == s.last_seq && now < until;
  }
  template <class S>
  void set(const S& s, std::int64_t next_change) {
    state = &s;
    ops = s.ops_applied;
    seq = s.last_seq;
    until = next_change;
  }
};

}  // namespace sihui::ui
