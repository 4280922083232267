#include "ui/theme.h"

#include "imgui.h"

namespace sihui::ui {

namespace {
Palette g_palette;

void base_sizes(ImGuiStyle& s) {
  s.WindowPadding = ImVec2(16, 16);
  s.FramePadding = ImVec2(14, 12);  // 20 px text + 2 x 12 = 44 CSS px touch targets
  s.ItemSpacing = ImVec2(12, 14);
  s.ItemInnerSpacing = ImVec2(10, 8);
  s.CellPadding = ImVec2(8, 6);
  s.ScrollbarSize = 18;
  s.GrabMinSize = 28;
  s.WindowRounding = 0;
  s.FrameRounding = 8;
  s.GrabRounding = 8;
  s.ScrollbarRounding = 9;
  s.WindowBorderSize = 0;
  s.FrameBorderSize = 1;
  s.IndentSpacing = 24;
  // A disabled item fades, but its words stay readable: 0.72 keeps text at 6:1 (9:1 in high
  // contrast) where ImGui's 0.6 gave 4.2:1, under the 4.5:1 of WCAG AA (tests/browser/a11y).
  s.DisabledAlpha = 0.72f;
}
}  // namespace

const Palette& palette() { return g_palette; }

void apply_theme(bool high_contrast, float text_scale, float dpr) {
  ImGuiStyle style;
  base_sizes(style);
  if (high_contrast) {
    ImGui::StyleColorsLight(&style);
    ImVec4* c = style.Colors;
    const ImVec4 black(0, 0, 0, 1), white(1, 1, 1, 1), yellow(1, 0.92f, 0.2f, 1);
    c[ImGuiCol_Text] = black;
    c[ImGuiCol_TextDisabled] = ImVec4(0.25f, 0.25f, 0.25f, 1);
    c[ImGuiCol_WindowBg] = white;
    c[ImGuiCol_ChildBg] = white;
    c[ImGuiCol_PopupBg] = white;
    c[ImGuiCol_Border] = black;
    c[ImGuiCol_FrameBg] = white;
    c[ImGuiCol_FrameBgHovered] = yellow;
    c[ImGuiCol_FrameBgActive] = yellow;
    c[ImGuiCol_Button] = white;
    c[ImGuiCol_ButtonHovered] = yellow;
    c[ImGuiCol_ButtonActive] = yellow;
    c[ImGuiCol_CheckMark] = black;
    c[ImGuiCol_SliderGrab] = black;
    c[ImGuiCol_SliderGrabActive] = black;
    c[ImGuiCol_Header] = yellow;
    c[ImGuiCol_HeaderHovered] = yellow;
    c[ImGuiCol_ScrollbarBg] = white;
    c[ImGuiCol_ScrollbarGrab] = black;
    c[ImGuiCol_NavCursor] = ImVec4(0, 0, 0.8f, 0);  // alpha 0: ImGui's thin ring off, ui/a11y.cpp draws a thick one
    c[ImGuiCol_TextSelectedBg] = yellow;
    style.FrameBorderSize = 2;
    g_palette = {IM_COL32(0, 0, 0, 255), IM_COL32(255, 255, 255, 255),
                 {IM_COL32(255, 255, 255, 255), IM_COL32(255, 255, 255, 255),
                  IM_COL32(255, 255, 255, 255), IM_COL32(255, 255, 255, 255)},
                 IM_COL32(0, 0, 0, 255), IM_COL32(0, 0, 0, 255), IM_COL32(0, 90, 0, 255),
                 IM_COL32(120, 60, 0, 255), IM_COL32(160, 0, 0, 255), IM_COL32(255, 235, 51, 255)};
  } else {
    ImGui::StyleColorsLight(&style);
    ImVec4* c = style.Colors;
    const ImVec4 red(0.70f, 0.10f, 0.12f, 1), paper(0.99f, 0.97f, 0.94f, 1);
    c[ImGuiCol_Text] = ImVec4(0.13f, 0.11f, 0.10f, 1);
    c[ImGuiCol_TextDisabled] = ImVec4(0.38f, 0.36f, 0.34f, 1);
    c[ImGuiCol_WindowBg] = paper;
    c[ImGuiCol_ChildBg] = ImVec4(1, 1, 1, 1);
    c[ImGuiCol_Border] = ImVec4(0.55f, 0.50f, 0.46f, 1);
    c[ImGuiCol_FrameBg] = ImVec4(1, 1, 1, 1);
    c[ImGuiCol_FrameBgHovered] = ImVec4(1, 0.93f, 0.88f, 1);
    c[ImGuiCol_FrameBgActive] = ImVec4(1, 0.88f, 0.82f, 1);
    c[ImGuiCol_Button] = ImVec4(0.96f, 0.90f, 0.85f, 1);
    c[ImGuiCol_ButtonHovered] = ImVec4(0.99f, 0.84f, 0.76f, 1);
    c[ImGuiCol_ButtonActive] = ImVec4(0.95f, 0.74f, 0.64f, 1);
    c[ImGuiCol_CheckMark] = red;
    c[ImGuiCol_SliderGrab] = red;
    c[ImGuiCol_SliderGrabActive] = ImVec4(0.55f, 0.06f, 0.08f, 1);
    c[ImGuiCol_Header] = ImVec4(0.99f, 0.84f, 0.76f, 1);
    c[ImGuiCol_HeaderHovered] = ImVec4(0.99f, 0.80f, 0.70f, 1);
    c[ImGuiCol_ScrollbarBg] = paper;
    c[ImGuiCol_NavCursor] = ImVec4(0.10f, 0.30f, 0.85f, 0);  // alpha 0: see ui/a11y.cpp
    g_palette = {IM_COL32(179, 26, 31, 255), IM_COL32(255, 255, 255, 255),
                 {IM_COL32(179, 26, 31, 255), IM_COL32(176, 80, 10, 255),  // white on each >= 4.5:1 (tests/browser/a11y)
                  IM_COL32(31, 110, 90, 255), IM_COL32(40, 78, 150, 255)},
                 IM_COL32(255, 255, 255, 255), IM_COL32(92, 86, 80, 255), IM_COL32(24, 120, 60, 255),
                 IM_COL32(170, 95, 0, 255), IM_COL32(176, 20, 24, 255), IM_COL32(255, 243, 205, 255)};
  }
  float f = text_scale * dpr;
  style.ScaleAllSizes(f);
  style.ScrollbarSize = 14 * dpr;  // thin at every text size: a phone at 200% needs the width
  style.FontSizeBase = kBaseFontPx;
  style.FontScaleMain = text_scale;
  style.FontScaleDpi = dpr;
  ImGui::GetStyle() = style;
}

float em(float x) { return x * ImGui::GetFontSize(); }

}  // namespace sihui::ui
