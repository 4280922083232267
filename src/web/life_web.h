// life_web: the browser side of the life screens' extras (decision 0019): this person's calendar feed
// link (an authenticated request to serve.py), opening and downloading links, QR codes made by
// qrcode-generator in the page, and reminders as browser notifications. main_web.cpp calls these
// few hooks; everything here runs in the frame (answers come through the event queue).
#pragma once
#include <string>

#include "core/model.h"
#include "core/settings.h"
#include "core/i18n.h"
#include "ui/app.h"
#include "web/event_queue.h"

namespace sihui::web {

void life_fill(ui::UiModel& model);  // origin, feed link, QR codes, notification permission
// Handles AskFeedLink, OpenUrl, MakeQr and the notification part of settings changes; false for others.
bool life_action(const ui::UiAction& a, const std::string& token, const std::string& device);
bool life_event(const Event& e);     // "qr" events; false for others
bool life_http(double id, int status, const std::string& body);  // the feed link's answer; false for others
void life_signed_out();              // forget this person's link
// Now and then (throttled inside): reminders due for this person become browser notifications, once
// each (remembered in localStorage), when the person turned them on and the browser allows them.
void life_remind(const settings::Settings& s, const i18n::Catalog& words, const core::State* state,
                 const std::string& person, double now_ms);

}  // namespace sihui::web
