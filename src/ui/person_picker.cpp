// person_picker: see person_picker.h.
#include "ui/person_picker.h"

#include "imgui.h"
#include "ui/widgets.h"

namespace sihui::ui {

bool ChoiceButton(const std::string& words, const std::string& id, bool current) {
  std::string l = std::string(current ? "✓ " : "") + words + "##" + id;
  if (current) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_Header));
  ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0, 0.5f));
  bool pressed = Button(l.c_str(), -1);
  ImGui::PopStyleVar();
  if (current) ImGui::PopStyleColor();
  return pressed;
}

core::Id PersonSearch(const core::State& s, std::string* query, const char* id, const char* label, const char* hint,
                      const char* none, const std::function<bool(const core::Person&)>& eligible,
                      const std::function<std::string(const core::Person&)>& words) {
  ImGui::PushID(id);
  TextField(label, query, hint);
  not_a_form();  // it only filters the list below
  core::Id picked;
  std::string q = *query;
  while (!q.empty() && q.front() == ' ') q.erase(q.begin());
  while (!q.empty() && q.back() == ' ') q.pop_back();
  if (!q.empty()) {
    int shown = 0;
    for (const auto& [pid, p] : s.persons) {
      if (p.left || p.name.find(q) == std::string::npos || !eligible(p)) continue;
      if (++shown > 6) break;
      if (Button((words(p) + "##pick-" + pid).c_str(), -1)) picked = pid;
    }
    if (shown == 0) Paragraph(none, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  }
  ImGui::PopID();
  return picked;
}

}  // namespace sihui::ui
