// photos_web: platform/photos.h in the browser, and the hooks main_web.cpp calls (photos_web.h).
// [X] pick: <input type=file accept=image/*> (capture=environment for the camera), from the press's frame
// [X] shrink to a long side of 1600 px, JPEG 0.85, SHA-256 name, own IndexedDB database "sihui-photos"
// [X] textures: WebGL from an ImageBitmap (at most 768 px), only for photos drawn lately (PhotoShelf)
// [X] upload: PUT /api/v1/photos/<name> when online and signed in; fetch a missing one when it is shown
// [X] backup file: export appends every stored photo (base64) after the core's text, with progress;
//     import hands the good photos (checked by the core against their names) to the page, stored after the ops
// [ ] a full-screen view of one photo (tiles only)
// Changes:
// - 2026-11-27: first version (issue 6, photos).
// - 2026-11-27: photos in the device's backup file; a missing photo's tile says "not on this device" (decision 0028).
// - 2026-11-27: a tile says why it has no picture: downloading, not uploaded yet, offline, damaged… (decision 0030).
#include "web/photos_web.h"

#include <emscripten.h>
#include <emscripten/html5.h>

#include <nlohmann/json.hpp>

#include "platform/photos.h"
#include "ui/photos.h"

namespace sihui::web {
namespace {

EM_JS(void, js_photo_pick, (int camera, int room), { Module.sihuiPhotos && Module.sihuiPhotos.pick(!!camera, room); });
EM_JS(void, js_photo_discard, (const char* name), { Module.sihuiPhotos && Module.sihuiPhotos.discard(UTF8ToString(name)); });
EM_JS(void, js_photo_load, (const char* name, const char* token, const char* device), {
  Module.sihuiPhotos && Module.sihuiPhotos.load(UTF8ToString(name), UTF8ToString(token), UTF8ToString(device));
});
EM_JS(void, js_photo_free, (const char* name), { Module.sihuiPhotos && Module.sihuiPhotos.free(UTF8ToString(name)); });
EM_JS(void, js_photos_upload, (const char* token, const char* device), {
  Module.sihuiPhotos && Module.sihuiPhotos.upload(UTF8ToString(token), UTF8ToString(device));
});
EM_JS(void, js_photos_export, (const char* name, const char* data, size_t size), {
  Module.sihuiPhotos.exportFile(UTF8ToString(name), HEAPU8.slice(data, data + size));
});
EM_JS(int, js_photo_stage, (const char* name, const char* data, size_t size, int pending), {
  return Module.sihuiPhotos ? Module.sihuiPhotos.stage(UTF8ToString(name), HEAPU8.slice(data, data + size), !!pending) : 0;
});
EM_JS(void, js_photos_unstage, (), { Module.sihuiPhotos && Module.sihuiPhotos.unstage(); });
EM_JS(void, js_photos_commit, (const char* referenced_json), {
  Module.sihuiPhotos.commit(JSON.parse(UTF8ToString(referenced_json)));
});

struct PhotosWeb {
  platform::PhotoShelf shelf;
  std::map<std::string, ui::PhotoView> views;  // what the UI reads, rebuilt from the shelf
  std::vector<std::string> added;              // picked since the last frame
  std::string error;                           // the last refusal's key
  int busy = 0;
};
PhotosWeb p;

// Why a photo without a texture has none: the last answer's reason while it is asked again (a tile
// waiting for its upload keeps saying so instead of flickering to "downloading" every 3 s).
ui::PhotoWhy why_of(const platform::PhotoShelf::Entry& e) {
  using W = platform::PhotoShelf::Why;
  switch (e.why) {
    case W::NoAccount: return ui::PhotoWhy::NoAccount;
    case W::Offline: return ui::PhotoWhy::Offline;
    case W::NotUploaded: return ui::PhotoWhy::NotUploaded;
    case W::Server: return ui::PhotoWhy::Server;
    case W::Damaged: return ui::PhotoWhy::Damaged;
    case W::None: break;
  }
  if (e.state != platform::PhotoShelf::State::Loading) return ui::PhotoWhy::Unknown;
  return e.fetching ? ui::PhotoWhy::Fetching : ui::PhotoWhy::Loading;
}

void rebuild_views() {
  p.views.clear();
  for (const auto& [name, e] : p.shelf.entries()) {
    ui::PhotoView v;
    if (e.state == platform::PhotoShelf::State::Ready) v = {e.texture, e.w, e.h};
    else v.why = why_of(e);
    p.views[name] = v;
  }
}

}  // namespace
}  // namespace sihui::web

