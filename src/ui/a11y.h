// a11y: keyboard focus and the accessibility mirror's requests, on top of the item table.
// Dear ImGui's own Tab only moves inside one window; Sihui's screens nest child windows, so Tab
// and Shift+Tab walk the item table instead (the order the items were drawn, which is also the
// mirror's DOM order), and a focus request lands with ImGui::FocusItem() at the moment the target
// is submitted (a11y_item_added), which scrolls it into view. The page side is shell/sihui-a11y.js.
#pragma once
#include <cstdint>

namespace sihui::ui {

// Requests from the keyboard or the mirror, applied while the next frame is built.
void a11y_request_focus(std::uint32_t id, bool activate);  // activate: as if clicked (or typed into)
bool a11y_tab(bool backwards);     // next/previous focusable item of the last frame; false if none
bool a11y_skip_to_content();       // the first focusable item that is not the top bar's switch
bool a11y_back();                  // Escape: activates the screen's way back; false if it has none
// The item the keyboard is on (0: none shown), and whether it is a text field being typed into.
std::uint32_t a11y_focus_id(bool* editing = nullptr);
// A focus ring that stays visible at every text size: 0.15 em, dark with a light inner edge (it
// shows on light and dark fills). Call after the screens drew, before ImGui::Render().
void a11y_draw_focus_ring();
bool a11y_is_interactive(int role);  // ui::Role as int: reached with Tab

}  // namespace sihui::ui
