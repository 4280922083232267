// Crash injection: a scripted session (open, saves, confirmations that seal segments, checkpoints,
// outbox rewrites) is cut at every mutating file step k, in three ways (nothing done, half a write,
// done but not acknowledged). Reopening must show every acknowledged op, nothing half-applied, and
// the state of a clean replay of what is there.
#include <catch_amalgamated.hpp>

#include "store_support.h"

using namespace sihui;

namespace {

struct Session {
  std::size_t acked_confirmed = 0, tried_confirmed = 0;  // demo ops 0..n confirmed
  std::set<std::string> acked_pending, tried_pending;
};

store::Limits tiny() {
  store::Limits l;
  l.segment_ops = 6;
  l.segments_per_snapshot = 2;
  l.max_covered_segments = 1;
  l.outbox_dead_max = 3;
  return l;
}

// Runs the script until the first failure; returns what was acknowledged.
Session run(store::FileOps& fs, const std::string& root) {
  Session s;
  auto ops = test::demo(60);
  store::LogStore st(test::schema(), fs);
  if (!st.open(root, {tiny(), "dev-1"}).ok) return s;
  auto confirm = [&](std::size_t to) {
    s.tried_confirmed = std::max(s.tried_confirmed, to);
    if (!st.append_confirmed(test::demo(to))) return false;
    s.acked_confirmed = to;
    return true;
  };
  auto save = [&](std::size_t i) {
    s.tried_pending.insert(ops[i].id);
    if (!st.append_pending(test::as_pending(ops[i])).saved) return false;
    s.acked_pending.insert(ops[i].id);
    return true;
  };
  if (!confirm(8)) return s;
  for (std::size_t i = 8; i < 14; ++i)
    if (!save(i)) return s;
  if (!confirm(11)) return s;  // confirms three pending ops
  if (!st.set_epoch("e1")) return s;
  if (!confirm(25)) return s;  // seals, checkpoints, rewrites the outbox
  for (std::size_t i = 25; i < 28; ++i)
    if (!save(i)) return s;
  st.checkpoint(true);  // false when the newest snapshot is already current
  if (!st.is_open()) return s;
  if (!confirm(40)) return s;
  if (!save(40)) return s;
  return s;
}

void check_reopened(const std::string& root, const Session& s, const char* label) {
  INFO(label);
  store::PosixFileOps clean(false);
  store::LogStore st(test::schema(), clean);
  auto r = st.open(root, {tiny(), "dev-x"});
  REQUIRE(r.ok);
  auto n = static_cast<std::size_t>(st.stored_seq());
  CHECK(n >= s.acked_confirmed);
  CHECK(n <= s.tried_confirmed);
  auto confirmed = test::demo(n);
  std::set<std::string> confirmed_ids;
  for (const auto& op : confirmed) confirmed_ids.insert(op.id);
  std::set<std::string> pending;
  for (const auto& op : st.replica().pending()) pending.insert(op.id);
  for (const auto& id : s.acked_pending) {
    INFO("acknowledged op " << id);
    CHECK((pending.count(id) == 1 || confirmed_ids.count(id) == 1));
  }
  for (const auto& id : pending) {
    CHECK(s.tried_pending.count(id) == 1);
    CHECK(confirmed_ids.count(id) == 0);
  }
  auto want = test::clean_replay(n, st.replica().pending());
  CHECK(test::hash_of(st.replica().confirmed()) == test::hash_of(want.confirmed()));
  CHECK(test::hash_of(st.replica().view()) == test::hash_of(want.view()));
  // The store goes on working after the crash, and a second reopen agrees.
  auto more = test::demo(60);
  REQUIRE(st.append_pending(test::as_pending(more[55])).saved);
  REQUIRE(st.append_confirmed(test::demo(std::max<std::size_t>(n, 45))));
  std::string view = test::hash_of(st.replica().view());
  store::LogStore again(test::schema(), clean);
  auto r2 = again.open(root, {tiny(), ""});
  REQUIRE(r2.ok);
  CHECK(r2.problems.empty());
  CHECK(test::hash_of(again.replica().view()) == view);
}

}  // namespace

TEST_CASE("a crash at any file step of saves, seals and checkpoints loses nothing acknowledged") {
  // Count the steps of a whole session first.
  std::string root = test::fresh_dir("crash-count");
  store::PosixFileOps real(false);
  test::FaultFs counter(real);
  auto full = run(counter, root);
  REQUIRE(full.acked_confirmed == 40);
  long total = counter.steps;
  REQUIRE(total > 40);
  int cases = 0;
  for (auto mode : {test::FaultFs::Mode::stop, test::FaultFs::Mode::torn, test::FaultFs::Mode::after}) {
    for (long k = 0; k < total; ++k) {
      root = test::fresh_dir("crash");
      test::FaultFs fs(real);
      fs.mode = mode;
      fs.fail_at = k;
      auto s = run(fs, root);
      std::string label = "mode " + std::to_string(static_cast<int>(mode)) + " step " + std::to_string(k);
      check_reopened(root, s, label.c_str());
      ++cases;
    }
  }
  CHECK(cases == 3 * total);
  std::filesystem::remove_all(root);
}
