#include "ui/a11y.h"

#include <algorithm>

#include "imgui.h"
#include "imgui_internal.h"
#include "ui/item_table.h"
#include "ui/theme.h"

namespace sihui::ui {

namespace {
std::uint32_t g_pending = 0;       // focus this item when it is next submitted
bool g_pending_activate = false;
int g_pending_frames = 0;          // give up after a few frames (the item went away)
std::uint32_t g_ring_id = 0;

bool reachable(const Item& it) {
  return it.focusable && it.enabled && a11y_is_interactive(static_cast<int>(it.role));
}
}  // namespace

bool a11y_is_interactive(int role) {
  switch (static_cast<Role>(role)) {
    case Role::Button: case Role::Checkbox: case Role::TextBox: case Role::Slider: case Role::Tab: case Role::Link:
      return true;
    default:
      return false;
  }
}

void a11y_request_focus(std::uint32_t id, bool activate) {
  if (id == 0) return;
  ImGuiContext& g = *GImGui;
  // Leaving a text field: end its editing first (as a click elsewhere would).
  if (g.ActiveId != 0 && g.ActiveId != id) ImGui::ClearActiveID();
  g_pending = id;
  g_pending_activate = activate;
  g_pending_frames = 3;
}

void a11y_item_added(std::uint32_t id) {
  if (g_pending == 0) return;
  if (id != g_pending) return;
  ImGuiContext& g = *GImGui;
  const Item* it = nullptr;
  for (const auto& x : item_table().items()) {
    if (x.id == id) { it = &x; break; }
  }
  // A text field is typed into as soon as it is reached, as on a web page.
  bool activate = g_pending_activate || (it && it->role == Role::TextBox);
  ImGui::FocusItem();
  ImGui::SetNavCursorVisible(true);
  g.NavHighlightItemUnderNav = true;
  if (activate) {
    ImGui::ActivateItemByID(id);
    // A text field starts editing (ImGui asks this of activations that come from a keyboard).
    g.NavNextActivateFlags = ImGuiActivateFlags_PreferInput | ImGuiActivateFlags_TryToPreserveState;
  }
  g_pending = 0;
}

std::uint32_t a11y_focus_id(bool* editing) {
  ImGuiContext& g = *GImGui;
  if (editing) *editing = false;
  // A text field being typed into (io.WantTextInput lags a frame behind its activation).
  if (g.ActiveId != 0 && (g.InputTextState.ID == g.ActiveId || g.IO.WantTextInput)) {
    if (editing) *editing = true;
    return g.ActiveId;
  }
  if (g_pending != 0 && --g_pending_frames <= 0) g_pending = 0;
  if (!g.NavCursorVisible || g.NavId == 0) return 0;
  return g.NavId;
}

bool a11y_tab(bool backwards) {
  const auto& items = item_table().items();
  if (items.empty()) return false;
  ImGuiContext& g = *GImGui;
  // From the item being typed into, else the keyboard's item, else the last one clicked.
  std::uint32_t cur = g_pending ? g_pending : (g.ActiveId && g.IO.WantTextInput) ? g.ActiveId : g.NavId;
  int n = static_cast<int>(items.size());
  int start = -1;
  for (int i = 0; i < n; ++i) {
    if (items[static_cast<size_t>(i)].id == cur) { start = i; break; }
  }
  for (int k = 1; k <= n; ++k) {
    int i;
    if (start < 0) i = backwards ? n - k : k - 1;
    else i = ((backwards ? start - k : start + k) % n + n) % n;
    const Item& it = items[static_cast<size_t>(i)];
    if (reachable(it)) {
      a11y_request_focus(it.id, false);
      return true;
    }
  }
  return false;
}

bool a11y_skip_to_content() {
  const auto& items = item_table().items();
  for (const auto& it : items) {
    if (reachable(it) && !it.nav && it.role != Role::Tab) {
      a11y_request_focus(it.id, false);
      return true;
    }
  }
  return false;
}

bool a11y_back() {
  ImGuiContext& g = *GImGui;
  if (g.OpenPopupStack.Size > 0 || g.IO.WantTextInput) return false;  // Escape closes those first
  const auto& items = item_table().items();
  for (const auto& it : items) {
    if (it.back && it.enabled) {
      a11y_request_focus(it.id, true);
      return true;
    }
  }
  return false;
}

void a11y_draw_focus_ring() {
  ImGuiContext& g = *GImGui;
  g_ring_id = g.NavCursorVisible ? g.NavId : 0;
  if (g_ring_id == 0 || g.NavWindow == nullptr) return;
  // The item as drawn this frame (the table being built holds it once it was submitted).
  const Item* it = nullptr;
  for (const auto& x : item_table().building()) {
    if (x.id == g_ring_id) { it = &x; break; }
  }
  if (!it || !it->visible) return;
  float t = std::max(3.0f, em(0.15f));
  ImVec2 a(it->x - t, it->y - t), b(it->x + it->w + t, it->y + it->h + t);
  ImDrawList* dl = ImGui::GetForegroundDrawList();
  float r = g.Style.FrameRounding + t;
  dl->AddRect(ImVec2(a.x - t * 0.5f, a.y - t * 0.5f), ImVec2(b.x + t * 0.5f, b.y + t * 0.5f),
              IM_COL32(255, 255, 255, 255), r + t * 0.5f, 0, t * 0.6f);
  dl->AddRect(a, b, ImGui::GetColorU32(ImGuiCol_NavCursor, 1.0f) | IM_COL32_A_MASK, r, 0, t);
}

}  // namespace sihui::ui
