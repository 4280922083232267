// export_photos: the photos inside the device's backup file (decision 0028), pure checks and text.
//
// Since export version 2 the file's last member is "photos": [{"name": <SHA-256 hex of the bytes>,
// "data": <base64 of the bytes>, "pending": true while not uploaded yet}, ...]. The writer puts it last so
// the page can append photo entries it reads from IndexedDB after the core's text (shell/sihui-photos.js
// writes the same entries); a reader does not depend on the order.
//
// Import (LogStore::import) refuses the whole file when "photos" is malformed (not an array, an entry
// not an object, a name that is not a photo name, data not a string); a photo whose data is not base64,
// does not hash to its name, is not a JPEG or PNG or is over kMaxPhotoBytes is only counted as bad and
// left out: the ops still come in.
#pragma once
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "nlohmann/json.hpp"

namespace sihui::store {

inline constexpr std::size_t kMaxPhotoBytes = 4 * 1024 * 1024;  // as serve.py's PUT /api/v1/photos limit

struct ExportPhoto {
  std::string name;     // SHA-256 hex of bytes
  std::string bytes;    // the stored JPEG (or PNG)
  bool pending = false; // not uploaded to the server yet (the importing device uploads it)
};

std::string export_photo_entry(const ExportPhoto& p);  // one entry's JSON text

// True when bytes hash to name, start like a JPEG or PNG and are at most kMaxPhotoBytes.
bool photo_bytes_ok(std::string_view name, std::string_view bytes);

// Checks the "photos" member's shape (no decoding). False + *detail (English) when malformed.
bool photos_well_formed(const nlohmann::json& photos, std::string* detail);
// Decodes and checks one entry of a well-formed list: false (a bad photo) when its data is not base64
// or the bytes fail photo_bytes_ok.
bool read_export_photo(const nlohmann::json& entry, ExportPhoto* out);

// Every photo name the state's reports and their timeline steps refer to.
std::set<std::string> referenced_photos(const core::State& s);

}  // namespace sihui::store
