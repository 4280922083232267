// The sync simulation: 20 clients making random offline changes against the in-process server, with
// lost requests, lost responses (after the commit), repeated and late messages, server restarts and
// a restore from backup, and skewed device clocks; then the network heals. Seeded and deterministic.
// SIHUI_SIM_SEEDS sets the number of seeds (default 25 for the debug and sanitizer builds; `./sihui test`
// runs a release build with 2,000).
#include <catch_amalgamated.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <queue>

#include <unistd.h>

#include "core/rng.h"
#include "sim.h"

using namespace sihui;
using json = nlohmann::json;

namespace {

int seeds_from_env(int fallback) {
  const char* s = std::getenv("SIHUI_SIM_SEEDS");
  int v = s ? std::atoi(s) : fallback;
  return v < 1 ? fallback : v;
}

// The community every run starts from: the core tests' small world, 20 residents (some 80+),
// a class with few seats and canteen sittings with few seats, so offline sign-ups collide.
std::vector<core::Op> genesis() {
  test::World w;
  for (int i = 0; i < 20; ++i)
    w.person("p" + std::to_string(i), i % 3 == 0 ? 1935 + i : 1960 + i, i % 2 ? "u1" : "u9");
  w.must("course.add", "teacher", {{"id", "c"}, {"title", "面塑"}, {"teacher", "teacher"}});
  for (int k = 0; k < 3; ++k) {
    w.must("session.add", "teacher", {{"id", "s" + std::to_string(k)}, {"course", "c"}, {"number", k + 1},
                                      {"starts_at", core::shanghai_ms(2021, 1, 1 + k, 9, 0)}, {"duration_min", 60},
                                      {"seats", 2 + k}, {"open_to", {"resident", "student", "teen"}}});
    w.must("canteen.sitting.add", "cook", {{"id", "m" + std::to_string(k)}, {"starts_at", core::shanghai_ms(2021, 1, 1 + k, 11, 30)},
                                          {"meal", "lunch"}, {"seats", 3}});
  }
  return w.log;
}

struct Device {
  std::string person, token, device;
  std::int64_t skew = 0;  // device clock minus true time
  std::int64_t joins_at = 0;  // a new phone: nothing before then, then it starts from a snapshot
  bool online = true;
  std::unique_ptr<sim::TestStore> store;
  std::unique_ptr<sync::Client> client;
  std::vector<std::string> made;          // op ids in the order they were made
  std::set<std::string> acked;            // ids in pushes the client saw a 200 for
  std::uint64_t op_counter = 0;
};

struct Delivery {
  std::int64_t at;
  std::uint64_t order;
  int device;
  bool to_server;        // true: the request reaches the server; false: a response reaches the client
  bool drop_response;    // the server commits but its answer is lost
  int copies;            // the request arrives this many times (repeats)
  sync::Request req;
  sync::Response resp;
  bool operator>(const Delivery& o) const { return at != o.at ? at > o.at : order > o.order; }
};

struct Run {
  core::SplitMix64 rng;
  sim::Server server;
  std::vector<Device> devices;
  std::priority_queue<Delivery, std::vector<Delivery>, std::greater<>> wire;
  std::uint64_t order = 0;
  std::int64_t now = 0;
  bool faults = true;
  std::int64_t server_down_until = 0;
  std::size_t backup_len = 0;  // the log's length when the last backup was taken
  std::int64_t restore_at = -1;  // a restore from backup happens then (every other seed)

  std::string disk;  // non-empty: devices keep a real LogStore in a folder under it

