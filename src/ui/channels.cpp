// channels: the 频道 screen (decision 0024). The channels mirror the community's nine linked groups:
// the person's own channels first, each with its unread posts in words and as a badge; a channel's
// posts newest first; a notice form for members and staff; join and leave. Opening a channel with
// unread posts marks them read (channel.read), so the count agrees on every device of the person.
#include <algorithm>
#include <cstdio>

#include "core/channels.h"
#include "core/civil.h"
#include "core/schema.h"
#include "imgui.h"
#include "ui/life.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace sihui::ui {

namespace {
// A round badge with the unread count, at the right end of the last item (the channel's button).
void unread_badge(std::int64_t n, ImU32 fill) {
  if (n <= 0) return;
  const ImVec2 mn = ImGui::GetItemRectMin(), mx = ImGui::GetItemRectMax();
  char text[16];
  std::snprintf(text, sizeof text, "%lld", static_cast<long long>(std::min<std::int64_t>(n, 99)));
  const ImVec2 ts = ImGui::CalcTextSize(text);
  const float r = std::max(ts.x, ts.y) * 0.5f + em(0.3f);
  const ImVec2 c(mx.x - r - em(0.5f), (mn.y + mx.y) * 0.5f);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddCircleFilled(c, r, fill);
  dl->AddText(ImVec2(c.x - ts.x * 0.5f, c.y - ts.y * 0.5f), IM_COL32(255, 255, 255, 255), text);
}
}  // namespace

std::string Life::unread_words(std::int64_t n) const {
  return n > 0 ? i18n::format(tr("chan.unread"), {{"n", std::to_string(n)}}) : std::string(tr("chan.no_unread"));
}

void Life::channels_button() {
  const core::Person* self = me();
  if (!s_ || (!self && !demo()) || s_->channels.empty()) return;
  const std::int64_t n = self ? core::channels_unread_total(*s_, self->id) : 0;
  // The demo has nobody signed in: no unread count to speak of.
  std::string label = std::string(tr("chan.title")) + (self ? " · " + unread_words(n) : std::string()) + "##home-channels";
  ImGui::Spacing();
  if (Button(label.c_str(), -1)) go_ = Go::channels;
  unread_badge(n, palette().bad);
}

