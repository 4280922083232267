// theme: colours and sizes of the whole UI from two settings (text scale, high contrast)
// and the screen's device pixel ratio. Every size is in em (multiples of the font size),
// so elder mode scales everything by changing one number.
#pragma once

namespace sihui::ui {

inline constexpr float kBaseFontPx = 20.0f;  // CSS px at 100%: already larger than a web page's 16
inline constexpr float kLineSpacing = 1.5f;  // paragraph line height in em (the MIIT rules ask >= 1.3)

// Applies colours and scaled sizes to the current ImGui style. Cheap enough to call when
// a setting or the pixel ratio changes, never every frame.
void apply_theme(bool high_contrast, float text_scale, float device_pixel_ratio);
float em(float x);  // x times the current font size, in framebuffer pixels

struct Palette {
  unsigned int accent, accent_text, card[4], card_text, muted_text, ok, warn, bad, banner;
};
const Palette& palette();

}  // namespace sihui::ui
