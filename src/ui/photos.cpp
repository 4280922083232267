// photos: see photos.h.
#include "ui/photos.h"

#include <algorithm>
#include <cfloat>

#include "core/i18n.h"
#include "imgui.h"
#include "imgui_internal.h"
#include "ui/item_table.h"
#include "ui/theme.h"

namespace sihui::ui {

std::vector<std::string>& photos_on_screen() {
  static std::vector<std::string> names;
  return names;
}

void PhotoTile(const UiModel& m, const std::string& name, int n, float side) {
  auto tr = [&](const char* key) { return std::string(m.catalog->text(m.settings->lang, i18n::Key{key})); };
  ImVec2 at = ImGui::GetCursorScreenPos();
  ImRect bb(at, ImVec2(at.x + side, at.y + side));
  ImGui::PushID(name.c_str());
  ImGuiID id = ImGui::GetID("photo");
  ImGui::ItemSize(bb);
  ImGui::ItemAdd(bb, id, nullptr, ImGuiItemFlags_NoNav);
  ImGui::PopID();
  const PhotoView* v = nullptr;
  if (m.photos)
    if (auto it = m.photos->find(name); it != m.photos->end()) v = &it->second;
  if (ImGui::IsRectVisible(bb.Min, bb.Max)) photos_on_screen().push_back(name);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  float r = em(0.3f);
  const char* state = nullptr;
  if (v && v->texture && v->w > 0 && v->h > 0) {
    // Crop to a square: the middle of the picture.
    float aw = static_cast<float>(v->w), ah = static_cast<float>(v->h);
    ImVec2 uv0(0, 0), uv1(1, 1);
    if (aw > ah) uv0.x = (1 - ah / aw) / 2, uv1.x = 1 - uv0.x;
    else uv0.y = (1 - aw / ah) / 2, uv1.y = 1 - uv0.y;
    dl->AddImageRounded(ImTextureRef(static_cast<ImTextureID>(v->texture)), bb.Min, bb.Max, uv0, uv1, IM_COL32_WHITE, r);
  } else {
    dl->AddRectFilled(bb.Min, bb.Max, ImGui::GetColorU32(ImGuiCol_FrameBg), r);
    // Not loaded and not being asked for: this device lacks it and the server could not give it (no
    // account, offline, not uploaded by its owner, or lost with a device). The shell asks again where
    // that may help; the tile says so plainly instead of spinning (decision 0028).
    state = v && v->missing ? "photo.not_here" : "photo.loading";
    std::string words = tr(state);
    ImVec2 ts = ImGui::CalcTextSize(words.c_str(), nullptr, false, side - em(0.4f));
    ImGui::RenderTextWrapped(ImVec2(bb.Min.x + std::max(em(0.2f), (side - ts.x) / 2), bb.Min.y + (side - ts.y) / 2),
                             words.c_str(), nullptr, side - em(0.4f));
  }
  dl->AddRect(bb.Min, bb.Max, ImGui::GetColorU32(ImGuiCol_Border), r);
  std::string label = i18n::format(tr("photo.item"), {{"n", std::to_string(n)}});
  if (state) label += " · " + tr(state);
  item_table().set_role(id, Role::Image, label);
}

void PhotoRow(const UiModel& m, const std::vector<std::string>& names) {
  if (names.empty()) return;
  float avail = ImGui::GetContentRegionAvail().x, gap = ImGui::GetStyle().ItemSpacing.x;
  int per_row = std::clamp(static_cast<int>((avail + gap) / (em(6) + gap)), 1, 4);
  float side = std::min(em(9), (avail - gap * static_cast<float>(per_row - 1)) / static_cast<float>(per_row));
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i % static_cast<std::size_t>(per_row) != 0) ImGui::SameLine();
    PhotoTile(m, names[i], static_cast<int>(i) + 1, side);
  }
}

}  // namespace sihui::ui
