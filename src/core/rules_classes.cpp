// rules_classes: heritage courses and numbered sessions; sign-up with family/group places held
// together, a first-come wait list promoted automatically, check-in, no-shows, progress.
#include "core/civil.h"
#include "core/reducer_internal.h"

#include <algorithm>

namespace sihui::core::rules {

namespace {
bool teaches(const State& s, const Person& a, const Id& course) {
  if (is_staff(a)) return true;
  auto it = s.courses.find(course);
  return it != s.courses.end() && it->second.teacher == a.id;
}

// Where the person is in the session: {list, index of signup} or null.
Signup* signup_of(Session& ses, const Id& person, bool* enrolled) {
  for (auto* list : {&ses.enrolled, &ses.waitlist})
    for (auto& g : *list)
      if (std::find(g.persons.begin(), g.persons.end(), person) != g.persons.end()) {
        *enrolled = list == &ses.enrolled;
        return &g;
      }
  return nullptr;
}

void promote(Session& ses) {
  while (!ses.waitlist.empty()) {
    auto n = static_cast<std::int64_t>(ses.waitlist.front().persons.size());
    if (ses.taken + n > ses.seats) break;  // strict first come: the head waits for room
    ses.taken += n;
    ses.enrolled.push_back(std::move(ses.waitlist.front()));
    ses.waitlist.erase(ses.waitlist.begin());
  }
}

Outcome signup(Ctx& c, Session& ses) {
  State& s = c.s;
  if (ses.closed) return refused(Reason::class_closed);
  if (c.op.made_at >= ses.starts_at) return refused(Reason::class_started);
  std::vector<Id> ids;
  ids.push_back(c.p.str("person").empty() ? c.author->id : c.p.str("person"));
  for (const auto& g : c.p.list("group")) ids.push_back(g);
  for (std::size_t i = 0; i < ids.size(); ++i)
    for (std::size_t j = i + 1; j < ids.size(); ++j)
      if (ids[i] == ids[j]) return refused(Reason::class_group_duplicate);
  const bool teacher = teaches(s, *c.author, ses.course);
  const auto year = shanghai(ses.starts_at).year;
  bool adult_present = false;
  std::vector<Person*> people;
  for (const auto& id : ids) {
    Person* t = find(s.persons, id);
    if (!t) return refused(Reason::no_person);
    if (t->left) return refused(Reason::person_left);
    bool same_household = !t->household.empty() && t->household == c.author->household;
    if (!teacher && !same_household && !may_act_for(s, *c.author, *t)) return refused(Reason::act_for);
    bool in = false;
    if (signup_of(ses, id, &in)) return refused(Reason::class_already).with("name", t->name);
    adult_present = adult_present || year - t->birth_year >= 18;
    people.push_back(t);
  }
  const Id& guardian_id = c.p.str("guardian");
  if (!guardian_id.empty()) {
    Person* g = find(s.persons, guardian_id);
    if (!g || g->left || year - g->birth_year < 18) return refused(Reason::class_guardian);
    adult_present = true;
  }
  for (Person* t : people) {
    bool teen = year - t->birth_year < 18;
    bool ok = ses.open_to.empty();
    if (teen) ok = ok || ses.open_to.count("teen");
    else ok = ok || (t->tags.count("student") && ses.open_to.count("student")) ||
              (!t->unit.empty() && ses.open_to.count("resident"));
    if (!ok) return refused(Reason::class_not_open).with("name", t->name);
    if (teen && !adult_present) return refused(Reason::class_guardian).with("name", t->name);
  }
  auto n = static_cast<std::int64_t>(ids.size());
  if (n > ses.seats) return refused(Reason::class_group_too_large).with("seats", ses.seats);
  Signup g{c.op.id, std::move(ids), c.author->id, guardian_id, c.op.made_at};
  if (ses.waitlist.empty() && ses.taken + n <= ses.seats) {
    ses.taken += n;
    ses.enrolled.push_back(std::move(g));
    return accepted();
  }
  ses.waitlist.push_back(std::move(g));
  return accepted(Reason::class_waitlisted).with("position", static_cast<std::int64_t>(ses.waitlist.size()));
}

Outcome cancel(Ctx& c, Session& ses) {
  if (ses.closed) return refused(Reason::class_closed);
  const Id& pid = c.p.str("person").empty() ? c.author->id : c.p.str("person");
  bool in_enrolled = false;
  Signup* g = signup_of(ses, pid, &in_enrolled);
  if (!g) return refused(Reason::class_not_signed_up);
  Person* t = find(c.s.persons, pid);
  bool allowed = c.author->id == pid || g->by == c.author->id || teaches(c.s, *c.author, ses.course) ||
                 (t && may_act_for(c.s, *c.author, *t));
  if (!allowed) return refused(Reason::act_for);
  g->persons.erase(std::find(g->persons.begin(), g->persons.end(), pid));
  auto& list = in_enrolled ? ses.enrolled : ses.waitlist;
  if (g->persons.empty()) list.erase(list.begin() + (g - list.data()));
  if (in_enrolled) {
    --ses.taken;
    promote(ses);
  }
  return accepted();
}
}  // namespace

Outcome classes(Ctx& c) {
  State& s = c.s;
  const Payload& p = c.p;
  switch (c.op.kind) {
    case Kind::course_add: {
      const Id& id = p.str("id");
      if (s.courses.count(id)) return refused(Reason::id_taken).with("id", id);
      Person* t = find(s.persons, p.str("teacher"));
      if (!t) return refused(Reason::no_person);
      if (!is_staff(*c.author) && c.author->id != t->id) return refused(Reason::class_not_teacher);
      s.courses[id] = Course{id, p.str("title"), p.str("description"), t->id, {}};
      return accepted();
    }
    case Kind::session_add: {
      const Id& id = p.str("id");
      if (s.sessions.count(id)) return refused(Reason::id_taken).with("id", id);
      if (!s.courses.count(p.str("course"))) return refused(Reason::no_course);
      if (!teaches(s, *c.author, p.str("course"))) return refused(Reason::class_not_teacher);
      for (const auto& [sid, other] : s.sessions)
        if (other.course == p.str("course") && other.number == p.num("number"))
          return refused(Reason::class_number_taken).with("number", p.num("number"));
      Session ses;
      ses.id = id;
      ses.course = p.str("course");
      ses.number = p.num("number");
      ses.starts_at = p.num("starts_at");
      ses.duration_min = p.num("duration_min");
      ses.seats = p.num("seats");
      ses.place = p.str("place");
      ses.theme = p.str("theme");
      for (const auto& o : p.list("open_to")) {
        if (o != "resident" && o != "student" && o != "teen")
          return refused(Reason::op_invalid).with("field", std::string("open_to: value"));
        ses.open_to.insert(o);
      }
      s.sessions.emplace(id, std::move(ses));
      return accepted();
    }
    case Kind::course_progress: {
      Course* co = find(s.courses, p.str("course"));
      if (!co) return refused(Reason::no_course);
      if (!teaches(s, *c.author, co->id)) return refused(Reason::class_not_teacher);
      if (!s.persons.count(p.str("person"))) return refused(Reason::no_person);
      co->progress[p.str("person")] = Progress{p.num("level"), p.str("note")};
      return accepted();
    }
    default: break;
  }
  Session* ses = find(s.sessions, p.str("session"));
  if (!ses) return refused(Reason::no_session);
  switch (c.op.kind) {
    case Kind::session_signup: return signup(c, *ses);
    case Kind::session_cancel: return cancel(c, *ses);
    case Kind::session_checkin: {
      if (!teaches(s, *c.author, ses->course) && !has_role(*c.author, Role::volunteer))
        return refused(Reason::class_not_teacher);
      if (ses->closed) return refused(Reason::class_closed);
      bool in = false;
      if (!signup_of(*ses, p.str("person"), &in) || !in) return refused(Reason::class_not_signed_up);
      if (!ses->attended.insert(p.str("person")).second) return refused(Reason::class_already_checked_in);
      return accepted();
    }
    case Kind::session_close: {
      if (!teaches(s, *c.author, ses->course)) return refused(Reason::class_not_teacher);
      if (ses->closed) return refused(Reason::class_closed);
      ses->closed = true;
      for (const auto& g : ses->enrolled)
        for (const auto& pid : g.persons)
          if (!ses->attended.count(pid)) ses->no_shows.insert(pid);
      return accepted();
    }
    default: break;
  }
  return refused(Reason::op_invalid);
}

}  // namespace sihui::core::rules
