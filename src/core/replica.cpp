#include "core/replica.h"

#include <algorithm>

#include "core/snapshot.h"

namespace sihui::core {

bool Replica::load_snapshot(std::string_view bytes, std::string* error) {
  State s;
  if (!read_snapshot(bytes, &s, error)) return false;
  confirmed_ = std::move(s);
  rebase();
  return true;
}

void Replica::apply_confirmed(const std::vector<Op>& ops) {
  bool changed = false;
  for (const auto& op : ops) {
    if (op.seq <= confirmed_.last_seq) {
      // Already in the confirmed state (a repeated pull, or a snapshot that holds it): if it is
      // still pending here, this is its confirmation: it leaves the pending list all the same.
      auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Op& p) { return p.id == op.id; });
      if (it != pending_.end()) {
        pending_.erase(it);
        if (auto po = pending_outcomes_.find(op.id); po != pending_outcomes_.end()) {
          if (auto note = confirmed_.notes.find(op.id); note != confirmed_.notes.end()) own_confirmed_[op.id] = note->second;
          pending_outcomes_.erase(po);
        }
        changed = true;
      }
      continue;
    }
    Outcome o = reducer_.apply(confirmed_, op);
    changed = true;
    auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Op& p) { return p.id == op.id; });
    if (it != pending_.end()) {
      pending_.erase(it);
      pending_outcomes_.erase(op.id);
      own_confirmed_[op.id] = o;
    }
    if (confirmed_.blocked.active) break;
  }
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
