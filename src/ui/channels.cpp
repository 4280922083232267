// channels: the 频道 screen (decision 0024). The channels mirror the community's nine linked groups:
// the person's own channels first, each with its unread posts in words and as a badge; a channel's
// posts newest first; a notice form for members and staff; join and leave. Opening a channel with
// unread posts marks them read (channel.read), so the count agrees on every device of the person.
#include <algorithm>
#include <cstdio>
#include <random>

#include "core/channels.h"
#include "core/civil.h"
#include "core/schema.h"
#include "imgui.h"
#include "ui/life.h"
#include "ui/person_picker.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace sihui::ui {

namespace {
std::string random_hex(int n) {
  static std::random_device rd;  // crypto.getRandomValues in the browser
  static const char* hex = "0123456789abcdef";
  std::string id;
  while (static_cast<int>(id.size()) < n) {
    std::uint32_t v = rd();
    for (int k = 0; k < 8 && static_cast<int>(id.size()) < n; ++k) id.push_back(hex[(v >> (k * 4)) & 15]);
  }
  return id;
}

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
  if (!chan_new_id_.empty() && s_->channels.count(chan_new_id_)) {  // just made here: straight to its members
    chan_open_ = chan_new_id_, chan_members_ = true;
    chan_new_id_.clear();
  }
  auto found = s_->channels.find(chan_open_);
  if (found == s_->channels.end()) chan_open_.clear();
  if (chan_open_.empty()) {
    Heading(tr("chan.title"));
    if (!self) said(tr(demo() ? "chan.demo" : "chan.sign_in"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    if (self && is_staff()) channel_new_form(out);
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
        chan_members_ = false;
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
  if (self && is_staff()) channel_members(ch, out);
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

// [SECTION] Staff: a new channel, and who is in a channel
void Life::channel_new_form(std::vector<UiAction>& out) {
  if (!chan_new_) {
    std::string l = "+ " + std::string(tr("chan.new")) + "##chan-new";
    if (Button(l.c_str(), -1)) chan_new_ = true, chan_new_error_.clear();
    result_here("chan-new");
    ImGui::Spacing();
    return;
  }
  ImGui::BeginChild("##chan-new-form", ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  Heading(tr("chan.new"), 1.1f);
  TextField(tr("chan.new.name"), &chan_new_name_, tr("chan.new.name.hint"));
  TextField(tr("chan.new.about"), &chan_new_about_, tr("chan.new.about.hint"));
  Toggle(tr("chan.new.members_only"), &chan_new_members_only_);
  Toggle(tr("chan.new.assigned"), &chan_new_assigned_);
  if (!chan_new_error_.empty()) said(chan_new_error_, palette().bad);
  std::string make = std::string(tr("chan.new.make")) + "##chan-new-make";
  if (Button(make.c_str(), -1)) {
    std::string name = chan_new_name_;
    while (!name.empty() && name.front() == ' ') name.erase(name.begin());
    while (!name.empty() && name.back() == ' ') name.pop_back();
    bool taken = false;
    for (const auto& [id, c] : s_->channels) taken = taken || c.name == name;
    // The schema's bounds (name 32, about 200 characters), said in words before anything is sent.
    if (name.empty()) chan_new_error_ = tr("chan.new.need_name");
    else if (core::utf8_length(name) > 32) chan_new_error_ = i18n::format(tr("chan.new.too_long"), {{"max", "32"}});
    else if (core::utf8_length(chan_new_about_) > 200) chan_new_error_ = i18n::format(tr("chan.new.too_long"), {{"max", "200"}});
    else if (taken) chan_new_error_ = i18n::format(tr("chan.new.taken"), {{"name", name}});
    else {
      chan_new_id_ = "ch-" + random_hex(12);
      Payload p;
      p.str("id", chan_new_id_).str("name", name);
      if (!chan_new_about_.empty()) p.str("about", chan_new_about_);
      p.text += std::string(",\"assigned\":") + (chan_new_assigned_ ? "true" : "false");
      p.text += std::string(",\"members_only\":") + (chan_new_members_only_ ? "true" : "false");
      submit(out, "channel.add", p, name, "chan-members");
      chan_new_ = false;
      chan_new_name_.clear(), chan_new_about_.clear(), chan_new_error_.clear();
      chan_new_members_only_ = true, chan_new_assigned_ = false;
      forms_saved();
    }
  }
  std::string cancel = std::string(tr("chan.new.cancel")) + "##chan-new-cancel";
  if (Button(cancel.c_str(), -1)) chan_new_ = false, chan_new_error_.clear();
  ImGui::EndChild();
  ImGui::Spacing();
}

void Life::channel_members(const core::Channel& ch, std::vector<UiAction>& out) {
  auto home = [&](const core::Person& p) {  // where they live, to tell two of one name apart
    auto u = s_->units.find(p.unit);
    if (u == s_->units.end()) return std::string();
    auto b = s_->buildings.find(u->second.building);
    return " · " + (b == s_->buildings.end() ? u->second.name : b->second.name + u->second.name);
  };
  std::string words = i18n::format(tr("chan.members"), {{"n", std::to_string(ch.members.size())}});
  std::string l = words + "##chan-members";  // opens and closes the panel below
  if (Button(l.c_str(), -1)) chan_members_ = !chan_members_;
  if (!chan_members_) {
    result_here("chan-members");
    return;
  }
  ImGui::BeginChild("##chan-members-panel", ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  auto leave = [&](const core::Person& p) {
    submit(out, "channel.leave", Payload().str("channel", ch.id).str("person", p.id), p.name + " · " + ch.name, "chan-members");
  };
  // Members first (twenty at most; the search below finds anyone), each with 移出.
  std::size_t shown = 0;
  for (const auto& pid : ch.members) {
    auto it = s_->persons.find(pid);
    if (it == s_->persons.end()) continue;
    if (++shown > 20) {
      Paragraph(i18n::format(tr("chan.members.more"), {{"n", std::to_string(ch.members.size() - 20)}}),
                ImGui::GetColorU32(ImGuiCol_TextDisabled));
      break;
    }
    std::string rm = "✕ " + i18n::format(tr("chan.members.remove"), {{"name", person_name(pid) + home(it->second)}}) + "##rm-" + pid;
    if (Button(rm.c_str(), -1)) leave(it->second);
  }
  if (ch.members.empty()) Paragraph(tr("chan.members.none"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  ImGui::Spacing();
  // The person picker shared with the map's roles: a match already in is taken out, anyone else put in.
  core::Id pid = PersonSearch(*s_, &chan_member_search_, "chan-member-pick", tr("picker.search"), tr("picker.hint"),
                              tr("picker.none"), [](const core::Person&) { return true; },
                              [&](const core::Person& p) {
                                const char* key = ch.members.count(p.id) ? "chan.members.remove" : "chan.members.add";
                                return (ch.members.count(p.id) ? "✕ " : "+ ") +
                                       i18n::format(tr(key), {{"name", p.name + home(p)}});
                              });
  if (!pid.empty()) {
    const core::Person& p = s_->persons.at(pid);
    if (ch.members.count(pid)) leave(p);
    else submit(out, "channel.join", Payload().str("channel", ch.id).str("person", pid), p.name + " · " + ch.name, "chan-members");
    chan_member_search_.clear();
  }
  result_here("chan-members");
  ImGui::EndChild();
}

}  // namespace sihui::ui
