// sim: an in-process server with serve.py's sync semantics (decision 0009), a memory Store for the
// client, and a seeded network that loses, repeats and delays messages, for the sync tests.
// Not modelled here (covered by tests/server against the real serve.py): accounts and passwords,
// redaction, the schema gate beyond one forbidden kind, HTTP framing.
#pragma once
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../core/support.h"
#include "core/replica.h"
#include "core/snapshot.h"
#include "sync/client.h"

namespace sihui::sim {
using json = nlohmann::json;

// [SECTION] Server
struct Server {
  std::string epoch = "e1";
  int epochs = 1;
  std::size_t epoch_base = 0;                  // the log's length where this epoch began (a restore)
  std::vector<core::Op> log;                   // seq = index + 1
  std::map<std::string, std::size_t> by_id;    // op id -> index in log
  std::map<std::string, std::string> key;      // op id -> what the client sent (idempotency)
  std::map<std::string, std::string> persons;  // token -> person id
  std::set<std::string> unverified;            // tokens whose pushes wait for verification
  std::uint64_t commits = 0;

  static std::string error(const char* code, const std::string& op = "") {
    json e = {{"code", code}, {"message", code}};
    if (!op.empty()) e["op"] = op;
    return json{{"error", e}}.dump();
  }

  void seed(std::vector<core::Op> genesis) {
    for (auto& op : genesis) commit(std::move(op));
  }
  std::int64_t commit(core::Op op) {
    op.seq = static_cast<std::int64_t>(log.size() + 1);
    by_id[op.id] = log.size();
    log.push_back(std::move(op));
    ++commits;
    return log.back().seq;
  }

  // A restore from a backup made when the log had `keep` ops: a new epoch.
  void restore(std::size_t keep) {
    keep = std::min(keep, log.size());
    for (std::size_t i = keep; i < log.size(); ++i) {
      by_id.erase(log[i].id);
      key.erase(log[i].id);
    }
    log.resize(keep);
    epoch = "e" + std::to_string(++epochs);
    epoch_base = keep;
  }

  sync::Response handle(const sync::Request& req, const std::string& token, const std::string& device, std::int64_t now) {
    if (req.method == "GET") {
      auto q = req.path.find("after=");
      auto l = req.path.find("limit=");
      if (q == std::string::npos || l == std::string::npos) return {400, error("bad_request")};
      std::int64_t after = std::stoll(req.path.substr(q + 6));
      std::size_t limit = static_cast<std::size_t>(std::stoll(req.path.substr(l + 6)));
      json ops = json::array();
      for (std::size_t i = static_cast<std::size_t>(std::max<std::int64_t>(after, 0)); i < log.size() && ops.size() < limit; ++i)
        ops.push_back(core::op_to_json(log[i]));
      bool more = static_cast<std::size_t>(std::max<std::int64_t>(after, 0)) + ops.size() < log.size();
      return {200, json{{"epoch", epoch}, {"epoch_base", epoch_base}, {"ops", ops}, {"last_seq", log.size()}, {"more", more}}.dump()};
    }
    auto who = persons.find(token);
    if (who == persons.end()) return {401, error("auth.required")};
    if (unverified.count(token)) return {403, error("account.unverified")};
    json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("ops") || !body["ops"].is_array() ||
        body["ops"].empty() || body["ops"].size() > 500)
      return {400, error("bad_request")};
    if (body.contains("epoch") && body["epoch"] != epoch)  // the device has not seen a restore yet
      return {409, json{{"error", {{"code", "sync.epoch_changed"}, {"message", "restored"}, {"epoch", epoch},
                                   {"epoch_base", epoch_base}}}}.dump()};
    // The gate first, for the whole batch: all or nothing.
    std::vector<core::Op> batch;
    std::vector<std::string> keys;
    for (const auto& item : body["ops"]) {
      core::Op op;
      std::string id = item.is_object() && item.contains("id") && item["id"].is_string() ? item["id"].get<std::string>() : "";
      if (core::decode_op_json(test::schema(), item, &op) != core::DecodeError::ok) return {422, error("op.invalid", id)};
      if (op.kind == core::Kind::role_grant && who->second != "admin") return {403, error("op.kind_forbidden", id)};
      std::string k = json{{"kind", item["kind"]}, {"payload", item["payload"]}, {"made_at", op.made_at}}.dump() + device;
      if (auto it = key.find(op.id); it != key.end() && it->second != k) return {409, error("op.conflict", id)};
      for (std::size_t i = 0; i < batch.size(); ++i)
        if (batch[i].id == op.id && keys[i] != k) return {409, error("op.conflict", id)};
      op.author = who->second;
      op.device = device;
      op.made_at = std::min(op.made_at, now);
      batch.push_back(std::move(op));
      keys.push_back(std::move(k));
    }
    json seqs = json::array();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (auto it = by_id.find(batch[i].id); it != by_id.end()) {
        seqs.push_back(log[it->second].seq);
        continue;
      }
      key[batch[i].id] = keys[i];
      seqs.push_back(commit(std::move(batch[i])));
    }
    return {200, json{{"epoch", epoch}, {"epoch_base", epoch_base}, {"seqs", seqs}, {"last_seq", log.size()}}.dump()};
  }
};

// [SECTION] Memory store: a Replica and the confirmed ops, like LogStore without files.
struct MemStore final : sync::Store {
  explicit MemStore(std::string dev) : device(std::move(dev)), replica(test::schema()) {}
  std::string device, epoch_;
  core::Replica replica;
  std::vector<core::Op> confirmed;
  std::map<std::string, std::string> refused_codes;  // op id -> code

  std::vector<const core::Op*> pending() const override {
    std::vector<const core::Op*> out;
    for (const auto& op : replica.pending()) out.push_back(&op);
    return out;
  }
  std::int64_t stored_seq() const override { return confirmed.empty() ? 0 : confirmed.back().seq; }
  std::string epoch() const override { return epoch_; }
  bool set_epoch(const std::string& e) override {
    epoch_ = e;
    return true;
  }
  bool append_confirmed(const std::vector<core::Op>& ops, std::string*) override {
    std::vector<core::Op> fresh;
    for (const auto& op : ops)
      if (op.seq > stored_seq()) {
        confirmed.push_back(op);
        fresh.push_back(op);
      }
    replica.apply_confirmed(fresh);
    return true;
  }
  bool refuse(const std::string& id, const std::string& code) override {
    if (!replica.drop_pending(id)) return false;
    refused_codes[id] = code;
    return true;
  }
  bool restart(const std::string& e, std::int64_t base, std::string*) override {
    core::Replica fresh(test::schema());
    for (const auto& op : confirmed)
      if (op.seq > base && op.device == device) {
        core::Op again = op;
        again.seq = 0;
        fresh.add_pending(std::move(again));
      }
    for (const auto& op : replica.pending()) fresh.add_pending(op);
    replica = std::move(fresh);
    confirmed.clear();
    epoch_ = e;
    return true;
  }
  bool blocked() const override { return replica.needs_update(); }
};

}  // namespace sihui::sim
