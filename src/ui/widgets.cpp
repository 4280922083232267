#include "ui/widgets.h"

#include <algorithm>
#include <cfloat>
#include <string>

#include "imgui.h"
#include "imgui_internal.h"
#include "misc/cpp/imgui_stdlib.h"
#include "ui/item_table.h"
#include "ui/theme.h"

namespace sihui::ui {

namespace {

bool is_cjk(unsigned c) {
  return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF) ||
         (c >= 0x3000 && c <= 0x303F) || (c >= 0x20000 && c <= 0x2FFFF);
}

// Characters that must not start a line (a light form of the CJK line-breaking rules).
bool no_break_before(unsigned c) {
  switch (c) {
    case 0xFF0C: case 0x3002: case 0x3001: case 0xFF01: case 0xFF1F: case 0xFF1B: case 0xFF1A:
    case 0xFF09: case 0x300D: case 0x300F: case 0x300B: case 0x3009: case 0x2026: case 0x201D:
    case 0x2019: case 0xFF05: case ',': case '.': case '!': case '?': case ';': case ':': case ')':
    case '%': case 0x00B7:
      return true;
    default:
      return false;
  }
}

// Characters that must not end a line (opening quotes and brackets).
bool no_break_after(unsigned c) {
  switch (c) {
    case 0x201C: case 0x2018: case 0xFF08: case 0x300C: case 0x300E: case 0x300A: case 0x3008: case '(':
      return true;
    default:
      return false;
  }
}

std::string visible_label(const char* label) {
  std::string l = label;
  if (auto p = l.find("##"); p != std::string::npos) l.resize(p);
  return l;
}

// The role and words of the item just drawn. The label is given here too, not only through
// ImGui's ItemInfo hook, because ImGui skips that hook for an item scrolled out of view, and the
// mirror and the keyboard order list those as well.
void tag_last(Role role, const char* label) { item_table().set_role(ImGui::GetItemID(), role, label); }

// A paragraph (or heading) as a non-interactive item: the mirror reads it, voice reading says it
// when tapped. Its id is the words' hash in the window's id stack, made unique within the frame.
void add_text_item(std::string_view text, const ImVec2& pos, const ImVec2& size, Role role) {
  ImRect bb(pos, ImVec2(pos.x + size.x, pos.y + size.y));
  if (text.empty()) {
    ImGui::ItemAdd(bb, 0);
    return;
  }
  ImGuiID id = ImGui::GetID(text.data(), text.data() + text.size());
  for (ImGuiID salt = 1; item_table().has(id); ++salt) id = ImHashData(&salt, sizeof salt, id);
  ImGui::ItemAdd(bb, id, nullptr, ImGuiItemFlags_NoNav);
  item_table().set_role(id, role, std::string(text));
}

}  // namespace

std::vector<std::string_view> wrap_text(ImFont* font, float size, std::string_view text, float width) {
  std::vector<std::string_view> lines;
  ImFontBaked* baked = font->GetFontBaked(size);
  const float scale = size / baked->Size;
  const char* begin = text.data();
  const char* end = begin + text.size();
  const char* line_start = begin;
  const char* last_break = nullptr;  // position where the current line may end
  float line_w = 0, w_at_break = 0;
  unsigned prev = 0;
  const char* s = begin;
  while (s < end) {
    unsigned c = 0;
    int n = ImTextCharFromUtf8(&c, s, end);
    if (n <= 0) n = 1;
    const char* next = s + n;
    if (c == '\n') {
      lines.emplace_back(line_start, static_cast<size_t>(s - line_start));
      line_start = next;
      last_break = nullptr;
      line_w = 0;
      prev = 0;
      s = next;
      continue;
    }
    // A break is allowed before c when either side is CJK or prev is a space,
    // unless c is punctuation that must stay with the previous character.
    bool can_break_before = s != line_start && !no_break_before(c) && !no_break_after(prev) &&
                            (is_cjk(c) || is_cjk(prev) || prev == ' ');
    if (can_break_before) {
      last_break = s;
      w_at_break = line_w;
    }
    float adv = baked->GetCharAdvance(static_cast<ImWchar>(c)) * scale;
    if (line_w + adv > width && s != line_start) {
      const char* cut = last_break ? last_break : s;
      std::string_view line(line_start, static_cast<size_t>(cut - line_start));
      while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
      lines.push_back(line);
      line_start = cut;
      while (line_start < end && *line_start == ' ') ++line_start;
      line_w = last_break ? line_w - w_at_break : 0;
      last_break = nullptr;
      s = line_start;
      prev = 0;
      line_w = 0;
      continue;
    }
    line_w += adv;
    prev = c;
    s = next;
  }
  if (line_start < end || lines.empty()) lines.emplace_back(line_start, static_cast<size_t>(end - line_start));
  return lines;
}

