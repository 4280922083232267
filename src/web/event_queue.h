// event_queue: results of asynchronous browser work (fonts arriving, online/offline, storage
// estimates, resizes) wait here until the frame drains them. A JS callback never changes
// UI or core state directly (see STYLE.md, "Tracy's run queue").
#pragma once
#include <string>
#include <vector>

namespace sihui::web {

struct Event {
  std::string kind;  // "online", "font_progress", "font_ready", "font_failed", "estimate"
  double a = 0, b = 0;
  std::string text;
};

std::vector<Event>& event_queue();
void wake(int frames = 3);  // ask the main loop to draw the next few frames

}  // namespace sihui::web
