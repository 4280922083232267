#include "store/settings_store.h"

#include "platform/storage.h"
#include "store/files.h"

namespace sihui::store {

static std::string settings_path(const std::string& root) { return root + "/settings.json"; }

SettingsLoadResult load_settings(const std::string& root, bool may_repair) {
  SettingsLoadResult out;
  auto text = read_file(settings_path(root));
  if (!text) return out;
  out.found = true;
  auto parsed = settings::parse(*text);
  out.settings = parsed.settings;
  out.problems = parsed.problems;
  if (!parsed.problems.empty()) {
    out.damaged = true;
    if (!may_repair) return out;
    // Keep the original for the office to inspect; the next save writes a clean file.
    if (auto moved = set_aside(settings_path(root))) {
      out.set_aside_as = *moved;
      platform::storage_wrote();
    }
  }
  return out;
}

std::uint64_t save_settings(const std::string& root, const settings::Settings& s, std::string* error) {
  if (platform::storage_report().state == platform::StorageState::Loading) {
    if (error) *error = "storage is still loading";
    return 0;
  }
  if (!write_file_atomic(settings_path(root), settings::serialise(s), error)) return 0;
  return platform::storage_wrote();
}

}  // namespace sihui::store
