// text_input_web: the text seam in the browser, after egui's "text agent".
// Emscripten's GLFW has no IME composition, so a hidden <input id="sihui-ime"> (made in
// shell/sihui-pre.js) is placed at ImGui's caret while a text field is active. It receives
// IME composition (pinyin), phone keyboards and paste, and hands committed text to ImGui.
// [X] focus + caret position from Platform_SetImeDataFn (CSS px)
// [X] composition: keys ignored while composing; text committed on compositionend / input
// [X] paste through the input's own paste (the async Clipboard API needs a permission)
// [X] copy: Platform_SetClipboardTextFn -> navigator.clipboard.writeText (best effort)
// [X] iOS: the input is focused inside the tap's own handler (see sihui_hit_textbox)
// [ ] showing the composition string inside the ImGui field (the browser shows it at the caret)
// Changes:
// - 2026-11-26: first version (issue 2).
#include <emscripten.h>

#include <string>

#include "imgui.h"
#include "platform/text_input.h"

EM_JS(void, js_ime_update, (int want, float x, float y, float h), {
  var el = document.getElementById('sihui-ime');
  if (!el) return;
  if (want) {
    el.style.left = Math.round(x) + 'px';
    el.style.top = Math.round(y) + 'px';
    el.style.height = Math.max(1, Math.round(h)) + 'px';
    if (document.activeElement !== el) el.focus({preventScroll: true});
  } else if (document.activeElement === el) {
    el.blur();
  }
});

EM_JS(void, js_clipboard_write, (const char* text), {
  var s = UTF8ToString(text);
  Module.sihuiClipboard = s;
  try {
    if (navigator.clipboard) navigator.clipboard.writeText(s).catch(function() {});
  } catch (e) {}
});

namespace sihui::platform {

namespace {
std::string g_clip;
float g_dpr = 1;
int g_last_want = -1;
float g_last_x = -1, g_last_y = -1;
}  // namespace

void text_input_set_dpr(float dpr) { g_dpr = dpr > 0 ? dpr : 1; }

void text_input_install() {
  ImGuiPlatformIO& pio = ImGui::GetPlatformIO();
  pio.Platform_SetImeDataFn = [](ImGuiContext*, ImGuiViewport*, ImGuiPlatformImeData* data) {
    int want = (data->WantVisible || data->WantTextInput) ? 1 : 0;
    float x = data->InputPos.x / g_dpr, y = data->InputPos.y / g_dpr;
    if (want == g_last_want && (!want || (x == g_last_x && y == g_last_y))) return;
    g_last_want = want;
    g_last_x = x;
    g_last_y = y;
    js_ime_update(want, x, y, data->InputLineHeight / g_dpr);
  };
  pio.Platform_SetClipboardTextFn = [](ImGuiContext*, const char* text) {
    g_clip = text ? text : "";
    js_clipboard_write(g_clip.c_str());
  };
  pio.Platform_GetClipboardTextFn = [](ImGuiContext*) -> const char* { return g_clip.c_str(); };
}

}  // namespace sihui::platform
