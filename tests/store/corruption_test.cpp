// Random damage to a store's files (truncate, flip bytes, swap files, delete a segment or snapshot,
// garbage FORMAT): opening never crashes, always opens, reports what it set aside, keeps what is
// intact, and its state is a clean replay of what it kept.
#include <catch_amalgamated.hpp>

#include <random>

#include "store_support.h"

using namespace sihui;
namespace fs = std::filesystem;

namespace {
store::Limits small() {
  store::Limits l;
  l.segment_ops = 8;
  l.segments_per_snapshot = 2;
  l.max_covered_segments = 2;
  return l;
}
std::vector<std::string> store_files(const std::string& root) {
  std::vector<std::string> v;
  for (auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) v.push_back(e.path().string());
  std::sort(v.begin(), v.end());
  return v;
}
void put(const std::string& p, const std::string& bytes) { std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes; }
}  // namespace

TEST_CASE("random corruption: never a crash, always a report, the intact rest kept") {
  auto master = test::fresh_dir("corrupt-master");
  store::PosixFileOps files(false);
  auto ops = test::demo(90);
  std::string view_hash;
  std::set<std::string> pending_ids;
  {
    store::LogStore st(test::schema(), files);
    REQUIRE(st.open(master, {small(), "dev-c"}).ok);
    for (std::size_t i = 0; i < 80; i += 9)
      REQUIRE(st.append_confirmed(test::demo(std::min<std::size_t>(i + 9, 80))));
    for (std::size_t i = 80; i < 90; ++i) REQUIRE(st.append_pending(test::as_pending(ops[i])).saved);
    for (const auto& op : st.replica().pending()) pending_ids.insert(op.id);
    view_hash = test::hash_of(st.replica().view());
  }
  auto originals = store_files(master);
  REQUIRE(originals.size() >= 7);
  std::mt19937_64 rng(20261126);
  int reported = 0, unchanged = 0;
  for (int round = 0; round < 300; ++round) {
    auto root = test::fresh_dir("corrupt");
    fs::remove_all(root);
    fs::copy(master, root, fs::copy_options::recursive);
    auto list = store_files(root);
    auto pick = [&] { return list[rng() % list.size()]; };
    std::string what;
    bool outbox_touched = false;
    int damage = 1 + static_cast<int>(rng() % 2);
    for (int d = 0; d < damage; ++d) {
      std::string p = pick();
      std::string bytes = test::slurp(p);
      switch (rng() % 6) {
        case 0: {  // truncate, not at a line end (that would look like a crash before an append)
          if (bytes.size() < 2) break;
          std::size_t at = rng() % (bytes.size() - 1);
          if (at > 0 && bytes[at - 1] == '\n') ++at;
          put(p, bytes.substr(0, at));
          what += "truncate " + p + "; ";
          break;
        }
        case 1: {  // flip bytes
          if (bytes.empty()) break;
          for (int i = 0; i < 1 + static_cast<int>(rng() % 3); ++i) bytes[rng() % bytes.size()] ^= static_cast<char>(1 + rng() % 255);
          put(p, bytes);
          what += "flip " + p + "; ";
          break;
        }
        case 2: {  // swap two files' contents
          std::string q = pick();
          if (q == p) break;
          std::string other = test::slurp(q);
          put(p, other);
          put(q, bytes);
          what += "swap " + p + " " + q + "; ";
          outbox_touched |= q.find("outbox") != std::string::npos;
          break;
        }
        case 3: {  // delete a segment or a snapshot
          if (p.find("/seg/") == std::string::npos && p.find("/snap/") == std::string::npos) break;
          fs::remove(p);
          what += "delete " + p + "; ";
          break;
        }
        case 4:  // garbage FORMAT
          put(root + "/FORMAT", "\x01garbage{");
          what += "garbage FORMAT; ";
          break;
        default:  // an empty file
          put(p, "");
          what += "empty " + p + "; ";
          break;
      }
      outbox_touched |= p.find("outbox") != std::string::npos;
    }
    INFO(what);
    store::LogStore st(test::schema(), files);
    auto r = st.open(root, {small(), "dev-new"});
    REQUIRE(r.ok);
    auto n = static_cast<std::size_t>(st.stored_seq());
    CHECK(n <= 80);
    auto want = test::clean_replay(n, st.replica().pending());
    CHECK(test::hash_of(st.replica().confirmed()) == test::hash_of(want.confirmed()));
    CHECK(test::hash_of(st.replica().view()) == test::hash_of(want.view()));
    for (const auto& op : st.replica().pending()) CHECK(pending_ids.count(op.id) == 1);
    if (!outbox_touched) CHECK(st.replica().pending().size() == pending_ids.size());
    for (const auto& p : r.problems) {
      CHECK_FALSE(p.code.empty());
      if (!p.moved_to.empty()) CHECK(fs::exists(root + "/" + p.moved_to));
    }
    bool same = test::hash_of(st.replica().view()) == view_hash;
    if (!same) CHECK_FALSE(r.problems.empty());
    reported += !r.problems.empty();
    unchanged += same;
    // Whatever happened, the store works on and reopens cleanly.
    REQUIRE(st.append_confirmed(test::demo(80)));
    store::LogStore again(test::schema(), files);
    auto r2 = again.open(root, {small(), ""});
    REQUIRE(r2.ok);
    CHECK(r2.problems.empty());
    CHECK(test::hash_of(again.replica().view()) == test::hash_of(st.replica().view()));
    fs::remove_all(root);
  }
  CHECK(reported > 200);
  CHECK(unchanged > 50);
  fs::remove_all(master);
}
