#include "sync/client.h"

#include <algorithm>
#include <climits>

#include <nlohmann/json.hpp>

#include "core/snapshot.h"

namespace sihui::sync {
using json = nlohmann::json;

std::string_view phase_key(Phase p) {
  switch (p) {
    case Phase::idle: return "sync.phase.idle";
    case Phase::pushing: return "sync.phase.pushing";
    case Phase::pulling: return "sync.phase.pulling";
    case Phase::backoff: return "sync.phase.backoff";
    case Phase::unverified: return "sync.phase.unverified";
    case Phase::signed_out: return "sync.phase.signed_out";
    case Phase::needs_update: return "sync.phase.needs_update";
    case Phase::store_failed: return "sync.phase.store_failed";
  }
  return "sync.phase.idle";
}

namespace {
// The error code and the op it names from a JSON error body; code "" when the body is not one.
void error_of(const std::string& body, std::string* code, std::string* op) {
  code->clear();
  op->clear();
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return;
  auto e = j.find("error");
  if (e == j.end() || !e->is_object()) return;
  if (auto c = e->find("code"); c != e->end() && c->is_string()) *code = c->get<std::string>();
  if (auto o = e->find("op"); o != e->end() && o->is_string()) *op = o->get<std::string>();
}

// A pull answer can hold thousands of ops: its "ops" array is cut into one text per op, each
// decoded by the core's one-pass decoder (which checks it fully), and only the small rest of the
// object goes through the JSON DOM. Returns false when the text is not one JSON object.
std::size_t skip_ws(std::string_view s, std::size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) ++i;
  return i;
}
std::size_t skip_value(std::string_view s, std::size_t i) {  // index after the value; npos if cut
  if (i >= s.size()) return std::string_view::npos;
  if (s[i] == '"') {
    for (++i; i < s.size(); ++i) {
      if (s[i] == '\\') ++i;
      else if (s[i] == '"') return i + 1;
    }
    return std::string_view::npos;
  }
  if (s[i] == '{' || s[i] == '[') {
    int depth = 0;
    for (; i < s.size(); ++i) {
      char c = s[i];
      if (c == '"') {
        i = skip_value(s, i);
        if (i == std::string_view::npos) return i;
        --i;
      } else if (c == '{' || c == '[') {
        if (++depth > 512) return std::string_view::npos;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
    }
    return std::string_view::npos;
  }
  std::size_t start = i;
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' && s[i] != '\n' && s[i] != '\r' && s[i] != '\t') ++i;
  return i == start ? std::string_view::npos : i;
}
bool split_pull(std::string_view s, std::vector<std::string_view>* ops, json* rest) {
  std::size_t i = skip_ws(s, 0);
  if (i >= s.size() || s[i] != '{') return false;
  std::string other = "{";
  bool have_ops = false;
  i = skip_ws(s, i + 1);
  if (i < s.size() && s[i] == '}') return false;
  while (true) {
    std::size_t k = skip_ws(s, i);
    if (k >= s.size() || s[k] != '"') return false;
    std::size_t ke = skip_value(s, k);
    if (ke == std::string_view::npos) return false;
    std::size_t v = skip_ws(s, ke);
    if (v >= s.size() || s[v] != ':') return false;
    v = skip_ws(s, v + 1);
    std::size_t ve = skip_value(s, v);
    if (ve == std::string_view::npos) return false;
    if (s.substr(k, ke - k) == "\"ops\"" && s[v] == '[') {
      have_ops = true;
      ops->clear();
      std::size_t e = skip_ws(s, v + 1);
      if (s[e] != ']') {
        while (true) {
          std::size_t ee = skip_value(s, e);
          if (ee == std::string_view::npos) return false;
          ops->push_back(s.substr(e, ee - e));
          e = skip_ws(s, ee);
          if (e < s.size() && s[e] == ',') e = skip_ws(s, e + 1);
          else if (e < s.size() && s[e] == ']') break;
          else return false;
        }
      }
    } else {
      if (other.size() > 1) other += ',';
      other.append(s.substr(k, ke - k)).append(":").append(s.substr(v, ve - v));
    }
    i = skip_ws(s, ve);
    if (i < s.size() && s[i] == ',') { ++i; continue; }
    if (i < s.size() && s[i] == '}' && skip_ws(s, i + 1) == s.size()) break;
    return false;
  }
  other += '}';
  *rest = json::parse(other, nullptr, false);
  return have_ops && !rest->is_discarded() && rest->is_object();
}

bool get_i64(const json& j, const char* key, std::int64_t* out) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return false;
  *out = it->get<std::int64_t>();
  return true;
}
}  // namespace

