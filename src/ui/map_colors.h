// map_colors: the colours of the six categories (pins, badges) and of the grids (map areas).
// Colour is never the only signal: pins carry the category's letter, grids their names.
#pragma once
#include "core/model.h"
#include "imgui.h"

namespace sihui::ui {

inline ImU32 category_colour(core::Category c) {
  switch (c) {  // dark enough for white letters (contrast >= 4.5:1)
    case core::Category::repair: return IM_COL32(31, 94, 168, 255);      // blue
    case core::Category::care: return IM_COL32(176, 42, 110, 255);       // magenta
    case core::Category::info: return IM_COL32(0, 110, 110, 255);        // teal
    case core::Category::culture: return IM_COL32(110, 64, 170, 255);    // purple
    case core::Category::emergency: return IM_COL32(190, 30, 30, 255);   // red
    case core::Category::dispute: return IM_COL32(160, 85, 0, 255);      // brown-orange
  }
  return IM_COL32(80, 80, 80, 255);
}

inline ImU32 grid_colour(int i, int alpha) {
  static const ImU32 rgb[] = {IM_COL32(230, 80, 60, 0),  IM_COL32(40, 140, 200, 0), IM_COL32(60, 170, 90, 0),
                              IM_COL32(220, 160, 30, 0), IM_COL32(150, 90, 200, 0), IM_COL32(30, 170, 170, 0),
                              IM_COL32(200, 90, 150, 0), IM_COL32(120, 130, 60, 0)};
  return rgb[static_cast<unsigned>(i) % 8] | (static_cast<ImU32>(alpha) << IM_COL32_A_SHIFT);
}

}  // namespace sihui::ui
