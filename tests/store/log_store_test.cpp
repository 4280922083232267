// The log store's ordinary life: create, save, confirm, seal, checkpoint, reopen; the layout on disk
// stays small; every store.* code the store reports has a translation in both languages.
#include <catch_amalgamated.hpp>

#include "core/i18n.h"
#include "store_support.h"

using namespace sihui;
namespace fs = std::filesystem;

namespace {
store::Limits small() {
  store::Limits l;
  l.segment_ops = 10;
  l.segments_per_snapshot = 2;
  l.max_covered_segments = 2;
  l.outbox_dead_max = 4;
  return l;
}
}  // namespace

TEST_CASE("a new store saves pending ops, takes confirmations, and reopens to the same state") {
  auto root = test::fresh_dir("life");
  store::PosixFileOps files(false);
  auto ops = test::demo(200);
  std::string view_hash, confirmed_hash, device;
  {
    store::LogStore st(test::schema(), files);
    auto r = st.open(root, {small(), "tablet-7"});
    REQUIRE(r.ok);
    CHECK(r.created);
    CHECK(r.problems.empty());
    CHECK(st.device_id() == "tablet-7");
    REQUIRE(st.append_confirmed(std::vector<core::Op>(ops.begin(), ops.begin() + 120)));
    for (std::size_t i = 120; i < 140; ++i) {
      auto s = st.append_pending(test::as_pending(ops[i]));
      REQUIRE(s.saved);
    }
    CHECK(st.append_pending(test::as_pending(ops[125])).error == "store.duplicate_op");
    CHECK(st.replica().pending().size() == 20);
    REQUIRE(st.append_confirmed(std::vector<core::Op>(ops.begin() + 110, ops.begin() + 130)));  // overlap skipped
    CHECK(st.stored_seq() == 130);
    CHECK(st.replica().pending().size() == 10);
    REQUIRE(st.set_epoch("server-2026"));
    CHECK(st.snapshot_count() >= 1);
    CHECK(st.segment_count() <= 2 + 2 + 1);
    view_hash = test::hash_of(st.replica().view());
    confirmed_hash = test::hash_of(st.replica().confirmed());
    CHECK(confirmed_hash == test::hash_of(test::clean_replay(130, {}).confirmed()));
  }
  store::LogStore again(test::schema(), files);
  auto r = again.open(root, {small(), ""});
  REQUIRE(r.ok);
  CHECK(r.problems.empty());
  CHECK_FALSE(r.created);
  CHECK(r.device_id == "tablet-7");
  CHECK(r.epoch == "server-2026");
  CHECK(r.pending == 10);
  CHECK(r.snapshot_seq > 0);
  CHECK(again.stored_seq() == 130);
  CHECK(test::hash_of(again.replica().view()) == view_hash);
  CHECK(test::hash_of(again.replica().confirmed()) == confirmed_hash);
  // The outbox was compacted: only the 10 live pending ops are left in it.
  auto outbox = test::slurp(root + "/outbox.log");
  CHECK(std::count(outbox.begin(), outbox.end(), '\n') <= 10 + 4);
  CHECK(test::count_files(root) <= 12);
}

TEST_CASE("file count stays bounded however many confirmed ops arrive") {
  auto root = test::fresh_dir("bounded-files");
  store::PosixFileOps files(false);
  store::LogStore st(test::schema(), files);
  REQUIRE(st.open(root, {small(), "d1"}).ok);
  auto ops = test::demo(400);
  for (std::size_t i = 0; i < ops.size(); i += 7) {
    std::vector<core::Op> batch(ops.begin() + static_cast<std::ptrdiff_t>(i),
                                ops.begin() + static_cast<std::ptrdiff_t>(std::min(i + 7, ops.size())));
    REQUIRE(st.append_confirmed(batch));
    // FORMAT, outbox, tail, 2 snapshots, covered + uncovered segments
    CHECK(test::count_files(root) <= 3 + 2 + 2 + 2 + 1);
  }
  CHECK(st.snapshot_count() == 2);
  store::LogStore again(test::schema(), files);
  auto r = again.open(root, {small(), ""});
  REQUIRE(r.ok);
  CHECK(r.problems.empty());
  CHECK(test::hash_of(again.replica().confirmed()) == test::hash_of(test::clean_replay(400, {}).confirmed()));
}

