// settings_store: settings.json under the storage root. Loading keeps every readable field
// and sets a damaged file aside; saving never runs before the first load has finished.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/settings.h"

namespace sihui::store {

struct SettingsLoadResult {
  settings::Settings settings;
  bool found = false;          // a settings file existed
  bool damaged = false;        // it had problems: the person is told, the file kept aside
  std::string set_aside_as;    // where the damaged original now lives (empty if not moved)
  std::vector<std::string> problems;
};

// may_repair: this process writes the storage (the writer tab), so a damaged file is moved aside.
// A read-only tab passes false: it reads what it can and changes no file.
SettingsLoadResult load_settings(const std::string& root, bool may_repair = true);
// Returns the storage generation of the write (see platform::storage_wrote), 0 on failure.
std::uint64_t save_settings(const std::string& root, const settings::Settings& s, std::string* error);

}  // namespace sihui::store