  explicit Run(std::uint64_t seed, int clients, std::string folder = "") : rng{seed * 0x9e37u + 17}, disk(std::move(folder)) {
    server.seed(genesis());
    backup_len = server.log.size();
    if (seed % 2 == 1) restore_at = 10'000 + 50 * rng.below(900);
    server.persons["t-admin"] = "admin";
    for (int i = 0; i < clients; ++i) {
      Device d;
      d.person = "p" + std::to_string(i);
      d.token = "t-" + d.person;
      d.device = "d" + std::to_string(i);
      d.skew = rng.below(600'001) - 300'000;  // +-5 minutes
      if (i % 4 == 3) d.joins_at = 5'000 + 50 * rng.below(700);
      server.persons[d.token] = d.person;
      if (i == clients - 1) server.unverified.insert(d.token);  // verified by the office later
      if (disk.empty()) d.store = std::make_unique<sim::MemStore>(d.device);
      else d.store = std::make_unique<sim::FileStore>(disk + "/" + d.device, d.device);
      d.client = make_client(d, seed, i);
      devices.push_back(std::move(d));
    }
  }

  std::unique_ptr<sync::Client> make_client(Device& d, std::uint64_t seed, int i) {
      sync::Options o;
      o.timeout_ms = 4000;
      o.backoff_min_ms = 200;
      o.backoff_max_ms = 8000;
      o.poll_ms = 1000;
      o.unverified_retry_ms = 5000;
      o.push_ops = 1 + static_cast<std::size_t>(rng.below(8));  // small batches: more interleaving
      o.seed = seed * 31 + static_cast<std::uint64_t>(i) + d.op_counter;
      auto c = std::make_unique<sync::Client>(test::schema(), *d.store, o);
      c->set_token(d.token);
      return c;
  }

  std::string new_id(Device& d) {
    char buf[33];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(rng.next()),
                  static_cast<unsigned long long>(++d.op_counter));
    return buf;
  }

  // A random change a resident makes on their own device.
  void make_op(Device& d) {
    std::string ses = "s" + std::to_string(rng.below(3)), sit = "m" + std::to_string(rng.below(3));
    json p;
    std::string kind;
    switch (rng.below(9)) {
      case 0: case 1: kind = "session.signup"; p = {{"session", ses}}; break;
      case 2: kind = "session.cancel"; p = {{"session", ses}}; break;
      case 3: kind = "canteen.book"; p = {{"sitting", sit}}; break;
      case 4: kind = "canteen.cancel"; p = {{"sitting", sit}}; break;
      case 5: kind = "report.file";
        p = {{"id", "r" + d.device + "x" + std::to_string(d.op_counter)}, {"category", "dispute"}, {"subtype", "noise"}, {"compound", "north"}};
        break;
      case 6: kind = "club.join"; p = {{"club", "none"}}; break;  // refused by the reducer: kept, marked
      case 7: kind = "role.grant"; p = {{"person", d.person}, {"role", "staff"}}; break;  // refused at the gate
      default: kind = "session.signup"; p = {{"session", ses}, {"person", d.person}}; break;
    }
    json j = {{"id", new_id(d)}, {"kind", kind}, {"author", d.person}, {"device", d.device},
              {"made_at", 1'600'000'000'000 + now + d.skew}, {"payload", p}};
    core::Op op;
    REQUIRE(core::decode_op_json(test::schema(), j, &op) == core::DecodeError::ok);
    d.made.push_back(op.id);
    d.store->add(std::move(op));
    d.client->nudge(now);
  }

  void send(int i, const sync::Request& req) {
    Device& d = devices[static_cast<std::size_t>(i)];
    std::int64_t latency = 20 + rng.below(300);
    if (!d.online) {  // fails at once, like fetch() offline
      wire.push(Delivery{now + 1, order++, i, false, false, 1, req, {0, ""}});
      return;
    }
    Delivery del{now + latency / 2, order++, i, true, false, 1, req, {}};
    if (faults) {
      int r = static_cast<int>(rng.below(100));
      if (r < 6) return;                                      // the request is lost: the client times out
      if (r < 12) del.drop_response = true;                   // committed, answer lost
      else if (r < 18) del.copies = 2;                        // repeated
      else if (r < 24) del.at = now + 500 + rng.below(9000);  // late, maybe after the client gave up
    }
    wire.push(std::move(del));
  }