namespace {
void paragraph(std::string_view text, ImU32 color, Role role) {
  ImFont* font = ImGui::GetFont();
  float size = ImGui::GetFontSize();
  float width = std::max(ImGui::GetContentRegionAvail().x, size * 2);
  auto lines = wrap_text(font, size, text, width);
  float lh = size * kLineSpacing;
  ImVec2 pos = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  if (!color) color = ImGui::GetColorU32(ImGuiCol_Text);
  float max_w = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    ImVec2 p(pos.x, pos.y + lh * static_cast<float>(i) + (lh - size) * 0.5f);
    dl->AddText(font, size, p, color, l.data(), l.data() + l.size());
    max_w = std::max(max_w, font->CalcTextSizeA(size, FLT_MAX, 0, l.data(), l.data() + l.size()).x);
  }
  ImVec2 box(std::max(max_w, 1.0f), lh * static_cast<float>(lines.size()));
  ImGui::ItemSize(box);
  add_text_item(text, pos, box, role);
}
}  // namespace

void Paragraph(std::string_view text, ImU32 color) { paragraph(text, color, Role::Text); }

void Heading(std::string_view text, float size_em) {
  ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * size_em);
  paragraph(text, 0, Role::Heading);
  ImGui::PopFont();
}

namespace {
bool drawing_disabled() { return (GImGui->CurrentItemFlags & ImGuiItemFlags_Disabled) != 0; }
float lock_size() { return ImGui::GetFontSize() * 0.8f; }
float lock_room() { return lock_size() + ImGui::GetStyle().ItemInnerSpacing.x; }  // the lock and a gap
}  // namespace

bool fits_in(float width, const char* label) {
  float lock = drawing_disabled() ? lock_room() : 0;
  return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2 + lock <= width;
}

// A disabled button shows a lock before its words as well as fading (colour is never the only
// sign); a button that fits its words grows by the lock's room.
bool Button(const char* label, float width) {
  bool disabled = drawing_disabled();
  float w = width < 0 ? -FLT_MIN : width;
  float text_w = ImGui::CalcTextSize(label, nullptr, true).x;
  const ImGuiStyle& st = ImGui::GetStyle();
  bool fit = disabled && width == 0;
  if (fit) {
    w = text_w + st.FramePadding.x * 2 + lock_room();
    ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(1.0f, 0.5f));  // the words right of the lock
  }
  bool pressed = ImGui::Button(label, ImVec2(w, 0));
  if (fit) ImGui::PopStyleVar();
  tag_last(Role::Button, label);
  if (disabled) {
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    float size = lock_size();
    // Just left of the words (centred in a wider button), at least half a padding from the edge.
    float text_x = fit ? b.x - st.FramePadding.x - text_w : (a.x + b.x) / 2 - text_w / 2;
    float x = std::max(a.x + st.FramePadding.x * 0.5f + size / 2, text_x - st.ItemInnerSpacing.x - size / 2);
    DrawLock(ImGui::GetWindowDrawList(), ImVec2(x, (a.y + b.y) / 2), size, ImGui::GetColorU32(ImGuiCol_Text));
  }
  return pressed;
}

float BigButtonHeight(std::string_view title, std::string_view subtitle, float width) {
  ImFont* font = ImGui::GetFont();
  float pad = em(0.8f);
  float title_size = ImGui::GetFontSize() * 1.35f, sub_size = ImGui::GetFontSize();
  auto tl = wrap_text(font, title_size, title, width - 2 * pad);
  auto sl = wrap_text(font, sub_size, subtitle, width - 2 * pad);
  return 2 * pad + static_cast<float>(tl.size()) * title_size * 1.25f + em(0.3f) +
         static_cast<float>(sl.size()) * sub_size * kLineSpacing;
}

