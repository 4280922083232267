// sync client: pushes this device's pending ops to serve.py and pulls confirmed ops, as a pure
// state machine (no I/O, no clock): poll(now) hands out the next request, on_response() takes its
// answer. The browser runs it through the fetch seam (src/platform/net.h); the native simulation
// (tests/sync) through an in-process server, seeded, with lost, repeated and late messages.
// Protocol: docs/decisions/0009-sync-protocol.md.
//
// One request in flight at a time. A cycle pushes pending ops (batches of at most 500, ~1 MiB),
// then pulls after the stored seq until the server's head. A device holding nothing confirmed first
// asks for the server's snapshot for its reader (GET /api/v1/snapshot) and pulls after it. Failures (no answer, 5xx, 429) back off
// exponentially with jitter; an op the server refuses at its gate leaves the outbox with the code;
// a new server epoch makes the store re-push its own ops and pull again from 0.
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/op.h"
#include "core/rng.h"
#include "core/schema.h"

namespace sihui::sync {

struct Request {
  std::uint64_t id = 0;  // echoed back to on_response; a response to an older id is ignored
  std::string method;    // "GET" or "POST"
  std::string path;      // "/api/v1/ops?after=12&limit=1000"
  std::string body;      // JSON for POST
};

struct Response {
  int status = 0;  // HTTP status; 0 = no answer (network down, timeout, aborted)
  std::string body;
};

// What the client needs from the device's log (LogStore in the app, a memory store in tests).
class Store {
 public:
  virtual ~Store() = default;
  virtual std::vector<const core::Op*> pending() const = 0;  // in the order they were made
  virtual std::int64_t stored_seq() const = 0;                // last confirmed seq held
  virtual std::string epoch() const = 0;                      // "" before the first contact
  virtual bool set_epoch(const std::string& epoch) = 0;
  virtual bool append_confirmed(const std::vector<core::Op>& ops, std::string* error) = 0;
  virtual bool refuse(const std::string& op_id, const std::string& code) = 0;
  // A new epoch whose log equals the old one up to epoch_base: re-push own ops after it, pull from 0.
  virtual bool restart(const std::string& epoch, std::int64_t epoch_base, std::string* error) = 0;
  virtual bool blocked() const = 0;  // replay stopped at an op kind this build does not know
  // A new device starts from the server's snapshot at seq (only while it holds no confirmed op).
  virtual bool install_snapshot(std::int64_t seq, std::string_view body, std::string* error) = 0;
};

struct Options {
  std::size_t push_ops = 500;                 // the server's batch limit
  std::size_t push_bytes = 1024 * 1024;       // stay well under the server's 2 MiB body limit
  std::size_t pull_limit = 1000;
  std::int64_t poll_ms = 1000;                // pull this often while idle (visible app)
  std::int64_t timeout_ms = 30'000;           // no answer by then: a failure
  std::int64_t backoff_min_ms = 500, backoff_max_ms = 60'000;
  std::int64_t unverified_retry_ms = 60'000;  // push again this often while the account waits
  bool bootstrap = true;                      // a device holding nothing confirmed asks for a snapshot first
  std::uint64_t seed = 1;                     // jitter
};

enum class Phase : std::uint8_t {
  idle,         // in step with the server (as of last_synced_ms)
  pushing,      // a push is in flight
  pulling,      // a pull is in flight
  backoff,      // the last request failed; trying again at next_try_ms
  unverified,   // the account waits for the office to verify it: pulls go on, pushes wait
  signed_out,   // the server refused the token (auth.*): pulls go on anonymously, no pushes
  needs_update, // the log holds an op kind this build does not know
  store_failed, // the device store could not write; nothing more until the app reopens it
};
std::string_view phase_key(Phase p);  // translation key "sync.phase.idle", ...

struct Status {
  Phase phase = Phase::idle;
  std::string error;              // the last failure's code ("" when the last request succeeded)
  std::int64_t last_synced_ms = 0;  // device time when a pull last reached the server's head
  std::int64_t server_seq = 0;      // the server's head as last seen
  std::int64_t next_try_ms = 0;     // when in backoff
  int failures = 0;                 // consecutive
  std::uint64_t pushed_ops = 0, pulled_ops = 0, refused_ops = 0, requests = 0;
  std::int64_t snapshot_seq = 0;    // the seq this device started from (0: the whole log)
};

class Client {
 public:
  Client(const core::Schema& schema, Store& store, Options options = {});

  // The device's token; "" = not signed in (pulls only, redacted for anyone). Resets the backoff.
  void set_token(std::string token);
  const std::string& token() const { return token_; }

  // Something changed (a new pending op, the network came back, the app became visible): try now.
  void nudge(std::int64_t now);

  // The request to send now, or nullopt (one is in flight, waiting for a backoff, or nothing to do).
  std::optional<Request> poll(std::int64_t now);
  void on_response(std::uint64_t id, const Response& response, std::int64_t now);
  // When poll() may next have something to do (for the frame loop's timer); INT64_MAX if never.
  std::int64_t wake_at() const;

  const Status& status() const { return status_; }
  bool in_flight() const { return flight_.id != 0; }
  const std::vector<std::string>& pushing() const { return flight_.ops; }  // op ids of the push in flight
  // Pending ops pushed and acknowledged (seq known) but not pulled back yet.
  bool acknowledged(const std::string& op_id) const { return acked_.count(op_id) > 0; }

 private:
  enum class Step : std::uint8_t { none, push, pull, snapshot };
  struct Flight {
    std::uint64_t id = 0;
    Step step = Step::none;
    std::int64_t deadline = 0;
    std::vector<std::string> ops;  // ids in a push
  };
  void fail(const std::string& code, std::int64_t now, bool backoff = true);
  bool check_epoch(const nlohmann::json& response, std::int64_t now);
  void handle_push(const Response& r, std::int64_t now);
  void handle_pull(const Response& r, std::int64_t now);
  void handle_snapshot(const Response& r, std::int64_t now);
  bool want_push(std::int64_t now) const;

  const core::Schema& schema_;
  Store& store_;
  Options opt_;
  core::SplitMix64 rng_;
  std::string token_;
  Status status_;
  Flight flight_;
  std::uint64_t next_id_ = 1;
  bool pull_due_ = true;             // pull as soon as possible
  bool snapshot_tried_ = false;      // asked the server for a snapshot (or it has none for us)
  std::int64_t last_pull_ = 0;       // when the last pull reached the head
  std::int64_t push_hold_until_ = 0; // unverified: no pushes before then
  std::set<std::string> acked_;      // pushed and acknowledged, not yet pulled back
  std::vector<std::string_view> texts_;  // scratch: a pull answer's ops
};

}  // namespace sihui::sync
