// widgets: Sihui's building blocks on top of Dear ImGui. Each one tags its item with a
// Role in the item table (tests, automation, the accessibility mirror) and sizes itself in em.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "imgui.h"

namespace sihui::ui {

// Splits text into lines no wider than width: breaks between CJK characters and at spaces,
// never before closing punctuation (，。、！？；：）」》…) — ImGui's own wrap only breaks at
// spaces, which leaves Chinese lines ragged.
std::vector<std::string_view> wrap_text(ImFont* font, float size, std::string_view text, float width);

void Paragraph(std::string_view text, ImU32 color = 0);  // wrapped, line height kLineSpacing em
void Heading(std::string_view text, float size_em = 1.4f);
// A Paragraph that says a state (a count, a refusal), listed in the item table as a status item so
// the accessibility mirror and tests read the same words the person sees.
void StatusParagraph(std::string_view text, ImU32 color = 0);
bool Button(const char* label, float width = 0);
bool fits_in(float width, const char* label);  // a Button with this label fits in width      // at least 44 CSS px tall; width 0 = fit, -1 = full
bool BigButton(const char* id_label, std::string_view title, std::string_view subtitle, ImVec2 size,
               ImU32 fill, ImU32 text);
// The height BigButton needs to show title and subtitle whole at this width.
float BigButtonHeight(std::string_view title, std::string_view subtitle, float width);
bool Toggle(const char* label, bool* v);
bool TextField(const char* label, std::string* value, const char* hint, int flags = 0);  // flags: ImGuiInputTextFlags_*
bool SliderPercent(const char* label, int* v, int lo, int hi, int step);
void ProgressLine(float fraction, std::string_view caption);

}  // namespace sihui::ui
