// photos_web: the browser side of report photos (decision 0021). main_web.cpp calls these few hooks;
// the JavaScript is shell/sihui-photos.js (Module.sihuiPhotos).
#pragma once
#include <set>
#include <string>

#include "store/export_photos.h"
#include "ui/app.h"
#include "web/event_queue.h"

namespace sihui::web {

void photos_fill(ui::UiModel& model);  // loaded photos, photos picked since the last frame, the last refusal
bool photos_action(const ui::UiAction& a);  // PickPhotos, DiscardPhoto; false for others
bool photos_event(const Event& e);  // photo_* events; false for others
// After a frame: load what was drawn and has no texture, free what scrolled away (ui::photos_on_screen()).
void photos_after_frame(long frame, const std::string& token, const std::string& device);
void photos_tick(bool online, const std::string& token, const std::string& device);  // uploads, from the 1 s timer

// [SECTION] The device's backup file (decision 0028)
// The core's export text (ending in "photos":[]}) with every photo of the device appended by the page,
// downloaded as file_name; answers "export_progress" (a = percent), "export_done" (a = photos, b = bytes)
// or "export_failed" through the event queue.
void photos_export(const std::string& file_name, const std::string& text);
bool photos_stage(const store::ExportPhoto& p);  // a good photo of an import, held by the page until commit
void photos_unstage();                          // the import was refused: drop what was held
// Writes the held photos into the photo store (those not there yet), then counts the referenced names the
// store lacks: answers "backup_photos_done" (a = photos that failed to be stored, b = referenced missing).
void photos_commit(const std::set<std::string>& referenced);
void photos_forget_missing();  // tiles that found nothing ask again (after an import)

}  // namespace sihui::web
