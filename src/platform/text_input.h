// Seam: text input from the system (IME composition, phone keyboards, paste).
//   src/web/text_input_web.cpp  a hidden <input> placed at ImGui's caret (egui's "text agent")
// Installed as ImGui's Platform_SetImeDataFn: when a text field is active, the platform
// receives focus and caret position; committed text comes back through ImGui's input queue.
#pragma once

namespace sihui::platform {

void text_input_install();  // sets ImGui's IME and clipboard callbacks; call after CreateContext

}  // namespace sihui::platform