bool BigButton(const char* id_label, std::string_view title, std::string_view subtitle, ImVec2 size,
               ImU32 fill, ImU32 text) {
  std::string id = std::string(title) + "##" + id_label;
  ImVec2 pos = ImGui::GetCursorScreenPos();
  bool pressed = ImGui::InvisibleButton(id.c_str(), size, ImGuiButtonFlags_EnableNav);
  tag_last(Role::Button, id.c_str());
  bool hovered = ImGui::IsItemHovered(), held = ImGui::IsItemActive();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImU32 bg = fill;
  if (held) bg = ImGui::GetColorU32(ImLerp(ImGui::ColorConvertU32ToFloat4(fill), ImVec4(0, 0, 0, 1), 0.18f));
  else if (hovered) bg = ImGui::GetColorU32(ImLerp(ImGui::ColorConvertU32ToFloat4(fill), ImVec4(0, 0, 0, 1), 0.08f));
  float r = em(0.5f);
  dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), bg, r);
  // A border in the text colour keeps the button visible in high contrast (white on white).
  dl->AddRect(pos, ImVec2(pos.x + size.x, pos.y + size.y), text == IM_COL32(0, 0, 0, 255) ? text : bg, r, 0,
              ImGui::GetStyle().FrameBorderSize * 2);
  ImFont* font = ImGui::GetFont();
  float pad = em(0.8f);
  float title_size = ImGui::GetFontSize() * 1.35f;
  float sub_size = ImGui::GetFontSize();
  float inner = size.x - 2 * pad;
  auto tl = wrap_text(font, title_size, title, inner);
  auto sl = wrap_text(font, sub_size, subtitle, inner);
  float block = static_cast<float>(tl.size()) * title_size * 1.25f + (subtitle.empty() ? 0 : em(0.3f)) +
                static_cast<float>(sl.size()) * sub_size * kLineSpacing;
  float y = pos.y + std::max(pad * 0.5f, (size.y - block) * 0.5f);
  for (auto l : tl) {
    dl->AddText(font, title_size, ImVec2(pos.x + pad, y), text, l.data(), l.data() + l.size());
    y += title_size * 1.25f;
  }
  y += em(0.3f);
  for (auto l : sl) {
    dl->AddText(font, sub_size, ImVec2(pos.x + pad, y + (sub_size * kLineSpacing - sub_size) * 0.5f), text,
                l.data(), l.data() + l.size());
    y += sub_size * kLineSpacing;
  }
  return pressed;
}

// A check box whose words wrap (ImGui's Checkbox keeps them on one line, cut off on a phone at
// 200% text); the whole row is the target, and it is reached and pressed with the keyboard.
bool Toggle(const char* label, bool* v) {
  const ImGuiStyle& st = ImGui::GetStyle();
  std::string shown = visible_label(label);
  float box = ImGui::GetFrameHeight();
  float avail = std::max(ImGui::GetContentRegionAvail().x, box * 2);
  float text_w = avail - box - st.ItemInnerSpacing.x;
  ImFont* font = ImGui::GetFont();
  float size = ImGui::GetFontSize();
  auto lines = wrap_text(font, size, shown, text_w);
  float lh = size * kLineSpacing;
  float text_h = lh * static_cast<float>(lines.size());
  float row_h = std::max(box, text_h);
  float used_w = 0;
  for (auto l : lines) used_w = std::max(used_w, font->CalcTextSizeA(size, FLT_MAX, 0, l.data(), l.data() + l.size()).x);
  ImVec2 pos = ImGui::GetCursorScreenPos();
  bool pressed = ImGui::InvisibleButton(label, ImVec2(box + st.ItemInnerSpacing.x + used_w, row_h), ImGuiButtonFlags_EnableNav);
  tag_last(Role::Checkbox, label);
  if (pressed) *v = !*v;
  item_table().set_checked(ImGui::GetItemID(), *v);
  bool hovered = ImGui::IsItemHovered(), held = ImGui::IsItemActive();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 b0(pos.x, pos.y + (row_h - box) * 0.5f), b1(b0.x + box, b0.y + box);
  dl->AddRectFilled(b0, b1, ImGui::GetColorU32(held ? ImGuiCol_FrameBgActive : hovered ? ImGuiCol_FrameBgHovered : ImGuiCol_FrameBg),
                    st.FrameRounding);
  if (st.FrameBorderSize > 0) dl->AddRect(b0, b1, ImGui::GetColorU32(ImGuiCol_Border), st.FrameRounding, 0, st.FrameBorderSize);
  if (*v) {
    float pad = std::max(1.0f, box / 6.0f);
    ImGui::RenderCheckMark(dl, ImVec2(b0.x + pad, b0.y + pad), ImGui::GetColorU32(ImGuiCol_CheckMark), box - pad * 2);
  }
  float tx = b1.x + st.ItemInnerSpacing.x;
  float ty = pos.y + (row_h - text_h) * 0.5f;
  ImU32 col = ImGui::GetColorU32(ImGuiCol_Text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    dl->AddText(font, size, ImVec2(tx, ty + lh * static_cast<float>(i) + (lh - size) * 0.5f), col, l.data(), l.data() + l.size());
  }
  return pressed;
}

