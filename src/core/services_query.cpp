#include "core/services_query.h"

#include <algorithm>
#include <map>

#include "core/civil.h"
#include "core/community_query.h"
#include "core/life_query.h"
#include "core/reducer_internal.h"

namespace sihui::core {

// [SECTION] Money in words
std::string format_yuan(std::int64_t fen) {
  std::string sign = fen < 0 ? "-" : "";
  if (fen < 0) fen = -fen;
  std::string cents = std::to_string(fen % 100);
  if (cents.size() < 2) cents.insert(0, "0");
  return sign + std::to_string(fen / 100) + "." + cents;
}

bool parse_yuan(std::string_view text, std::int64_t* fen) {
  auto trim = [](std::string_view& t) {
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  };
  trim(text);
  for (std::string_view sign : {std::string_view("¥"), std::string_view("￥")})
    if (text.substr(0, sign.size()) == sign) text.remove_prefix(sign.size());
  if (text.size() >= 3 && text.substr(text.size() - 3) == "元") text.remove_suffix(3);
  trim(text);
  if (text.empty()) return false;
  std::int64_t whole = 0, cents = 0;
  int digits = 0, decimals = -1;
  for (char ch : text) {
    if (ch == '.') {
      if (decimals >= 0 || digits == 0) return false;
      decimals = 0;
      continue;
    }
    if (ch < '0' || ch > '9') return false;
    if (decimals >= 0) {
      if (++decimals > 2) return false;
      cents = cents * 10 + (ch - '0');
    } else {
      if (++digits > 7) return false;
      whole = whole * 10 + (ch - '0');
    }
  }
  if (decimals == 0) return false;  // "28." is a slip, not a number
  if (decimals == 1) cents *= 10;
  if (whole > 1'000'000 || (whole == 1'000'000 && cents > 0)) return false;
  *fen = whole * 100 + cents;
  return true;
}

// [SECTION] Service supermarket
namespace {
const Compound* home_compound(const State& s, const Person& p) {
  auto u = s.units.find(p.unit);
  if (u == s.units.end()) return nullptr;
  auto b = s.buildings.find(u->second.building);
  if (b == s.buildings.end()) return nullptr;
  auto c = s.compounds.find(b->second.compound);
  return c == s.compounds.end() ? nullptr : &c->second;
}
const Person* person(const State& s, const Id& id) {
  auto it = s.persons.find(id);
  return it == s.persons.end() ? nullptr : &it->second;
}
bool unfinished(RequestStatus st) {
  return st == RequestStatus::open || st == RequestStatus::taken || st == RequestStatus::done;
}
}  // namespace

std::vector<const Service*> service_catalogue(const State& s) {
  std::map<Id, std::int64_t> asked;
  for (const auto& [id, r] : s.requests) ++asked[r.service];
  std::vector<const Service*> v;
  for (const auto& [id, sv] : s.services) v.push_back(&sv);
  std::sort(v.begin(), v.end(), [&](const Service* a, const Service* b) {
    std::int64_t na = asked.count(a->id) ? asked[a->id] : 0, nb = asked.count(b->id) ? asked[b->id] : 0;
    if (na != nb) return na > nb;
    if (a->name != b->name) return a->name < b->name;
    return a->id < b->id;
  });
  return v;
}

bool request_near(const State& s, const ServiceRequest& r, const Id& volunteer) {
  const Person* v = person(s, volunteer);
  const Person* e = person(s, r.for_person);
  if (!v || !e) return false;
  const Id& g = rules::grid_of_person(s, *v);
  return !g.empty() && g == rules::grid_of_person(s, *e);
}

std::vector<const ServiceRequest*> open_requests(const State& s, const Id& volunteer, std::size_t limit) {
  const Person* v = person(s, volunteer);
  const Compound* vc = v ? home_compound(s, *v) : nullptr;
  const bool v_point = vc && (vc->point_x || vc->point_y);
  struct Row { int rank; std::int64_t dist, when; const ServiceRequest* r; };
  std::vector<Row> rows;
  for (const auto& [id, r] : s.requests) {
    if (r.status != RequestStatus::open || r.for_person == volunteer || r.by == volunteer) continue;
    Row row{2, 0, r.wanted_at ? r.wanted_at : r.made_at, &r};
    if (request_near(s, r, volunteer)) row.rank = 0;
    if (const Person* e = person(s, r.for_person); e && row.rank != 0 && v_point) {
      if (const Compound* ec = home_compound(s, *e); ec && (ec->point_x || ec->point_y)) {
        std::int64_t dx = ec->point_x - vc->point_x, dy = ec->point_y - vc->point_y;
        row.rank = 1;
        row.dist = dx * dx + dy * dy;  // micro-degrees squared: only the order matters
      }
    }
    rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.rank != b.rank) return a.rank < b.rank;
    if (a.dist != b.dist) return a.dist < b.dist;
    if (a.when != b.when) return a.when < b.when;
    return a.r->id < b.r->id;
  });
  std::vector<const ServiceRequest*> out;
  for (const auto& row : rows) {
    if (out.size() >= limit) break;
    out.push_back(row.r);
  }
  return out;
}

