#include "web/keymap.h"

namespace sihui::web {

ImGuiKey key_from_dom_code(std::string_view code) {
  if (code.size() == 4 && code.starts_with("Key") && code[3] >= 'A' && code[3] <= 'Z') {
    return static_cast<ImGuiKey>(ImGuiKey_A + (code[3] - 'A'));
  }
  if (code.size() == 6 && code.starts_with("Digit") && code[5] >= '0' && code[5] <= '9') {
    return static_cast<ImGuiKey>(ImGuiKey_0 + (code[5] - '0'));
  }
  if (code.size() >= 2 && code[0] == 'F' && code.size() <= 3) {
    int n = 0;
    for (char c : code.substr(1)) {
      if (c < '0' || c > '9') return ImGuiKey_None;
      n = n * 10 + (c - '0');
    }
    if (n >= 1 && n <= 12) return static_cast<ImGuiKey>(ImGuiKey_F1 + n - 1);
    return ImGuiKey_None;
  }
  struct Pair { std::string_view dom; ImGuiKey key; };
  static constexpr Pair table[] = {
      {"Tab", ImGuiKey_Tab}, {"ArrowLeft", ImGuiKey_LeftArrow}, {"ArrowRight", ImGuiKey_RightArrow},
      {"ArrowUp", ImGuiKey_UpArrow}, {"ArrowDown", ImGuiKey_DownArrow}, {"PageUp", ImGuiKey_PageUp},
      {"PageDown", ImGuiKey_PageDown}, {"Home", ImGuiKey_Home}, {"End", ImGuiKey_End},
      {"Insert", ImGuiKey_Insert}, {"Delete", ImGuiKey_Delete}, {"Backspace", ImGuiKey_Backspace},
      {"Space", ImGuiKey_Space}, {"Enter", ImGuiKey_Enter}, {"NumpadEnter", ImGuiKey_KeypadEnter},
      {"Escape", ImGuiKey_Escape}, {"ShiftLeft", ImGuiKey_LeftShift}, {"ShiftRight", ImGuiKey_RightShift},
      {"ControlLeft", ImGuiKey_LeftCtrl}, {"ControlRight", ImGuiKey_RightCtrl}, {"AltLeft", ImGuiKey_LeftAlt},
      {"AltRight", ImGuiKey_RightAlt}, {"MetaLeft", ImGuiKey_LeftSuper}, {"MetaRight", ImGuiKey_RightSuper},
      {"Minus", ImGuiKey_Minus}, {"Equal", ImGuiKey_Equal}, {"BracketLeft", ImGuiKey_LeftBracket},
      {"BracketRight", ImGuiKey_RightBracket}, {"Backslash", ImGuiKey_Backslash}, {"Semicolon", ImGuiKey_Semicolon},
      {"Quote", ImGuiKey_Apostrophe}, {"Backquote", ImGuiKey_GraveAccent}, {"Comma", ImGuiKey_Comma},
      {"Period", ImGuiKey_Period}, {"Slash", ImGuiKey_Slash},
  };
  for (const auto& p : table) {
    if (p.dom == code) return p.key;
  }
  return ImGuiKey_None;
}

}  // namespace sihui::web