Client::Client(const core::Schema& schema, Store& store, Options options)
    : schema_(schema), store_(store), opt_(options), rng_{options.seed} {}

void Client::set_token(std::string token) {
  token_ = std::move(token);
  push_hold_until_ = 0;
  if (status_.phase == Phase::signed_out || status_.phase == Phase::unverified) status_.phase = Phase::idle;
  status_.failures = 0;
  status_.next_try_ms = 0;
}

void Client::nudge(std::int64_t now) {
  pull_due_ = true;
  if (status_.phase == Phase::backoff) {
    status_.next_try_ms = now;  // the network is back, or there is something new: try at once
    status_.failures = 0;
  }
}

bool Client::want_push(std::int64_t now) const {
  if (token_.empty() || now < push_hold_until_) return false;
  for (const auto* op : store_.pending())
    if (!acked_.count(op->id)) return true;
  return false;
}

std::optional<Request> Client::poll(std::int64_t now) {
  if (flight_.id != 0) {
    if (now < flight_.deadline) return std::nullopt;
    Step was = flight_.step;
    flight_ = Flight{};
    (void)was;
    fail("sync.timeout", now);
  }
  if (status_.phase == Phase::store_failed || status_.phase == Phase::needs_update) return std::nullopt;
  if (now < status_.next_try_ms) return std::nullopt;
  Request req;
  req.id = next_id_++;
  if (want_push(now)) {
    json ops = json::array();
    std::size_t bytes = 0;
    flight_.ops.clear();
    for (const auto* op : store_.pending()) {
      if (acked_.count(op->id)) continue;
      json j = core::op_to_json(*op);
      std::size_t size = j.dump().size();
      if (!ops.empty() && (ops.size() >= opt_.push_ops || bytes + size > opt_.push_bytes)) break;
      bytes += size;
      flight_.ops.push_back(op->id);
      ops.push_back(std::move(j));
    }
    req.method = "POST";
    req.path = "/api/v1/ops";
    json body = {{"ops", std::move(ops)}};
    // With the epoch this device knows, so a restored server refuses the batch (committing nothing)
    // until the device has re-queued the ops the restore lost: its ops keep their order.
    if (std::string e = store_.epoch(); !e.empty()) body["epoch"] = e;
    req.body = body.dump();
    flight_.step = Step::push;
    if (status_.phase != Phase::unverified && status_.phase != Phase::signed_out) status_.phase = Phase::pushing;
  } else if (opt_.bootstrap && !snapshot_tried_ && store_.stored_seq() == 0 && store_.epoch().empty()) {
    req.method = "GET";
    req.path = "/api/v1/snapshot";
    flight_.step = Step::snapshot;
    if (status_.phase != Phase::unverified && status_.phase != Phase::signed_out) status_.phase = Phase::pulling;
  } else if (pull_due_ || now >= last_pull_ + opt_.poll_ms) {
    req.method = "GET";
    req.path = "/api/v1/ops?after=" + std::to_string(store_.stored_seq()) + "&limit=" + std::to_string(opt_.pull_limit);
    flight_.step = Step::pull;
    if (status_.phase != Phase::unverified && status_.phase != Phase::signed_out) status_.phase = Phase::pulling;
  } else {
    return std::nullopt;
  }
  flight_.id = req.id;
  flight_.deadline = now + opt_.timeout_ms;
  ++status_.requests;
  return req;
}

std::int64_t Client::wake_at() const {
  if (flight_.id != 0) return flight_.deadline;
  if (status_.phase == Phase::store_failed || status_.phase == Phase::needs_update) return INT64_MAX;
  std::int64_t t = pull_due_ ? 0 : last_pull_ + opt_.poll_ms;
  if (!token_.empty())
    for (const auto* op : store_.pending())
      if (!acked_.count(op->id)) {
        t = std::min(t, push_hold_until_);
        break;
      }
  return std::max(t, status_.next_try_ms);
}

