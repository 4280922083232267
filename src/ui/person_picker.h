// person_picker: choosing a person, the same way on every screen (decision 0026).
//   ChoiceButton - one full-width row of a short list ("for whom" in the canteen and services): the
//                  chosen one ticked and highlighted
//   PersonSearch - a name search over the community's residents (map roles, channel members): a
//                  field and at most six matches as full-width buttons, "nobody found" in words
#pragma once
#include <functional>
#include <string>

#include "core/model.h"

namespace sihui::ui {

// A full-width, left-aligned button "✓ words" when current. True when pressed. `id` makes it unique.
bool ChoiceButton(const std::string& words, const std::string& id, bool current);

// The search field (label and hint are translation keys read by the caller: already translated) and
// the people whose name holds the query, who are not left and for whom `eligible` is true, each
// shown as `words(person)`. Returns the id pressed, or "" this frame. `id` keeps two pickers apart.
core::Id PersonSearch(const core::State& s, std::string* query, const char* id, const char* label, const char* hint,
                      const char* none, const std::function<bool(const core::Person&)>& eligible,
                      const std::function<std::string(const core::Person&)>& words);

}  // namespace sihui::ui
