// sim: an in-process server with serve.py's sync semantics (decision 0009), a memory Store for the
// client, and a seeded network that loses, repeats and delays messages, for the sync tests.
// Not modelled here (covered by tests/server against the real serve.py): accounts and passwords,
// redaction, the schema gate beyond one forbidden kind, HTTP framing.
#pragma once
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../core/support.h"
#include "core/replica.h"
#include "core/snapshot.h"
#include "store/log_store.h"
#include "sync/client.h"
#include "sync/log_store_sync.h"

namespace sihui::sim {
using json = nlohmann::json;

// [SECTION] Server
struct Server {
  std::string epoch = "e1";
  int epochs = 1;
  std::size_t epoch_base = 0;                  // the log's length where this epoch began (a restore)
  std::vector<core::Op> log;                   // seq = index + 1
  std::vector<std::string> text;               // each op's JSON as pulled (encoded once)
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
    text.push_back(core::encode_op(op));
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
    text.resize(keep);
    snapshots.clear();
    epoch = "e" + std::to_string(++epochs);
    epoch_base = keep;
  }

  // Snapshots for new devices, made by the same core, every snapshot_every ops (0: none).
  std::size_t snapshot_every = 32;
  std::map<std::size_t, std::string> snapshots;  // seq -> snapshot text (this epoch)

  sync::Response snapshot() {
    std::size_t seq = snapshot_every ? log.size() / snapshot_every * snapshot_every : 0;
    if (seq == 0) return {204, ""};  // none yet: pull the log from 0
    auto it = snapshots.find(seq);
    if (it == snapshots.end()) {
      core::Replica r(test::schema());
      r.apply_confirmed(std::vector<core::Op>(log.begin(), log.begin() + static_cast<std::ptrdiff_t>(seq)));
      it = snapshots.emplace(seq, core::write_snapshot(r.confirmed())).first;
    }
    json head = {{"epoch", epoch}, {"epoch_base", epoch_base}, {"seq", seq}, {"class", "public"},
                 {"hash", core::hash_hex(core::fnv1a64(it->second))}};
    return {200, head.dump() + "\n" + it->second};
  }