void Client::fail(const std::string& code, std::int64_t now, bool backoff) {
  status_.error = code;
  if (!backoff) return;
  ++status_.failures;
  // Exponential, capped, with jitter in [1/2, 1] of the step so devices do not retry in step.
  std::int64_t step = opt_.backoff_min_ms;
  for (int i = 1; i < status_.failures && step < opt_.backoff_max_ms; ++i) step *= 2;
  step = std::min(step, opt_.backoff_max_ms);
  std::int64_t wait = step / 2 + rng_.below(step / 2 + 1);
  status_.next_try_ms = now + wait;
  if (status_.phase != Phase::unverified && status_.phase != Phase::signed_out) status_.phase = Phase::backoff;
}

void Client::on_response(std::uint64_t id, const Response& r, std::int64_t now) {
  if (id == 0 || id != flight_.id) return;  // late: its request already timed out
  Step step = flight_.step;
  if (r.status == 0) {
    flight_ = Flight{};
    fail("sync.offline", now);
    return;
  }
  if (r.status == 429 || r.status >= 500) {
    flight_ = Flight{};
    std::string code, op;
    error_of(r.body, &code, &op);
    fail(code.empty() ? "sync.server_error" : code, now);
    return;
  }
  if (step == Step::push) handle_push(r, now);
  else if (step == Step::snapshot) handle_snapshot(r, now);
  else handle_pull(r, now);
}

bool Client::check_epoch(const json& response, std::int64_t now) {
  auto e = response.find("epoch");
  if (e == response.end() || !e->is_string() || e->get_ref<const std::string&>().empty()) return true;
  const std::string& epoch = e->get_ref<const std::string&>();
  std::string mine = store_.epoch();
  if (mine == epoch) return true;
  if (mine.empty() && store_.stored_seq() == 0) {
    if (!store_.set_epoch(epoch)) {
      status_.phase = Phase::store_failed;
      fail("sync.store_failed", now, false);
      return false;
    }
    return true;
  }
  // A restored server: re-push our own ops it may have lost (after the point it was restored to;
  // without that figure, all of them: the server's idempotency keeps that safe), pull from 0.
  std::int64_t base = 0;
  get_i64(response, "epoch_base", &base);
  std::string err;
  if (!store_.restart(epoch, std::max<std::int64_t>(base, 0), &err)) {
    status_.phase = Phase::store_failed;
    fail(err.empty() ? "sync.store_failed" : err, now, false);
    return false;
  }
  acked_.clear();
  pull_due_ = true;
  return true;
}

void Client::handle_push(const Response& r, std::int64_t now) {
  std::vector<std::string> ops = std::move(flight_.ops);
  flight_ = Flight{};
  if (r.status == 200) {
    json j = json::parse(r.body, nullptr, false);
    std::int64_t last = 0;
    if (j.is_discarded() || !j.is_object() || !j.contains("seqs") || !j["seqs"].is_array() ||
        j["seqs"].size() != ops.size() || !get_i64(j, "last_seq", &last)) {
      fail("sync.bad_response", now);
      return;
    }
    if (!check_epoch(j, now)) return;
    for (const auto& id : ops) acked_.insert(id);
    status_.pushed_ops += ops.size();
    status_.server_seq = std::max(status_.server_seq, last);
    status_.error.clear();
    status_.failures = 0;
    if (status_.phase != Phase::signed_out) status_.phase = Phase::idle;
    pull_due_ = true;  // bring our ops back as confirmed
    return;
  }
  std::string code, op;
  error_of(r.body, &code, &op);
  if (code == "sync.epoch_changed") {
    json j = json::parse(r.body, nullptr, false);
    if (j.is_object() && j.contains("error") && j["error"].is_object() && j["error"].contains("epoch") &&
        check_epoch(j["error"], now)) {
      status_.error.clear();
      return;  // re-queued: push again at once
    }
    fail("sync.bad_response", now);
    return;
  }
  if (r.status == 401) {
    status_.phase = Phase::signed_out;
    fail(code.empty() ? "auth.required" : code, now, false);
    pull_due_ = true;
    return;
  }
  if (code == "account.unverified") {
    status_.phase = Phase::unverified;
    status_.error = code;
    push_hold_until_ = now + opt_.unverified_retry_ms;
    pull_due_ = true;
    return;
  }
  if (code == "op.conflict" && std::find(ops.begin(), ops.end(), op) != ops.end()) {
    // The server already holds an op with this id: ours, sent earlier with another made_at (a late
    // copy of the first push committed after a restore, before the re-queued stamped copy). It is in
    // the log: it comes back with the next pull, never refused. (The simulation found this, seed 1103.)
    acked_.insert(op);
    pull_due_ = true;
    return;
  }
  if (!op.empty() && std::find(ops.begin(), ops.end(), op) != ops.end()) {
    // The server will never take this op: it leaves the outbox, with the reason; push the rest now.
    if (!store_.refuse(op, code.empty() ? "sync.refused" : code)) {
      status_.phase = Phase::store_failed;
      fail("sync.store_failed", now, false);
      return;
    }
    ++status_.refused_ops;
    status_.error = code;
    return;
  }
  fail(code.empty() ? "sync.http_error" : code, now);
}

