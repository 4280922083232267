// item_table: the last drawn frame's interactive items, for tests, automation and (issue 9)
// the accessibility mirror. Filled by Dear ImGui's test-engine hooks (IMGUI_ENABLE_TEST_ENGINE):
// ItemAdd gives id, rectangle and item flags; ItemInfo gives label and status flags. Widgets
// of src/ui/widgets.h add a role. The table of frame N is complete after EndFrame of frame N.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sihui::ui {

enum class Role : std::uint8_t {
  Unknown,   // drawn by ImGui itself (scrollbars, window parts) or not tagged yet
  Button,    // activates an action
  Checkbox,  // toggles a state; `checked` is meaningful
  TextBox,   // takes typed text (the IME bridge focuses its hidden input over it)
  Slider,    // a value dragged along a track (touch drags it instead of scrolling)
  Tab,       // switches the visible screen
  Heading,   // not interactive; a section title, for the mirror
  Canvas,    // a drawing that pans and zooms (the grid map): touch drags it instead of scrolling
  Status,    // not interactive; words that say a state (a wait-list position, a refusal), for the mirror
};
const char* role_name(Role r);

struct Item {
  std::uint32_t id = 0;
  std::string label;      // without any "##"/"###" suffix
  float x = 0, y = 0, w = 0, h = 0;  // framebuffer pixels
  bool enabled = true;
  bool checked = false;
  bool checkable = false;
  bool clipped = false;   // partly scrolled out of view: the rectangle is the visible part
  Role role = Role::Unknown;
};

class ItemTable {
 public:
  void begin_frame();                        // call right before ImGui::NewFrame()
  void end_frame();                          // call after ImGui::EndFrame()/Render()
  const std::vector<Item>& items() const { return done_; }  // last complete frame
  // The topmost tagged item of the last frame at (x, y) in framebuffer pixels (else the topmost
  // untagged one), or nullptr.
  const Item* hit(float x, float y) const;
  const Item* find(const std::string& label) const;
  // JSON array for window.sihui.items(), rectangles divided by `scale` into CSS pixels.
  std::string to_json(float scale) const;

  // Hook side (called from the ImGui test-engine hooks and widgets).
  void on_add(std::uint32_t id, float x0, float y0, float x1, float y1, bool enabled, bool visible,
              bool clipped);
  void on_info(std::uint32_t id, const char* label, bool checkable, bool checked);
  void set_role(std::uint32_t id, Role role);
  void set_role(std::uint32_t id, Role role, std::string label);  // for items drawn without a visible label

 private:
  Item* current(std::uint32_t id);
  std::vector<Item> building_, done_;
};

ItemTable& item_table();  // the one table of this ImGui context

}  // namespace sihui::ui
