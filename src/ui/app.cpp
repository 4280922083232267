#include "ui/app.h"

#include <algorithm>
#include <cfloat>
#include <cstdio>

#include "imgui.h"
#include "imgui_internal.h"
#include "ui/item_table.h"
#include "ui/manage.h"
#include "ui/life.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace sihui::ui {

using i18n::Key;

namespace {
// A paragraph that is also a Status item (the words tests and the accessibility mirror read).
void said_status(const char* text, ImU32 color = 0) {
  ImVec2 p0 = ImGui::GetCursorScreenPos();
  Paragraph(text, color);
  ImRect bb(p0, ImGui::GetItemRectMax());
  ImGuiID id = ImGui::GetID(text);
  ImGui::ItemAdd(bb, id, nullptr, ImGuiItemFlags_NoNav);
  item_table().set_role(id, Role::Status, text);
}

std::string human_bytes(double b) {
  char buf[32];
  if (b >= 1e9) std::snprintf(buf, sizeof buf, "%.1f GB", b / 1e9);
  else if (b >= 1e6) std::snprintf(buf, sizeof buf, "%.1f MB", b / 1e6);
  else std::snprintf(buf, sizeof buf, "%.0f KB", b / 1e3);
  return buf;
}
}  // namespace

bool all_records_saved(const UiModel& m) {
  switch (m.status.storage.state) {
    case platform::StorageState::Ready: return m.status.storage.all_saved && m.status.storage.failures == 0;
    case platform::StorageState::ReadOnly: return !m.status.handed_over;
    case platform::StorageState::Failed: return m.sync.pending == 0;  // in memory only: wait for the server
    case platform::StorageState::Loading: return false;
  }
  return false;
}

App::App() : life_(std::make_unique<Life>()) {}
App::~App() = default;

// Keys are string literals and catalog texts are std::strings that live as long as the catalog,
// so the text's data() is a stable, NUL-terminated C string.
const char* App::tr(const char* key) const { return m_->catalog->text(m_->settings->lang, Key{key}).data(); }

