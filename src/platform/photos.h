// Seam: the device's photos of problem reports (decision 0021).
//   src/web/photos_web.cpp + shell/sihui-photos.js  the browser: <input type=file>, createImageBitmap +
//                                                   OffscreenCanvas (long side <= 1600 px, JPEG 0.85),
//                                                   SHA-256 (crypto.subtle), an IndexedDB database of its
//                                                   own ("sihui-photos", not the IDBFS mount), WebGL textures,
//                                                   PUT/GET /api/v1/photos/<sha256> on serve.py
//   src/native/photos_native.cpp                    a fake for native tests: records the calls
// Photos are named by the SHA-256 of their stored bytes (64 lowercase hex digits); ops carry only names.
// Answers come back through the platform's event queue, never inside a frame:
//   "photo_busy"    a = photos being prepared (0 when done)
//   "photo_added"   text = name, a = width, b = height: shrunk, hashed and stored on this device
//   "photo_error"   text = translation key (photo.error.*): refused, nothing stored
//   "photo_ready"   text = name, a = texture id, b = width * 65536 + height
//   "photo_fetching" text = name: not on this device, asked of the server now
//   "photo_missing" text = name, a = 1 when worth asking again later (offline, not uploaded yet),
//                   b = why (PhotoShelf::Why)
#pragma once
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sihui::platform {

// Ask the person for photos: camera = the back camera (capture="environment"), else the file picker
// (several at once). At most `room` of the chosen files are taken. Call it in the frame of the press
// (the browser opens a picker only shortly after a user gesture).
void photo_pick(bool camera, int room);
void photo_discard(const std::string& name);  // a photo removed from a form before sending (if never uploaded)
// Load a photo's texture: from this device, else from serve.py (token/device: this device's account).
void photo_load(const std::string& name, const std::string& token, const std::string& device);
void photo_free(const std::string& name);  // delete its texture
// Upload what is on this device and not on the server yet; throttled inside, a no-op without token.
void photos_upload(const std::string& token, const std::string& device);

inline bool is_photo_name(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Which photos have a texture: the ones shown in the last frames, at most `max_textures` of them
// (GPU memory stays bounded: a report list scrolled by frees what scrolled away). Pure bookkeeping,
// tested natively; the shell calls the seam with what it decides.
class PhotoShelf {
 public:
  enum class State : std::uint8_t { Loading, Ready, Missing, Retry };  // Retry: ask again after a while
  // Why the last answer was no photo, as the page tells it (shell/sihui-photos.js WHY).
  enum class Why : std::uint8_t { None, NoAccount, Offline, NotUploaded, Server, Damaged };
  struct Entry {
    State state = State::Loading;
    std::uint64_t texture = 0;
    int w = 0, h = 0;
    long last_frame = 0;
    double retry_at = 0;
    Why why = Why::None;    // kept while it is asked again, so the tile does not flicker between answers
    bool fetching = false;  // the server is being asked now
  };
  explicit PhotoShelf(std::size_t max_textures = 24, long keep_frames = 120) : max_(max_textures), keep_(keep_frames) {}
  // A photo drawn this frame; true when it must be loaded now.
  bool shown(const std::string& name, long frame, double now_ms) {
    auto [it, fresh] = entries_.try_emplace(name);
    it->second.last_frame = frame;
    if (fresh) return true;
    if (it->second.state == State::Retry && now_ms >= it->second.retry_at) {
      it->second.state = State::Loading;
      return true;
    }
    return false;
  }
  void ready(const std::string& name, std::uint64_t texture, int w, int h) {
    auto& e = entries_[name];
    e.state = State::Ready;
    e.texture = texture;
    e.w = w;
    e.h = h;
    e.why = Why::None;
    e.fetching = false;
  }
  // The page asks the server for it now (only for a photo still held).
  void fetching(const std::string& name) {
    if (auto it = entries_.find(name); it != entries_.end() && it->second.state == State::Loading) it->second.fetching = true;
  }
  // `why`: the page's code (0 none known; anything out of range counts as none).
  void missing(const std::string& name, bool retry, double now_ms, int why = 0) {
    auto& e = entries_[name];
    e.state = retry ? State::Retry : State::Missing;
    e.retry_at = now_ms + 3000;
    e.why = why > 0 && why <= static_cast<int>(Why::Damaged) ? static_cast<Why>(why) : Why::None;
    e.fetching = false;
  }
  // Photos arrived by other means (a backup was imported): the ones not found are asked for again when drawn.
  void forget_missing() {
    std::erase_if(entries_, [](const auto& kv) { return kv.second.state == State::Missing || kv.second.state == State::Retry; });
  }
  // After a frame: the photos to free (not drawn for keep_frames frames, or the oldest beyond the cap).
  std::vector<std::string> evict(long frame) {
    std::vector<std::string> out;
    std::vector<std::pair<long, std::string>> held;
    for (const auto& [name, e] : entries_) {
      if (frame - e.last_frame > keep_) out.push_back(name);
      else if (e.state == State::Ready || e.state == State::Loading) held.emplace_back(e.last_frame, name);
    }
    if (held.size() > max_) {  // the longest unseen first; never one drawn in this frame
      std::sort(held.begin(), held.end());
      for (std::size_t i = 0; i + max_ < held.size() && held[i].first < frame; ++i) out.push_back(held[i].second);
    }
    for (const auto& n : out) entries_.erase(n);
    return out;
  }
  const std::map<std::string, Entry>& entries() const { return entries_; }

 private:
  std::size_t max_;
  long keep_;
  std::map<std::string, Entry> entries_;
};

}  // namespace sihui::platform
