// reducer: apply(state, op) -> outcome, the only code that changes the community's State.
// Deterministic: the same ops in the same order give the same state on every platform.
#pragma once
#include <array>
#include <cstdint>

#include "core/model.h"
#include "core/op.h"
#include "core/schema.h"

namespace sihui::core {

class Reducer {
 public:
  // Reads the roles of each kind from the schema once. Kinds of this build missing from the
  // schema are refused (reason.op.invalid) when applied.
  explicit Reducer(const Schema& schema);

  // Applies one op. Refused ops change nothing but the op counters and State::notes.
  // Confirmed ops (seq > 0) must come in seq order; an op with seq <= last_seq is ignored
  // (Verdict::blocked is not returned for it: it returns the stored outcome if any).
  // An op of unknown kind sets State::blocked; from then on every op is Verdict::blocked.
  Outcome apply(State& s, const Op& op) const;

 private:
  static constexpr std::uint32_t kResident = 1u << 30;  // any registered person
  static constexpr std::uint32_t kAnyone = 1u << 31;    // no registered person needed
  std::array<std::uint32_t, static_cast<std::size_t>(Kind::unknown)> roles_{};  // 0 = not in schema
};

}  // namespace sihui::core
