#include "core/reducer.h"

#include "core/civil.h"
#include "core/reducer_internal.h"

namespace sihui::core {

namespace rules {

namespace {
const Id kNoGrid;
}

const Id& grid_of_unit(const State& s, const Id& unit) {
  auto u = s.units.find(unit);
  if (u == s.units.end()) return kNoGrid;
  auto b = s.buildings.find(u->second.building);
  if (b == s.buildings.end()) return kNoGrid;
  auto c = s.compounds.find(b->second.compound);
  return c == s.compounds.end() ? kNoGrid : c->second.grid;
}

const Id& grid_of_person(const State& s, const Person& p) {
  if (!p.unit.empty()) return grid_of_unit(s, p.unit);
  if (!p.household.empty()) {
    auto h = s.households.find(p.household);
    if (h != s.households.end()) return grid_of_unit(s, h->second.unit);
  }
  return kNoGrid;
}

bool leads_grid(const Person& a, const Id& grid) {
  return is_staff(a) || (!grid.empty() && has_role(a, Role::grid_leader, grid));
}
bool works_grid(const Person& a, const Id& grid) {
  return leads_grid(a, grid) || (!grid.empty() && has_role(a, Role::grid_worker, grid));
}

bool may_act_for(const State& s, const Person& author, const Person& target) {
  if (same_bytes(author.id, target.id) || target.proxies.count(author.id) || is_staff(author)) return true;
  const Id& g = grid_of_person(s, target);
  return !g.empty() && works_grid(author, g);
}

Outcome target_person(Ctx& c, std::string_view field, Person** out) {
  const Id& id = c.p.str(field);
  Person* t = id.empty() ? c.author : find(c.s.persons, id);
  if (!t) return refused(Reason::no_person);
  if (t->left) return refused(Reason::person_left);
  if (!may_act_for(c.s, *c.author, *t)) return refused(Reason::act_for);
  *out = t;
  return accepted();
}

std::int64_t age_in_year(const Person& p, std::int64_t utc_ms) {
  // The calendar year of the last time asked: the canteen asks for one sitting's start per booking,
  // dozens of times in a row, and the civil conversion costs a few 64-bit divisions.
  thread_local std::int64_t last_ms = 0, last_year = shanghai(0).year;
  if (utc_ms != last_ms) {
    last_ms = utc_ms;
    last_year = shanghai(utc_ms).year;
  }
  return last_year - p.birth_year;
}

}  // namespace rules

Reducer::Reducer(const Schema& schema) {
  for (std::size_t i = 0; i < roles_.size(); ++i) {
    const KindSpec* spec = schema.find(kind_name(static_cast<Kind>(i)));
    if (!spec) continue;
    std::uint32_t mask = 0;
    for (const auto& r : spec->roles) {
      Role role{};
      if (r == "resident") mask |= kResident;
      else if (r == "anyone") mask |= kAnyone;
      else if (enum_from_name(r, &role)) mask |= 1u << static_cast<unsigned>(role);
    }
    roles_[i] = mask ? mask : (1u << static_cast<unsigned>(Role::staff));
  }
}

Outcome Reducer::apply(State& s, const Op& op) const {
  if (s.blocked.active) return Outcome{Verdict::blocked, Reason::op_needs_update, {}};
  if (op.seq > 0) {
    if (op.seq <= s.last_seq) {  // already applied (a repeated pull)
      auto it = s.notes.find(op.id);
      return it == s.notes.end() ? accepted() : it->second;
    }
    s.last_seq = op.seq;
  }
  if (op.kind == Kind::unknown) {
    s.blocked = Blocked{true, op.unknown_kind, op.seq, op.id};
    return Outcome{Verdict::blocked, Reason::op_needs_update, {}}.with("kind", op.unknown_kind);
  }
  ++s.ops_applied;
  if (op.made_at > s.clock) s.clock = op.made_at;
  Outcome out = [&]() -> Outcome {
    std::uint32_t mask = roles_[static_cast<std::size_t>(op.kind)];
    if (!mask) return refused(Reason::op_invalid).with("field", std::string("kind"));
    if (!op.invalid.empty()) return refused(Reason::op_invalid).with("field", op.invalid);
    if (op.kind == Kind::community_init) {
      if (s.initialised) return refused(Reason::already_initialised);
      Person admin;
      admin.id = op.author;
      admin.name = op.payload.str("admin_name");
      admin.roles.insert(Grant{Role::staff, {}});
      admin.added_at = op.made_at;
      s.persons[admin.id] = std::move(admin);
      s.community_name = op.payload.str("name");
      s.initialised = true;
      return accepted();
    }
    if (!s.initialised) return refused(Reason::not_initialised);
    Person* author = rules::find(s.persons, op.author);
    if (!author || author->left) return refused(Reason::author_unknown);
    if (!(mask & (kResident | kAnyone))) {
      bool ok = false;
      for (const auto& g : author->roles)
        if (mask & (1u << static_cast<unsigned>(g.role))) ok = true;
      if (!ok) return refused(Reason::op_role);
    }
    rules::Ctx c{s, op, op.payload, author};
    switch (op.kind) {
      case Kind::compound_add: case Kind::building_add: case Kind::unit_add: case Kind::grid_add:
      case Kind::grid_set_leader: case Kind::outline_set: case Kind::place_remove: case Kind::compound_move:
      case Kind::household_add: case Kind::person_add:
      case Kind::person_update: case Kind::person_leave: case Kind::role_grant: case Kind::role_revoke:
      case Kind::proxy_grant: case Kind::proxy_revoke:
        return rules::people(c);
      case Kind::report_file: case Kind::report_accept: case Kind::report_dispatch:
      case Kind::report_handle: case Kind::report_review: case Kind::report_close:
      case Kind::report_reopen: case Kind::report_comment: case Kind::report_rate: case Kind::report_link:
        return rules::reports(c);
      case Kind::event_add: case Kind::event_update: case Kind::event_cancel: case Kind::event_override:
      case Kind::club_add: case Kind::club_join: case Kind::club_leave:
        return rules::calendar(c);
      case Kind::course_add: case Kind::session_add: case Kind::session_signup: case Kind::session_cancel:
      case Kind::session_checkin: case Kind::session_close: case Kind::course_progress:
        return rules::classes(c);
      case Kind::sitting_add: case Kind::canteen_book: case Kind::canteen_cancel: case Kind::canteen_attend:
      case Kind::canteen_exception_grant: case Kind::canteen_exception_revoke:
        return rules::canteen(c);
      case Kind::service_add: case Kind::service_request: case Kind::service_take: case Kind::service_done:
      case Kind::service_confirm: case Kind::service_cancel: case Kind::clinic_roster_set:
      case Kind::clinic_case_open: case Kind::clinic_case_session: case Kind::clinic_case_followup:
      case Kind::clinic_case_close:
        return rules::services(c);
      case Kind::channel_add: case Kind::channel_join: case Kind::channel_leave: case Kind::channel_post:
      case Kind::channel_read:
        return rules::channels(c);
      case Kind::community_init: case Kind::unknown: break;
    }
    return refused(Reason::op_invalid).with("field", std::string("kind"));
  }();
  if (out.reason != Reason::none) s.notes[op.id] = out;
  return out;
}

void rebuild_derived(State& s) {
  for (auto& [id, ses] : s.sessions) {
    ses.taken = 0;
    for (const auto& g : ses.enrolled) ses.taken += static_cast<std::int64_t>(g.persons.size());
  }
}

}  // namespace sihui::core
