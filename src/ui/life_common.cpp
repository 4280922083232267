// life_common: what the calendar, class and canteen screens share: dates and kinds in words, the seat
// bar, the viewer and their roles, submitting an op and following its outcome, notices, the hubs.
#include <algorithm>
#include <cstdio>

#include "core/civil.h"
#include "imgui.h"
#include "imgui_internal.h"
#include "platform/random_id.h"
#include "ui/item_table.h"
#include "ui/life.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace sihui::ui {

using core::EntryKind;

void Life::begin(const UiModel& m) {
  if (m_ != &m || ImGui::GetFrameCount() != said_frame_) said_count_ = 0, said_frame_ = ImGui::GetFrameCount();
  m_ = &m;
  s_ = m.community;
}

bool Life::top(const UiModel& m, const char* title_key, const char* about_key) {
  begin(m);
  Heading(tr(title_key));
  if (about_key) Paragraph(tr(about_key), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  if (!s_) {
    Paragraph(tr("life.no_community"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    back_row();
    return false;
  }
  if (about_key) ImGui::Spacing();
  return true;
}

const char* Life::tr(const char* key) const { return m_->catalog->text(m_->settings->lang, i18n::Key{key}).data(); }

std::string Life::date_words(std::int64_t utc_ms) const {
  auto t = core::shanghai(utc_ms);
  char key[16];
  std::snprintf(key, sizeof key, "cal.wd.%d", t.weekday);
  return i18n::format(tr("cal.date"), {{"m", std::to_string(t.month)}, {"d", std::to_string(t.mday)}, {"wd", tr(key)}});
}

std::string Life::day_words(std::int64_t day) const {
  std::int64_t today = core::shanghai(now()).day;
  std::string d = date_words(core::shanghai_day_start(day));
  if (day == today) return std::string(tr("cal.today")) + " · " + d;
  if (day == today + 1) return std::string(tr("cal.tomorrow")) + " · " + d;
  return d;
}

std::string Life::kind_words(EntryKind k) const {
  std::string key = "cal.kind." + std::string(core::enum_name(k));
  return tr(key.c_str());
}

unsigned int Life::kind_color(EntryKind k) const {
  if (m_->settings->high_contrast) return IM_COL32(0, 0, 0, 255);
  switch (k) {
    case EntryKind::festival: return IM_COL32(179, 26, 31, 255);
    case EntryKind::club: return IM_COL32(40, 78, 150, 255);
    case EntryKind::klass: return IM_COL32(176, 80, 10, 255);  // 4.9:1 on the page (tests/browser/a11y)
    case EntryKind::clinic: return IM_COL32(31, 110, 90, 255);
    case EntryKind::canteen: return IM_COL32(130, 80, 40, 255);
    case EntryKind::volunteer: return IM_COL32(110, 50, 140, 255);
    default: return IM_COL32(92, 86, 80, 255);
  }
}

// Seats as a bar with the numbers in words beside it: "已报 27 / 30 · 余 3 座 · 候补 2 人".
void Life::seat_bar(std::int64_t taken, std::int64_t seats, std::int64_t waiting, bool canteen) {
  const auto& pal = palette();
  std::int64_t free = std::max<std::int64_t>(0, seats - taken);
  std::string words = i18n::format(tr(canteen ? "seats.booked" : "seats.taken"),
                                   {{"taken", std::to_string(taken)}, {"seats", std::to_string(seats)}});
  words += " · ";
  words += free > 0 ? i18n::format(tr("seats.free"), {{"n", std::to_string(free)}}) : std::string(tr("seats.full"));
  if (waiting > 0) words += " · " + i18n::format(tr("seats.waiting"), {{"n", std::to_string(waiting)}});
  ImU32 col = free == 0 ? pal.bad : free * 5 <= seats ? pal.warn : pal.ok;
  Paragraph(words, col);
  ImVec2 p = ImGui::GetCursorScreenPos();
  float w = std::min(ImGui::GetContentRegionAvail().x, em(16)), h = em(0.55f);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  float f = seats > 0 ? std::min(1.0f, static_cast<float>(taken) / static_cast<float>(seats)) : 0.0f;
  dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), ImGui::GetColorU32(ImGuiCol_FrameBg), h * 0.5f);
  if (f > 0) dl->AddRectFilled(p, ImVec2(p.x + w * f, p.y + h), col, h * 0.5f);
  dl->AddRect(p, ImVec2(p.x + w, p.y + h), ImGui::GetColorU32(ImGuiCol_Border), h * 0.5f);
  ImGui::Dummy(ImVec2(w, h));
}

// Emits the op with an id chosen here, and follows its outcome from the next frame on.
namespace {
void json_string(std::string& out, std::string_view v) {
  out += '"';
  for (char ch : v) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (static_cast<unsigned char>(ch) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(ch)));
      out += buf;
    } else {
      out += ch;
    }
  }
  out += '"';
}
}  // namespace