TEST_CASE("a damaged newest snapshot falls back to the older one and the kept segments") {
  auto root = test::fresh_dir("fallback");
  store::PosixFileOps files(false);
  {
    store::LogStore st(test::schema(), files);
    REQUIRE(st.open(root, {small(), "d1"}).ok);
    auto ops = test::demo(95);
    for (std::size_t i = 0; i < ops.size(); i += 10)
      REQUIRE(st.append_confirmed(std::vector<core::Op>(ops.begin() + static_cast<std::ptrdiff_t>(i),
                                                        ops.begin() + static_cast<std::ptrdiff_t>(std::min(i + 10, ops.size())))));
    REQUIRE(st.snapshot_count() == 2);
  }
  std::vector<std::string> snaps;
  for (auto& e : fs::directory_iterator(root + "/snap")) snaps.push_back(e.path().string());
  std::sort(snaps.begin(), snaps.end());
  { std::ofstream(snaps.back(), std::ios::app) << "x"; }
  store::LogStore again(test::schema(), files);
  auto r = again.open(root, {small(), ""});
  REQUIRE(r.ok);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].code == "store.snapshot_damaged");
  CHECK(fs::exists(root + "/" + r.problems[0].moved_to));
  CHECK(again.stored_seq() == 95);
  CHECK(test::hash_of(again.replica().confirmed()) == test::hash_of(test::clean_replay(95, {}).confirmed()));
}

TEST_CASE("segments the newest snapshot holds are not read at start-up; a fallback reads and checks them") {
  auto root = test::fresh_dir("covered");
  store::PosixFileOps files(false);
  {
    store::LogStore st(test::schema(), files);
    REQUIRE(st.open(root, {small(), "d1"}).ok);
    auto ops = test::demo(95);
    for (std::size_t i = 0; i < ops.size(); i += 10)
      REQUIRE(st.append_confirmed(std::vector<core::Op>(ops.begin() + static_cast<std::ptrdiff_t>(i),
                                                        ops.begin() + static_cast<std::ptrdiff_t>(std::min(i + 10, ops.size())))));
    REQUIRE(st.snapshot_count() == 2);
  }
  std::vector<std::string> snaps, segs;
  for (auto& e : fs::directory_iterator(root + "/snap")) snaps.push_back(e.path().string());
  for (auto& e : fs::directory_iterator(root + "/seg")) segs.push_back(e.path().string());
  std::sort(snaps.begin(), snaps.end());
  std::sort(segs.begin(), segs.end());
  REQUIRE(segs.size() >= 3);
  // Damage a record (not the seal line) of the oldest segment, which both snapshots hold.
  std::string bytes = test::slurp(segs.front());
  bytes[bytes.find("\"op\"") + 8] ^= 1;
  { std::ofstream(segs.front(), std::ios::binary | std::ios::trunc) << bytes; }
  {
    store::LogStore again(test::schema(), files);
    auto r = again.open(root, {small(), ""});
    REQUIRE(r.ok);
    CHECK(r.problems.empty());
    CHECK(again.stored_seq() == 95);
    CHECK(test::hash_of(again.replica().confirmed()) == test::hash_of(test::clean_replay(95, {}).confirmed()));
    CHECK(test::hash_of(core::State{}) != test::hash_of(again.replica().confirmed()));
  }
  // Both snapshots damaged: replay from nothing needs every segment, and the damaged one is found.
  for (const auto& p : snaps) std::ofstream(p, std::ios::app) << "x";
  store::LogStore fallback(test::schema(), files);
  auto r = fallback.open(root, {small(), ""});
  REQUIRE(r.ok);
  bool segment_reported = false;
  for (const auto& p : r.problems) segment_reported |= p.code == "store.segment_damaged" || p.code == "store.confirmed_gap";
  CHECK(segment_reported);
  auto n = static_cast<std::size_t>(fallback.stored_seq());
  CHECK(n < 95);
  CHECK(test::hash_of(fallback.replica().confirmed()) == test::hash_of(test::clean_replay(n, {}).confirmed()));
}

