#include "core/reminders.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/civil.h"

namespace sihui::core {

namespace {
std::string plan_key(const Plan& p) {
  return (p.session.empty() ? "sitting|" + p.sitting : "session|" + p.session) + "|" + p.person;
}
std::int64_t day_before_due(std::int64_t start) { return shanghai_day_start(shanghai(start).day - 1); }
}  // namespace

// [SECTION] Reminders
std::vector<Reminder> due_reminders(const State& s, const Id& person, std::int64_t now) {
  std::vector<Reminder> out;
  for (const Plan& p : person_plans(s, person, now + 1, 1000)) {
    if (p.start > now + 2 * kMsPerDay) break;  // day_before is due at most 48 h ahead
    if (p.waitlisted) continue;
    Reminder r;
    r.plan = p;
    if (now >= p.start - kMsPerHour) {
      r.when = RemindWhen::hour_before;
      r.due = p.start - kMsPerHour;
    } else if (now >= day_before_due(p.start)) {
      r.when = RemindWhen::day_before;
      r.due = day_before_due(p.start);
    } else {
      continue;
    }
    r.key = plan_key(p) + "|" + std::string(enum_name(r.when));
    out.push_back(std::move(r));
  }
  return out;
}

std::int64_t next_reminder_at(const State& s, const Id& person, std::int64_t now) {
  std::int64_t best = 0;
  for (const Plan& p : person_plans(s, person, now + 1, 1000)) {
    if (p.start > now + 8 * kMsPerDay) break;
    if (p.waitlisted) continue;
    for (std::int64_t t : {day_before_due(p.start), p.start - kMsPerHour})
      if (t > now && (best == 0 || t < best)) best = t;
  }
  return best;
}

// [SECTION] Missed diners
std::vector<Id> grids_watched(const State& s, const Id& person) {
  std::vector<Id> out;
  auto p = s.persons.find(person);
  if (p == s.persons.end() || p->second.left) return out;
  for (const Grant& g : p->second.roles) {
    if (g.role == Role::staff) {
      out.clear();
      for (const auto& [id, gr] : s.grids) out.push_back(id);
      return out;
    }
    if ((g.role == Role::grid_leader || g.role == Role::grid_worker) && s.grids.count(g.scope)) out.push_back(g.scope);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<MissedDiner> missed_diners(const State& s, std::int64_t now, const Id& grid) {
  std::vector<MissedDiner> out;
  const std::int64_t today = shanghai(now).day;
  // Open days before today, most recent first, with who came on each.
  std::map<std::int64_t, std::vector<const Sitting*>, std::greater<>> days;
  for (const auto& [id, st] : s.sittings) {
    std::int64_t d = shanghai(st.starts_at).day;
    if (d < today) days[d].push_back(&st);
  }
  const int window = kMissedRun + kRegularLookback;
  if (static_cast<int>(days.size()) < window) return out;  // not enough history to judge
  std::map<Id, int> first_seen_index, before;  // first_seen_index: the latest open day they came (0 = most recent)
  std::map<Id, std::int64_t> last_seen;
  int i = 0;
  for (const auto& [d, sits] : days) {
    if (i >= window) break;
    for (const Sitting* st : sits)
      for (const auto& [pid, b] : st->bookings) {
        if (!b.attended) continue;
        first_seen_index.emplace(pid, i);
        auto& ls = last_seen[pid];
        ls = std::max(ls, st->starts_at);
      }
    ++i;
  }
  // A person counts once a day, whatever the number of sittings they ate at.
  before.clear();
  i = 0;
  for (const auto& [d, sits] : days) {
    if (i >= window) break;
    if (i >= kMissedRun) {
      std::set<Id> came;
      for (const Sitting* st : sits)
        for (const auto& [pid, b] : st->bookings)
          if (b.attended) came.insert(pid);
      for (const Id& pid : came) before[pid]++;
    }
    ++i;
  }
  for (const auto& [pid, n] : before) {
    if (n < kRegularMin) continue;
    int run = first_seen_index.at(pid);  // open days since they last came
    if (run < kMissedRun) continue;
    auto p = s.persons.find(pid);
    if (p == s.persons.end() || p->second.left) continue;
    MissedDiner m;
    m.person = pid;
    m.name = p->second.name;
    Id unit = p->second.unit;
    if (unit.empty())
      if (auto h = s.households.find(p->second.household); h != s.households.end()) unit = h->second.unit;
    if (auto u = s.units.find(unit); u != s.units.end())
      if (auto b = s.buildings.find(u->second.building); b != s.buildings.end())
        if (auto c = s.compounds.find(b->second.compound); c != s.compounds.end()) m.grid = c->second.grid;
    if (!grid.empty() && m.grid != grid) continue;
    if (auto g = s.grids.find(m.grid); g != s.grids.end()) m.leader = g->second.leader;
    m.came_before = n;
    m.missed_days = run;
    m.last_seen = last_seen[pid];
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(), [](const MissedDiner& a, const MissedDiner& b) {
    if (a.missed_days != b.missed_days) return a.missed_days > b.missed_days;
    return a.name != b.name ? a.name < b.name : a.person < b.person;
  });
  return out;
}

}  // namespace sihui::core
