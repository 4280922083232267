#include "ui/item_table.h"

#include <cstring>

#include <nlohmann/json.hpp>

#include "imgui.h"
#include "imgui_internal.h"

namespace sihui::ui {

const char* role_name(Role r) {
  switch (r) {
    case Role::Button: return "button";
    case Role::Checkbox: return "checkbox";
    case Role::TextBox: return "textbox";
    case Role::Slider: return "slider";
    case Role::Tab: return "tab";
    case Role::Heading: return "heading";
    case Role::Canvas: return "canvas";
    case Role::Status: return "status";
    case Role::Unknown: break;
  }
  return "unknown";
}

ItemTable& item_table() {
  static ItemTable table;
  return table;
}

void ItemTable::begin_frame() { building_.clear(); }

void ItemTable::end_frame() { done_.swap(building_); }

Item* ItemTable::current(std::uint32_t id) {
  // Items arrive in order; the one just added is almost always the last.
  for (auto it = building_.rbegin(); it != building_.rend(); ++it) {
    if (it->id == id) return &*it;
  }
  return nullptr;
}

void ItemTable::on_add(std::uint32_t id, float x0, float y0, float x1, float y1, bool enabled,
                       bool visible, bool clipped) {
  if (!visible || x1 <= x0 || y1 <= y0) return;
  if (Item* it = current(id)) {  // re-submitted in the same frame: keep the latest rectangle
    it->x = x0; it->y = y0; it->w = x1 - x0; it->h = y1 - y0;
    it->enabled = enabled;
    it->clipped = clipped;
    return;
  }
  Item item;
  item.id = id;
  item.x = x0; item.y = y0; item.w = x1 - x0; item.h = y1 - y0;
  item.enabled = enabled;
  item.clipped = clipped;
  building_.push_back(std::move(item));
}

void ItemTable::on_info(std::uint32_t id, const char* label, bool checkable, bool checked) {
  Item* it = current(id);
  if (!it) return;
  std::string l = label ? label : "";
  if (auto pos = l.find("##"); pos != std::string::npos) l.resize(pos);
  it->label = std::move(l);
  it->checkable = checkable;
  it->checked = checked;
  if (checkable && it->role == Role::Unknown) it->role = Role::Checkbox;
}

void ItemTable::set_role(std::uint32_t id, Role role) {
  if (Item* it = current(id)) it->role = role;
}

void ItemTable::set_role(std::uint32_t id, Role role, std::string label) {
  if (Item* it = current(id)) {
    it->role = role;
    it->label = std::move(label);
  }
}

const Item* ItemTable::hit(float x, float y) const {
  // The last tagged item under the point wins over untagged ones: a child window is added to its
  // parent after the items inside it (the grid map's canvas sits in one).
  const Item* untagged = nullptr;
  for (auto it = done_.rbegin(); it != done_.rend(); ++it) {
    if (!(x >= it->x && y >= it->y && x < it->x + it->w && y < it->y + it->h)) continue;
    if (it->role != Role::Unknown) return &*it;
    if (!untagged) untagged = &*it;
  }
  return untagged;
}

const Item* ItemTable::find(const std::string& label) const {
  for (const auto& it : done_) {
    if (it.label == label) return &it;
  }
  return nullptr;
}

std::string ItemTable::to_json(float scale) const {
  if (scale <= 0) scale = 1;
  auto arr = nlohmann::json::array();
  for (const auto& it : done_) {
    arr.push_back({{"id", it.id},
                   {"label", it.label},
                   {"role", role_name(it.role)},
                   {"x", it.x / scale},
                   {"y", it.y / scale},
                   {"w", it.w / scale},
                   {"h", it.h / scale},
                   {"enabled", it.enabled},
                   {"checked", it.checked},
                   {"clipped", it.clipped}});
  }
  return arr.dump();
}

}  // namespace sihui::ui

// [SECTION] Dear ImGui test-engine hooks (declared in imgui_internal.h when
// IMGUI_ENABLE_TEST_ENGINE is defined). Only the item hooks are used.
void ImGuiTestEngineHook_ItemAdd(ImGuiContext* ctx, ImGuiID id, const ImRect& bb,
                                 const ImGuiLastItemData* item_data) {
  if (id == 0) return;
  ImGuiWindow* window = ctx->CurrentWindow;
  if (!item_data && window && id == window->ID) return;  // the window itself, not an item in it
  if (window && (window->IsFallbackWindow || window->Hidden)) return;  // ImGui's implicit "Debug" window
  ImRect clip = window ? window->ClipRect : bb;
  if (item_data && (item_data->StatusFlags & ImGuiItemStatusFlags_HasClipRect)) clip = item_data->ClipRect;
  bool visible = bb.Overlaps(clip);
  ImRect r = bb;
  r.ClipWithFull(clip);
  bool clipped = r.Min.x != bb.Min.x || r.Min.y != bb.Min.y || r.Max.x != bb.Max.x || r.Max.y != bb.Max.y;
  bool enabled = !(item_data && (item_data->ItemFlags & ImGuiItemFlags_Disabled));
  sihui::ui::item_table().on_add(id, r.Min.x, r.Min.y, r.Max.x, r.Max.y, enabled, visible, clipped);
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID id, const char* label, ImGuiItemStatusFlags flags) {
  sihui::ui::item_table().on_info(id, label, (flags & ImGuiItemStatusFlags_Checkable) != 0,
                                  (flags & ImGuiItemStatusFlags_Checked) != 0);
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) { return nullptr; }
