// rules_canteen: sittings of the elders' canteen (40 seats), the 80+ rule from the birth year
// (staff may grant exceptions with a reason), bookings by the elder or a proxy, attendance.
#include <algorithm>

#include "core/reducer_internal.h"

namespace sihui::core::rules {

namespace {
constexpr std::int64_t kEligibleAge = 80;

bool canteen_staff(const Person& a) { return is_staff(a) || has_role(a, Role::canteen_staff); }

// Eligible when the person turns 80 or more in the sitting's calendar year (Shanghai), or has an exception.
Outcome eligible(const Person& t, const Sitting& st) {
  std::int64_t age = age_in_year(t, st.starts_at);
  if (age >= kEligibleAge || !t.canteen_exception.empty()) return accepted();
  return refused(Reason::canteen_under_80).with("age", age);
}

// at: where t's booking goes (st.bookings.lower_bound(t.id), t not booked yet), so the map is walked once.
Outcome book(Ctx& c, Sitting& st, Person& t, bool walk_in, SmallIdMap<Booking>::iterator at) {
  if (auto o = eligible(t, st); !o.accepted()) return o;
  if (static_cast<std::int64_t>(st.bookings.size()) >= st.seats)
    return refused(Reason::canteen_full).with("seats", st.seats);
  if (st.bookings.empty()) st.bookings.reserve(static_cast<std::size_t>(std::clamp<std::int64_t>(st.seats, 1, 64)));
  Booking b;
  b.by = c.author->id;
  b.diet = c.p.str("diet");
  b.made_at = c.op.made_at;
  b.attended = walk_in;
  b.walk_in = walk_in;
  st.bookings.emplace_hint(at, t.id, std::move(b));
  return accepted();
}
}  // namespace

Outcome canteen(Ctx& c) {
  State& s = c.s;
  const Payload& p = c.p;
  switch (c.op.kind) {
    case Kind::sitting_add: {
      const Id& id = p.str("id");
      if (s.sittings.count(id)) return refused(Reason::id_taken).with("id", id);
      Sitting st;
      st.id = id;
      st.starts_at = p.num("starts_at");
      enum_from_name(p.str("meal"), &st.meal);
      st.seats = p.num("seats", 40);
      s.sittings.emplace(id, std::move(st));
      return accepted();
    }
    case Kind::canteen_exception_grant:
    case Kind::canteen_exception_revoke: {
      Person* t = find(s.persons, p.str("person"));
      if (!t) return refused(Reason::no_person);
      if (c.op.kind == Kind::canteen_exception_grant) {
        t->canteen_exception = p.str("reason");
      } else {
        if (t->canteen_exception.empty()) return refused(Reason::canteen_no_exception);
        t->canteen_exception.clear();
      }
      return accepted();
    }
    default: break;
  }
  Sitting* st = find(s.sittings, p.str("sitting"));
  if (!st) return refused(Reason::no_sitting);
  switch (c.op.kind) {
    case Kind::canteen_book: {
      Person* t = nullptr;
      if (auto o = target_person(c, "person", &t); !o.accepted()) {
        if (!(o.reason == Reason::act_for && canteen_staff(*c.author))) return o;
        t = find(s.persons, p.str("person"));
      }
      if (c.op.made_at >= st->starts_at) return refused(Reason::canteen_too_late);
      auto at = st->bookings.lower_bound(t->id);
      if (at != st->bookings.end() && same_bytes(at->first, t->id)) return refused(Reason::canteen_already_booked);
      return book(c, *st, *t, false, at);
    }
    case Kind::canteen_cancel: {
      const Id& pid = p.str("person").empty() ? c.author->id : p.str("person");
      Person* t = find(s.persons, pid);
      if (!t) return refused(Reason::no_person);
      if (!may_act_for(s, *c.author, *t) && !canteen_staff(*c.author)) return refused(Reason::act_for);
      auto it = st->bookings.find(pid);
      if (it == st->bookings.end()) return refused(Reason::canteen_not_booked);
      if (c.op.made_at >= st->starts_at) return refused(Reason::canteen_too_late);
      st->bookings.erase(it);
      return accepted();
    }
    case Kind::canteen_attend: {
      Person* t = find(s.persons, p.str("person"));
      if (!t) return refused(Reason::no_person);
      auto it = st->bookings.lower_bound(t->id);
      if (it != st->bookings.end() && same_bytes(it->first, t->id)) {
        if (it->second.attended) return refused(Reason::canteen_already_attended);
        it->second.attended = true;
        return accepted();
      }
      if (t->left) return refused(Reason::person_left);
      return book(c, *st, *t, true, it);  // a walk-in takes a free seat
    }
    default: break;
  }
  return refused(Reason::op_invalid);
}

}  // namespace sihui::core::rules
