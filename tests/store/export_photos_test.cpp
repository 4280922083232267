// Photos in the device's backup file (decision 0028): export version 2 carries them as base64 with
// their SHA-256 names; a version 1 file still imports; a photo whose bytes do not match its name is
// left out (counted) while the ops come in; a malformed photo list refuses the whole file and
// changes nothing, photo store included.
#include <catch_amalgamated.hpp>

#include "core/digest.h"
#include "store/export_photos.h"
#include "store_support.h"

using namespace sihui;
using nlohmann::json;

namespace {
store::ExportPhoto photo(char fill, std::size_t size, bool pending) {
  store::ExportPhoto p;
  p.bytes = std::string("\xff\xd8\xff\xe0", 4) + std::string(size, fill);
  p.name = core::sha256_hex(p.bytes);
  p.pending = pending;
  return p;
}

struct Source {
  std::string file, view_hash;
  std::vector<store::ExportPhoto> photos;
};

Source make_source() {
  Source s;
  auto root = test::fresh_dir("photos-src");
  store::PosixFileOps files(false);
  store::LogStore st(test::schema(), files);
  REQUIRE(st.open(root, {{}, "dev-p"}).ok);
  auto ops = test::demo(60);
  REQUIRE(st.append_confirmed(test::demo(50)));
  REQUIRE(st.set_epoch("epoch-1"));
  for (std::size_t i = 50; i < 60; ++i) REQUIRE(st.append_pending(test::as_pending(ops[i])).saved);
  s.view_hash = test::hash_of(st.replica().view());
  s.photos = {photo('a', 5000, true), photo('b', 70001, false), photo('c', 2, true)};
  s.file = st.export_all(s.photos);
  return s;
}

// A store to import into, and a photo sink that records what it was given.
struct Target {
  store::PosixFileOps files{false};
  test::FaultFs counting{files};
  store::LogStore st{test::schema(), counting};
  std::vector<store::ExportPhoto> kept;
  store::PhotoSink sink = [this](const store::ExportPhoto& p) {
    kept.push_back(p);
    return true;
  };
  explicit Target(const std::string& name) { REQUIRE(st.open(test::fresh_dir(name), {{}, "dev-q"}).ok); }
};
}  // namespace

TEST_CASE("export version 2 carries the photos last, and import hands each to the photo store with its pending flag") {
  Source src = make_source();
  json j = json::parse(src.file);
  CHECK(j["version"] == 2);
  REQUIRE(j["photos"].size() == 3);
  CHECK(j["photos"][0]["name"] == src.photos[0].name);
  CHECK(j["photos"][0]["pending"] == true);
  CHECK_FALSE(j["photos"][1].contains("pending"));
  CHECK(src.file.rfind(",\"photos\":[{\"name\":\"", std::string::npos) != std::string::npos);
  CHECK(src.file.substr(src.file.size() - 2) == "]}");

  Target t("photos-dst");
  auto r = t.st.import(src.file, t.sink);
  REQUIRE(r.ok);
  CHECK(r.pending_added == 10);
  CHECK(test::hash_of(t.st.replica().view()) == src.view_hash);
  CHECK(r.photos_in_file == 3);
  CHECK(r.photos_kept == 3);
  CHECK(r.photos_bad == 0);
  REQUIRE(t.kept.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(t.kept[i].name == src.photos[i].name);
    CHECK(t.kept[i].bytes == src.photos[i].bytes);
    CHECK(t.kept[i].pending == src.photos[i].pending);
  }
  // Again: no ops added; the photos are offered again (the photo store keeps the ones it has).
  auto again = t.st.import(src.file, t.sink);
  REQUIRE(again.ok);
  CHECK(again.pending_added + again.confirmed_added == 0);
  CHECK(again.photos_kept == 3);
}

TEST_CASE("a version 1 file (no photos) still imports to the same state") {
  Source src = make_source();
  json j = json::parse(src.file);
  j["version"] = 1;
  j.erase("photos");
  Target t("photos-v1");
  auto r = t.st.import(j.dump(), t.sink);
  REQUIRE(r.ok);
  CHECK(r.pending_added == 10);
  CHECK(test::hash_of(t.st.replica().view()) == src.view_hash);
  CHECK(r.photos_in_file == 0);
  CHECK(t.kept.empty());
  // A version 1 file's stray "photos" member is not read.
  j["photos"] = "whatever";
  Target u("photos-v1-stray");
  CHECK(u.st.import(j.dump(), u.sink).ok);
}

