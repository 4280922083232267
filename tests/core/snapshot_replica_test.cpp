// Snapshots and hashes, replay stopping at unknown kinds, and the pending/confirmed rebase.
#include <catch_amalgamated.hpp>

#include "core/replica.h"
#include "core/snapshot.h"
#include "support.h"

using namespace sihui;
using namespace sihui::core;

TEST_CASE("a snapshot loads back to an equal state with the same bytes and hash") {
  test::World w;
  w.must("course.add", "teacher", {{"id", "c"}, {"title", "面塑"}, {"teacher", "teacher"}});
  w.must("session.add", "teacher", {{"id", "s"}, {"course", "c"}, {"number", 1}, {"starts_at", shanghai_ms(2020, 9, 1, 9, 0)},
                                    {"duration_min", 60}, {"seats", 1}});
  w.must("session.signup", "grandma", {{"session", "s"}});
  w.must("session.signup", "daughter", {{"session", "s"}});  // wait-listed: noted
  w.must("event.add", "admin", {{"id", "fest"}, {"title", "月月仓南节"}, {"starts_at", shanghai_ms(2020, 1, 11, 9, 0)},
                                {"duration_min", 180}, {"rrule", "FREQ=MONTHLY;BYDAY=2SA"}});
  w.must("event.cancel", "admin", {{"event", "fest"}, {"occurrence", shanghai_ms(2020, 2, 8, 9, 0)}});
  w.must("clinic.roster.set", "uncle", {{"weekday", 2}, {"members", {"uncle"}}});
  std::string bytes = write_snapshot(w.s);
  State back;
  std::string err;
  REQUIRE(read_snapshot(bytes, &back, &err));
  CHECK(back == w.s);
  CHECK(back.sessions.at("s").taken == 1);  // derived field rebuilt
  CHECK(write_snapshot(back) == bytes);
  CHECK(state_hash(back) == state_hash(w.s));
  CHECK(hash_hex(0x0123456789abcdefull) == "0123456789abcdef");
  CHECK(fnv1a64("") == 0xcbf29ce484222325ull);
  CHECK(fnv1a64("a") == 0xaf63dc4c8601ec8cull);

  State untouched = back;
  CHECK_FALSE(read_snapshot("{", &back, &err));
  CHECK_FALSE(read_snapshot(R"({"format": 99, "state": {}})", &back, &err));
  CHECK(err.find("format 99") != std::string::npos);
  CHECK_FALSE(read_snapshot(R"({"format": 1, "state": {"persons": {"a": {"id": "b"}}}})", &back, &err));
  CHECK_FALSE(read_snapshot(R"({"format": 1, "state": {"persons": {"a": {"id": 3}}}})", &back, &err));
  CHECK_FALSE(read_snapshot(R"({"format": 1, "state": {"sittings": {"x": {"id": "x", "meal": "supper"}}}})", &back, &err));
  CHECK(back == untouched);
  CHECK(read_snapshot(R"({"format": 1, "state": {}})", &back, &err));  // older snapshots may lack fields
}

TEST_CASE("an unknown kind stops replay with a please-update state; nothing after it is applied") {
  test::World w;
  Op unknown;
  REQUIRE(decode_op(test::schema(), R"({"id":"00000000000000000000000000000abc","kind":"garden.plot.rent","author":"admin",
                                        "made_at":1,"seq":500,"payload":{"plot":"A1"}})", &unknown) == DecodeError::ok);
  auto o = w.r.apply(w.s, unknown);
  CHECK(o.verdict == Verdict::blocked);
  CHECK(w.s.blocked.active);
  CHECK(w.s.blocked.kind == "garden.plot.rent");
  CHECK(w.s.blocked.seq == 500);
  auto before = w.s.compounds;
  CHECK(w.run("place.compound.add", "admin", {{"id", "east"}, {"name", "东苑"}}).verdict == Verdict::blocked);
  CHECK(w.s.compounds == before);
}

TEST_CASE("rebase: an offline sign-up becomes wait-listed when an earlier one is confirmed") {
  test::World w;  // the server's state so far
  w.must("course.add", "teacher", {{"id", "c"}, {"title", "面塑"}, {"teacher", "teacher"}});
  w.must("session.add", "teacher", {{"id", "s"}, {"course", "c"}, {"number", 1}, {"starts_at", shanghai_ms(2020, 9, 1, 9, 0)},
                                    {"duration_min", 60}, {"seats", 1}});
  Replica rep(test::schema());
  REQUIRE(rep.load_snapshot(write_snapshot(w.s), nullptr));
  std::int64_t seq = w.s.last_seq;

  Op mine = w.op("session.signup", "grandma", {{"session", "s"}});
  CHECK(rep.add_pending(mine).reason == Reason::none);  // offline: a seat, as far as we know
  CHECK(rep.is_pending(mine.id));
  CHECK(rep.view().sessions.at("s").enrolled.size() == 1);
  CHECK(rep.confirmed().sessions.at("s").enrolled.empty());

  // Someone else's sign-up reached the server first.
  Op theirs = w.op("session.signup", "daughter", {{"session", "s"}});
  theirs.seq = ++seq;
  rep.apply_confirmed({theirs});
  auto o = rep.outcome(mine.id);
  REQUIRE(o);
  CHECK(o->key() == "reason.class.full_waitlisted");
  CHECK(o->params.at(0).num == 1);
  // Then ours is confirmed behind it: it leaves the pending list with the same outcome.
  Op confirmed = mine;
  confirmed.seq = ++seq;
  rep.apply_confirmed({theirs, confirmed});  // a repeated pull is harmless
  CHECK(rep.pending().empty());
  CHECK(rep.outcome(mine.id)->key() == "reason.class.full_waitlisted");
  CHECK(rep.view() == rep.confirmed());
  CHECK(rep.view().sessions.at("s").waitlist.at(0).persons.at(0) == "grandma");
  CHECK_FALSE(rep.needs_update());
}

TEST_CASE("a pending op confirmed by a snapshot or an old pull leaves the pending list") {
  test::World w;
  w.must("course.add", "teacher", {{"id", "c"}, {"title", "面塑"}, {"teacher", "teacher"}});
  w.must("session.add", "teacher", {{"id", "s"}, {"course", "c"}, {"number", 1}, {"starts_at", shanghai_ms(2020, 9, 1, 9, 0)},
                                    {"duration_min", 60}, {"seats", 5}});
  Replica rep(test::schema());
  REQUIRE(rep.load_snapshot(write_snapshot(w.s), nullptr));
  Op mine = w.op("session.signup", "grandma", {{"session", "s"}});
  rep.add_pending(mine);
  REQUIRE(rep.is_pending(mine.id));
  // The server applied it (seq N) and this device then started from a newer snapshot holding it.
  Op confirmed = mine;
  confirmed.seq = w.s.last_seq + 1;
  w.r.apply(w.s, confirmed);
  REQUIRE(rep.load_snapshot(write_snapshot(w.s), nullptr));
  CHECK(rep.is_pending(mine.id));  // the snapshot alone does not tell this device it was confirmed
  // The confirmation arrives late, at or below the snapshot's seq: it must still clear the pending op.
  rep.apply_confirmed({confirmed});
  CHECK_FALSE(rep.is_pending(mine.id));
  CHECK(rep.pending().empty());
  CHECK(rep.view() == rep.confirmed());
  CHECK(rep.view().sessions.at("s").enrolled.size() == 1);
}
