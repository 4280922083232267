#include "core/replica.h"

#include <algorithm>
#include <set>

#include "core/snapshot.h"

namespace sihui::core {

bool Replica::load_snapshot(std::string_view bytes, std::string* error) {
  State s;
  if (!read_snapshot(bytes, &s, error)) return false;
  confirmed_ = std::move(s);
  rebase();
  return true;
}

void Replica::load_state(State s) {
  confirmed_ = std::move(s);
  rebase();
}

void Replica::apply_confirmed(const std::vector<Op>& ops) {
  bool changed = false;
  std::set<std::string_view> confirmed_pending;  // ids of pending ops confirmed by this batch
  for (const auto& op : ops) {
    bool was_pending = pending_outcomes_.count(op.id) > 0 && !confirmed_pending.count(op.id);
    if (op.seq <= confirmed_.last_seq) {
      // Already in the confirmed state (a repeated pull, or a snapshot that holds it): if it is
      // still pending here, this is its confirmation: it leaves the pending list all the same.
      if (was_pending) {
        if (auto note = confirmed_.notes.find(op.id); note != confirmed_.notes.end()) own_confirmed_[op.id] = note->second;
        pending_outcomes_.erase(op.id);
        confirmed_pending.insert(op.id);
        changed = true;
      }
      continue;
    }
    Outcome o = reducer_.apply(confirmed_, op);
    changed = true;
    if (was_pending) {
      pending_outcomes_.erase(op.id);
      own_confirmed_[op.id] = o;
      confirmed_pending.insert(op.id);
    }
    if (confirmed_.blocked.active) break;
  }
  // One pass over the pending list (a 10,000-op backlog confirmed page by page stays linear).
  if (!confirmed_pending.empty())
    pending_.erase(std::remove_if(pending_.begin(), pending_.end(),
                                  [&](const Op& p) { return confirmed_pending.count(p.id) > 0; }),
                   pending_.end());
  if (changed) rebase();
}

Outcome Replica::add_pending(Op op) {
  op.seq = 0;
  Outcome o = reducer_.apply(view_, op);
  pending_outcomes_[op.id] = o;
  pending_.push_back(std::move(op));
  return o;
}

std::optional<Op> Replica::drop_pending(std::string_view op_id) {
  auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Op& p) { return p.id == op_id; });
  if (it == pending_.end()) return std::nullopt;
  Op op = std::move(*it);
  pending_.erase(it);
  pending_outcomes_.erase(op.id);
  rebase();
  return op;
}

void Replica::rebase() {
  view_ = confirmed_;
  for (const auto& op : pending_) pending_outcomes_[op.id] = reducer_.apply(view_, op);
}

std::optional<Outcome> Replica::outcome(std::string_view op_id) const {
  std::string id(op_id);
  if (auto it = pending_outcomes_.find(id); it != pending_outcomes_.end()) return it->second;
  if (auto it = own_confirmed_.find(id); it != own_confirmed_.end()) return it->second;
  if (auto it = confirmed_.notes.find(id); it != confirmed_.notes.end()) return it->second;
  return std::nullopt;
}

}  // namespace sihui::core
