// keymap: DOM KeyboardEvent.code -> ImGuiKey.
#pragma once
#include <string_view>

#include "imgui.h"

namespace sihui::web {
ImGuiKey key_from_dom_code(std::string_view code);
}
