// Backup: export everything, import into an empty store (same state hash), import twice (nothing
// duplicated), and files that are malformed, foreign or too new are refused and change nothing.
#include <catch_amalgamated.hpp>

#include "store_support.h"

using namespace sihui;
using nlohmann::json;

namespace {
store::Limits small() {
  store::Limits l;
  l.segment_ops = 10;
  l.segments_per_snapshot = 2;
  return l;
}
std::string make_export(std::string* view_hash) {
  auto root = test::fresh_dir("export-src");
  store::PosixFileOps files(false);
  store::LogStore st(test::schema(), files);
  REQUIRE(st.open(root, {small(), "dev-a"}).ok);
  auto ops = test::demo(120);
  for (std::size_t i = 0; i < 100; i += 10) REQUIRE(st.append_confirmed(test::demo(i + 10)));
  REQUIRE(st.append_confirmed(test::demo(105)));  // five confirmed ops after the newest snapshot
  REQUIRE(st.set_epoch("epoch-1"));
  for (std::size_t i = 105; i < 117; ++i) REQUIRE(st.append_pending(test::as_pending(ops[i])).saved);
  REQUIRE(st.snapshot_count() >= 1);
  *view_hash = test::hash_of(st.replica().view());
  return st.export_all();
}
}  // namespace

TEST_CASE("export then import into an empty store gives the same state; a second import adds nothing") {
  std::string view_hash;
  std::string file = make_export(&view_hash);
  json j = json::parse(file);
  CHECK(j["format"] == "sihui.export");
  CHECK(j["version"] == 2);
  CHECK(j["photos"] == json::array());
  CHECK(j["device"] == "dev-a");
  CHECK_FALSE(j["base"].is_null());  // compacted: the oldest ops live in the snapshot
  CHECK(j["confirmed"].size() == 5);
  CHECK(j["pending"].size() == 12);
  CHECK(j["view_hash"] == view_hash);

  auto root = test::fresh_dir("import-dst");
  store::PosixFileOps files(false);
  {
    store::LogStore st(test::schema(), files);
    REQUIRE(st.open(root, {small(), "dev-b"}).ok);
    auto r = st.import(file);
    REQUIRE(r.ok);
    CHECK(r.pending_added == 12);
    CHECK(test::hash_of(st.replica().view()) == view_hash);
    CHECK(st.epoch() == "epoch-1");
    CHECK(st.stored_seq() == 105);
    auto again = st.import(file);
    REQUIRE(again.ok);
    CHECK(again.confirmed_added == 0);
    CHECK(again.pending_added == 0);
    CHECK(again.skipped >= 12);
    CHECK(st.replica().pending().size() == 12);
    CHECK(test::hash_of(st.replica().view()) == view_hash);
  }
  store::LogStore reopened(test::schema(), files);
  auto r = reopened.open(root, {small(), ""});
  REQUIRE(r.ok);
  CHECK(r.problems.empty());
  CHECK(test::hash_of(reopened.replica().view()) == view_hash);
  CHECK(reopened.device_id() == "dev-b");
}

TEST_CASE("an import continues a store that is behind, and merges pending ops by id") {
  std::string view_hash;
  std::string file = make_export(&view_hash);
  auto root = test::fresh_dir("import-behind");
  store::PosixFileOps files(false);
  store::LogStore st(test::schema(), files);
  REQUIRE(st.open(root, {small(), "dev-c"}).ok);
  REQUIRE(st.append_confirmed(test::demo(95)));
  auto ops = test::demo(120);
  REQUIRE(st.append_pending(test::as_pending(ops[110])).saved);  // also in the file
  auto r = st.import(file);
  REQUIRE(r.ok);
  CHECK(st.stored_seq() == 105);
  CHECK(st.replica().pending().size() == 12);
  CHECK(r.pending_added == 11);
}

TEST_CASE("malformed, foreign and too-new files are refused with a reason and change nothing") {
  std::string view_hash;
  std::string good = make_export(&view_hash);
  auto root = test::fresh_dir("import-bad");
  store::PosixFileOps files(false);
  test::FaultFs counting(files);
  store::LogStore st(test::schema(), counting);
  REQUIRE(st.open(root, {small(), "dev-d"}).ok);
  REQUIRE(st.append_confirmed(test::demo(30)));
  REQUIRE(st.set_epoch("epoch-1"));
  std::string before = test::hash_of(st.replica().view());
  auto refused = [&](const std::string& text) {
    counting.reset_counts();
    auto r = st.import(text);
    CHECK_FALSE(r.ok);
    CHECK(counting.steps == 0);
    CHECK(test::hash_of(st.replica().view()) == before);
    return r.error;
  };
  json j = json::parse(good);
  auto with = [&](auto&& edit) {
    json c = j;
    edit(c);
    return c.dump();
  };
  CHECK(refused("") == "store.import.not_json");
  CHECK(refused("{\"format\":\"sihui.export\"") == "store.import.not_json");
  CHECK(refused("[1,2]") == "store.import.not_export");
  CHECK(refused(R"({"format":"pouchdb","version":1})") == "store.import.not_export");
  CHECK(refused(with([](json& c) { c["version"] = 3; })) == "store.import.too_new");
  CHECK(refused(with([](json& c) { c["epoch"] = "another-server"; })) == "store.import.other_server");
  CHECK(refused(with([](json& c) { c["pending"][3]["id"] = "XYZ"; })) == "store.import.bad_op");
  CHECK(refused(with([](json& c) { c["pending"][3]["seq"] = 5; })) == "store.import.bad_op");
  CHECK(refused(with([](json& c) { c["confirmed"][0]["made_at"] = "noon"; })) == "store.import.bad_op");
  CHECK(refused(with([](json& c) { std::swap(c["confirmed"][0], c["confirmed"][1]); })) == "store.import.broken_chain");
  CHECK(refused(with([](json& c) { c["base"]["snapshot"] = "{"; })) == "store.import.bad_snapshot");
  CHECK(refused(with([](json& c) { c["pending"][0]["author"] = "someone-else"; })) == "store.import.hash_mismatch");
  CHECK(refused(with([](json& c) { c["view_hash"] = "0000000000000000"; })) == "store.import.hash_mismatch");
  CHECK(refused(with([](json& c) { c.erase("pending"); })) == "store.import.not_export");
}
