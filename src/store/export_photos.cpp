// export_photos: see export_photos.h.
#include "store/export_photos.h"

#include <algorithm>

#include "core/digest.h"

namespace sihui::store {

using nlohmann::json;

namespace {
bool is_photo_name(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}
bool is_image(std::string_view b) {
  auto u = [&](std::size_t i) { return static_cast<unsigned char>(b[i]); };
  return (b.size() >= 3 && u(0) == 0xff && u(1) == 0xd8 && u(2) == 0xff) ||
         (b.size() >= 4 && u(0) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G');
}
}  // namespace

std::string export_photo_entry(const ExportPhoto& p) {
  // Written by hand: the data can be megabytes, and a json value would copy it twice.
  std::string out = "{\"name\":\"" + p.name + "\",\"data\":\"";
  out += core::base64_encode(p.bytes);
  out += p.pending ? "\",\"pending\":true}" : "\"}";
  return out;
}

bool photo_bytes_ok(std::string_view name, std::string_view bytes) {
  return bytes.size() <= kMaxPhotoBytes && is_image(bytes) && core::sha256_hex(bytes) == name;
}

bool photos_well_formed(const json& photos, std::string* detail) {
  if (!photos.is_array()) {
    *detail = "photos is not an array";
    return false;
  }
  for (std::size_t i = 0; i < photos.size(); ++i) {
    const json& e = photos[i];
    const char* what = nullptr;
    if (!e.is_object()) what = "is not an object";
    else if (!e.contains("name") || !e["name"].is_string() || !is_photo_name(e["name"].get_ref<const std::string&>()))
      what = "has no photo name";
    else if (!e.contains("data") || !e["data"].is_string()) what = "has no data";
    else if (e.contains("pending") && !e["pending"].is_boolean()) what = "has a pending that is not true or false";
    if (what) {
      *detail = "photos[" + std::to_string(i) + "] " + what;
      return false;
    }
  }
  return true;
}

bool read_export_photo(const json& entry, ExportPhoto* out) {
  out->name = entry["name"].get<std::string>();
  out->pending = entry.contains("pending") && entry["pending"].get<bool>();
  const auto& data = entry["data"].get_ref<const std::string&>();
  if (data.size() > (kMaxPhotoBytes + 2) / 3 * 4) return false;  // too large, without decoding it
  return core::base64_decode(data, &out->bytes) && photo_bytes_ok(out->name, out->bytes);
}

std::set<std::string> referenced_photos(const core::State& s) {
  std::set<std::string> out;
  for (const auto& [id, r] : s.reports) {
    out.insert(r.photos.begin(), r.photos.end());
    for (const auto& step : r.timeline) out.insert(step.photos.begin(), step.photos.end());
  }
  return out;
}

}  // namespace sihui::store