TEST_CASE("a photo whose bytes do not match its name is left out and counted; the ops still come in") {
  Source src = make_source();
  json j = json::parse(src.file);
  std::string bytes;
  REQUIRE(core::base64_decode(j["photos"][1]["data"].get<std::string>(), &bytes));
  bytes[100] ^= 1;  // one flipped bit
  j["photos"][1]["data"] = core::base64_encode(bytes);
  j["photos"][2]["data"] = "not base64!";
  // A copy of photo 0 under photo 0's name again counts once; a PNG is a photo too; text is not.
  j["photos"].push_back(j["photos"][0]);
  std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + "pixels", text = "just some words";
  j["photos"].push_back({{"name", core::sha256_hex(png)}, {"data", core::base64_encode(png)}});
  j["photos"].push_back({{"name", core::sha256_hex(text)}, {"data", core::base64_encode(text)}});
  Target t("photos-bad-hash");
  auto r = t.st.import(j.dump(), t.sink);
  REQUIRE(r.ok);
  CHECK(r.pending_added == 10);
  CHECK(test::hash_of(t.st.replica().view()) == src.view_hash);
  CHECK(r.photos_in_file == 5);
  CHECK(r.photos_bad == 3);
  CHECK(r.photos_kept == 2);
  REQUIRE(t.kept.size() == 2);
  CHECK(t.kept[0].name == src.photos[0].name);
  CHECK(t.kept[1].bytes == png);
}

TEST_CASE("a malformed photo list refuses the whole file: no op and no photo comes in") {
  Source src = make_source();
  json j = json::parse(src.file);
  Target t("photos-malformed");
  REQUIRE(t.st.append_confirmed(test::demo(20)));
  REQUIRE(t.st.set_epoch("epoch-1"));
  std::string before = test::hash_of(t.st.replica().view());
  auto refused = [&](auto&& edit) {
    json c = j;
    edit(c);
    t.counting.reset_counts();
    auto r = t.st.import(c.dump(), t.sink);
    CHECK_FALSE(r.ok);
    CHECK(t.counting.steps == 0);
    CHECK(t.kept.empty());
    CHECK(t.st.replica().pending().empty());
    CHECK(test::hash_of(t.st.replica().view()) == before);
    return r.error;
  };
  CHECK(refused([](json& c) { c.erase("photos"); }) == "store.import.bad_photos");
  CHECK(refused([](json& c) { c["photos"] = "photos"; }) == "store.import.bad_photos");
  CHECK(refused([](json& c) { c["photos"][1] = 5; }) == "store.import.bad_photos");
  CHECK(refused([](json& c) { c["photos"][1]["name"] = "IMG_0001.jpg"; }) == "store.import.bad_photos");
  CHECK(refused([](json& c) { c["photos"][1]["name"] = std::string(64, 'A'); }) == "store.import.bad_photos");
  CHECK(refused([](json& c) { c["photos"][1].erase("data"); }) == "store.import.bad_photos");
  CHECK(refused([](json& c) { c["photos"][1]["data"] = 12; }) == "store.import.bad_photos");
  CHECK(refused([](json& c) { c["photos"][1]["pending"] = "yes"; }) == "store.import.bad_photos");
  // The ops' own checks still hold in a file with good photos.
  CHECK(refused([](json& c) { c["view_hash"] = "0000000000000000"; }) == "store.import.hash_mismatch");
  CHECK(refused([](json& c) { c["epoch"] = "another"; }) == "store.import.other_server");
}

TEST_CASE("photo checks: size limit, magic bytes, name; the photos reports and their steps refer to") {
  auto p = photo('z', 10, false);
  CHECK(store::photo_bytes_ok(p.name, p.bytes));
  CHECK_FALSE(store::photo_bytes_ok(std::string(64, '0'), p.bytes));
  auto big = photo('x', store::kMaxPhotoBytes, false);  // 4 bytes over the limit
  CHECK_FALSE(store::photo_bytes_ok(big.name, big.bytes));
  json entry = json::parse(store::export_photo_entry(big));
  store::ExportPhoto out;
  CHECK_FALSE(store::read_export_photo(entry, &out));

  core::State s;
  auto& r = s.reports["r1"];
  r.photos = {"a1", "b2"};
  r.timeline.push_back({});
  r.timeline.back().photos = {"b2", "c3"};
  s.reports["r2"].photos = {"d4"};
  CHECK(store::referenced_photos(s) == std::set<std::string>{"a1", "b2", "c3", "d4"});
}
