// photos: see photos.h.
#include "ui/photos.h"

#include <algorithm>
#include <cfloat>
#include <string_view>
#include <utility>

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

namespace {
bool closes(std::string_view s) {  // starts with punctuation that may not begin a line
  for (std::string_view p : {"，", "。", "、", "；", "：", "！", "？", "）", "…", ",", ".", ";"})
    if (s.substr(0, p.size()) == p) return true;
  return false;
}
}  // namespace

const char* why_key(PhotoWhy why) {
  switch (why) {
    case PhotoWhy::Loading: return "photo.loading";
    case PhotoWhy::Fetching: return "photo.fetching";
    case PhotoWhy::Offline: return "photo.offline";
    case PhotoWhy::NotUploaded: return "photo.not_uploaded";
    case PhotoWhy::Server: return "photo.server";
    case PhotoWhy::Damaged: return "photo.damaged";
    case PhotoWhy::NoAccount:  // literally so: it is not here and this device cannot ask the server
    case PhotoWhy::Unknown: break;
  }
  return "photo.not_here";
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
    // Not loaded yet: the tile says why, plainly and truly (decisions 0028, 0030). The shell asks again
    // where that may help, and the photo appears by itself when it comes.
    state = why_key(v ? v->why : PhotoWhy::Loading);
    // The words wrapped inside a margin, each line centred, clipped to the tile.
    std::string words = tr(state);
    ImFont* font = ImGui::GetFont();
    const float fs = ImGui::GetFontSize(), wrap = std::max(fs, side - em(1.0f));
    std::vector<std::pair<const char*, const char*>> lines;
    for (const char *s = words.c_str(), *end = s + words.size(); s < end;) {
      const char* e = font->CalcWordWrapPosition(fs, s, end, wrap);
      if (e <= s) e = s + ImTextCountUtf8BytesFromChar(s, end);
      // No line starts with closing punctuation (ImGui breaks between any two CJK characters): the
      // character before it goes down with it (or, on a one-character line, it stays up, in the margin).
      if (e < end && closes(std::string_view(e, static_cast<std::size_t>(end - e)))) {
        const char* b = e - 1;
        while (b > s && (static_cast<unsigned char>(*b) & 0xC0) == 0x80) --b;
        if (b > s) e = b;
        else e += ImTextCountUtf8BytesFromChar(e, end);
      }
      // A line that must break anyway breaks after its last comma, if that is past its first third.
      if (e < end) {
        std::string_view line(s, static_cast<std::size_t>(e - s));
        std::size_t c = line.rfind("，");
        if (c != std::string_view::npos && c > line.size() / 3) e = s + c + std::string_view("，").size();
      }
      lines.emplace_back(s, e);
      for (s = e; s < end && (*s == ' ' || *s == '\n');) ++s;
    }
    const float lh = fs * 1.25f;
    float y = bb.Min.y + std::max(0.0f, (side - lh * static_cast<float>(lines.size())) / 2);
    ImGui::PushClipRect(bb.Min, bb.Max, true);
    for (const auto& [s, e] : lines) {
      float w = font->CalcTextSizeA(fs, FLT_MAX, 0, s, e).x;
      dl->AddText(font, fs, ImVec2(bb.Min.x + std::max(0.0f, (side - w) / 2), y + (lh - fs) / 2), ImGui::GetColorU32(ImGuiCol_Text), s, e);
      y += lh;
    }
    ImGui::PopClipRect();
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
