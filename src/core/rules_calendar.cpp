// rules_calendar: events with recurrence, exceptions, cancellations and moved occurrences; clubs.
#include "core/civil.h"
#include "core/reducer_internal.h"

namespace sihui::core::rules {

namespace {
constexpr std::int64_t kMaxMove = 7 * kMsPerDay;  // an occurrence may move at most a week

bool is_occurrence(const Event& e, std::int64_t t) {
  if (e.rrule.empty()) return t == e.starts_at;
  RRule r;
  if (!parse_rrule(e.rrule, &r, nullptr)) return false;
  auto v = expand_rrule(r, e.starts_at, t, t + 1, 1);
  return !v.empty() && e.exdates.count(t) == 0;
}

bool may_edit(const Person& a, const Event& e) {
  return is_staff(a) || a.id == e.created_by || (!e.organiser.empty() && a.id == e.organiser);
}
}  // namespace

Outcome calendar(Ctx& c) {
  State& s = c.s;
  const Payload& p = c.p;
  switch (c.op.kind) {
    case Kind::event_add: {
      const Id& id = p.str("id");
      if (s.events.count(id)) return refused(Reason::id_taken).with("id", id);
      Event e;
      e.id = id;
      e.title = p.str("title");
      e.starts_at = p.num("starts_at");
      e.duration_min = p.num("duration_min");
      e.rrule = p.str("rrule");
      if (!e.rrule.empty()) {
        RRule r;
        if (!parse_rrule(e.rrule, &r, nullptr)) return refused(Reason::event_bad_rrule);
      }
      e.exdates.insert(p.nums("exdates").begin(), p.nums("exdates").end());
      e.place = p.str("place");
      e.organiser = p.str("organiser");
      if (!e.organiser.empty() && !s.persons.count(e.organiser)) return refused(Reason::no_person);
      e.club = p.str("club");
      if (!e.club.empty() && !s.clubs.count(e.club)) return refused(Reason::no_club);
      e.created_by = c.author->id;
      enum_from_name(p.str("audience"), &e.audience);
      enum_from_name(p.str("category"), &e.category);
      e.access_note = p.str("access_note");
      s.events.emplace(id, std::move(e));
      return accepted();
    }
    case Kind::event_update:
    case Kind::event_cancel:
    case Kind::event_override: {
      Event* e = find(s.events, p.str("event"));
      if (!e) return refused(Reason::no_event);
      if (!may_edit(*c.author, *e)) return refused(Reason::event_not_organiser);
      if (e->cancelled) return refused(Reason::event_cancelled);
      if (c.op.kind == Kind::event_update) {
        if (p.has("title")) e->title = p.str("title");
        if (p.has("duration_min")) e->duration_min = p.num("duration_min");
        if (p.has("place")) e->place = p.str("place");
        if (p.has("organiser")) {
          if (!s.persons.count(p.str("organiser"))) return refused(Reason::no_person);
          e->organiser = p.str("organiser");
        }
        if (p.has("audience")) enum_from_name(p.str("audience"), &e->audience);
        if (p.has("access_note")) e->access_note = p.str("access_note");
        return accepted();
      }
      if (c.op.kind == Kind::event_cancel && !p.has("occurrence")) {
        e->cancelled = true;
        e->cancel_reason = p.str("reason");
        return accepted();
      }
      std::int64_t occ = p.num("occurrence");
      if (!is_occurrence(*e, occ)) return refused(Reason::event_no_occurrence);
      if (p.has("starts_at") && (p.num("starts_at") > occ + kMaxMove || p.num("starts_at") < occ - kMaxMove))
        return refused(Reason::event_too_far);
      Override& o = e->overrides[occ];
      if (o.starts_at == 0) {
        o.starts_at = occ;
        o.duration_min = e->duration_min;
        o.place = e->place;
      }
      if (c.op.kind == Kind::event_cancel) {
        o.cancelled = true;
        o.reason = p.str("reason");
        return accepted();
      }
      if (p.has("starts_at")) o.starts_at = p.num("starts_at");
      if (p.has("duration_min")) o.duration_min = p.num("duration_min");
      if (p.has("place")) o.place = p.str("place");
      if (p.has("note")) o.note = p.str("note");
      return accepted();
    }
    case Kind::club_add: {
      const Id& id = p.str("id");
      if (s.clubs.count(id)) return refused(Reason::id_taken).with("id", id);
      Club cl{id, p.str("name"), p.str("leader"), {}};
      if (!cl.leader.empty()) {
        if (!s.persons.count(cl.leader)) return refused(Reason::no_person);
        cl.members.insert(cl.leader);
      }
      s.clubs.emplace(id, std::move(cl));
      return accepted();
    }
    case Kind::club_join:
    case Kind::club_leave: {
      Club* cl = find(s.clubs, p.str("club"));
      if (!cl) return refused(Reason::no_club);
      const Id& pid = p.str("person").empty() ? c.author->id : p.str("person");
      Person* t = find(s.persons, pid);
      if (!t) return refused(Reason::no_person);
      bool allowed = c.author->id == pid || c.author->id == cl->leader || may_act_for(s, *c.author, *t);
      if (!allowed) return refused(Reason::act_for);
      if (c.op.kind == Kind::club_join) {
        if (t->left) return refused(Reason::person_left);
        if (!cl->members.insert(pid).second) return refused(Reason::club_already);
      } else if (!cl->members.erase(pid)) {
        return refused(Reason::club_not_member);
      }
      return accepted();
    }
    default: break;
  }
  return refused(Reason::op_invalid);
}

}  // namespace sihui::core::rules
