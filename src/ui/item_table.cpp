#include "ui/item_table.h"

#include <cstring>
#include <string_view>

#include <cstdio>

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
    case Role::Text: return "text";
    case Role::Link: return "link";
    case Role::Image: return "image";
    case Role::Unknown: break;
  }
  return "unknown";
}

ItemTable& item_table() {
  static ItemTable table;
  return table;
}

void ItemTable::begin_frame() { building_.clear(); }

void ItemTable::end_frame() {
  if (building_ != done_) ++generation_;
  done_.swap(building_);
}

const Item* ItemTable::by_id(std::uint32_t id) const {
  for (const auto& it : done_) {
    if (it.id == id) return &it;
  }
  return nullptr;
}

Item* ItemTable::current(std::uint32_t id) {
  // Items arrive in order; the one just added is almost always the last.
  for (auto it = building_.rbegin(); it != building_.rend(); ++it) {
    if (it->id == id) return &*it;
  }
  return nullptr;
}

void ItemTable::on_add(std::uint32_t id, float x0, float y0, float x1, float y1, bool enabled,
                       bool visible, bool clipped, bool focusable) {
  if (x1 <= x0 || y1 <= y0) return;
  if (Item* it = current(id)) {  // re-submitted in the same frame: keep the latest rectangle
    if (!visible && it->visible) return;  // a visible copy wins over a scrolled-out one
    it->x = x0; it->y = y0; it->w = x1 - x0; it->h = y1 - y0;
    it->enabled = enabled;
    it->clipped = clipped;
    it->visible = visible;
    it->focusable = focusable;
    return;
  }
  Item item;
  item.id = id;
  item.x = x0; item.y = y0; item.w = x1 - x0; item.h = y1 - y0;
  item.enabled = enabled;
  item.clipped = clipped;
  item.visible = visible;
  item.focusable = focusable;
  building_.push_back(std::move(item));
}

// The words before "##"; the id after it names the screen's way back ("...back") and the top
// bar's switch ("nav").
void ItemTable::set_label(Item* it, std::string l) {
  if (auto pos = l.find("##"); pos != std::string::npos) {
    std::string_view suffix(l.c_str() + pos + 2);
    it->back = suffix.size() >= 4 && suffix.substr(suffix.size() - 4) == "back";
    it->nav = suffix == "nav";
    l.resize(pos);
  }
  it->label = std::move(l);
}

void ItemTable::on_info(std::uint32_t id, const char* label, bool checkable, bool checked, int expanded) {
  Item* it = current(id);
  if (!it) return;
  it->expanded = static_cast<signed char>(expanded);
  set_label(it, label ? label : "");
  it->checkable = checkable;
  it->checked = checked;
  if (checkable && it->role == Role::Unknown) it->role = Role::Checkbox;
}

// A paragraph's words drawn again by the item that follows it (a text field's label, a status line
// written with Paragraph) are said once, by that item.
void ItemTable::drop_text_before(Item* it) {
  if (it == &building_.front()) return;
  Item* prev = it - 1;
  if (prev->role == Role::Text && prev->label == it->label) building_.erase(building_.begin() + (prev - building_.data()));
}

namespace {
// A role that is acted on is reached by the keyboard even when ImGui made it without navigation
// (InvisibleButton is ImGuiItemFlags_NoNav unless asked): Tab and the mirror go by the role.
bool acted_on(Role r) {
  return r == Role::Button || r == Role::Checkbox || r == Role::TextBox || r == Role::Slider || r == Role::Tab ||
         r == Role::Link;
}
}  // namespace

void ItemTable::set_role(std::uint32_t id, Role role) {
  if (Item* it = current(id)) {
    it->role = role;
    if (acted_on(role)) it->focusable = true;
    drop_text_before(it);
  }
}

void ItemTable::set_role(std::uint32_t id, Role role, std::string label) {
  if (Item* it = current(id)) {
    it->role = role;
    if (acted_on(role)) it->focusable = true;
    set_label(it, std::move(label));
    if (role != Role::Text) drop_text_before(it);
  }
}

void ItemTable::set_value(std::uint32_t id, std::string value) {
  if (Item* it = current(id)) it->value = std::move(value);
}