namespace {
ImVector<ImGuiID> g_unsaved;  // fields holding typed input not yet submitted
}  // namespace

bool has_unsaved_input() { return !g_unsaved.empty(); }
void forms_saved() { g_unsaved.clear(); }
void not_a_form() { g_unsaved.find_erase(ImGui::GetItemID()); }

bool TextField(const char* label, std::string* value, const char* hint, int flags) {
  std::string shown = visible_label(label);
  Paragraph(shown);
  ImGui::SetNextItemWidth(-FLT_MIN);
  std::string id = std::string("##") + label;
  bool changed = ImGui::InputTextWithHint(id.c_str(), hint, value, flags);
  item_table().set_role(ImGui::GetItemID(), Role::TextBox, shown);
  if (changed) {
    ImGuiID item = ImGui::GetItemID();
    if (value->empty()) g_unsaved.find_erase(item);
    else if (!g_unsaved.contains(item)) g_unsaved.push_back(item);
  }
  if (!(flags & ImGuiInputTextFlags_Password)) item_table().set_value(ImGui::GetItemID(), *value);
  return changed;
}

bool SliderPercent(const char* label, int* v, int lo, int hi, int step) {
  std::string shown = visible_label(label);
  ImGui::SetNextItemWidth(-FLT_MIN);
  std::string id = std::string("##") + label;
  int before = *v;
  ImGui::SliderInt(id.c_str(), v, lo, hi, "%d%%", ImGuiSliderFlags_AlwaysClamp);
  item_table().set_role(ImGui::GetItemID(), Role::Slider, shown);
  if (step > 1) *v = lo + ((*v - lo + step / 2) / step) * step;
  // The keyboard, as on a web page: Left/Down and Right/Up move a focused slider by one step
  // (ImGui would first want it activated with Enter), Home/End to the ends.
  if (ImGui::IsItemFocused() && !ImGui::IsItemActive()) {
    int s = std::max(step, 1);
    if (ImGui::IsKeyPressed(ImGuiKey_LeftArrow) || ImGui::IsKeyPressed(ImGuiKey_DownArrow)) *v = std::max(lo, *v - s);
    if (ImGui::IsKeyPressed(ImGuiKey_RightArrow) || ImGui::IsKeyPressed(ImGuiKey_UpArrow)) *v = std::min(hi, *v + s);
    if (ImGui::IsKeyPressed(ImGuiKey_Home, false)) *v = lo;
    if (ImGui::IsKeyPressed(ImGuiKey_End, false)) *v = hi;
  }
  item_table().set_value(ImGui::GetItemID(), std::to_string(*v) + "%");
  return *v != before;
}

void ProgressLine(float fraction, std::string_view caption) {
  Paragraph(caption);
  ImGui::ProgressBar(std::clamp(fraction, 0.0f, 1.0f), ImVec2(-FLT_MIN, em(0.5f)), "");
}