Life::Payload& Life::Payload::str(const char* key, std::string_view value) {
  if (text.size() > 1) text += ',';
  json_string(text, key);
  text += ':';
  json_string(text, value);
  return *this;
}

Life::Payload& Life::Payload::strs(const char* key, const std::vector<std::string>& values) {
  if (text.size() > 1) text += ',';
  json_string(text, key);
  text += ":[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) text += ',';
    json_string(text, values[i]);
  }
  text += ']';
  return *this;
}

Life::Payload& Life::Payload::num(const char* key, std::int64_t value) {
  if (text.size() > 1) text += ',';
  json_string(text, key);
  text += ':';
  text += std::to_string(value);
  return *this;
}

std::string Life::submit(std::vector<UiAction>& out, const char* kind, const Payload& payload, std::string what,
                         std::string anchor) {
  std::string id = platform::random_op_id();
  result_anchor_ = std::move(anchor);
  last_result_.clear();
  out.emplace_back(SubmitOp{kind, payload.done(), id});
  followed_[id] = Followed{kind, std::move(what), "", false};
  return id;
}

void Life::result_here(const std::string& anchor) {
  if (last_result_.empty() || anchor != result_anchor_) return;
  const auto& pal = palette();
  ImGui::PushStyleColor(ImGuiCol_ChildBg, pal.banner);
  std::string id = "##result-" + anchor;
  ImGui::BeginChild(id.c_str(), ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  said(last_result_);
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

std::string Life::outcome_words(const core::Outcome& o) const {
  std::string key(o.key());
  std::string text = tr(key.c_str());
  for (const auto& p : o.params) {
    std::string ph = "{" + p.name + "}";
    std::string v = p.is_text ? p.text : std::to_string(p.num);
    for (auto pos = text.find(ph); pos != std::string::npos; pos = text.find(ph, pos + v.size())) text.replace(pos, ph.size(), v);
  }
  return text;
}

const core::Person* Life::me() const {
  if (!s_ || !m_->account.signed_in || m_->account.person.empty()) return nullptr;
  auto it = s_->persons.find(m_->account.person);
  return it == s_->persons.end() ? nullptr : &it->second;
}

bool Life::demo() const { return m_->demo; }

// The demo's log ends on Sunday 23 August 2020: it is shown as the next morning, 08:00 on 24 August
// (the article's day), so its calendar, canteen and classes read as a live community.
std::int64_t Life::now() const {
  if (!m_->demo || !s_) return m_->now_ms;
  return core::shanghai_day_start(core::shanghai(s_->clock).day + 1) + 8 * core::kMsPerHour;
}

namespace {
bool holds(const core::Person* p, core::Role r) {
  if (!p) return false;
  for (const auto& g : p->roles)
    if (g.role == r) return true;
  return false;
}
}  // namespace

// In the demo nobody is signed in: staff views are shown to look at, their buttons disabled.
bool Life::is_staff() const { return demo() || holds(me(), core::Role::staff); }
bool Life::teaches(const core::Course& c) const {
  return is_staff() || (me() && me()->id == c.teacher) || holds(me(), core::Role::volunteer);
}
bool Life::canteen_staff() const { return is_staff() || holds(me(), core::Role::canteen_staff); }

// A paragraph saying a state, listed in the item table (role "status") so the accessibility mirror
// and tests read the same words the person sees.
void Life::said(const std::string& text, unsigned int color) {
  ImVec2 p0 = ImGui::GetCursorScreenPos();
  Paragraph(text, color);
  ImRect bb(p0, ImGui::GetItemRectMax());
  ImGui::PushID(said_count_++);  // the same words may be said twice on a page (two sessions, 21 came)
  ImGuiID id = ImGui::GetID(text.c_str());
  ImGui::PopID();
  ImGui::ItemAdd(bb, id, nullptr, ImGuiItemFlags_NoNav);
  item_table().set_role(id, Role::Status, text);
}

void Life::back_row() {
  if (!m_->embed.empty()) return;  // the embed has no home screen
  ImGui::Spacing();
  std::string id = std::string(tr("nav.back")) + "##life-back";
  if (Button(id.c_str(), -1)) go_ = Go::home;
}

void Life::embed_view(const std::string& view) {
  if (view.rfind("class:", 0) == 0) embed_class_ = view.substr(6);
  if (view.rfind("event:", 0) == 0) embed_event_ = view.substr(6);
  view_ = 0;  // the list: it reads well in a narrow column
}

void Life::entered(Go screen) {
  if (screen == Go::calendar) cursor_day_ = -1;
  if (screen == Go::canteen) kitchen_day_ = -1;
  if (screen == Go::classes) roster_session_.clear();
  if (screen == Go::services) svc_pick_.clear(), svc_error_.clear();
  if (screen == Go::clinic) case_open_.clear(), cases_shown_ = 20;
  if (screen == Go::channels) chan_open_.clear(), chan_error_.clear();
  last_result_.clear();
  heights_.clear();
}

// [SECTION] Notices: outcomes of ops made here, and promotions from the wait list
void Life::notices(const UiModel& m) {
  begin(m);
  if (!s_) return;
  for (auto& [id, f] : followed_) {
    const core::Outcome* o = nullptr;
    if (auto it = s_->notes.find(id); it != s_->notes.end()) o = &it->second;
    std::string words;
    if (o && !o->accepted()) {
      words = i18n::format(tr("life.result.refused"), {{"what", f.what}}) + outcome_words(*o);
    } else if (o && o->reason != core::Reason::none) {
      words = f.what + tr("life.colon") + outcome_words(*o);
    } else {
      std::string key = "life.ok." + f.kind;
      words = f.what + tr("life.colon") + tr(key.c_str());
    }
    if (!f.shown) {
      f.shown = true;
      f.last = words;
      last_result_ = words;
    } else if (words != f.last) {
      f.last = words;
      last_result_ = words;
      messages_.push_back(i18n::format(tr("life.result.changed"), {{"text", words}}));
    }
  }
  // Promotions: a sign-up of this person or of someone they act for went from the wait list to a
  // place (a cancellation made room). One notice per sign-up, naming everyone in it.
  if (const core::Person* p = me()) {
    auto people = core::acting_for(*s_, p->id);
    for (const auto& [sid, ses] : s_->sessions) {
      if (ses.closed || ses.starts_at < now()) continue;
      std::vector<std::string> groups;
      for (const core::Person* q : people) {
        auto st = core::signup_status(ses, q->id);
        if (!st.enrolled && !st.waitlisted) continue;
        if (std::find(groups.begin(), groups.end(), st.group) != groups.end()) continue;
        groups.push_back(st.group);
        auto& before = seen_status_[sid + "|" + st.group];
        std::string now_st = st.enrolled ? "enrolled" : "wait";
        if (before == "wait" && now_st == "enrolled") {
          std::string names;
          for (const auto& pid : st.persons) {
            if (!names.empty()) names += tr("life.list_sep");
            auto x = s_->persons.find(pid);
            names += x == s_->persons.end() ? pid : x->second.name;
          }
          std::string what = i18n::format(tr("class.session_name"), {{"n", std::to_string(ses.number)}});
          messages_.push_back(i18n::format(tr("life.promoted"), {{"name", names}, {"what", what}}));
        }
        before = now_st;
      }
    }
  }
  if (messages_.empty()) return;
  const auto& pal = palette();
  ImGui::PushStyleColor(ImGuiCol_ChildBg, pal.banner);
  ImGui::BeginChild("##life-notices", ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  for (const auto& msg : messages_) said("★ " + msg);
  std::string id = std::string(tr("life.dismiss")) + "##life-dismiss";
  if (Button(id.c_str())) messages_.clear();
  ImGui::EndChild();
  ImGui::PopStyleColor();
  ImGui::Spacing();
}

// [SECTION] Hubs: the 汇项目 and 汇关爱 pages lead to these screens
void Life::hub(const UiModel& m, Hub which) {
  begin(m);
  const auto& pal = palette();
  struct B { const char* id; const char* title; const char* sub; Go to; int color; };
  const B projects[] = {{"hub-canteen", "canteen.title", "hub.canteen.sub", Go::canteen, 1},
                        {"hub-services", "svc.title", "hub.services.sub", Go::services, 0}};
  const B care[] = {{"hub-classes", "class.title", "hub.classes.sub", Go::classes, 2},
                    {"hub-calendar", "cal.title", "hub.calendar.sub", Go::calendar, 3}};
  const B energy[] = {{"hub-clinic", "clinic.title", "hub.clinic.sub", Go::clinic, 3},
                      {"hub-calendar", "cal.title", "hub.calendar.sub", Go::calendar, 2}};
  const B* bs = which == Hub::projects ? projects : which == Hub::care ? care : energy;
  float avail = ImGui::GetContentRegionAvail().x;
  float gap = ImGui::GetStyle().ItemSpacing.x;
  int cols = avail >= em(24) ? 2 : 1;
  float w = (avail - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
  float h = em(4);
  for (int i = 0; i < 2; ++i) h = std::max(h, BigButtonHeight(tr(bs[i].title), tr(bs[i].sub), w));
  for (int i = 0; i < 2; ++i) {
    if (i % cols != 0) ImGui::SameLine();
    if (BigButton(bs[i].id, tr(bs[i].title), tr(bs[i].sub), ImVec2(w, h), pal.card[bs[i].color], pal.card_text)) go_ = bs[i].to;
  }
  ImGui::Spacing();
}

}  // namespace sihui::ui
