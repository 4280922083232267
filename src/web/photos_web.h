// photos_web: the browser side of report photos (decision 0021). main_web.cpp calls these few hooks;
// the JavaScript is shell/sihui-photos.js (Module.sihuiPhotos).
#pragma once
#include <string>

#include "ui/app.h"
#include "web/event_queue.h"

namespace sihui::web {

void photos_fill(ui::UiModel& model);  // loaded photos, photos picked since the last frame, the last refusal
bool photos_action(const ui::UiAction& a);  // PickPhotos, DiscardPhoto; false for others
bool photos_event(const Event& e);  // photo_* events; false for others
// After a frame: load what was drawn and has no texture, free what scrolled away (ui::photos_on_screen()).
void photos_after_frame(long frame, const std::string& token, const std::string& device);
void photos_tick(bool online, const std::string& token, const std::string& device);  // uploads, from the 1 s timer

}  // namespace sihui::web
