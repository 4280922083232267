// reducer_internal: shared helpers of the rule files (rules_*.cpp); not part of the core API.
#pragma once
#include "core/model.h"
#include "core/op.h"

namespace sihui::core::rules {

struct Ctx {
  State& s;
  const Op& op;
  const Payload& p;
  Person* author;  // null only for community.init
};

template <class M>
auto* find(M& m, const Id& id) {
  auto it = m.find(id);
  return it == m.end() ? nullptr : &it->second;
}

// A person holds a handful of grants at most: a scan beats building a Grant (a string copy) to look one up.
inline bool has_role(const Person& p, Role r, std::string_view scope = {}) {
  for (const auto& g : p.roles)
    if (g.role == r && g.scope == scope) return true;
  return false;
}
inline bool has_role_anywhere(const Person& p, Role r) {
  auto it = p.roles.lower_bound(Grant{r, {}});
  return it != p.roles.end() && it->role == r;
}
inline bool is_staff(const Person& p) { return has_role(p, Role::staff); }

// The grid covering a unit / a person's home, or "" (a reference into the state, or to a static "").
const Id& grid_of_unit(const State& s, const Id& unit);
const Id& grid_of_person(const State& s, const Person& p);
bool leads_grid(const Person& a, const Id& grid);   // staff, or the grid's leader
bool works_grid(const Person& a, const Id& grid);   // leads it, or is its grid worker
// May author act for target (self, proxy, staff, the target's grid leader or grid worker)?
bool may_act_for(const State& s, const Person& author, const Person& target);
// Resolves the optional person field (default: the author) to a registered, present person.
Outcome target_person(Ctx& c, std::string_view field, Person** out);
std::int64_t age_in_year(const Person& p, std::int64_t utc_ms);  // Shanghai calendar year - birth year

Outcome people(Ctx& c);    // rules_people.cpp
Outcome reports(Ctx& c);   // rules_reports.cpp
Outcome calendar(Ctx& c);  // rules_calendar.cpp
Outcome classes(Ctx& c);   // rules_classes.cpp
Outcome canteen(Ctx& c);   // rules_canteen.cpp
Outcome services(Ctx& c);  // rules_services.cpp (service supermarket and moral clinic)
Outcome channels(Ctx& c);  // rules_channels.cpp

}  // namespace sihui::core::rules
