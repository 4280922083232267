// rules_people: places (compounds, buildings, units), grids and their leaders, households,
// residents, roles and proxies.
#include "core/map_edit.h"
#include "core/reducer_internal.h"

namespace sihui::core::rules {

namespace {
const char* const kTags[] = {"retired_cadre", "party_member", "living_alone", "student", "disabled", "veteran"};

Outcome check_tags(const std::vector<std::string>& tags) {
  for (const auto& t : tags) {
    bool ok = false;
    for (const char* k : kTags) ok = ok || t == k;
    if (!ok) return refused(Reason::person_bad_tag).with("tag", t);
  }
  return accepted();
}

// Which kind of place a scoped role is tied to: 0 none, 1 grid, 2 building, 3 unit.
int scope_kind(Role r) {
  switch (r) {
    case Role::grid_leader: case Role::grid_worker: return 1;
    case Role::building_leader: return 2;
    case Role::unit_leader: return 3;
    default: return 0;
  }
}

Outcome check_scope(const State& s, Role r, const Id& scope) {
  switch (scope_kind(r)) {
    case 1: return s.grids.count(scope) ? accepted() : refused(scope.empty() ? Reason::role_scope : Reason::no_grid);
    case 2: return s.buildings.count(scope) ? accepted() : refused(scope.empty() ? Reason::role_scope : Reason::no_building);
    case 3: return s.units.count(scope) ? accepted() : refused(scope.empty() ? Reason::role_scope : Reason::no_unit);
    default: return accepted();
  }
}

// Roles whose holders serve residents: their names are public (serve.py's Mirror.PUBLIC_ROLES).
bool public_role(Role r) { return scope_kind(r) != 0; }

// A grant to a public role may carry the person's public display name (decision 0023): a device that
// pulled the person before the grant holds the mask ("•••") in place of the name, and shows the name from
// here on. A name this device can already read is kept as it is.
void publish_name(Person& t, const Payload& p) {
  const std::string& name = p.str("name");
  if (!name.empty() && (t.name == kMasked || t.name.empty())) t.name = name;
}

void set_grid_leader(State& s, Grid& g, Person& p) {
  if (!g.leader.empty() && g.leader != p.id)
    if (Person* old = find(s.persons, g.leader)) old->roles.erase(Grant{Role::grid_leader, g.id});
  g.leader = p.id;
  p.roles.insert(Grant{Role::grid_leader, g.id});
}

std::size_t staff_count(const State& s) {
  std::size_t n = 0;
  for (const auto& [id, p] : s.persons) n += !p.left && is_staff(p);
  return n;
}

// "" clears an outline; anything else must be a polygon parse_outline accepts.
bool outline_ok(const std::string& text) {
  std::vector<MicroPoint> pts;
  return text.empty() || parse_outline(text, &pts);
}

Outcome may_edit_person(Ctx& c, const Person& t) {
  // Grid workers edit residents of their own grid; staff edit anyone.
  if (is_staff(*c.author)) return accepted();
  const Id& g = grid_of_person(c.s, t);
  return works_grid(*c.author, g) ? accepted() : refused(Reason::act_for);
}

// place.remove (decision 0026): a place goes only when nothing hangs on it, so the map stays whole
// and nobody's home or role points nowhere. Every check here is a fact serve.py's Mirror also
// keeps (places, households, residents, roles, grids), so both agree on what was removed. Reports
// are history: they keep their ids and read the old name from State::removed_places.
Outcome check_removable(const State& s, std::string_view place, const Id& id, const std::string& name) {
  auto count = [](const auto& m, auto pred) {
    std::int64_t n = 0;
    for (const auto& [k, v] : m) n += pred(v) ? 1 : 0;
    return n;
  };
  if (place == "compound") {
    const Compound& cp = s.compounds.at(id);
    if (!cp.grid.empty()) {
      auto g = s.grids.find(cp.grid);
      return refused(Reason::place_in_grid).with("place", name).with("grid", g == s.grids.end() ? cp.grid : g->second.name);
    }
    if (auto n = count(s.buildings, [&](const Building& b) { return b.compound == id; }))
      return refused(Reason::place_has_buildings).with("place", name).with("count", n);
  } else if (place == "building") {
    if (auto n = count(s.units, [&](const Unit& u) { return u.building == id; }))
      return refused(Reason::place_has_units).with("place", name).with("count", n);
  } else {
    if (auto n = count(s.households, [&](const Household& h) { return h.unit == id; }))
      return refused(Reason::place_has_households).with("place", name).with("count", n);
    if (auto n = count(s.persons, [&](const Person& x) { return x.unit == id; }))
      return refused(Reason::place_has_residents).with("place", name).with("count", n);
  }
  const Role leader = place == "building" ? Role::building_leader : Role::unit_leader;
  if (place != "compound")
    for (const auto& [pid, x] : s.persons)
      if (x.roles.count(Grant{leader, id})) return refused(Reason::place_has_leaders).with("place", name).with("person", x.name.empty() ? pid : x.name);
  return accepted();
}
}  // namespace

Outcome people(Ctx& c);
}  // namespace sihui::core::rules