void App::draw(const UiModel& model, std::vector<UiAction>& out) {
  m_ = &model;
  const bool embedded = !model.embed.empty();
  if (embedded && !embed_started_) {  // the embed opens on its view and stays there
    embed_started_ = true;
    bool classes = model.embed.rfind("class", 0) == 0;
    screen_ = last_screen_ = classes ? Screen::Classes : Screen::Calendar;
    life_->embed_view(model.embed);
  }
  const std::size_t actions_before = out.size();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("##sihui", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  top_bar(out);
  // The status bar is as tall as its wrapped text, so nothing of it is ever cut off.
  status_line_ = status_text(&status_color_);  // once per frame: sizes the bar here, drawn below
  const std::string& st = status_line_;
  float text_w = ImGui::GetContentRegionAvail().x - em(0.9f);
  auto lines = wrap_text(ImGui::GetFont(), ImGui::GetFontSize(), st, text_w);
  if (lines.size() > 2) {  // a phone at large text: the short words, so the page keeps its room
    status_line_ = status_text(&status_color_, true);
    lines = wrap_text(ImGui::GetFont(), ImGui::GetFontSize(), st, text_w);
  }
  const ImGuiStyle& style = ImGui::GetStyle();
  float status_h = em(kLineSpacing) * static_cast<float>(lines.size()) + style.ItemSpacing.y * 2 + 1.0f;
  if (m_->status.font_percent >= 0 && m_->status.font_percent < 100) {
    status_h += em(kLineSpacing) + em(0.5f) + style.ItemSpacing.y * 2;
  }
  ImGui::PushStyleColor(ImGuiCol_ChildBg, IM_COL32(0, 0, 0, 0));
  const float page_top = ImGui::GetCursorPosY();
  ImGui::BeginChild("##page", ImVec2(0, -status_h), ImGuiChildFlags_None, ImGuiWindowFlags_None);
  ImGui::PopStyleColor();
  entered_ = screen_ != last_screen_;
  if (entered_) {
    ImGui::SetScrollY(0);
    last_screen_ = screen_;
  }
  banner(out);
  update_banner(out);
  embed_notes(out);
  if (screen_ != Screen::Settings && screen_ != Screen::Manage) life_->notices(model);
  switch (screen_) {
    case Screen::Home: home(); break;
    case Screen::Manage:
      if (!manage_) manage_ = std::make_shared<Manage>();
      if (manage_->draw(model, out, entered_)) screen_ = Screen::Home;
      break;
    case Screen::Projects:
      life_->hub(model, Life::Hub::projects);
      section("section.projects.body", nullptr, "home.projects.title");
      break;
    case Screen::Care:
      life_->hub(model, Life::Hub::care);
      section("section.care.body", nullptr, "home.care.title");
      break;
    case Screen::Energy:
      life_->hub(model, Life::Hub::energy);
      section("section.energy.body", nullptr, "home.energy.title");
      break;
    case Screen::Settings:
      if (embedded) {  // the embed's way to register or sign in before signing up
        account_section(out);
        ImGui::Spacing();
        std::string back = std::string(tr("embed.back")) + "##embed-back";
        if (Button(back.c_str(), -1)) screen_ = model.embed.rfind("class", 0) == 0 ? Screen::Classes : Screen::Calendar;
      } else {
        settings_screen(out);
      }
      break;
    case Screen::Calendar: life_->calendar(model, out); break;
    case Screen::Classes: life_->classes(model, out); break;
    case Screen::Canteen: life_->canteen(model, out); break;
    case Screen::Services: life_->services(model, out); break;
    case Screen::Clinic: life_->clinic(model, out); break;
    case Screen::Channels: life_->channels(model, out); break;
  }
  switch (life_->take_go()) {  // a life screen asked to go somewhere
    case Life::Go::none: break;
    case Life::Go::home:
      if (!embedded) screen_ = Screen::Home;
      break;
    case Life::Go::account: screen_ = Screen::Settings; break;
    case Life::Go::calendar: screen_ = Screen::Calendar; life_->entered(Life::Go::calendar); break;
    case Life::Go::classes: screen_ = Screen::Classes; life_->entered(Life::Go::classes); break;
    case Life::Go::canteen: screen_ = Screen::Canteen; life_->entered(Life::Go::canteen); break;
    case Life::Go::services: screen_ = Screen::Services; life_->entered(Life::Go::services); break;
    case Life::Go::clinic: screen_ = Screen::Clinic; life_->entered(Life::Go::clinic); break;
    case Life::Go::channels: screen_ = Screen::Channels; life_->entered(Life::Go::channels); break;
  }
  // The embed is as tall as its content (the iframe follows it): measured here, sent by the shell.
  const float page_h = ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y;
  ImGui::EndChild();
  status_bar();
  content_h_ = embedded ? page_top + page_h + status_h + ImGui::GetStyle().WindowPadding.y * 2 : 0;
  ImGui::End();
  // A form's input went somewhere (an op, a sign-in, a saved name): nothing typed is unsaved any more.
  for (std::size_t i = actions_before; i < out.size(); ++i) {
    const auto& a = out[i];
    if (std::holds_alternative<SubmitOp>(a) || std::holds_alternative<SignIn>(a) || std::holds_alternative<Register>(a) ||
        std::holds_alternative<ClaimInvite>(a) || std::holds_alternative<settings::Change>(a))
      forms_saved();
  }
}

// "新版本已就绪": offered, never forced; the button waits while records are being saved or a form
// holds typed input, and says which.
void App::update_banner(std::vector<UiAction>& out) {
  if (!m_->update_ready || update_later_ || !m_->embed.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, palette().banner);
  ImGui::BeginChild("##update", ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  said_status(tr("update.ready"));
  const bool saved = all_records_saved(*m_);
  const bool typing = has_unsaved_input();
  if (!saved) said_status(tr("update.wait_saving"), palette().warn);
  else if (typing) said_status(tr("update.wait_form"), palette().warn);
  std::string now = std::string(tr("update.apply")) + "##update-apply";
  std::string later = std::string(tr("update.later")) + "##update-later";
  float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
  bool row = fits_in(half, now.c_str()) && fits_in(half, later.c_str());
  ImGui::BeginDisabled(!saved || typing);
  if (Button(now.c_str(), row ? half : -1)) out.emplace_back(ApplyUpdate{});
  ImGui::EndDisabled();
  if (row) ImGui::SameLine();
  if (Button(later.c_str(), row ? half : -1)) update_later_ = true;
  ImGui::EndChild();
  ImGui::PopStyleColor();
  ImGui::Spacing();
}

// The embed: where the whole app is, and, when this site's frame may not keep data, that it works
// online only.
void App::embed_notes(std::vector<UiAction>& out) {
  if (m_->embed.empty()) return;
  if (m_->status.storage.state == platform::StorageState::Failed) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, palette().banner);
    ImGui::BeginChild("##online-only", ImVec2(0, 0),
                      ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
    said_status(tr("embed.online_only"));
    std::string open = std::string(tr("embed.open_full")) + "##embed-open-note";
    if (Button(open.c_str(), -1)) out.emplace_back(OpenFullApp{});
    ImGui::EndChild();
    ImGui::PopStyleColor();
    ImGui::Spacing();
  }
}

void App::top_bar(std::vector<UiAction>& out) {
  const auto& pal = palette();
  if (!m_->embed.empty()) {  // the embed: the name and the way to the whole app, on one line when they fit
    ImGui::PushStyleColor(ImGuiCol_Text, pal.accent);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tr("app.name"));
    ImGui::PopStyleColor();
    std::string open = std::string(tr("embed.open_full")) + " ↗##embed-open";
    float bw = ImGui::CalcTextSize(open.c_str(), nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
    if (ImGui::CalcTextSize(tr("app.name")).x + bw + em(1) < ImGui::GetContentRegionAvail().x) {
      ImGui::SameLine();
      ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, ImGui::GetContentRegionAvail().x - bw));
    }
    if (Button(open.c_str())) out.emplace_back(OpenFullApp{});
    ImGui::Separator();
    return;
  }
  // The name (1.5 em) and the button (1 em + padding) share one centre line.
  float y0 = ImGui::GetCursorPosY();
  float title_h = em(1.5f), button_h = ImGui::GetFrameHeight();
  float row_h = std::max(title_h, button_h);
  ImGui::SetCursorPosY(y0 + (row_h - title_h) * 0.5f);
  ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * 1.5f);
  ImGui::PushStyleColor(ImGuiCol_Text, pal.accent);
  ImGui::TextUnformatted(tr("app.name"));
  ImGui::PopStyleColor();
  ImGui::PopFont();
  ImGui::SameLine();
  ImGui::SetCursorPosY(y0 + (row_h - button_h) * 0.5f);
  ImGui::AlignTextToFramePadding();
  float avail = ImGui::GetContentRegionAvail().x;
  const char* label = screen_ == Screen::Home ? tr("nav.settings") : tr("nav.home");
  float bw = ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2;
  const char* community = tr("app.community");
  if (ImGui::CalcTextSize(community).x + bw + em(1) < avail) {
    ImGui::TextDisabled("%s", community);
    ImGui::SameLine();
  }
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, ImGui::GetContentRegionAvail().x - bw));
  ImGui::SetCursorPosY(y0 + (row_h - button_h) * 0.5f);
  std::string id = std::string(label) + "##nav";
  if (Button(id.c_str())) screen_ = screen_ == Screen::Home ? Screen::Settings : Screen::Home;
  ImGui::Separator();
}