std::vector<const ServiceRequest*> person_requests(const State& s, const Id& who, std::size_t limit) {
  std::vector<Id> people;
  for (const Person* p : acting_for(s, who)) people.push_back(p->id);
  std::sort(people.begin(), people.end());
  std::vector<const ServiceRequest*> v;
  for (const auto& [id, r] : s.requests)
    if (r.by == who || std::binary_search(people.begin(), people.end(), r.for_person)) v.push_back(&r);
  std::sort(v.begin(), v.end(), [](const ServiceRequest* a, const ServiceRequest* b) {
    bool ua = unfinished(a->status), ub = unfinished(b->status);
    if (ua != ub) return ua;
    if (a->made_at != b->made_at) return a->made_at > b->made_at;
    return a->id > b->id;
  });
  if (v.size() > limit) v.resize(limit);
  return v;
}

std::vector<const ServiceRequest*> volunteer_tasks(const State& s, const Id& volunteer) {
  std::vector<const ServiceRequest*> v;
  for (const auto& [id, r] : s.requests)
    if (r.volunteer == volunteer && (r.status == RequestStatus::taken || r.status == RequestStatus::done)) v.push_back(&r);
  std::sort(v.begin(), v.end(), [](const ServiceRequest* a, const ServiceRequest* b) {
    if (a->status != b->status) return a->status < b->status;
    if (a->made_at != b->made_at) return a->made_at < b->made_at;
    return a->id < b->id;
  });
  return v;
}

std::size_t waiting_confirmation(const State& s, const Id& who) {
  std::size_t n = 0;
  for (const ServiceRequest* r : person_requests(s, who, SIZE_MAX))
    if (r->status == RequestStatus::done && r->volunteer != who) ++n;
  return n;
}

std::vector<Thanks> thank_you_list(const State& s, std::size_t limit) {
  std::vector<Thanks> v;
  for (const auto& [id, p] : s.persons)
    if (p.services_done > 0) v.push_back({id, p.name, p.volunteer_minutes, p.services_done, volunteer_stars(p.volunteer_minutes)});
  std::sort(v.begin(), v.end(), [](const Thanks& a, const Thanks& b) {
    if (a.minutes != b.minutes) return a.minutes > b.minutes;
    if (a.services != b.services) return a.services > b.services;
    if (a.name != b.name) return a.name < b.name;
    return a.person < b.person;
  });
  if (v.size() > limit) v.resize(limit);
  return v;
}

VolunteerStats volunteer_stats(const State& s, const Id& who) {
  VolunteerStats st;
  const Person* p = person(s, who);
  if (!p) return st;
  st.minutes = p->volunteer_minutes;
  st.services = p->services_done;
  st.stars = volunteer_stars(st.minutes);
  static const std::int64_t kStarHours[] = {10, 30, 60, 100, 200};
  st.next_star_minutes = st.stars >= 5 ? 0 : kStarHours[st.stars] * 60 - st.minutes;
  if (st.services > 0) {
    auto all = thank_you_list(s, SIZE_MAX);
    for (std::size_t i = 0; i < all.size(); ++i)
      if (all[i].person == who) st.rank = static_cast<std::int64_t>(i) + 1;
  }
  return st;
}

// [SECTION] Moral clinic
bool clinic_member(const Person& p) { return !p.left && rules::has_role_anywhere(p, Role::clinic); }

std::vector<const Person*> clinic_duty(const State& s, int weekday) {
  std::vector<const Person*> v;
  auto it = s.clinic_roster.find(weekday);
  if (it == s.clinic_roster.end()) return v;
  for (const auto& id : it->second)
    if (const Person* p = person(s, id)) v.push_back(p);
  std::sort(v.begin(), v.end(), [](const Person* a, const Person* b) { return a->name != b->name ? a->name < b->name : a->id < b->id; });
  return v;
}

std::int64_t last_touched(const ClinicCase& k) {
  std::int64_t t = k.opened_at;
  for (const auto& e : k.entries) t = std::max(t, e.at);
  return t;
}

bool followup_due(const ClinicCase& k, std::int64_t now) {
  return k.outcome == CaseOutcome::open && now - last_touched(k) >= 7 * kMsPerDay;
}