  sync::Response handle(const sync::Request& req, const std::string& token, const std::string& device, std::int64_t now) {
    if (req.method == "GET" && req.path == "/api/v1/snapshot") return snapshot();
    if (req.method == "GET") {
      auto q = req.path.find("after=");
      auto l = req.path.find("limit=");
      if (q == std::string::npos || l == std::string::npos) return {400, error("bad_request")};
      std::int64_t after = std::stoll(req.path.substr(q + 6));
      std::size_t limit = static_cast<std::size_t>(std::stoll(req.path.substr(l + 6)));
      std::string ops;
      std::size_t from = static_cast<std::size_t>(std::max<std::int64_t>(after, 0)), n = 0;
      for (std::size_t i = from; i < log.size() && n < limit; ++i, ++n) (ops.empty() ? ops : ops += ',') += text[i];
      bool more = from + n < log.size();
      return {200, "{\"epoch\":\"" + epoch + "\",\"epoch_base\":" + std::to_string(epoch_base) + ",\"ops\":[" + ops +
                       "],\"last_seq\":" + std::to_string(log.size()) + ",\"more\":" + (more ? "true" : "false") + "}"};
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
      std::string k = core::encode_op(op) + device;  // what the client sent, in canonical form
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

// [SECTION] Stores: what a simulated device keeps. The test reads them through TestStore.
struct TestStore : sync::Store {
  virtual const core::Replica& rep() const = 0;
  virtual std::string refused_code(const std::string& op_id) const = 0;  // "" if not refused
  virtual void add(core::Op op) = 0;                                      // an op made on the device
  virtual void reload() {}                                                // the tab closed and opened again
};

// A Replica and the confirmed ops, like LogStore without files.
struct MemStore final : TestStore {
  explicit MemStore(std::string dev) : device(std::move(dev)), replica(test::schema()) {}
  std::string device, epoch_;
  core::Replica replica;
  std::int64_t base = 0;               // the snapshot's seq this device started from
  std::vector<core::Op> confirmed;     // after base
  std::map<std::string, std::string> refused_codes;  // op id -> code

  std::vector<const core::Op*> pending() const override {
    std::vector<const core::Op*> out;
    for (const auto& op : replica.pending()) out.push_back(&op);
    return out;
  }
  std::int64_t stored_seq() const override { return confirmed.empty() ? base : confirmed.back().seq; }
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
  bool restart(const std::string& e, std::int64_t epoch_base, std::string*) override {
    core::Replica fresh(test::schema());
    for (const auto& op : confirmed)
      if (op.seq > epoch_base && op.device == device) {
        core::Op again = op;
        again.seq = 0;
        fresh.add_pending(std::move(again));
      }
    for (const auto& op : replica.pending()) fresh.add_pending(op);
    replica = std::move(fresh);
    confirmed.clear();
    base = 0;
    epoch_ = e;
    return true;
  }
  bool install_snapshot(std::int64_t seq, std::string_view body, std::string*) override {
    if (stored_seq() != 0 || !replica.load_snapshot(body, nullptr) || replica.confirmed().last_seq != seq) return false;
    base = seq;
    return true;
  }
  bool blocked() const override { return replica.needs_update(); }
  const core::Replica& rep() const override { return replica; }
  std::string refused_code(const std::string& id) const override {
    auto it = refused_codes.find(id);
    return it == refused_codes.end() ? "" : it->second;
  }
  void add(core::Op op) override { replica.add_pending(std::move(op)); }
};

// The real LogStore on a folder (fsync off: the simulation is not about the disk), reopened on reload().
struct FileStore final : TestStore {
  FileStore(std::string root, std::string dev) : root_(std::move(root)), device_(std::move(dev)) { reload(); }
  std::vector<const core::Op*> pending() const override { return sync_->pending(); }
  std::int64_t stored_seq() const override { return log_->stored_seq(); }
  std::string epoch() const override { return log_->epoch(); }
  bool set_epoch(const std::string& e) override { return sync_->set_epoch(e); }
  bool append_confirmed(const std::vector<core::Op>& ops, std::string* err) override { return sync_->append_confirmed(ops, err); }
  bool refuse(const std::string& id, const std::string& code) override { return sync_->refuse(id, code); }
  bool restart(const std::string& e, std::int64_t b, std::string* err) override { return sync_->restart(e, b, err); }
  bool install_snapshot(std::int64_t seq, std::string_view body, std::string* err) override {
    return sync_->install_snapshot(seq, body, err);
  }
  bool blocked() const override { return sync_->blocked(); }
  const core::Replica& rep() const override { return log_->replica(); }
  std::string refused_code(const std::string& id) const override {
    for (const auto& r : log_->refused())
      if (r.op.id == id) return r.code;
    return "";
  }
  void add(core::Op op) override {
    auto r = log_->append_pending(std::move(op));
    if (!r.saved) throw std::runtime_error("append_pending: " + r.error);
  }
  void reload() override {
    sync_.reset();
    log_ = std::make_unique<store::LogStore>(test::schema(), files_);
    store::OpenOptions o;
    o.new_device_id = device_;
    o.limits.segment_ops = 64;  // small files: sealing and checkpoints happen within a run
    auto r = log_->open(root_, o);
    if (!r.ok || !r.problems.empty()) throw std::runtime_error("reopen: " + r.error);
    sync_ = std::make_unique<sync::LogStoreSync>(*log_);
  }

 private:
  std::string root_, device_;
  store::PosixFileOps files_{false};
  std::unique_ptr<store::LogStore> log_;
  std::unique_ptr<sync::LogStoreSync> sync_;
};

}  // namespace sihui::sim
