// photos: a report's photos drawn as tiles (decision 0021). A tile is an Image item ("照片 1", with
// "载入中", "照片还没上传到社区…" or another reason while it has no texture) so tests and the accessibility mirror find it; each tile
// drawn on screen is listed in photos_on_screen(), from which the shell loads and frees textures.
#pragma once
#include <string>
#include <vector>

#include "ui/app.h"

namespace sihui::ui {

std::vector<std::string>& photos_on_screen();  // names drawn (visible) this frame; the shell clears it
const char* why_key(PhotoWhy why);  // the translation key a tile without a picture shows
// One square tile of `side` px at the cursor, the picture cropped to fill it; n counts from 1.
void PhotoTile(const UiModel& m, const std::string& name, int n, float side);
// A wrapped row of tiles (side about 6 em, fewer and bigger on a narrow screen).
void PhotoRow(const UiModel& m, const std::vector<std::string>& names);

}  // namespace sihui::ui