TEST_CASE("confirmed records in another JSON layout than the writer's still open (the DOM path)") {
  auto root = test::fresh_dir("layouts");
  store::PosixFileOps files(false);
  auto ops = test::demo(30);
  {
    store::LogStore st(test::schema(), files);
    REQUIRE(st.open(root, {small(), "d1"}).ok);
    REQUIRE(st.append_confirmed(std::vector<core::Op>(ops.begin(), ops.begin() + 5)));
  }
  // Rewrite tail.log with records whose keys are reordered or spaced, each with a valid checksum.
  std::string tail = test::slurp(root + "/tail.log");
  std::size_t bad = 0;
  bool torn = false;
  auto recs = store::parse_records(tail, &bad, &torn);
  REQUIRE(recs.size() == 6);  // header + 5
  std::string out = store::record_line(recs[0]);
  for (std::size_t i = 1; i < recs.size(); ++i) {
    auto j = nlohmann::json::parse(recs[i]);
    std::string text;
    if (i == 1) text = "{\"op\":" + j["op"].dump() + ",\"a\":" + j["a"].dump() + "}";
    else if (i == 2) text = "{ \"a\" : " + j["a"].dump() + " , \"op\" : " + j["op"].dump() + " }";
    else if (i == 3) text = "{\"a\":" + j["a"].dump() + ".0,\"op\":" + j["op"].dump() + "}";  // a float: not a record
    else text = std::string(recs[i]);
    out += store::record_line(text);
  }
  { std::ofstream(root + "/tail.log", std::ios::binary | std::ios::trunc) << out; }
  store::LogStore again(test::schema(), files);
  auto r = again.open(root, {small(), ""});
  REQUIRE(r.ok);
  CHECK(again.stored_seq() == 2);  // records 1 and 2 read, record 3 is not one: the tail is set aside from there
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].code == "store.tail_damaged");
  CHECK(test::hash_of(again.replica().confirmed()) == test::hash_of(test::clean_replay(2, {}).confirmed()));
}

TEST_CASE("a store from a newer build is not opened and not touched") {
  auto root = test::fresh_dir("too-new");
  { std::ofstream(root + "/FORMAT") << R"({"format":"sihui.store","version":9,"device":"d9","epoch":""})"; }
  store::PosixFileOps files(false);
  store::LogStore st(test::schema(), files);
  auto r = st.open(root);
  CHECK_FALSE(r.ok);
  CHECK(r.error == "store.format_too_new");
  CHECK(r.found_version == 9);
  CHECK_FALSE(st.append_pending(test::as_pending(test::demo(1)[0])).saved);
  CHECK(test::count_files(root) == 1);
  CHECK_FALSE(fs::exists(root + "/seg"));
}

TEST_CASE("every store.* code has a sentence in both languages") {
  i18n::Catalog c;
  std::string err;
  REQUIRE(c.load(i18n::Lang::zh_CN, test::slurp(SIHUI_SOURCE_DIR "/assets/lang/core.zh-CN.json"), &err));
  REQUIRE(c.load(i18n::Lang::en, test::slurp(SIHUI_SOURCE_DIR "/assets/lang/core.en.json"), &err));
  // Every code written in log_store.cpp, read from its source so a new code cannot be forgotten.
  auto src = test::slurp(SIHUI_SOURCE_DIR "/src/store/log_store.cpp");
  std::set<std::string> codes;
  for (std::size_t p = src.find("\"store."); p != std::string::npos; p = src.find("\"store.", p + 1)) {
    auto e = src.find('"', p + 1);
    codes.insert(src.substr(p + 1, e - p - 1));
  }
  CHECK(codes.size() >= 20);
  for (const auto& k : codes) {
    INFO(k);
    CHECK(c.has(i18n::Lang::zh_CN, i18n::Key{k}));
    CHECK(c.has(i18n::Lang::en, i18n::Key{k}));
  }
}
