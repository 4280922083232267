// classes: the heritage course page (teacher, upcoming sessions with seats, the sessions held so far
// with their themes and attendance), sign-up in two taps for oneself or a family in one go, the
// wait-list position in words, cancelling; for the teacher and staff the roster with check-in at the
// door (an op, so it works offline), no-shows when the session is closed, and a CSV of the roster.
#include <algorithm>
#include <cstdio>

#include "core/civil.h"
#include "imgui.h"
#include "imgui_internal.h"
#include "ui/item_table.h"
#include "ui/life.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace sihui::ui {

namespace {
bool contains_text(const std::string& hay, const std::string& needle) {
  return needle.empty() || hay.find(needle) != std::string::npos;
}
}  // namespace

void Life::classes(const UiModel& m, std::vector<UiAction>& out) {
  begin(m);
  Heading(tr("class.title"));
  if (!s_ || s_->courses.empty()) {
    Paragraph(tr(s_ ? "class.no_course" : "life.no_community"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    back_row();
    return;
  }
  // The embed's class:ID names a course or one of its sessions.
  std::string only_session;
  if (!embed_class_.empty() && !m.embed.empty()) {
    if (auto it = s_->sessions.find(embed_class_); it != s_->sessions.end()) {
      course_ = it->second.course;
      only_session = embed_class_;
    } else if (s_->courses.find(embed_class_) != s_->courses.end()) {
      course_ = embed_class_;
    } else {
      Paragraph(tr("embed.not_found"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
      return;
    }
  }
  auto cit = s_->courses.find(course_);
  if (cit == s_->courses.end()) cit = s_->courses.begin();
  const core::Course& course = cit->second;

  if (!roster_session_.empty()) {
    if (auto it = s_->sessions.find(roster_session_); it != s_->sessions.end() && teaches(course)) {
      roster(it->second, out);
      return;
    }
    roster_session_.clear();
  }

  // Courses: a choice only when there is more than one (and the embed was not asked for one).
  if (s_->courses.size() > 1 && embed_class_.empty()) {
    for (const auto& [id, c] : s_->courses) {
      bool cur = &c == &course;
      std::string l = std::string(cur ? "✓ " : "") + c.title + "##course-" + id;
      if (Button(l.c_str())) course_ = id;
      ImGui::SameLine();
    }
    ImGui::NewLine();
  }

  // The course: its title, teacher and what it is.
  ImGui::BeginChild("##course", ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  Heading(course.title, 1.25f);
  // A resident's device may hold the teacher's name masked (sync redacts names it may not read).
  if (auto t = s_->persons.find(course.teacher); t != s_->persons.end() && t->second.name.rfind("•", 0) != 0)
    Paragraph(i18n::format(tr("class.teacher"), {{"name", t->second.name}}));
  if (!course.description.empty()) Paragraph(course.description);
  auto sessions = core::course_sessions(*s_, course.id);
  std::int64_t held = 0, first_year = 0;
  for (const auto* ses : sessions)
    if (ses->closed || ses->starts_at < now()) {
      ++held;
      if (!first_year) first_year = core::shanghai(ses->starts_at).year;
    }
  if (held)
    Paragraph(i18n::format(tr("class.held"), {{"n", std::to_string(held)}, {"year", std::to_string(first_year)}}),
              ImGui::GetColorU32(ImGuiCol_TextDisabled));
  ImGui::EndChild();
  ImGui::Spacing();

  Heading(tr("class.upcoming"), 1.2f);
  int upcoming = 0;
  BeginList("sessions");
  for (const auto* ses : sessions) {
    if (ses->closed || ses->starts_at <= now()) continue;
    if (!only_session.empty() && ses->id != only_session) continue;
    ++upcoming;
    session_card(*ses, out);
  }
  EndList();
  if (!upcoming) Paragraph(tr("class.none_upcoming"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  ImGui::Spacing();
  if (m.embed.empty()) history(course);  // the embed keeps to what can be signed up for
  if (teaches(course)) students(course);  // each student across the sessions (checkin.cpp)
  back_row();
}

void Life::session_card(const core::Session& ses, std::vector<UiAction>& out) {
  const auto& pal = palette();
  const core::Person* self = me();
  std::string name = i18n::format(tr("class.session_name"), {{"n", std::to_string(ses.number)}});
  std::string what = name;
  if (auto c = s_->courses.find(ses.course); c != s_->courses.end()) what = c->second.title + " " + name;
  std::string cid = "##session-" + ses.id;
  BeginListItem(ses.id);  // a list item when drawn in a list (screen readers)
  ImGui::BeginChild(cid.c_str(), ImVec2(0, 0),
                    ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Borders | ImGuiChildFlags_AlwaysUseWindowPadding);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, em(0.3f)));
  Heading(ses.theme.empty() ? name : name + " · " + ses.theme, 1.2f);
  std::string when = date_words(ses.starts_at) + " " + core::format_time(ses.starts_at) + "–" +
                     core::format_time(ses.starts_at + ses.duration_min * core::kMsPerMinute);
  Paragraph(ses.place.empty() ? when : when + " · " + ses.place);
  if (!ses.open_to.empty()) {
    std::string who;
    for (const auto& o : ses.open_to) {
      if (!who.empty()) who += tr("life.list_sep");
      std::string k = "class.open." + o;
      who += tr(k.c_str());
    }
    Paragraph(i18n::format(tr("class.open_to"), {{"who", who}}), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  }
  std::int64_t waiting = 0;
  for (const auto& g : ses.waitlist) waiting += static_cast<std::int64_t>(g.persons.size());
  seat_bar(ses.taken, ses.seats, waiting, false);

  // Where this person and their family stand, in words.
  bool self_in = false;
  if (self) {
    std::vector<std::string> groups_seen;
    for (const core::Person* p : core::acting_for(*s_, self->id)) {
      auto st = core::signup_status(ses, p->id);
      if (!st.enrolled && !st.waitlisted) continue;
      if (p == self) self_in = true;
      if (std::find(groups_seen.begin(), groups_seen.end(), st.group) != groups_seen.end()) continue;
      groups_seen.push_back(st.group);
      std::string names;
      for (const auto& pid : st.persons) {
        if (!names.empty()) names += tr("life.list_sep");
        auto q = s_->persons.find(pid);
        names += q == s_->persons.end() ? pid : q->second.name;
      }
      if (st.enrolled) {
        said("✓ " + i18n::format(tr("class.status.enrolled"), {{"names", names}}), pal.ok);
      } else {
        said("… " + i18n::format(tr("class.status.waiting"),
                                      {{"pos", std::to_string(st.position)}, {"names", names}}), pal.warn);
      }
      // Cancel the whole sign-up (one op per person: the reducer cancels people, not groups).
      std::string l = st.persons.size() > 1
                          ? i18n::format(tr("class.cancel_group"), {{"n", std::to_string(st.persons.size())}})
                          : std::string(tr("class.cancel"));
      std::string acc = l + " " + name;
      l += "##cancel-" + ses.id + "-" + st.group;
      ImGui::BeginDisabled(demo());
      if (Button(l.c_str())) {
        for (const auto& pid : st.persons)
          submit(out, "session.cancel", Payload().str("session", ses.id).str("person", pid), what, ses.id);
      }
      item_table().set_role(ImGui::GetItemID(), Role::Button, acc);
      ImGui::EndDisabled();
    }
  }
  result_here(ses.id);
  checkin_codes(ses, out);  // the codes to show at the door (checkin.cpp)

  if (open_session_ == ses.id && self) {
    signup_panel(ses, out);
  } else if (!self_in) {
    std::string l = std::string(tr("class.signup")) + "##signup-" + ses.id;
    ImGui::BeginDisabled(!self || demo());
    if (Button(l.c_str(), -1)) {
      open_session_ = ses.id;
      group_pick_.clear();
    }
    item_table().set_role(ImGui::GetItemID(), Role::Button, std::string(tr("class.signup")) + " " + name);
    ImGui::EndDisabled();
    if (!self && !m_->embed.empty() && !demo()) {  // the embed: register or sign in right here
      std::string reg = std::string(tr("embed.sign_in")) + "##embed-account-" + ses.id;
      if (Button(reg.c_str(), -1)) go_ = Go::account;
    } else if (!self) {
      Paragraph(tr(demo() ? "life.demo_readonly" : "life.need_account"), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    }
  }
  if (teaches(s_->courses.at(ses.course))) {
    std::string l = std::string(tr("class.roster")) + "##roster-" + ses.id;
    if (Button(l.c_str())) {
      roster_session_ = ses.id;
      roster_search_.clear();
    }
    item_table().set_role(ImGui::GetItemID(), Role::Button, std::string(tr("class.roster")) + " " + name);
  }
  ImGui::PopStyleVar();
  ImGui::EndChild();
  EndListItem();
  ImGui::Spacing();
}

// Two taps for oneself (报名, then 只报我自己); a family is ticked and signed up in one go, its places
// held together (on the wait list too).
void Life::signup_panel(const core::Session& ses, std::vector<UiAction>& out) {
  const core::Person* self = me();
  std::string name = i18n::format(tr("class.session_name"), {{"n", std::to_string(ses.number)}});
  std::string what = name;
  if (auto c = s_->courses.find(ses.course); c != s_->courses.end()) what = c->second.title + " " + name;
  ImGui::Separator();
  Paragraph(tr("class.who"));
  std::string only = std::string(tr("class.only_me")) + "##only-me-" + ses.id;
  if (Button(only.c_str(), -1)) {
    submit(out, "session.signup", Payload().str("session", ses.id), what, ses.id);
    open_session_.clear();
  }
  auto people = core::acting_for(*s_, self->id);
  std::vector<const core::Person*> others;
  for (const auto* p : people) {
    auto st = core::signup_status(ses, p->id);
    if (!st.enrolled && !st.waitlisted) others.push_back(p);
  }
  if (others.size() > 1) {
    Paragraph(tr("class.with_family"));
    int picked = 0;
    const auto year = core::shanghai(ses.starts_at).year;
    for (const auto* p : others) {
      auto it = group_pick_.find(p->id);
      if (it == group_pick_.end()) it = group_pick_.emplace(p->id, p == self).first;
      std::string l = p->name + " · " + i18n::format(tr("class.age"), {{"n", std::to_string(year - p->birth_year)}}) +
                      (p == self ? std::string(" · ") + tr("class.me") : std::string()) + "##pick-" + p->id;
      Toggle(l.c_str(), &it->second);
      picked += it->second;
    }
    std::string go = i18n::format(tr("class.signup_group"), {{"n", std::to_string(picked)}}) + "##group-" + ses.id;
    ImGui::BeginDisabled(picked == 0);
    if (Button(go.c_str(), -1)) {
      std::string first;
      std::vector<std::string> group;
      for (const auto* p : others)
        if (group_pick_[p->id]) {
          if (first.empty()) first = p->id;
          else group.push_back(p->id);
        }
      Payload payload;
      payload.str("session", ses.id).str("person", first);
      if (!group.empty()) payload.strs("group", group);
      submit(out, "session.signup", payload, what, ses.id);
      open_session_.clear();
    }
    ImGui::EndDisabled();
  }
  std::string close = std::string(tr("class.close_panel")) + "##close-" + ses.id;
  if (Button(close.c_str())) open_session_.clear();
}

// The sessions held so far, newest first, each with its theme and a bar of who came.
void Life::history(const core::Course& c) {
  const auto& pal = palette();
  auto sessions = core::course_sessions(*s_, c.id);
  std::vector<const core::Session*> past;
  for (const auto* ses : sessions)
    if (ses->closed || ses->starts_at <= now()) past.push_back(ses);
  if (past.empty()) return;
  std::reverse(past.begin(), past.end());
  Heading(i18n::format(tr("class.history"), {{"n", std::to_string(past.size())}}), 1.2f);
  const bool staff = teaches(c);
  for (const auto* ses : past) {
    auto lt = core::shanghai(ses->starts_at);
    std::string line = i18n::format(tr("class.session_name"), {{"n", std::to_string(ses->number)}}) + " · " +
                       i18n::format(tr("class.month"), {{"y", std::to_string(lt.year)}, {"m", std::to_string(lt.month)}});
    if (!ses->theme.empty()) line += " · " + ses->theme;
    Paragraph(line);
    auto came = static_cast<std::int64_t>(ses->attended.size());
    std::string words = i18n::format(tr("class.came"), {{"n", std::to_string(came)}, {"seats", std::to_string(ses->seats)}});
    // The bar first (the picture), the words after it on the same line when they fit.
    ImVec2 p = ImGui::GetCursorScreenPos();
    float avail = ImGui::GetContentRegionAvail().x;
    float tw = ImGui::CalcTextSize(words.c_str()).x;
    float bw = std::min(em(10), avail - tw - em(0.6f));
    float h = em(kLineSpacing);
    if (bw >= em(3)) {
      float f = ses->seats > 0 ? std::min(1.0f, static_cast<float>(came) / static_cast<float>(ses->seats)) : 0;
      ImDrawList* dl = ImGui::GetWindowDrawList();
      float y = p.y + h * 0.25f;
      dl->AddRectFilled(ImVec2(p.x, y), ImVec2(p.x + bw, y + h * 0.5f), ImGui::GetColorU32(ImGuiCol_FrameBg), em(0.2f));
      dl->AddRectFilled(ImVec2(p.x, y), ImVec2(p.x + bw * f, y + h * 0.5f), pal.card[1], em(0.2f));
      dl->AddRect(ImVec2(p.x, y), ImVec2(p.x + bw, y + h * 0.5f), ImGui::GetColorU32(ImGuiCol_Border), em(0.2f));
      ImGui::SetCursorScreenPos(ImVec2(p.x + bw + em(0.6f), p.y));
    }
    said(words, ImGui::GetColorU32(ImGuiCol_TextDisabled));
    if (staff) {
      std::string l = std::string(tr("class.roster")) + "##roster-" + ses->id;
      if (Button(l.c_str())) {
        roster_session_ = ses->id;
        roster_search_.clear();
      }
      item_table().set_role(ImGui::GetItemID(), Role::Button,
                            std::string(tr("class.roster")) + " " +
                                i18n::format(tr("class.session_name"), {{"n", std::to_string(ses->number)}}));
    }
    ImGui::Spacing();
  }
}

// The roster: counts and a bar, CSV, closing the session (no-shows), a name search and one row a
// person with its check-in button. Rows are all one height, so only the visible ones are drawn.
void Life::roster(const core::Session& ses, std::vector<UiAction>& out) {
  const auto& pal = palette();
  std::string name = i18n::format(tr("class.session_name"), {{"n", std::to_string(ses.number)}});
  {
    std::string back = std::string("◀ ") + tr("class.back_to_course") + "##roster-back";
    if (Button(back.c_str())) {
      roster_session_.clear();
      return;
    }
  }
  Heading(i18n::format(tr("class.roster_title"), {{"name", name}}), 1.25f);
  Paragraph(date_words(ses.starts_at) + " " + core::format_time(ses.starts_at) +
            (ses.theme.empty() ? std::string() : " · " + ses.theme));
  auto rows = core::session_roster(*s_, ses.id);
  std::int64_t enrolled = 0, waiting = 0, came = 0;
  for (const auto& r : rows) {
    enrolled += r.enrolled;
    waiting += !r.enrolled;
    came += r.attended;
  }
  Paragraph(i18n::format(tr("class.roster_counts"), {{"enrolled", std::to_string(enrolled)},
                                                     {"came", std::to_string(came)},
                                                     {"waiting", std::to_string(waiting)}}));
  {
    ImVec2 p = ImGui::GetCursorScreenPos();
    float w = std::min(ImGui::GetContentRegionAvail().x, em(16)), h = em(0.55f);
    float f = enrolled ? static_cast<float>(came) / static_cast<float>(enrolled) : 0;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), ImGui::GetColorU32(ImGuiCol_FrameBg), h * 0.5f);
    if (f > 0) dl->AddRectFilled(p, ImVec2(p.x + w * f, p.y + h), pal.ok, h * 0.5f);
    dl->AddRect(p, ImVec2(p.x + w, p.y + h), ImGui::GetColorU32(ImGuiCol_Border), h * 0.5f);
    ImGui::Dummy(ImVec2(w, h));
  }
  if (ses.closed) Paragraph(tr("class.closed_note"), ImGui::GetColorU32(ImGuiCol_TextDisabled));

  // CSV and closing.
  {
    std::string csv = std::string(tr("class.export_csv")) + "##csv";
    if (Button(csv.c_str())) {
      std::vector<std::string> labels;
      for (const char* k : {"csv.no", "csv.name", "csv.birth_year", "csv.status", "csv.position", "csv.group", "csv.came",
                            "csv.enrolled", "csv.waiting", "csv.attended", "csv.no_show", "csv.not_yet"})
        labels.emplace_back(tr(k));
      std::string file = "roster-" + ses.course + "-" + std::to_string(ses.number) + "-" + core::format_date(ses.starts_at) + ".csv";
      out.emplace_back(Download{file, core::roster_csv(rows, labels)});
    }
    const core::Person* self = me();
    bool may_close = !ses.closed && (is_staff() || (self && s_->courses.at(ses.course).teacher == self->id));
    if (may_close) {
      std::string close = std::string(tr("class.close_session")) + "##close-session";
      if (fits_in(ImGui::GetContentRegionAvail().x - ImGui::GetItemRectSize().x - ImGui::GetStyle().ItemSpacing.x,
                  close.c_str()))
        ImGui::SameLine();
      ImGui::BeginDisabled(demo());
      if (Button(close.c_str())) submit(out, "session.close", Payload().str("session", ses.id), name, "roster");
      ImGui::EndDisabled();
    }
  }
  result_here("roster");
  checkin_by_code(ses, out);  // a code typed or scanned at the door (checkin.cpp)
  TextField(tr("class.search"), &roster_search_, tr("class.search_hint"));
  not_a_form();  // a filter, not input to save
  ImGui::Spacing();

  std::vector<const core::RosterRow*> shown;
  for (const auto& r : rows)
    if (contains_text(r.name, roster_search_)) shown.push_back(&r);
  if (shown.empty()) Paragraph(tr("class.roster_empty"), ImGui::GetColorU32(ImGuiCol_TextDisabled));

  // One row: name · state, and the check-in button (or a tick) at the right end of the row, so the
  // name always starts at the left edge. Narrow screens put the state under the name (two lines).
  const float avail = std::min(ImGui::GetContentRegionAvail().x, em(32));
  const bool narrow = avail < em(15);
  const float line = em(kLineSpacing);
  const float row_h = std::max(ImGui::GetFrameHeight(), narrow ? 2 * line : line);
  const float bw = ImGui::CalcTextSize(tr("class.checkin")).x + ImGui::GetStyle().FramePadding.x * 2 + em(0.6f);
  ImGuiListClipper clip;
  clip.Begin(static_cast<int>(shown.size()), row_h + ImGui::GetStyle().ItemSpacing.y);
  while (clip.Step()) {
    for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
      const core::RosterRow& r = *shown[static_cast<std::size_t>(i)];
      ImGui::PushID(i);
      ImVec2 p = ImGui::GetCursorScreenPos();
      const float bx = p.x + avail - bw;  // the button column
      std::string state;
      ImU32 col = ImGui::GetColorU32(ImGuiCol_Text);
      if (!r.enrolled) {
        state = i18n::format(tr("class.row.waiting"), {{"pos", std::to_string(r.position)}});
        col = pal.warn;
      } else if (r.attended) {
        state = std::string("✓ ") + tr("class.row.came");
        col = pal.ok;
      } else if (r.no_show) {
        state = std::string("✕ ") + tr("class.row.no_show");
        col = pal.bad;
      } else {
        state = tr("class.row.not_yet");
        col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
      }
      if (r.group_size > 1) state += " · " + i18n::format(tr("class.row.group"), {{"n", std::to_string(r.group_size)}});
      ImDrawList* dl = ImGui::GetWindowDrawList();
      // A thin rule between rows helps the eye follow a row to its button.
      dl->AddLine(ImVec2(p.x, p.y + row_h + ImGui::GetStyle().ItemSpacing.y * 0.5f),
                  ImVec2(p.x + avail, p.y + row_h + ImGui::GetStyle().ItemSpacing.y * 0.5f),
                  ImGui::GetColorU32(ImGuiCol_Separator));
      if (r.enrolled && !r.attended && !ses.closed) {
        ImGui::SetCursorScreenPos(ImVec2(bx, p.y + (row_h - ImGui::GetFrameHeight()) * 0.5f));
        ImGui::BeginDisabled(demo());
        std::string l = std::string(tr("class.checkin")) + "##in";
        if (ImGui::Button(l.c_str(), ImVec2(bw, 0)))
          submit(out, "session.checkin", Payload().str("session", ses.id).str("person", r.person),
                 i18n::format(tr("class.checkin_what"), {{"name", r.name}}), "roster");
        item_table().set_role(ImGui::GetItemID(), Role::Button,
                              i18n::format(tr("class.checkin_for"), {{"name", r.name}}));
        ImGui::EndDisabled();
      } else if (r.attended) {  // a large tick where the button was
        float tw = ImGui::CalcTextSize("✓").x;
        dl->AddText(ImVec2(bx + (bw - tw) * 0.5f, p.y + (row_h - ImGui::GetFontSize()) * 0.5f), pal.ok, "✓");
      }
      float ty = p.y + (row_h - (narrow ? 2 * line : line)) * 0.5f + (line - ImGui::GetFontSize()) * 0.5f;
      ImGui::PushClipRect(p, ImVec2(bx - em(0.3f), p.y + row_h), true);  // long names and states stop before the button
      dl->AddText(ImVec2(p.x, ty), ImGui::GetColorU32(ImGuiCol_Text), r.name.c_str());
      if (narrow) {
        dl->AddText(ImVec2(p.x, ty + line), col, state.c_str());
      } else {
        float nx = p.x + std::max(ImGui::CalcTextSize(r.name.c_str()).x + em(1), em(6));
        dl->AddText(ImVec2(nx, ty), col, state.c_str());
      }
      ImGui::PopClipRect();
      ImGui::SetCursorScreenPos(p);
      ImGui::Dummy(ImVec2(avail, row_h));
      // The row's words as a status item for the mirror and tests: "王秀兰 · ✓ 已签到".
      ImGuiID rid = ImGui::GetID("row");
      ImGui::ItemAdd(ImRect(p, ImVec2(bx - em(0.3f), p.y + row_h)), rid, nullptr, ImGuiItemFlags_NoNav);
      item_table().set_role(rid, Role::Status, r.name + " · " + state);
      ImGui::PopID();
    }
  }
  clip.End();
  back_row();
}

}  // namespace sihui::ui