void App::banner(std::vector<UiAction>& out) {
  if (!m_->store_notices.empty()) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, palette().banner);
    ImGui::BeginChild("##store-notice", ImVec2(0, 0),
                      ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
    Paragraph(tr("notice.store_problems"));
    for (const auto& key : m_->store_notices) Paragraph(std::string("· ") + tr(key.c_str()));
    std::string id = std::string(tr("notice.dismiss")) + "##store-notice";
    if (Button(id.c_str())) out.emplace_back(DismissStoreNotice{});
    ImGui::EndChild();
    ImGui::PopStyleColor();
    ImGui::Spacing();
  }
  if (!m_->settings_damaged) return;
  const auto& pal = palette();
  ImGui::PushStyleColor(ImGuiCol_ChildBg, pal.banner);
  ImGui::BeginChild("##damaged", ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  Paragraph(tr("notice.settings_damaged"));
  std::string id = std::string(tr("notice.dismiss")) + "##damaged";
  if (Button(id.c_str())) out.emplace_back(DismissDamagedNotice{});
  ImGui::EndChild();
  ImGui::PopStyleColor();
  ImGui::Spacing();
}

void App::home() {
  const auto& pal = palette();
  Paragraph(tr("home.welcome"));
  ImGui::Spacing();
  life_->home_panel(*m_);  // three big buttons, today, my sign-ups and bookings
  ImGui::Spacing();
  if (m_->demo_loading || (m_->demo && m_->community)) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, pal.banner);
    ImGui::BeginChild("##demo", ImVec2(0, 0),
                      ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
    Paragraph(tr("home.demo.title"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    if (m_->demo_loading || !m_->community) {
      Paragraph(tr("home.demo.loading"));
    } else {
      const auto& c = *m_->community;
      auto n = [](std::size_t v) { return std::to_string(v); };
      Paragraph(i18n::format(tr("home.demo.body"), {{"persons", n(c.persons.size())},
                                                    {"compounds", n(c.compounds.size())},
                                                    {"grids", n(c.grids.size())},
                                                    {"sessions", n(c.sessions.size())}}));
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
    ImGui::Spacing();
  }
  struct Card { const char* id; const char* title; const char* sub; Screen to; };
  const Card cards[] = {
      {"manage", "home.manage.title", "home.manage.sub", Screen::Manage},
      {"projects", "home.projects.title", "home.projects.sub", Screen::Projects},
      {"care", "home.care.title", "home.care.sub", Screen::Care},
      {"energy", "home.energy.title", "home.energy.sub", Screen::Energy},
  };
  float avail = ImGui::GetContentRegionAvail().x;
  float gap = ImGui::GetStyle().ItemSpacing.x;
  int cols = avail >= em(24) ? 2 : 1;
  float w = (avail - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
  // All cards as tall as the tallest needs at this width and text size, and no shorter
  // than a comfortable target on a tablet.
  float h = cols == 2 ? std::min(w * 0.32f, em(7)) : 0.0f;
  for (const auto& c : cards) h = std::max(h, BigButtonHeight(tr(c.title), tr(c.sub), w));
  for (int i = 0; i < 4; ++i) {
    if (i % cols != 0) ImGui::SameLine();
    bool hc = pal.card_text == IM_COL32(0, 0, 0, 255);
    if (BigButton(cards[i].id, tr(cards[i].title), tr(cards[i].sub), ImVec2(w, h), pal.card[i],
                  hc ? pal.card_text : pal.card_text)) {
      screen_ = cards[i].to;
    }
  }
  ImGui::Spacing();
  std::string id = std::string(tr("home.settings.button")) + "##home-settings";
  if (Button(id.c_str(), -1)) screen_ = Screen::Settings;
}

void App::section(const char* body_key, const char* extra_key, const char* title_key) {
  Heading(tr(title_key));
  ImGui::Spacing();
  Paragraph(tr(body_key));
  if (extra_key) {
    ImGui::Spacing();
    Paragraph(tr(extra_key));
  }
  ImGui::Spacing();
  Paragraph(tr("section.coming"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  ImGui::Spacing();
  std::string id = std::string(tr("nav.back")) + "##section-back";
  if (Button(id.c_str(), -1)) screen_ = Screen::Home;
}

void App::settings_screen(std::vector<UiAction>& out) {
  const auto& s = *m_->settings;
  Heading(tr("settings.title"));
  ImGui::Spacing();

  // Language: two big choices, the current one marked by a check and by colour.
  Paragraph(tr("settings.language"));
  float avail = ImGui::GetContentRegionAvail().x;
  float half = (avail - ImGui::GetStyle().ItemSpacing.x) / 2;
  std::string lang_labels[2];
  for (int i = 0; i < 2; ++i) {
    bool current = s.lang == (i == 0 ? i18n::Lang::zh_CN : i18n::Lang::en);
    lang_labels[i] = std::string(current ? "✓ " : "") + tr(i == 0 ? "settings.lang.zh" : "settings.lang.en") +
                     (i == 0 ? "##lang-zh" : "##lang-en");
  }
  bool lang_row = fits_in(half, lang_labels[0].c_str()) && fits_in(half, lang_labels[1].c_str());
  for (int i = 0; i < 2; ++i) {
    i18n::Lang lang = i == 0 ? i18n::Lang::zh_CN : i18n::Lang::en;
    bool current = s.lang == lang;
    const std::string& label = lang_labels[i];
    if (i == 1 && lang_row) ImGui::SameLine();
    if (current) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_Header));
    if (Button(label.c_str(), lang_row ? half : -1) && !current) out.emplace_back(settings::SetLang{lang});
    if (current) ImGui::PopStyleColor();
  }
  ImGui::Spacing();

  // Text size: a slider plus two big buttons for people who cannot drag.
  char pct[16];
  std::snprintf(pct, sizeof pct, "%d", s.text_scale);
  Paragraph(std::string(tr("settings.text_size")) + "  " +
            i18n::format(tr("settings.text_size.value"), {{"pct", pct}}));
  int v = s.text_scale;
  if (SliderPercent(tr("settings.text_size"), &v, settings::kMinTextScale, settings::kMaxTextScale,
                    settings::kTextScaleStep) &&
      !ImGui::IsItemActive()) {
    out.emplace_back(settings::SetTextScale{v});
  }
  if (ImGui::IsItemDeactivatedAfterEdit()) out.emplace_back(settings::SetTextScale{v});
  {
    std::string smaller = std::string("A−  ") + tr("settings.smaller") + "##smaller";
    std::string larger = std::string("A+  ") + tr("settings.larger") + "##larger";
    bool fit = fits_in(half, smaller.c_str()) && fits_in(half, larger.c_str());
    float bw = fit ? half : -1;
    ImGui::BeginDisabled(s.text_scale <= settings::kMinTextScale);
    if (Button(smaller.c_str(), bw)) out.emplace_back(settings::SetTextScale{s.text_scale - settings::kTextScaleStep});
    ImGui::EndDisabled();
    if (fit) ImGui::SameLine();
    ImGui::BeginDisabled(s.text_scale >= settings::kMaxTextScale);
    if (Button(larger.c_str(), bw)) out.emplace_back(settings::SetTextScale{s.text_scale + settings::kTextScaleStep});
    ImGui::EndDisabled();
  }
  ImGui::Spacing();

  // Contrast: a checkbox whose state is also said in words.
  bool hc = s.high_contrast;
  std::string hc_label = i18n::format(tr("settings.contrast.label"),
                                     {{"name", tr("settings.contrast")},
                                      {"state", tr(hc ? "settings.contrast.on" : "settings.contrast.off")}}) +
                         "##contrast";
  if (Toggle(hc_label.c_str(), &hc)) out.emplace_back(settings::SetHighContrast{hc});
  ImGui::Spacing();

  // Reminders as browser notifications: off until the person turns them on (the browser then asks).
  bool nt = s.notify;
  std::string nt_label = i18n::format(tr("settings.contrast.label"),
                                      {{"name", tr("settings.notify")},
                                       {"state", tr(nt ? "settings.contrast.on" : "settings.contrast.off")}}) +
                         "##notify";
  if (Toggle(nt_label.c_str(), &nt)) out.emplace_back(settings::SetNotify{nt});
  Paragraph(tr(nt && !m_->notify_allowed ? "settings.notify.blocked" : "settings.notify.about"),
            ImGui::GetColorU32(ImGuiCol_TextDisabled));
  // Voice reading (读屏): its state in words too, and the reading speed.
  bool voice = s.voice_reading;
  std::string voice_label = i18n::format(tr("settings.contrast.label"),
                                        {{"name", tr("settings.voice")},
                                         {"state", tr(voice ? "settings.contrast.on" : "settings.contrast.off")}}) +
                            "##voice";
  if (Toggle(voice_label.c_str(), &voice)) out.emplace_back(settings::SetVoiceReading{voice});
  Paragraph(tr("settings.voice.body"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  if (voice) {
    char rate[16];
    std::snprintf(rate, sizeof rate, "%d", s.voice_rate);
    Paragraph(std::string(tr("settings.voice.rate")) + "  " +
              i18n::format(tr("settings.voice.rate.value"), {{"pct", rate}}));
    int r = s.voice_rate;
    if (SliderPercent(tr("settings.voice.rate"), &r, settings::kMinVoiceRate, settings::kMaxVoiceRate,
                      settings::kVoiceRateStep) &&
        !ImGui::IsItemActive()) {
      out.emplace_back(settings::SetVoiceRate{r});
    }
    if (ImGui::IsItemDeactivatedAfterEdit()) out.emplace_back(settings::SetVoiceRate{r});
  }
  ImGui::Spacing();

  // Preview of body text at the chosen size.
  // Never a scroll area of its own: the wheel or a finger over it scrolls the page.
  ImGui::BeginChild("##preview", ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  Paragraph(tr("settings.preview.title"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  Paragraph(tr("settings.preview.body"));
  ImGui::EndChild();
  ImGui::Spacing();

  // Device name: a real text field (Chinese input goes through the IME bridge).
  if (!name_edit_loaded_) {
    name_edit_ = s.device_name;
    name_edit_loaded_ = true;
  }
  if (TextField(tr("settings.device_name"), &name_edit_, tr("settings.device_name.hint"))) {
    name_too_long_ = !settings::valid_device_name(name_edit_);
  }
  // Long press (touch) or right click: clear or restore, easier than many backspaces on a phone.
  if (ImGui::BeginPopupContextItem("##name-menu")) {
    std::string clear = std::string(tr("settings.device_name.clear")) + "##name-clear";
    std::string restore = std::string(tr("settings.device_name.restore")) + "##name-restore";
    if (Button(clear.c_str())) {
      name_edit_.clear();
      name_too_long_ = false;
      ImGui::CloseCurrentPopup();
    }
    if (Button(restore.c_str())) {
      name_edit_ = s.device_name;
      name_too_long_ = false;
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
  if (name_too_long_) Paragraph(tr("settings.device_name.too_long"), palette().bad);
  ImGui::BeginDisabled(name_too_long_ || settings::trim(name_edit_) == s.device_name);
  std::string save = std::string(tr("settings.device_name.save")) + "##save-name";
  if (Button(save.c_str())) out.emplace_back(settings::SetDeviceName{name_edit_});
  ImGui::EndDisabled();
  ImGui::Spacing();

  // Storage on this device.
  Paragraph(tr("settings.storage"));
  if (m_->status.storage_quota > 0) {
    Paragraph(i18n::format(tr("settings.storage.usage"), {{"used", human_bytes(m_->status.storage_used)},
                                                         {"quota", human_bytes(m_->status.storage_quota)}}),
              ImGui::GetColorU32(ImGuiCol_TextDisabled));
  } else {
    Paragraph(tr("settings.storage.unknown"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  }
  if (entered_) out.emplace_back(RefreshStorageEstimate{});
  ImGui::Spacing();

  account_section(out);
  ImGui::Spacing();

  // Backup: one file with everything on this device, and importing it back.
  Heading(tr("backup.title"), 1.15f);
  Paragraph(tr("backup.body"));
  {
    std::string exp = std::string(tr("backup.export")) + "##export";
    std::string imp = std::string(tr("backup.import")) + "##import";
    float half2 = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
    bool row = fits_in(half2, exp.c_str()) && fits_in(half2, imp.c_str());
    ImGui::BeginDisabled(!m_->store_open || m_->backup_percent >= 0);
    if (Button(exp.c_str(), row ? half2 : -1)) out.emplace_back(ExportAll{});
    if (row) ImGui::SameLine();
    if (Button(imp.c_str(), row ? half2 : -1)) out.emplace_back(ImportFile{});
    ImGui::EndDisabled();
  }
  if (m_->backup_percent >= 0) {
    char done[8];
    std::snprintf(done, sizeof done, "%d", m_->backup_percent);
    std::string caption = m_->backup_progress.empty() ? std::string(tr("backup.importing")) : m_->backup_progress;
    ProgressLine(static_cast<float>(m_->backup_percent) / 100.0f, i18n::format(caption, {{"pct", done}}));
  } else if (!m_->backup_message.empty()) {
    // Status lines (tests find them, screen readers say them): an import's records, then its photos.
    ImVec2 top = ImGui::GetCursorScreenPos(), last_top = top;
    std::string_view rest = m_->backup_message;
    while (!rest.empty()) {
      auto nl = rest.find('\n');
      last_top = ImGui::GetCursorScreenPos();
      StatusParagraph(rest.substr(0, nl));
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    }
    // A new result is scrolled into view once: all of it, or its last line where all does not fit
    // (a phone at 200% text).
    if (m_->backup_message != backup_seen_) {
      backup_seen_ = m_->backup_message;
      ImGuiWindow* w = ImGui::GetCurrentWindow();
      ImVec2 end = ImGui::GetItemRectMax();
      bool fits = end.y - top.y <= w->InnerClipRect.GetHeight();
      ImGui::ScrollToRect(w, ImRect(fits ? top : last_top, end));
    }
  } else if (!m_->store_open) {
    Paragraph(tr("backup.not_ready"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  }
  ImGui::Spacing();
  std::string back = std::string(tr("nav.back")) + "##settings-back";
  if (Button(back.c_str(), -1)) screen_ = Screen::Home;
}

std::string App::status_text(unsigned int* color_out, bool brief) const {
  const auto& st = m_->status;
  const auto& pal = palette();
  // Words first, colour second: "● 在线 · 已保存在本设备".
  std::string line;
  ImU32 color = pal.muted_text;
  line += st.online ? tr("status.online") : tr(brief ? "status.offline_brief" : "status.offline");
  line += " · ";
  switch (st.storage.state) {
    case platform::StorageState::Loading: line += tr("status.loading"); break;
    case platform::StorageState::ReadOnly:
      line += tr(st.handed_over ? "status.readonly_handing" : "status.readonly");
      color = pal.warn;
      break;
    case platform::StorageState::Failed:
      line += tr("status.storage_failed");
      color = pal.bad;
      break;
    case platform::StorageState::Ready:
      if (st.storage.failures > 0) {
        line += tr(st.storage.quota_exceeded ? "status.quota_full" : "status.save_failed");
        color = pal.bad;
      } else if (!st.storage.all_saved) {
        line += tr("status.saving");
        color = pal.warn;
      } else {
        line += tr(brief ? "status.saved_brief" : "status.saved");
        color = pal.ok;
      }
      break;
  }
  if (std::string sync = sync_words(); !sync.empty()) {
    line += " · ";
    line += sync;
    if (m_->sync.pending > 0 && color == pal.ok) color = pal.warn;
  }
  if (st.font_failed) {
    line += " · ";
    line += tr("status.font_failed");
  }
  if (!m_->settings->device_name.empty()) {
    line += " · ";
    line += m_->settings->device_name;
  }
  *color_out = color;
  return line;
}

void App::status_bar() {
  const auto& st = m_->status;
  if (st.font_percent >= 0 && st.font_percent < 100) {
    char pct[8];
    std::snprintf(pct, sizeof pct, "%d", st.font_percent);
    ProgressLine(static_cast<float>(st.font_percent) / 100.0f, i18n::format(tr("status.font_loading"), {{"pct", pct}}));
  }
  ImGui::Separator();
  const std::string& line = status_line_;
  ImU32 color = status_color_;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 p = ImGui::GetCursorScreenPos();
  float r = em(0.3f);
  dl->AddCircleFilled(ImVec2(p.x + r, p.y + em(kLineSpacing) * 0.5f), r, color);
  ImGui::SetCursorScreenPos(ImVec2(p.x + em(0.9f), p.y));
  Paragraph(line, ImGui::GetColorU32(ImGuiCol_Text));
}

}  // namespace sihui::ui