namespace {
std::vector<ImGuiID> g_lists;     // open lists, for their items' ids
std::vector<int> g_list_counts;   // items begun in each open list
std::vector<char> g_item_open;    // per BeginListItem: whether it opened a group
ImGuiID unique_group_id(ImGuiID id) {
  for (ImGuiID salt = 1; item_table().has(id); ++salt) id = ImHashData(&salt, sizeof salt, id);
  return id;
}
}  // namespace

void BeginList(const char* id, std::string_view label) {
  ImGuiID gid = unique_group_id(ImGui::GetID((std::string("##list-") + id).c_str()));
  item_table().begin_group(gid, Role::List, std::string(label));
  g_lists.push_back(gid);
  g_list_counts.push_back(0);
}

void EndList() {
  if (g_lists.empty()) return;
  item_table().end_group();
  g_lists.pop_back();
  g_list_counts.pop_back();
}

void BeginListItem(std::string_view key) {
  bool in_list = !g_lists.empty() && item_table().current_group() == g_lists.back();
  g_item_open.push_back(in_list ? 1 : 0);
  if (!in_list) return;
  int n = g_list_counts.back()++;
  ImGuiID gid = key.empty() ? ImHashData(&n, sizeof n, g_lists.back()) : ImHashStr(key.data(), key.size(), g_lists.back());
  item_table().begin_group(unique_group_id(gid), Role::ListItem);
}

void EndListItem() {
  if (g_item_open.empty()) return;
  if (g_item_open.back()) item_table().end_group();
  g_item_open.pop_back();
}

void BeginTabs(const char* id, std::string_view label) {
  item_table().begin_group(unique_group_id(ImGui::GetID((std::string("##tabs-") + id).c_str())), Role::TabList,
                           std::string(label));
}

void EndTabs() { item_table().end_group(); }

bool MirrorButton(const char* id_label, const std::string& words, ImVec2 min, ImVec2 max) {
  ImGuiContext& g = *GImGui;
  ImGuiID id = ImGui::GetID(id_label);
  ImRect bb(min, max);
  ImGui::ItemAdd(bb, id);  // no ItemHoverable/ButtonBehavior: pointer input stays with the drawing
  item_table().set_role(id, Role::Button, words);
  item_table().set_overlay(id);
  // Pressed through the mirror (ActivateItemByID) or with Enter/Space on it: ImGui's navigation
  // sets the same id in both cases.
  return g.NavActivatePressedId == id;
}

void DrawLock(ImDrawList* dl, ImVec2 c, float size, ImU32 col) {
  // A padlock: a body below, a shackle (half ring) above.
  float bw = size * 0.78f, bh = size * 0.52f;
  ImVec2 b0(c.x - bw / 2, c.y + size / 2 - bh), b1(c.x + bw / 2, c.y + size / 2);
  float r = size * 0.26f, th = std::max(1.5f, size * 0.12f);
  ImVec2 sc(c.x, b0.y);
  dl->PathArcTo(ImVec2(sc.x, sc.y - size * 0.1f), r, IM_PI, 2 * IM_PI, 12);
  dl->PathLineTo(ImVec2(sc.x + r, sc.y + th * 0.5f));
  dl->PathStroke(col, 0, th);
  dl->PathLineTo(ImVec2(sc.x - r, sc.y + th * 0.5f));
  dl->PathLineTo(ImVec2(sc.x - r, sc.y - size * 0.1f));
  dl->PathStroke(col, 0, th);
  dl->AddRectFilled(b0, b1, col, size * 0.08f);
}

void StatusParagraph(std::string_view text, ImU32 color) {
  ImVec2 p0 = ImGui::GetCursorScreenPos();
  Paragraph(text, color);
  ImRect bb(p0, ImGui::GetItemRectMax());
  ImGui::PushID(static_cast<int>(p0.y));  // the same words may stand twice on a page
  ImGuiID id = ImGui::GetID(text.data(), text.data() + text.size());
  ImGui::PopID();
  ImGui::ItemAdd(bb, id, nullptr, ImGuiItemFlags_NoNav);
  item_table().set_role(id, Role::Status, std::string(text));
}

}  // namespace sihui::ui