void Life::channels(const UiModel& m, std::vector<UiAction>& out) {
  begin(m);
  const auto& pal = palette();
  const core::Person* self = me();
  const core::Id who = self ? self->id : core::Id{};
  if (!s_) {
    back_row();
    return;
  }
  auto found = s_->channels.find(chan_open_);
  if (found == s_->channels.end()) chan_open_.clear();
  if (chan_open_.empty()) {
    Heading(tr("chan.title"));
    if (!self) said(tr(demo() ? "chan.demo" : "chan.sign_in"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    auto rows = core::channel_list(*s_, who);
    bool mine_head = false, others_head = false;
    BeginList("##channels", tr("chan.title"));
    for (const auto& r : rows) {
      const core::Channel& ch = *r.channel;
      if (r.member && !mine_head) Heading(tr("chan.mine"), 1.1f), mine_head = true;
      if (!r.member && !others_head) {
        ImGui::Spacing();
        Heading(tr("chan.others"), 1.1f);
        others_head = true;
      }
      ImGui::PushID(ch.id.c_str());
      BeginListItem(ch.name);
      ImGui::BeginChild("##chan-card", ImVec2(0, 0),
                        ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
      std::string label = ch.name + (r.member ? " · " + unread_words(r.unread) : "") + "##open-" + ch.id;
      if (Button(label.c_str(), -1)) {
        chan_open_ = ch.id;
        chan_error_.clear();
        chan_form_ = false;
        chan_read_sent_ = -1;
      }
      unread_badge(r.unread, pal.bad);
      if (!ch.about.empty()) Paragraph(ch.about, ImGui::GetColorU32(ImGuiCol_TextDisabled));
      if (!r.member) {
        if (r.may_join && self) {
          std::string join = std::string(tr("chan.join")) + "##join-" + ch.id;
          if (Button(join.c_str(), -1)) submit(out, "channel.join", Payload().str("channel", ch.id), ch.name, ch.id);
        } else if (ch.assigned) {
          said(tr("chan.assigned"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
        }
      }
      result_here(ch.id);
      ImGui::EndChild();
      EndListItem();
      ImGui::PopID();
    }
    EndList();
    back_row();
    return;
  }

  // One channel: its posts, newest first, and the notice form.
  const core::Channel& ch = found->second;
  const bool member = ch.members.count(who) > 0;
  const bool may_post = member || (self && is_staff());
  const auto n = static_cast<std::int64_t>(ch.posts.size());
  if (member && core::channel_unread(ch, who) > 0 && chan_read_sent_ < n) {
    chan_read_sent_ = n;
    out.emplace_back(SubmitOp{"channel.read", Payload().str("channel", ch.id).num("upto", n).done(), {}});
  }
  std::string back = std::string(tr("chan.back")) + "##chan-back";
  if (Button(back.c_str(), -1)) {
    chan_open_.clear();
    return;
  }
  Heading(ch.name);
  if (!ch.about.empty()) Paragraph(ch.about, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  said(i18n::format(tr("chan.count"), {{"n", std::to_string(n)}, {"members", std::to_string(ch.members.size())}}));
  if (may_post && !chan_form_) {
    std::string write = std::string(tr("chan.write")) + "##chan-write";
    if (Button(write.c_str(), -1)) chan_form_ = true;
    result_here("chan-post");
  } else if (may_post) {
    ImGui::BeginChild("##chan-form", ImVec2(0, 0),
                      ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
    Heading(tr("chan.write"), 1.1f);  // the form opens from its button, so readers see the notices first
    TextField(tr("chan.post_title"), &chan_title_, tr("chan.post_title.hint"));
    TextField(tr("chan.post_text"), &chan_text_, tr("chan.post_text.hint"));
    if (!chan_error_.empty()) said(chan_error_, pal.bad);
    std::string send = std::string(tr("chan.send")) + "##chan-send";
    if (Button(send.c_str(), -1)) {
      const std::size_t tl = core::utf8_length(chan_title_), xl = core::utf8_length(chan_text_);
      if (chan_title_.empty() && chan_text_.empty()) {
        chan_error_ = tr("reason.channel.empty_post");
      } else if (tl > core::kChannelTitleMax || xl > core::kChannelTextMax) {
        const std::size_t max = tl > core::kChannelTitleMax ? core::kChannelTitleMax : core::kChannelTextMax;
        chan_error_ = i18n::format(tr("reason.channel.too_long"), {{"max", std::to_string(max)}});
      } else {
        Payload p;
        p.str("channel", ch.id);
        if (!chan_title_.empty()) p.str("title", chan_title_);
        if (!chan_text_.empty()) p.str("text", chan_text_);
        submit(out, "channel.post", p, ch.name, "chan-post");
        chan_title_.clear();
        chan_text_.clear();
        chan_error_.clear();
        chan_form_ = false;
        forms_saved();
      }
    }
    std::string cancel = std::string(tr("chan.write.cancel")) + "##chan-cancel";
    if (Button(cancel.c_str(), -1)) chan_form_ = false, chan_error_.clear();
    result_here("chan-post");
    ImGui::EndChild();
  } else if (self && !ch.assigned) {
    std::string join = std::string(tr("chan.join")) + "##join-open";
    if (Button(join.c_str(), -1)) submit(out, "channel.join", Payload().str("channel", ch.id), ch.name, "chan-join");
    result_here("chan-join");
  }
  ImGui::Spacing();
  auto posts = core::channel_posts(*s_, ch.id);
  if (posts.empty()) said(tr("chan.empty"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  BeginList("##chan-posts", ch.name);
  for (const core::ChannelPost* p : posts) {
    ImGui::PushID(p->id.c_str());
    BeginListItem(p->title.empty() ? p->id : p->title);
    ImGui::BeginChild("##post", ImVec2(0, 0),
                      ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
    const bool masked = p->title == core::kMasked || p->text == core::kMasked;
    if (masked) {
      said(tr("chan.masked"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    } else {
      // Status items, so the accessibility mirror and voice reading read the notice's words.
      if (!p->title.empty()) said(p->title, pal.accent);
      if (!p->text.empty()) said(p->text);
    }
    if (!p->report.empty()) {
      auto rep = s_->reports.find(p->report);
      std::string words = i18n::format(tr("chan.report"), {{"id", p->report}});
      if (rep != s_->reports.end()) {
        std::string st = "report_status." + std::string(core::enum_name(rep->second.status));
        words += " · " + std::string(tr(st.c_str()));
        if (!rep->second.description.empty() && rep->second.description != core::kMasked) words += " · " + rep->second.description;
      }
      said(words, pal.accent);
    }
    Paragraph(person_name(p->by) + " · " + date_words(p->at) + " " + core::format_time(p->at),
              ImGui::GetColorU32(ImGuiCol_TextDisabled));
    ImGui::EndChild();
    EndListItem();
    ImGui::PopID();
  }
  EndList();
  if (member) {
    ImGui::Spacing();
    std::string leave = std::string(tr("chan.leave")) + "##chan-leave";
    if (Button(leave.c_str(), -1)) submit(out, "channel.leave", Payload().str("channel", ch.id), ch.name, "chan-leave");
    result_here("chan-leave");
  }
  back_row();
}

}  // namespace sihui::ui
