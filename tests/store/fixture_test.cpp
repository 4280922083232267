// Migrations: a store written by format version 1 (committed under tests/store/fixtures/v1/) opens
// in this build with the same state. Regenerate (only when adding a new format version's fixture):
//   build/native/tests/store_tests "[write-fixture]"
#include <catch_amalgamated.hpp>

#include "store_support.h"

using namespace sihui;
namespace fs = std::filesystem;

namespace {
const char* kFixture = SIHUI_SOURCE_DIR "/tests/store/fixtures/v1";
// The view's state hash of the fixture, pinned when it was written; re-pinned when the state gained
// fields (decision 0022: outlines of compounds and buildings, "" in this fixture's older snapshots;
// decision 0024: the state's channels, none in this fixture; decision 0026: removed places, none).
const char* kFixtureViewHash = "67fccbe294088266";
store::Limits fixture_limits() {
  store::Limits l;
  l.segment_ops = 8;
  l.segments_per_snapshot = 2;
  return l;
}
}  // namespace

TEST_CASE("write the v1 fixture", "[.write-fixture]") {
  fs::remove_all(kFixture);
  fs::create_directories(kFixture);
  store::PosixFileOps files;
  store::LogStore st(test::schema(), files);
  REQUIRE(st.open(kFixture, {fixture_limits(), "fixture-v1"}).ok);
  for (std::size_t i = 0; i < 36; i += 6) REQUIRE(st.append_confirmed(test::demo(i + 6)));
  REQUIRE(st.set_epoch("fixture-epoch"));
  auto ops = test::demo(40);
  for (std::size_t i = 36; i < 39; ++i) REQUIRE(st.append_pending(test::as_pending(ops[i])).saved);
  std::printf("fixture view hash %s\n", test::hash_of(st.replica().view()).c_str());
}

TEST_CASE("a v1 store from the committed fixture opens with the same state") {
  REQUIRE(fs::exists(std::string(kFixture) + "/FORMAT"));
  auto root = test::fresh_dir("fixture-v1");
  fs::remove_all(root);
  fs::copy(kFixture, root, fs::copy_options::recursive);
  store::PosixFileOps files(false);
  store::LogStore st(test::schema(), files);
  auto r = st.open(root, {fixture_limits(), ""});
  REQUIRE(r.ok);
  CHECK(r.found_version == 1);
  CHECK(r.problems.empty());
  CHECK(r.device_id == "fixture-v1");
  CHECK(r.epoch == "fixture-epoch");
  CHECK(r.snapshot_seq > 0);
  CHECK(st.stored_seq() == 36);
  CHECK(st.replica().pending().size() == 3);
  CHECK(test::hash_of(st.replica().view()) == kFixtureViewHash);
  CHECK(test::hash_of(st.replica().view()) == test::hash_of(test::clean_replay(36, st.replica().pending()).view()));
  fs::remove_all(root);
}