namespace sihui::core {
Outcome place_removable(const State& s, std::string_view place, const Id& id) {
  std::string name;
  if (place == "compound") {
    if (!s.compounds.count(id)) return refused(Reason::no_compound);
    name = s.compounds.at(id).name;
  } else if (place == "building") {
    if (!s.buildings.count(id)) return refused(Reason::no_building);
    name = s.buildings.at(id).name;
  } else if (place == "unit") {
    if (!s.units.count(id)) return refused(Reason::no_unit);
    name = s.units.at(id).name;
  } else {
    return refused(Reason::op_invalid);
  }
  return rules::check_removable(s, place, id, name);
}
}  // namespace sihui::core

namespace sihui::core::rules {
Outcome people(Ctx& c) {
  State& s = c.s;
  const Payload& p = c.p;
  switch (c.op.kind) {
    case Kind::compound_add: {
      const Id& id = p.str("id");
      if (s.compounds.count(id)) return refused(Reason::id_taken).with("id", id);
      if (!outline_ok(p.str("outline"))) return refused(Reason::bad_outline);
      s.compounds[id] = Compound{id, p.str("name"), {}, p.num("point_x"), p.num("point_y"), p.str("outline")};
      s.removed_places.erase("compound:" + id);
      return accepted();
    }
    case Kind::building_add: {
      const Id& id = p.str("id");
      if (s.buildings.count(id)) return refused(Reason::id_taken).with("id", id);
      if (!s.compounds.count(p.str("compound"))) return refused(Reason::no_compound);
      if (!outline_ok(p.str("outline"))) return refused(Reason::bad_outline);
      s.buildings[id] = Building{id, p.str("compound"), p.str("name"), p.str("outline")};
      s.removed_places.erase("building:" + id);
      return accepted();
    }
    case Kind::unit_add: {
      const Id& id = p.str("id");
      if (s.units.count(id)) return refused(Reason::id_taken).with("id", id);
      if (!s.buildings.count(p.str("building"))) return refused(Reason::no_building);
      s.units[id] = Unit{id, p.str("building"), p.str("name")};
      s.removed_places.erase("unit:" + id);
      return accepted();
    }
    case Kind::grid_add: {
      const Id& id = p.str("id");
      if (s.grids.count(id)) return refused(Reason::id_taken).with("id", id);
      for (const auto& cid : p.list("compounds")) {
        Compound* cp = find(s.compounds, cid);
        if (!cp) return refused(Reason::no_compound).with("id", cid);
        if (!cp->grid.empty()) return refused(Reason::grid_compound_taken).with("compound", cp->name);
      }
      Grid g;
      g.id = id;
      g.name = p.str("name");
      g.boundary = p.str("boundary");
      for (const auto& cid : p.list("compounds")) {
        g.compounds.insert(cid);
        s.compounds[cid].grid = id;
      }
      s.grids.emplace(id, std::move(g));
      return accepted();
    }
    case Kind::grid_set_leader: {
      Grid* g = find(s.grids, p.str("grid"));
      if (!g) return refused(Reason::no_grid);
      Person* t = find(s.persons, p.str("person"));
      if (!t) return refused(Reason::no_person);
      if (t->left) return refused(Reason::person_left);
      set_grid_leader(s, *g, *t);
      publish_name(*t, p);
      return accepted();
    }
    case Kind::outline_set: {
      const std::string& place = p.str("place");
      const Id& id = p.str("id");
      const std::string& outline = p.str("outline");
      if (!outline_ok(outline)) return refused(Reason::bad_outline);
      if (place == "compound") {
        Compound* x = find(s.compounds, id);
        if (!x) return refused(Reason::no_compound);
        x->outline = outline;
      } else if (place == "building") {
        Building* x = find(s.buildings, id);
        if (!x) return refused(Reason::no_building);
        x->outline = outline;
      } else {
        Grid* x = find(s.grids, id);
        if (!x) return refused(Reason::no_grid);
        x->boundary = outline;
      }
      return accepted();
    }
    case Kind::place_remove: {
      const std::string& place = p.str("place");
      const Id& id = p.str("id");
      if (auto o = place_removable(s, place, id); !o.accepted()) return o;
      std::string name;
      if (place == "compound") name = s.compounds.at(id).name, s.compounds.erase(id);
      else if (place == "building") name = s.buildings.at(id).name, s.buildings.erase(id);
      else name = s.units.at(id).name, s.units.erase(id);
      s.removed_places[place + ":" + id] = name;
      return accepted();
    }
    case Kind::compound_move: {
      // grid.compound.move (decision 0026, revision 2026-11-27): a compound into another grid or out of
      // every grid ("grid" absent). Staff move any; a grid leader only between grids they lead, so a
      // grid office corrects its own map and never takes a compound from another grid.
      Compound* cp = find(s.compounds, p.str("compound"));
      if (!cp) return refused(Reason::no_compound);
      const Id& to = p.str("grid");
      if (!to.empty() && !s.grids.count(to)) return refused(Reason::no_grid);
      if (cp->grid == to) {
        if (to.empty()) return refused(Reason::grid_compound_none).with("compound", cp->name);
        return refused(Reason::grid_compound_already).with("compound", cp->name).with("grid", s.grids.at(to).name);
      }
      for (const Id* g : {static_cast<const Id*>(&cp->grid), &to})
        if (!g->empty() && !leads_grid(*c.author, *g)) {
          auto it = s.grids.find(*g);
          return refused(Reason::grid_not_led).with("grid", it == s.grids.end() ? *g : it->second.name);
        }
      if (Grid* from = find(s.grids, cp->grid)) from->compounds.erase(cp->id);
      cp->grid = to;
      if (!to.empty()) s.grids.at(to).compounds.insert(cp->id);
      return accepted();
    }
    case Kind::household_add: {
      const Id& id = p.str("id");
      if (s.households.count(id)) return refused(Reason::id_taken).with("id", id);
      if (!s.units.count(p.str("unit"))) return refused(Reason::no_unit);
      if (!is_staff(*c.author) && !works_grid(*c.author, grid_of_unit(s, p.str("unit"))))
        return refused(Reason::act_for);
      s.households[id] = Household{id, p.str("unit"), p.str("label")};
      return accepted();
    }
    case Kind::person_add: {
      const Id& id = p.str("id");
      if (s.persons.count(id)) return refused(Reason::id_taken).with("id", id);
      Person t;
      t.id = id;
      t.name = p.str("name");
      t.phone = p.str("phone");
      t.birth_year = p.num("birth_year");
      t.household = p.str("household");
      t.unit = p.str("unit");
      t.added_at = c.op.made_at;
      if (!t.household.empty()) {
        Household* h = find(s.households, t.household);
        if (!h) return refused(Reason::no_household);
        if (t.unit.empty()) t.unit = h->unit;
      }
      if (!t.unit.empty() && !s.units.count(t.unit)) return refused(Reason::no_unit);
      if (auto o = check_tags(p.list("tags")); !o.accepted()) return o;
      t.tags.insert(p.list("tags").begin(), p.list("tags").end());
      if (auto o = may_edit_person(c, t); !o.accepted()) return o;
      s.persons.emplace(id, std::move(t));
      return accepted();
    }
    case Kind::person_update: {
      Person* t = find(s.persons, p.str("person"));
      if (!t) return refused(Reason::no_person);
      if (auto o = may_edit_person(c, *t); !o.accepted()) return o;
      Person n = *t;
      if (p.has("name")) n.name = p.str("name");
      if (p.has("phone")) n.phone = p.str("phone");
      if (p.has("birth_year")) n.birth_year = p.num("birth_year");
      if (p.has("household")) {
        Household* h = find(s.households, p.str("household"));
        if (!h) return refused(Reason::no_household);
        n.household = h->id;
        n.unit = h->unit;
      }
      if (p.has("unit")) {
        if (!s.units.count(p.str("unit"))) return refused(Reason::no_unit);
        n.unit = p.str("unit");
      }
      if (p.has("tags")) {
        if (auto o = check_tags(p.list("tags")); !o.accepted()) return o;
        n.tags = std::set<std::string>(p.list("tags").begin(), p.list("tags").end());
      }
      *t = std::move(n);
      return accepted();
    }
    case Kind::person_leave: {
      Person* t = find(s.persons, p.str("person"));
      if (!t) return refused(Reason::no_person);
      if (t->left) return refused(Reason::person_left);
      if (auto o = may_edit_person(c, *t); !o.accepted()) return o;
      if (is_staff(*t) && staff_count(s) <= 1) return refused(Reason::role_last_staff);
      t->left = true;
      for (auto& [gid, g] : s.grids)
        if (g.leader == t->id) g.leader.clear();
      return accepted();
    }
    case Kind::role_grant:
    case Kind::role_revoke: {
      Person* t = find(s.persons, p.str("person"));
      if (!t) return refused(Reason::no_person);
      Role r{};
      enum_from_name(p.str("role"), &r);  // the schema already checked the value
      Id scope = scope_kind(r) ? p.str("scope") : Id{};
      if (c.op.kind == Kind::role_revoke) {
        if (!has_role(*t, r, scope)) return refused(Reason::role_not_held);
        if (r == Role::staff && staff_count(s) <= 1) return refused(Reason::role_last_staff);
        t->roles.erase(Grant{r, scope});
        if (r == Role::grid_leader)
          if (Grid* g = find(s.grids, scope); g && g->leader == t->id) g->leader.clear();
        return accepted();
      }
      if (t->left) return refused(Reason::person_left);
      if (auto o = check_scope(s, r, scope); !o.accepted()) return o;
      if (r == Role::grid_leader) set_grid_leader(s, s.grids[scope], *t);
      else t->roles.insert(Grant{r, scope});
      if (public_role(r)) publish_name(*t, p);
      return accepted();
    }
    case Kind::proxy_grant:
    case Kind::proxy_revoke: {
      Person* elder = find(s.persons, p.str("elder"));
      Person* proxy = find(s.persons, p.str("proxy"));
      if (!elder || !proxy) return refused(Reason::no_person);
      bool self_or_staff = c.author->id == elder->id || is_staff(*c.author) ||
                           works_grid(*c.author, grid_of_person(s, *elder));
      bool proxy_leaving = c.op.kind == Kind::proxy_revoke && c.author->id == proxy->id;
      if (!self_or_staff && !proxy_leaving) return refused(Reason::act_for);
      if (c.op.kind == Kind::proxy_grant) {
        if (elder->left || proxy->left) return refused(Reason::person_left);
        elder->proxies.insert(proxy->id);
      } else {
        if (!elder->proxies.erase(proxy->id)) return refused(Reason::role_not_held);
      }
      return accepted();
    }
    default: break;
  }
  return refused(Reason::op_invalid);
}

}  // namespace sihui::core::rules
