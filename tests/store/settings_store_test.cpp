// settings.json on the native storage seam: round trip, damaged files set aside.
#include <catch_amalgamated.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "platform/storage.h"
#include "store/files.h"
#include "store/settings_store.h"

namespace fs = std::filesystem;
using namespace sihui;

static std::string fresh_root(const char* name) {
  auto dir = fs::temp_directory_path() / ("sihui-test-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

TEST_CASE("settings survive a save and a load") {
  platform::storage_open();
  auto root = fresh_root("roundtrip");
  settings::Settings s;
  s.text_scale = 180;
  s.high_contrast = true;
  std::string err;
  auto gen = store::save_settings(root, s, &err);
  REQUIRE(gen > 0);
  CHECK(platform::storage_is_saved(gen));
  auto loaded = store::load_settings(root);
  CHECK(loaded.found);
  CHECK_FALSE(loaded.damaged);
  CHECK(loaded.settings == s);
  CHECK_FALSE(fs::exists(root + "/settings.json.tmp"));
}

TEST_CASE("a missing file gives defaults and is not an error") {
  platform::storage_open();
  auto loaded = store::load_settings(fresh_root("missing"));
  CHECK_FALSE(loaded.found);
  CHECK_FALSE(loaded.damaged);
  CHECK(loaded.settings == settings::Settings{});
}

TEST_CASE("a damaged file keeps what it can and is set aside, not deleted") {
  platform::storage_open();
  auto root = fresh_root("damaged");
  const std::string bad = R"({"text_scale": 160, "lang": 42})";
  { std::ofstream(root + "/settings.json") << bad; }
  auto loaded = store::load_settings(root);
  CHECK(loaded.found);
  CHECK(loaded.damaged);
  CHECK(loaded.settings.text_scale == 160);
  REQUIRE_FALSE(loaded.set_aside_as.empty());
  CHECK(store::read_file(loaded.set_aside_as).value() == bad);
  CHECK_FALSE(fs::exists(root + "/settings.json"));
  // A second damaged file gets its own name; the first is still there.
  { std::ofstream(root + "/settings.json") << "garbage"; }
  auto again = store::load_settings(root);
  CHECK(again.set_aside_as != loaded.set_aside_as);
  CHECK(fs::exists(loaded.set_aside_as));
}

TEST_CASE("atomic write reports failure for an unwritable place and changes nothing") {
  std::string err;
  CHECK_FALSE(store::write_file_atomic("/nonexistent-dir/x/settings.json", "{}", &err));
  CHECK_FALSE(err.empty());
}

TEST_CASE("a read-only reader leaves a damaged settings file where it is") {
  platform::storage_open();
  auto root = fresh_root("readonly");
  { std::ofstream(root + "/settings.json") << R"({"text_scale": 150, "lang": 42})"; }
  auto loaded = store::load_settings(root, /*may_repair=*/false);
  CHECK(loaded.damaged);
  CHECK(loaded.settings.text_scale == 150);
  CHECK(loaded.set_aside_as.empty());
  CHECK(fs::exists(root + "/settings.json"));
}
