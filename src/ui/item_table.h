// item_table: the last drawn frame's items, for tests, automation and the accessibility mirror
// (issue 9, decision 0017: shell/sihui-a11y.js, ui/a11y.h). Filled by Dear ImGui's test-engine hooks (IMGUI_ENABLE_TEST_ENGINE):
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
  Text,      // not interactive; a paragraph (widgets.h Paragraph), for the mirror only (not in items())
  Link,      // goes to another screen or place, like a web link (the mirror's skip link is one)
  // Groups (no rectangle, not interactive): the items added between ItemTable::begin_group and
  // end_group are in them (Item::parent), so a screen reader says "list, 5 items" or "tab 2 of 4".
  List,      // a list of cards (reports, events, classes, requests)
  ListItem,  // one card of a List
  TabList,   // a row of tabs (Role::Tab items)
  Group,     // a named group of items (the map's places)
  Image,     // not interactive; a picture (a report's photo) with words that say what it is
};
const char* role_name(Role r);  // ui/mirror_diff.cpp
bool is_group(Role r);

struct Item {
  std::uint32_t id = 0;
  std::string label;      // without any "##"/"###" suffix
  std::string value;      // what a slider or text field holds, in words ("150%"), for the mirror
  float x = 0, y = 0, w = 0, h = 0;  // framebuffer pixels
  bool enabled = true;
  bool checked = false;
  bool checkable = false;
  bool clipped = false;   // partly scrolled out of view: the rectangle is the visible part
  bool visible = true;    // false: submitted but scrolled out of view (the rectangle is where it would be);
                          // kept for keyboard order and the accessibility mirror, left out of items()
  bool focusable = true;  // false: ImGuiItemFlags_NoNav (text, status lines)
  bool back = false;       // the screen's way back (its ImGui id ends in "back"): Escape activates it
  bool nav = false;        // the top bar's screen switch (id "##nav"): not content, for skip-to-content
  bool overlay = false;    // over a drawing, for keyboards and the mirror only (widgets.h MirrorButton):
                           // no pointer input, so hit(), find() and items() leave it out
  signed char expanded = -1;  // -1 not expandable (combo, tree node), 0 closed, 1 open
  Role role = Role::Unknown;
  std::uint32_t parent = 0;  // the group it is in (a List, ListItem, TabList or Group item), 0: none
  friend bool operator==(const Item&, const Item&) = default;
};

struct MirrorItem;  // ui/mirror_diff.h

class ItemTable {
 public:
  void begin_frame();                        // call right before ImGui::NewFrame()
  void end_frame();                          // call after ImGui::EndFrame()/Render()
  // Every item of the last complete frame, in the order they were drawn, scrolled-out ones too
  // (Item::visible); the order is the keyboard (Tab) order and the accessibility mirror's order.
  const std::vector<Item>& items() const { return done_; }
  // Counts frames whose table differed from the frame before (labels, roles, states, rectangles):
  // the mirror reads the table only when this moved.
  std::uint64_t generation() const { return generation_; }
  const Item* by_id(std::uint32_t id) const;
  const std::vector<Item>& building() const { return building_; }  // this frame's, so far
  // The topmost tagged item of the last frame at (x, y) in framebuffer pixels (else the topmost
  // untagged one), or nullptr.
  const Item* hit(float x, float y) const;
  const Item* find(const std::string& label) const;
  // JSON array for window.sihui.items(), rectangles divided by `scale` into CSS pixels: the
  // visible items without Role::Text and Role::Heading (words, not things to act on), groups and
  // overlays (the mirror has those: mirror_all()).
  std::string to_json(float scale) const;

  // Hook side (called from the ImGui test-engine hooks and widgets).
  void on_add(std::uint32_t id, float x0, float y0, float x1, float y1, bool enabled, bool visible,
              bool clipped, bool focusable = true);
  void on_info(std::uint32_t id, const char* label, bool checkable, bool checked, int expanded = -1);
  void set_role(std::uint32_t id, Role role);
  void set_role(std::uint32_t id, Role role, std::string label);  // for items drawn without a visible label
  // A state the screen knows better than ImGui's flags: a selected tab, a chosen option.
  void set_checked(std::uint32_t id, bool checked);
  void set_value(std::uint32_t id, std::string value);
  void set_overlay(std::uint32_t id);
  // Groups: every item added until the matching end_group() is in this one (nested groups too).
  // `id` must be unique in the frame and the same from frame to frame (ImGui::GetID of a name).
  void begin_group(std::uint32_t id, Role role, std::string label = {});
  void end_group();
  std::uint32_t current_group() const { return groups_.empty() ? 0 : groups_.back(); }
  // The accessibility mirror's changes since it last asked (ui/mirror_diff.h), as JSON; `known`: the
  // generation the page holds (another one than we last handed over: everything anew).
  std::string mirror_changes(float scale, std::uint64_t known);
  // The whole mirror as one such change from nothing ("reset"), for tests to compare the page's copy with.
  std::string mirror_all(float scale) const;
  bool has(std::uint32_t id) const { return const_cast<ItemTable*>(this)->current(id) != nullptr; }  // this frame

 private:
  Item* current(std::uint32_t id);
  void drop_text_before(Item* it);
  static void set_label(Item* it, std::string label);
  std::vector<Item> building_, done_;
  std::vector<std::uint32_t> groups_;  // open groups of the frame being built
  std::uint64_t generation_ = 0;
  std::vector<MirrorItem> mirror_sent_;  // what the page holds
  std::uint64_t mirror_gen_ = UINT64_MAX;  // the generation handed over last
};

ItemTable& item_table();  // the one table of this ImGui context
void a11y_item_added(std::uint32_t id);  // ui/a11y.cpp: applies a pending keyboard/mirror focus request

}  // namespace sihui::ui
