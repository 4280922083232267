// replica: a device's copy of the community: the confirmed state (server order) plus this device's
// pending ops applied on top (rebase). When confirmed ops arrive, pending ops are re-applied to the
// new confirmed state and their outcomes may change (an offline sign-up may become wait-listed).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/op.h"
#include "core/reducer.h"

namespace sihui::core {

class Replica {
 public:
  explicit Replica(const Schema& schema) : reducer_(schema) {}

  // Starts from a snapshot (replacing the confirmed state), then re-applies pending ops.
  bool load_snapshot(std::string_view bytes, std::string* error);
  void load_state(State s);  // the same with a state already read

  // Confirmed ops pulled from the server, in seq order. Ops already applied (seq <= last_seq) are
  // skipped. A pending op with the same id is confirmed: it leaves the pending list. Pending ops
  // are then re-applied on the new confirmed state. Replay stops at an unknown kind (needs_update).
  void apply_confirmed(const std::vector<Op>& ops);

  // An op made on this device: applied on top of the view at once; returns its outcome there.
  Outcome add_pending(Op op);

  // Takes a pending op out (the server refused it at its gate: it will never be confirmed) and
  // re-applies the rest. Returns the op, or nullopt when no pending op has that id.
  std::optional<Op> drop_pending(std::string_view op_id);

  const State& confirmed() const { return confirmed_; }
  const State& view() const { return view_; }  // confirmed + pending: what the screens show
  const std::vector<Op>& pending() const { return pending_; }
  bool is_pending(std::string_view op_id) const { return pending_outcomes_.count(std::string(op_id)) > 0; }

  // The latest known outcome of an op: its pending outcome in the view, else its confirmed outcome
  // if this replica applied it (or the state noted it). nullopt when unknown.
  std::optional<Outcome> outcome(std::string_view op_id) const;

  bool needs_update() const { return confirmed_.blocked.active; }

 private:
  void rebase();

  Reducer reducer_;
  State confirmed_, view_;
  std::vector<Op> pending_;
  std::map<Id, Outcome> pending_outcomes_;  // by op id
  std::map<Id, Outcome> own_confirmed_;     // outcomes of this device's ops once confirmed
};

}  // namespace sihui::core