namespace sihui::platform {
void photo_pick(bool camera, int room) { web::js_photo_pick(camera ? 1 : 0, room); }
void photo_discard(const std::string& name) { web::js_photo_discard(name.c_str()); }
void photo_load(const std::string& name, const std::string& token, const std::string& device) {
  web::js_photo_load(name.c_str(), token.c_str(), device.c_str());
}
void photo_free(const std::string& name) { web::js_photo_free(name.c_str()); }
void photos_upload(const std::string& token, const std::string& device) { web::js_photos_upload(token.c_str(), device.c_str()); }
}  // namespace sihui::platform

namespace sihui::web {

void photos_fill(ui::UiModel& model) {
  model.photos = &p.views;
  model.photos_added = std::move(p.added);
  p.added.clear();
  model.photo_error = p.error;
  model.photos_busy = p.busy;
}

bool photos_action(const ui::UiAction& a) {
  if (const auto* pick = std::get_if<ui::PickPhotos>(&a)) {
    p.error.clear();
    platform::photo_pick(pick->camera, pick->room);
    return true;
  }
  if (const auto* d = std::get_if<ui::DiscardPhoto>(&a)) {
    if (platform::is_photo_name(d->name)) platform::photo_discard(d->name);
    return true;
  }
  return false;
}

bool photos_event(const Event& e) {
  if (e.kind.rfind("photo_", 0) != 0) return false;
  if (e.kind == "photo_busy") {
    p.busy = static_cast<int>(e.a);
    if (p.busy > 0) p.error.clear();
  } else if (e.kind == "photo_added" && platform::is_photo_name(e.text)) {
    p.added.push_back(e.text);
  } else if (e.kind == "photo_error") {
    p.error = e.text.rfind("photo.error.", 0) == 0 ? e.text : "photo.error.save";
  } else if (e.kind == "photo_ready") {
    auto wh = static_cast<long>(e.b);
    p.shelf.ready(e.text, static_cast<std::uint64_t>(e.a), static_cast<int>(wh / 65536), static_cast<int>(wh % 65536));
    rebuild_views();
  } else if (e.kind == "photo_fetching") {
    p.shelf.fetching(e.text);
    rebuild_views();
  } else if (e.kind == "photo_missing") {
    p.shelf.missing(e.text, e.a != 0, emscripten_date_now(), static_cast<int>(e.b));
    rebuild_views();
  }
  wake();
  return true;
}

void photos_after_frame(long frame, const std::string& token, const std::string& device) {
  auto& shown = ui::photos_on_screen();
  bool changed = false;
  for (const auto& name : shown) {
    if (!platform::is_photo_name(name)) continue;
    if (p.shelf.shown(name, frame, emscripten_date_now())) {
      platform::photo_load(name, token, device);
      changed = true;
    }
  }
  shown.clear();
  for (const auto& name : p.shelf.evict(frame)) {
    platform::photo_free(name);
    changed = true;
  }
  if (changed) rebuild_views();
}

void photos_tick(bool online, const std::string& token, const std::string& device) {
  if (online && !token.empty()) platform::photos_upload(token, device);
  // A photo waiting to be asked again (not uploaded yet by its owner): draw, so the tile asks.
  for (const auto& [name, e] : p.shelf.entries())
    if (e.state == platform::PhotoShelf::State::Retry && emscripten_date_now() >= e.retry_at) {
      wake();
      break;
    }
}

// [SECTION] The device's backup file (decision 0028)

void photos_export(const std::string& file_name, const std::string& text) {
  js_photos_export(file_name.c_str(), text.data(), text.size());
}

bool photos_stage(const store::ExportPhoto& ph) {
  return js_photo_stage(ph.name.c_str(), ph.bytes.data(), ph.bytes.size(), ph.pending ? 1 : 0) != 0;
}

void photos_unstage() { js_photos_unstage(); }

void photos_commit(const std::set<std::string>& referenced) {
  nlohmann::json names = nlohmann::json::array();
  for (const auto& n : referenced)
    if (platform::is_photo_name(n)) names.push_back(n);
  js_photos_commit(names.dump().c_str());
}

void photos_forget_missing() {
  p.shelf.forget_missing();
  rebuild_views();
  wake();
}

}  // namespace sihui::web