void Client::handle_pull(const Response& r, std::int64_t now) {
  flight_ = Flight{};
  if (r.status != 200) {
    std::string code, op;
    error_of(r.body, &code, &op);
    fail(code.empty() ? "sync.http_error" : code, now);
    return;
  }
  json j;
  std::int64_t last = 0;
  if (!split_pull(r.body, &texts_, &j) || !get_i64(j, "last_seq", &last)) {
    fail("sync.bad_response", now);
    return;
  }
  std::int64_t before = store_.stored_seq();
  if (!check_epoch(j, now)) return;
  if (store_.stored_seq() != before) return;  // the store restarted from 0: this page is stale
  std::vector<core::Op> ops;
  ops.reserve(texts_.size());
  std::int64_t expect = before + 1;
  core::Op op;
  for (auto text : texts_) {
    if (core::decode_op(schema_, text, &op) != core::DecodeError::ok || op.seq == 0) {
      fail("sync.bad_response", now);
      return;
    }
    if (op.seq < expect) continue;  // already held
    if (op.seq != expect) {         // a hole: never apply past it
      fail("sync.gap", now);
      return;
    }
    ++expect;
    acked_.erase(op.id);
    ops.push_back(op);
  }
  if (!ops.empty()) {
    std::string err;
    if (!store_.append_confirmed(ops, &err)) {
      status_.phase = Phase::store_failed;
      fail(err.empty() ? "sync.store_failed" : err, now, false);
      return;
    }
    status_.pulled_ops += ops.size();
  }
  status_.server_seq = last;
  status_.error.clear();
  status_.failures = 0;
  if (store_.blocked()) {
    status_.phase = Phase::needs_update;
    return;
  }
  bool more = j.contains("more") && j["more"].is_boolean() && j["more"].get<bool>();
  if (more && !ops.empty()) {
    pull_due_ = true;
  } else {
    pull_due_ = false;
    last_pull_ = now;
    if (store_.stored_seq() >= last) status_.last_synced_ms = now;
  }
  if (status_.phase != Phase::unverified && status_.phase != Phase::signed_out) status_.phase = Phase::idle;
}

// The answer is one header line {"epoch", "epoch_base", "seq", "hash", "class"} and the snapshot text.
void Client::handle_snapshot(const Response& r, std::int64_t now) {
  flight_ = Flight{};
  if (r.status != 200) {  // none for this reader (404) or not now: pull the whole log instead
    snapshot_tried_ = true;
    pull_due_ = true;
    return;
  }
  std::string_view body(r.body);
  auto nl = body.find('\n');
  json head = nl == std::string_view::npos ? json() : json::parse(body.substr(0, nl), nullptr, false);
  std::int64_t seq = 0;
  std::string_view snap = nl == std::string_view::npos ? std::string_view() : body.substr(nl + 1);
  if (!head.is_object() || !get_i64(head, "seq", &seq) || seq <= 0 || !head.contains("hash") || !head["hash"].is_string() ||
      head["hash"].get<std::string>() != core::hash_hex(core::fnv1a64(snap))) {
    snapshot_tried_ = true;  // damaged on the way: the whole log is always a correct start
    pull_due_ = true;
    status_.error = "sync.bad_response";
    return;
  }
  if (!check_epoch(head, now)) return;
  std::string err;
  if (store_.stored_seq() == 0 && !store_.install_snapshot(seq, snap, &err)) {
    snapshot_tried_ = true;
    pull_due_ = true;
    status_.error = err.empty() ? "sync.store_failed" : err;
    return;
  }
  snapshot_tried_ = true;
  status_.snapshot_seq = seq;
  status_.error.clear();
  pull_due_ = true;
}

}  // namespace sihui::sync
