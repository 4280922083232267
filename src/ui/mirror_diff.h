// mirror_diff: what the accessibility mirror (shell/sihui-a11y.js) must change between two frames'
// item tables (issue 9, decisions 0017 and 0020). Pure (no ImGui): tested natively in tests/ui.
// The page keeps one element per item id; on a frame whose table moved, C++ compares the table with
// the one it last handed over and gives the page only the differences, so a change costs what
// changed: removed ids, new items (every field), changed fields of the others, and a position
// ("after" this sibling, under that parent) for each item whose previous sibling or parent changed.
// Applied in order after the removals, those positions give exactly the new order (see apply()).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "ui/item_table.h"

namespace sihui::ui {

// One item as the mirror sees it: rectangles in CSS pixels.
struct MirrorItem {
  std::uint32_t id = 0;
  std::uint32_t parent = 0;  // the group (list, list item, tab list) it is in; 0: none
  Role role = Role::Unknown;
  std::string label, value;
  float x = 0, y = 0, w = 0, h = 0;
  bool enabled = true, checked = false, checkable = false, clipped = false, visible = true, focusable = true;
  signed char expanded = -1;
  friend bool operator==(const MirrorItem&, const MirrorItem&) = default;
};

// The mirror's view of a table: groups and every item with words, in drawing order, rectangles
// divided by `scale` (framebuffer to CSS pixels).
std::vector<MirrorItem> mirror_view(const std::vector<Item>& items, float scale);

struct MirrorChange {
  enum Field : std::uint16_t {
    kLabel = 1, kValue = 2, kX = 4, kEnabled = 8, kChecked = 16, kCheckable = 32, kClipped = 64,
    kVisible = 128, kFocusable = 256, kExpanded = 512, kPlace = 1024,  // kPlace: parent and after
    kNew = 2048, kY = 4096, kW = 8192, kH = 16384,
    kRect = kX | kY | kW | kH,  // each coordinate on its own: scrolling hands over only "y"
    kAll = 32767,
  };
  std::uint16_t fields = 0;
  std::uint32_t after = 0;  // with kPlace: the previous sibling under the same parent (0: first)
  MirrorItem item;          // id always; the other fields as `fields` says
};

struct MirrorDiff {
  bool reset = false;                 // drop everything first (the page's copy is not the one we diffed against)
  std::vector<std::uint32_t> removed; // applied first; an item whose role changed is removed and added anew
  std::vector<MirrorChange> changes;  // in the new table's order
  bool empty() const { return !reset && removed.empty() && changes.empty(); }
};

MirrorDiff mirror_diff(const std::vector<MirrorItem>& before, const std::vector<MirrorItem>& after);
// The page's algorithm in C++ (for tests): before + diff = after.
std::vector<MirrorItem> mirror_apply(const std::vector<MirrorItem>& before, const MirrorDiff& diff);
// Compact JSON for the page: {"g":generation,"reset":1?,"rm":[ids],"up":[{"id":..,"after":..,"parent":..,
// "label":..,"role":..,...}]}: only the fields that changed, under the names sihui.a11y.items() uses.
std::string mirror_diff_json(const MirrorDiff& diff, std::uint64_t generation);
// JSON pieces, shared with ItemTable::to_json: a quoted, escaped string; a number rounded to 2
// decimals, without trailing zeros ("12", "12.5", "-0.25"; no printf: it is slow in the wasm).
void json_string(std::string& out, const std::string& s);
void json_number(std::string& out, float v);

}  // namespace sihui::ui
