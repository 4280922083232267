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
// Unsaved input: a TextField edited to something non-empty holds input nobody has saved yet, until
// the screen submits it (forms_saved(), called by App when a form's action is emitted) or the field
// is emptied. A field that only filters a list calls not_a_form() right after it.
bool has_unsaved_input();
void forms_saved();
void not_a_form();
bool SliderPercent(const char* label, int* v, int lo, int hi, int step);
void ProgressLine(float fraction, std::string_view caption);

// Groups for screen readers (the accessibility mirror, decision 0020): "list, 5 items", "tab 2 of 4".
// A list of cards goes between BeginList/EndList; a card function puts itself between
// BeginListItem/EndListItem (`key`: what the card shows, e.g. the report's id), which makes it a list
// item inside a list and does nothing elsewhere. A row of tabs (Role::Tab items) goes between
// BeginTabs/EndTabs. Ids are unique within the window's ImGui id stack.
void BeginList(const char* id, std::string_view label = {});
void EndList();
void BeginListItem(std::string_view key);
void EndListItem();
void BeginTabs(const char* id, std::string_view label = {});
void EndTabs();
// A button only keyboards and screen readers see (an item in the mirror over a drawing, e.g. a
// building on the map): it takes no pointer input, the drawing under it keeps its taps and drags.
// True when pressed through the mirror or with Enter/Space.
bool MirrorButton(const char* id_label, const std::string& words, ImVec2 min, ImVec2 max);
// The lock drawn on a disabled item (colour is never the only sign of it), `size` across.
void DrawLock(ImDrawList* dl, ImVec2 centre, float size, ImU32 col);

}  // namespace sihui::ui