void ItemTable::set_checked(std::uint32_t id, bool checked) {
  if (Item* it = current(id)) {
    it->checked = checked;
    it->checkable = true;
  }
}

const Item* ItemTable::hit(float x, float y) const {
  // The last tagged item under the point wins over untagged ones: a child window is added to its
  // parent after the items inside it (the grid map's canvas sits in one).
  const Item* untagged = nullptr;
  for (auto it = done_.rbegin(); it != done_.rend(); ++it) {
    if (!it->visible || it->role == Role::Text || it->role == Role::Heading) continue;
    if (!(x >= it->x && y >= it->y && x < it->x + it->w && y < it->y + it->h)) continue;
    if (it->role != Role::Unknown) return &*it;
    if (!untagged) untagged = &*it;
  }
  return untagged;
}

const Item* ItemTable::find(const std::string& label) const {
  for (const auto& it : done_) {
    if (it.visible && it.role != Role::Text && it.role != Role::Heading && it.label == label) return &it;
  }
  return nullptr;
}

namespace {
void put_string(std::string& out, const std::string& s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}
void put_number(std::string& out, float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", static_cast<double>(v));
  out += buf;
}
}  // namespace

std::string ItemTable::to_json(float scale, bool all) const {
  if (scale <= 0) scale = 1;
  std::string out;
  out.reserve(done_.size() * 160 + 2);
  out += '[';
  bool first = true;
  for (const auto& it : done_) {
    if (all ? (it.role == Role::Unknown && it.label.empty()) : (!it.visible || it.role == Role::Text || it.role == Role::Heading)) continue;
    if (!first) out += ',';
    first = false;
    out += "{\"id\":";
    out += std::to_string(it.id);
    out += ",\"label\":";
    put_string(out, it.label);
    out += ",\"role\":\"";
    out += role_name(it.role);
    out += "\",\"x\":";
    put_number(out, it.x / scale);
    out += ",\"y\":";
    put_number(out, it.y / scale);
    out += ",\"w\":";
    put_number(out, it.w / scale);
    out += ",\"h\":";
    put_number(out, it.h / scale);
    out += it.enabled ? ",\"enabled\":true" : ",\"enabled\":false";
    out += it.checked ? ",\"checked\":true" : ",\"checked\":false";
    out += it.clipped ? ",\"clipped\":true" : ",\"clipped\":false";
    if (all) {
      out += it.checkable ? ",\"checkable\":true" : ",\"checkable\":false";
      out += it.visible ? ",\"visible\":true" : ",\"visible\":false";
      out += it.focusable ? ",\"focusable\":true" : ",\"focusable\":false";
      if (!it.value.empty()) {
        out += ",\"value\":";
        put_string(out, it.value);
      }
      out += ",\"expanded\":";
      out += std::to_string(static_cast<int>(it.expanded));
    }
    out += '}';
  }
  out += ']';
  return out;
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
  bool focusable = !(item_data && (item_data->ItemFlags & ImGuiItemFlags_NoNav));
  ImRect r = bb;
  r.ClipWithFull(clip);
  bool clipped = r.Min.x != bb.Min.x || r.Min.y != bb.Min.y || r.Max.x != bb.Max.x || r.Max.y != bb.Max.y;
  bool enabled = !(item_data && (item_data->ItemFlags & ImGuiItemFlags_Disabled));
  if (!visible) r = bb;  // scrolled out: where it would be (the keyboard order and the mirror need it)
  sihui::ui::item_table().on_add(id, r.Min.x, r.Min.y, r.Max.x, r.Max.y, enabled, visible, clipped && visible,
                                 focusable);
  sihui::ui::a11y_item_added(id);
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID id, const char* label, ImGuiItemStatusFlags flags) {
  int expanded = (flags & ImGuiItemStatusFlags_Openable) ? ((flags & ImGuiItemStatusFlags_Opened) ? 1 : 0) : -1;
  sihui::ui::item_table().on_info(id, label, (flags & ImGuiItemStatusFlags_Checkable) != 0,
                                  (flags & ImGuiItemStatusFlags_Checked) != 0, expanded);
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) { return nullptr; }
