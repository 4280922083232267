// files: small whole-file reads and atomic writes under the storage root (stdio only).
#pragma once
#include <optional>
#include <string>

namespace sihui::store {

std::optional<std::string> read_file(const std::string& path);
// Writes to path.tmp, then renames over path, so a crash leaves the old or the new file.
bool write_file_atomic(const std::string& path, const std::string& bytes, std::string* error);
// Moves a damaged file aside as path.damaged-N (never deletes it); returns the new name.
std::optional<std::string> set_aside(const std::string& path);

}  // namespace sihui::store
