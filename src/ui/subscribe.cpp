// subscribe: "订阅日历" on the calendar screen. serve.py serves the calendar as iCalendar feeds
// (decision 0019): the community's (all kinds, or the one kind the filter shows) and this person's own
// sign-ups and bookings, behind a secret link of its own. Each link can be opened in a calendar app
// (webcal:), copied, or downloaded once as an .ics file.
#include "imgui.h"
#include "ui/item_table.h"
#include "ui/life.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace sihui::ui {

namespace {
std::string webcal(const std::string& https) {
  auto p = https.find("://");
  return p == std::string::npos ? https : "webcal" + https.substr(p);
}
}  // namespace

void Life::subscribe_panel(std::vector<UiAction>& out) {
  const auto& pal = palette();
  ImGui::BeginChild("##subscribe", ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  Heading(tr("feed.title"), 1.2f);
  Paragraph(tr("feed.about"));
  if (demo()) Paragraph(tr("feed.demo_note"), ImGui::GetColorU32(ImGuiCol_TextDisabled));

  // One link: its words (also a status item, so a test can read it) and three buttons. Both links have
  // the same three words on their buttons (the heading above says which calendar); a screen reader
  // reads a button alone, so each button's name says its calendar too: "下载日历文件 · 我的报名和预约".
  auto link = [&](const std::string& path, const char* id, const std::string& file, const std::string& which) {
    auto name_it = [&](const char* key) {
      item_table().set_role(ImGui::GetItemID(), Role::Button, i18n::format(tr("feed.button_for"), {{"action", tr(key)}, {"feed", which}}));
    };
    std::string url = m_->origin + path;
    said(url, ImGui::GetColorU32(ImGuiCol_TextDisabled));
    std::string open = std::string(tr("feed.open")) + "##feed-open-" + id;
    std::string copy = std::string(tr("feed.copy")) + "##feed-copy-" + id;
    std::string get = std::string(tr("feed.download")) + "##feed-get-" + id;
    float avail = ImGui::GetContentRegionAvail().x;
    bool row = fits_in(avail / 3 - ImGui::GetStyle().ItemSpacing.x, open.c_str()) &&
               fits_in(avail / 3 - ImGui::GetStyle().ItemSpacing.x, copy.c_str()) &&
               fits_in(avail / 3 - ImGui::GetStyle().ItemSpacing.x, get.c_str());
    float w = row ? (avail - 2 * ImGui::GetStyle().ItemSpacing.x) / 3 : -1;
    if (Button(open.c_str(), w)) out.emplace_back(OpenUrl{webcal(url), ""});
    name_it("feed.open");
    if (row) ImGui::SameLine();
    if (Button(copy.c_str(), w)) {
      ImGui::SetClipboardText(url.c_str());
      last_result_ = tr("feed.copied");
      result_anchor_ = std::string("feed-") + id;
    }
    name_it("feed.copy");
    if (row) ImGui::SameLine();
    if (Button(get.c_str(), w)) out.emplace_back(OpenUrl{url, file});
    name_it("feed.download");
    result_here(std::string("feed-") + id);
  };

  // The community's calendar: the kind the filter shows, or all of it.
  std::string feed = "all", name = tr("feed.all");
  for (unsigned i = 0; i < 7; ++i)
    if (filter_ == (1u << i)) {
      feed = std::string(core::enum_name(static_cast<core::EntryKind>(i)));
      name = i18n::format(tr("feed.kind"), {{"kind", kind_words(static_cast<core::EntryKind>(i))}});
    }
  ImGui::Spacing();
  Heading(name, 1.1f);
  link("/api/v1/feeds/" + feed + ".ics", "public", "sihui-" + feed + ".ics", name);

  // This person's own: only with a verified account (the server keeps the secret link).
  ImGui::Spacing();
  Heading(tr("feed.mine"), 1.1f);
  const Account& a = m_->account;
  if (!a.signed_in || !a.verified || a.person.empty()) {
    Paragraph(tr("feed.mine_needs_account"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  } else {
    const FeedLink& f = m_->feed_link;
    if (f.path.empty() && !f.busy && !asked_link_) {
      out.emplace_back(AskFeedLink{false});
      asked_link_ = true;
    }
    if (!f.path.empty()) {
      Paragraph(tr("feed.mine_about"));
      link(f.path, "mine", "sihui-mine.ics", tr("feed.mine"));
      std::string renew = std::string(tr("feed.renew")) + "##feed-renew";
      ImGui::BeginDisabled(f.busy);
      if (Button(renew.c_str())) out.emplace_back(AskFeedLink{true});
      ImGui::EndDisabled();
      Paragraph(tr("feed.renew_about"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    } else if (f.busy) {
      Paragraph(tr("feed.asking"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    }
    if (!f.error_key.empty()) {
      said(tr(f.error_key.c_str()), pal.bad);
      std::string again = std::string(tr("feed.again")) + "##feed-again";
      ImGui::BeginDisabled(f.busy);
      if (Button(again.c_str())) out.emplace_back(AskFeedLink{false});
      ImGui::EndDisabled();
    }
  }
  ImGui::EndChild();
}

}  // namespace sihui::ui