std::vector<const ClinicCase*> clinic_cases(const State& s, std::int64_t now) {
  std::vector<const ClinicCase*> v;
  for (const auto& [id, k] : s.cases) v.push_back(&k);
  std::sort(v.begin(), v.end(), [now](const ClinicCase* a, const ClinicCase* b) {
    bool oa = a->outcome == CaseOutcome::open, ob = b->outcome == CaseOutcome::open;
    if (oa != ob) return oa;
    if (oa) {
      bool da = followup_due(*a, now), db = followup_due(*b, now);
      if (da != db) return da;
      if (a->opened_at != b->opened_at) return a->opened_at < b->opened_at;
    } else if (a->closed_at != b->closed_at) {
      return a->closed_at > b->closed_at;
    }
    return a->id < b->id;
  });
  return v;
}

ClinicSummary clinic_summary(const State& s, std::int64_t now, int months) {
  ClinicSummary c;
  months = std::clamp(months, 1, 120);
  auto t = shanghai(now);
  std::int64_t y = t.year;
  int m = t.month;
  for (int i = 1; i < months; ++i)
    if (--m == 0) m = 12, --y;
  const std::int64_t from = shanghai_ms(y, m, 1);
  std::map<std::string, std::size_t> index;
  for (int i = 0; i < months; ++i) {
    ClinicMonth cm;
    cm.month = format_month(shanghai_ms(y, m, 1));
    index[cm.month] = c.months.size();
    c.months.push_back(cm);
    if (++m == 13) m = 1, ++y;
  }
  const std::int64_t to = shanghai_ms(y, m, 1);
  for (const auto& [id, k] : s.cases) {
    if (k.outcome == CaseOutcome::open && k.opened_at < to) ++c.open_now;
    if (k.opened_at >= from && k.opened_at < to) {
      ++c.opened;
      ++c.months[index[format_month(k.opened_at)]].opened;
    }
    if (k.outcome != CaseOutcome::open && k.closed_at >= from && k.closed_at < to) {
      ++c.closed;
      auto& cm = c.months[index[format_month(k.closed_at)]];
      ++cm.closed;
      if (k.outcome == CaseOutcome::resolved) ++c.resolved, ++cm.resolved;
    }
  }
  c.resolution_permille = c.closed ? c.resolved * 1000 / c.closed : 0;
  return c;
}

// [SECTION] Roles for the home screen
std::vector<Hat> hats_of(const Person& p) {
  std::vector<Hat> v{Hat::resident};
  bool vol = false, staff = false, clinic = false;
  for (const auto& g : p.roles) {
    if (g.role == Role::volunteer) vol = true;
    else if (g.role == Role::clinic) clinic = true;
    else staff = true;  // committee, grid and building staff, canteen staff, teachers
  }
  if (p.left) return v;
  if (vol) v.push_back(Hat::volunteer);
  if (staff) v.push_back(Hat::staff);
  if (clinic) v.push_back(Hat::clinic);
  return v;
}

// [SECTION] JSON for run_query (tests and automation)
nlohmann::json requests_json(const State& s, const std::vector<const ServiceRequest*>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (const ServiceRequest* r : v) {
    nlohmann::json j;
    j["id"] = r->id;
    j["service"] = r->service;
    j["for"] = r->for_person;
    j["by"] = r->by;
    j["status"] = std::string(enum_name(r->status));
    j["volunteer"] = r->volunteer;
    j["minutes"] = r->minutes;
    j["volunteer_fen"] = r->volunteer_amount_fen;
    j["elder_fen"] = r->elder_amount_fen;
    j["made_at"] = r->made_at;
    (void)s;
    a.push_back(std::move(j));
  }
  return a;
}

nlohmann::json volunteer_json(const VolunteerStats& v, const std::vector<Thanks>& thanks) {
  nlohmann::json j;
  j["minutes"] = v.minutes;
  j["services"] = v.services;
  j["stars"] = v.stars;
  j["next_star_minutes"] = v.next_star_minutes;
  j["rank"] = v.rank;
  nlohmann::json t = nlohmann::json::array();
  for (const auto& x : thanks) {
    nlohmann::json r;
    r["person"] = x.person;
    r["name"] = x.name;
    r["minutes"] = x.minutes;
    r["services"] = x.services;
    r["stars"] = x.stars;
    t.push_back(std::move(r));
  }
  j["thanks"] = std::move(t);
  return j;
}

nlohmann::json clinic_summary_json(const ClinicSummary& c) {
  nlohmann::json j;
  j["opened"] = c.opened;
  j["closed"] = c.closed;
  j["resolved"] = c.resolved;
  j["open_now"] = c.open_now;
  j["resolution_permille"] = c.resolution_permille;
  nlohmann::json m = nlohmann::json::array();
  for (const auto& x : c.months) {
    nlohmann::json r;
    r["month"] = x.month;
    r["opened"] = x.opened;
    r["closed"] = x.closed;
    r["resolved"] = x.resolved;
    m.push_back(std::move(r));
  }
  j["months"] = std::move(m);
  return j;
}

}  // namespace sihui::core