  void deliver(Delivery del) {
    Device& d = devices[static_cast<std::size_t>(del.device)];
    if (del.to_server) {
      if (now < server_down_until) return;  // the server is restarting: the connection drops
      sync::Response resp;
      for (int c = 0; c < del.copies; ++c) resp = server.handle(del.req, d.token, d.device, 1'600'000'000'000 + now);
      if (del.drop_response) return;
      std::int64_t back = 10 + rng.below(150);
      if (faults && rng.chance(5)) back += rng.below(8000);  // a slow answer
      wire.push(Delivery{now + back, order++, del.device, false, false, 1, del.req, resp});
      return;
    }
    if (del.resp.status == 200 && del.req.method == "POST") {
      // Record what the client is told was accepted (only if it still waits for this answer).
      std::vector<std::string> ids = d.client->pushing();
      std::size_t before = d.client->status().pushed_ops;
      d.client->on_response(del.req.id, del.resp, now);
      if (d.client->status().pushed_ops != before) d.acked.insert(ids.begin(), ids.end());
      return;
    }
    d.client->on_response(del.req.id, del.resp, now);
  }

  void step(std::int64_t until, bool make_changes) {
    for (; now < until; now += 50) {
      while (!wire.empty() && wire.top().at <= now) {
        Delivery del = wire.top();
        wire.pop();
        deliver(std::move(del));
      }
      if (faults) {
        if (rng.chance(1) && rng.chance(5)) server_down_until = now + 1000 + rng.below(5000);
        if (rng.chance(1) && rng.chance(3)) backup_len = server.log.size();
        if (now == restore_at) server.restore(backup_len);  // the office restores last night's backup
        if (now == 30'000) server.unverified.clear();  // the office verifies the last resident
      }
      for (std::size_t i = 0; i < devices.size(); ++i) {
        Device& d = devices[i];
        if (now < d.joins_at) continue;
        if (faults && rng.chance(1)) {
          d.online = !d.online;
          if (d.online) d.client->nudge(now);
        }
        if (make_changes && rng.chance(2)) make_op(d);
        if (faults && !disk.empty() && rng.chance(1) && rng.chance(10)) {  // the tab closes and opens again
          d.store->reload();
          d.client = make_client(d, 7, static_cast<int>(i));
        }
        if (auto req = d.client->poll(now)) send(static_cast<int>(i), *req);
      }
    }
  }

  bool settled() const {
    for (const auto& d : devices)
      if (!d.store->rep().pending().empty() ||
          d.store->stored_seq() != static_cast<std::int64_t>(server.log.size()))
        return false;
    return true;
  }
};

void check_converged(Run& run) {
  const auto& log = run.server.log;
  // Every op id once in the server log; seqs are 1..n.
  std::set<std::string> ids;
  for (std::size_t i = 0; i < log.size(); ++i) {
    REQUIRE(log[i].seq == static_cast<std::int64_t>(i + 1));
    REQUIRE(ids.insert(log[i].id).second);
  }
  // The replay of the server log: every device's confirmed state equals it, byte for byte.
  core::Replica truth(test::schema());
  truth.apply_confirmed(log);
  const std::uint64_t want = core::state_hash(truth.confirmed());
  INFO(test::domain_violation(truth.confirmed()));
  REQUIRE(test::domain_violation(truth.confirmed()).empty());
  std::map<std::string, std::size_t> seq_of;
  for (const auto& op : log) seq_of[op.id] = static_cast<std::size_t>(op.seq);
  for (auto& d : run.devices) {
    INFO("device " << d.device << " phase " << sync::phase_key(d.client->status().phase) << " error "
                   << d.client->status().error);
    REQUIRE(d.store->rep().pending().empty());  // outboxes drained
    REQUIRE(d.store->stored_seq() == static_cast<std::int64_t>(log.size()));
    REQUIRE(core::state_hash(d.store->rep().confirmed()) == want);  // (the view is a copy: nothing pending)
    // Nothing lost: every op made is in the log exactly once, or was refused at the gate (and only
    // the kind the gate refuses); an acknowledged op is never refused afterwards.
    std::size_t last_seq = 0;
    for (const auto& id : d.made) {
      bool in_log = seq_of.count(id) > 0;
      bool refused = !d.store->refused_code(id).empty();
      REQUIRE(in_log != refused);
      if (refused) {
        REQUIRE(d.store->refused_code(id) == "op.kind_forbidden");
        REQUIRE_FALSE(d.acked.count(id));
        continue;
      }
      // Per-device order: the server's seqs follow the order the device made its ops.
      REQUIRE(seq_of[id] > last_seq);
      last_seq = seq_of[id];
      REQUIRE(log[seq_of[id] - 1].author == d.person);  // stamped by the server from the token
    }
    for (const auto& id : d.acked) REQUIRE(seq_of.count(id));
  }
}

void simulate(int seeds, int clients, const std::string& disk) {
  std::uint64_t total_ops = 0, total_restores = 0, total_bootstraps = 0;
  const char* first_env = std::getenv("SIHUI_SIM_FIRST");  // to replay one seed: SIHUI_SIM_FIRST=N SIHUI_SIM_SEEDS=1
  const int first = first_env ? std::max(1, std::atoi(first_env)) : 1;
  for (int seed = first; seed < first + seeds; ++seed) {
    INFO("seed " << seed);
    std::string folder;
    if (!disk.empty()) {
      folder = disk + "/" + std::to_string(seed);
      std::filesystem::remove_all(folder);
      std::filesystem::create_directories(folder);
    }
    Run run(static_cast<std::uint64_t>(seed), clients, folder);
    run.step(60'000, true);  // a minute of offline changes and faults
    run.faults = false;      // heal: everyone online, no more faults, no new changes
    for (auto& d : run.devices) {
      d.online = true;
      d.client->nudge(run.now);
    }
    run.server.unverified.clear();
    run.server_down_until = 0;
    for (int k = 0; k < 40 && !run.settled(); ++k) run.step(run.now + 5'000, false);
    run.step(run.now + 2'000, false);  // one more poll round for everyone
    if (!run.settled())
      for (auto& d : run.devices)
        UNSCOPED_INFO(d.device << ": pending " << d.store->rep().pending().size() << " seq " << d.store->stored_seq()
                               << "/" << run.server.log.size() << " phase " << sync::phase_key(d.client->status().phase)
                               << " error " << d.client->status().error << " epoch " << d.store->epoch() << "/" << run.server.epoch);
    REQUIRE(run.settled());
    check_converged(run);
    if (!disk.empty()) {  // and after closing every tab: the same again from the files
      for (auto& d : run.devices) d.store->reload();
      check_converged(run);
      std::filesystem::remove_all(folder);
    }
    total_ops += run.server.log.size();
    total_restores += static_cast<std::uint64_t>(run.server.epochs - 1);
    for (auto& d : run.devices) total_bootstraps += d.client->status().snapshot_seq > 0;
  }
  if (!disk.empty()) std::filesystem::remove_all(disk);
  REQUIRE(total_bootstraps > 0);  // late phones started from snapshots
  // The faults happened: the runs exercised restores and large logs, not only the easy path.
  REQUIRE(total_restores > 0);
  REQUIRE(total_ops > static_cast<std::uint64_t>(seeds) * 5 * static_cast<std::uint64_t>(clients));
}

}  // namespace

TEST_CASE("sync simulation: 20 devices, a faulty network, then healing; every device converges") {
  simulate(seeds_from_env(25), 20, "");
}

TEST_CASE("sync simulation with the real LogStore on disk, tabs closing and reopening") {
  // One folder per process: two test runs at once (a sanitizer run beside a debug one, or two
  // checkouts on one machine) must not share it.
  simulate(std::clamp(seeds_from_env(25) / 20, 3, 50), 8,
           std::filesystem::temp_directory_path().string() + "/sihui-sync-sim-" + std::to_string(::getpid()));
}

TEST_CASE("sync client: backoff grows, is capped and jittered; a late answer is ignored") {
  sim::MemStore store("d1");
  sync::Options o;
  o.backoff_min_ms = 100;
  o.backoff_max_ms = 1600;
  o.timeout_ms = 1000;
  sync::Client c(test::schema(), store, o);
  std::int64_t now = 0;
  std::vector<std::int64_t> waits;
  for (int i = 0; i < 8; ++i) {
    auto req = c.poll(now);
    REQUIRE(req);
    c.on_response(req->id, {0, ""}, now);
    REQUIRE(c.status().phase == sync::Phase::backoff);
    waits.push_back(c.status().next_try_ms - now);
    REQUIRE_FALSE(c.poll(now));  // nothing before the backoff ends
    now = c.status().next_try_ms;
  }
  for (std::size_t i = 0; i < waits.size(); ++i) {
    std::int64_t step = std::min<std::int64_t>(100LL << i, 1600);
    REQUIRE(waits[i] >= step / 2);
    REQUIRE(waits[i] <= step);
  }
  // A request that times out; its answer arrives later and is ignored.
  auto req = c.poll(now);
  REQUIRE(req);
  now += 1000;
  REQUIRE_FALSE(c.poll(now));  // timed out: now in backoff
  REQUIRE(c.status().error == "sync.timeout");
  sim::Server server;
  c.on_response(req->id, server.handle(*req, "", "d1", now), now);
  REQUIRE(store.stored_seq() == 0);
}

TEST_CASE("sync client: a refused op leaves the outbox with its reason and the rest goes through") {
  sim::Server server;
  server.seed(genesis());
  server.persons["t"] = "p1";
  sim::MemStore store("d1");
  sync::Client c(test::schema(), store);
  c.set_token("t");
  auto add = [&](std::uint64_t n, const char* kind, json payload) {
    core::Op op = test::make_op(n, kind, "p1", std::move(payload), 1'700'000'000'000);
    op.device = "d1";
    store.replica.add_pending(std::move(op));
  };
  add(9001, "session.signup", {{"session", "s0"}});
  add(9002, "role.grant", {{"person", "p1"}, {"role", "staff"}});
  add(9003, "canteen.book", {{"sitting", "m0"}});
  std::int64_t now = 0;
  for (int i = 0; i < 10; ++i)
    if (auto req = c.poll(now)) c.on_response(req->id, server.handle(*req, "t", "d1", now), now);
  REQUIRE(store.replica.pending().empty());
  REQUIRE(store.refused_codes.at(test::op_id(9002)) == "op.kind_forbidden");
  REQUIRE(server.by_id.count(test::op_id(9001)));
  REQUIRE(server.by_id.count(test::op_id(9003)));
  REQUIRE_FALSE(server.by_id.count(test::op_id(9002)));
  REQUIRE(c.status().refused_ops == 1);
  REQUIRE(c.status().phase == sync::Phase::idle);
  REQUIRE(c.status().last_synced_ms == now);
}

TEST_CASE("sync client: a restored server gets this device's lost ops again, once") {
  sim::Server server;
  server.seed(genesis());
  server.persons["t"] = "p1";
  sim::MemStore store("d1");
  sync::Client c(test::schema(), store);
  c.set_token("t");
  std::int64_t now = 0;
  auto settle = [&] {
    for (int i = 0; i < 20; ++i, now += 10)
      if (auto req = c.poll(now)) c.on_response(req->id, server.handle(*req, "t", "d1", now), now);
  };
  settle();
  std::size_t backup = server.log.size();
  store.replica.add_pending(test::make_op(9100, "session.signup", "p1", {{"session", "s0"}}, 1));
  settle();
  REQUIRE(server.log.size() == backup + 1);
  REQUIRE(store.stored_seq() == static_cast<std::int64_t>(backup + 1));
  server.restore(backup);  // the op is gone from the server
  now += 2000;
  settle();
  REQUIRE(store.epoch() == "e2");
  REQUIRE(server.log.size() == backup + 1);
  REQUIRE(server.log.back().id == test::op_id(9100));
  REQUIRE(store.stored_seq() == static_cast<std::int64_t>(backup + 1));
  REQUIRE(store.replica.pending().empty());
}

TEST_CASE("sync client: a hole in the pulled seqs, or an answer that is not the protocol, applies nothing") {
  sim::MemStore store("d1");
  sync::Options o;
  o.bootstrap = false;
  sync::Client c(test::schema(), store, o);
  auto req = c.poll(0);
  REQUIRE(req);
  core::Op op = test::make_op(1, "community.init", "admin", {{"name", "x"}, {"admin_name", "y"}}, 1);
  op.seq = 2;  // seq 1 missing
  c.on_response(req->id, {200, json{{"epoch", "e"}, {"ops", {core::op_to_json(op)}}, {"last_seq", 2}, {"more", false}}.dump()}, 0);
  REQUIRE(store.stored_seq() == 0);
  REQUIRE(c.status().error == "sync.gap");
  for (const char* bad : {"", "[]", "{\"ops\": 3}", "{\"ops\": [{\"id\": 1}], \"last_seq\": 1}", "not json"}) {
    std::int64_t now = c.status().next_try_ms;
    auto r = c.poll(now);
    REQUIRE(r);
    c.on_response(r->id, {200, bad}, now);
    REQUIRE(store.stored_seq() == 0);
    REQUIRE(c.status().error == "sync.bad_response");
  }
}

TEST_CASE("sync client: an unverified account keeps its ops pending and pushes them once verified") {
  sim::Server server;
  server.seed(genesis());
  server.persons["t"] = "p1";
  server.unverified.insert("t");
  sim::MemStore store("d1");
  sync::Options o;
  o.unverified_retry_ms = 5000;
  sync::Client c(test::schema(), store, o);
  c.set_token("t");
  store.replica.add_pending(test::make_op(9200, "session.signup", "p1", {{"session", "s1"}}, 1));
  std::int64_t now = 0;
  auto run_until = [&](std::int64_t end) {
    for (; now < end; now += 100)
      if (auto req = c.poll(now)) c.on_response(req->id, server.handle(*req, "t", "d1", now), now);
  };
  run_until(3000);
  REQUIRE(c.status().phase == sync::Phase::unverified);
  REQUIRE(store.replica.pending().size() == 1);
  REQUIRE(store.stored_seq() == static_cast<std::int64_t>(server.log.size()));  // pulls went on
  server.unverified.clear();
  run_until(8000);
  REQUIRE(store.replica.pending().empty());
  REQUIRE(server.log.back().id == test::op_id(9200));
  REQUIRE(c.status().phase == sync::Phase::idle);
}

TEST_CASE("sync client: a new device starts from the server's snapshot; a damaged one falls back to the whole log") {
  sim::Server server;
  server.seed(genesis());
  server.snapshot_every = 16;
  for (int damaged = 0; damaged < 2; ++damaged) {
    sim::MemStore store("d9");
    sync::Client c(test::schema(), store);
    std::int64_t now = 0;
    for (int i = 0; i < 10; ++i, now += 10)
      if (auto req = c.poll(now)) {
        auto resp = server.handle(*req, "", "d9", now);
        if (damaged && req->path == "/api/v1/snapshot") resp.body.back() ^= 1;  // one bit flipped on the way
        c.on_response(req->id, resp, now);
      }
    REQUIRE(store.stored_seq() == static_cast<std::int64_t>(server.log.size()));
    core::Replica truth(test::schema());
    truth.apply_confirmed(server.log);
    REQUIRE(core::state_hash(store.replica.confirmed()) == core::state_hash(truth.confirmed()));
    if (damaged) {
      REQUIRE(c.status().snapshot_seq == 0);
      REQUIRE(store.base == 0);
    } else {
      REQUIRE(c.status().snapshot_seq == static_cast<std::int64_t>(server.log.size() / 16 * 16));
      REQUIRE(store.confirmed.size() == server.log.size() % 16);  // only the tail was pulled
    }
  }
}
