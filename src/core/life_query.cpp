#include "core/life_query.h"

#include <algorithm>

#include "core/civil.h"
#include "core/community_query.h"

namespace sihui::core {

using json = nlohmann::json;

namespace {
EntryKind kind_of(EventCategory c) {
  switch (c) {
    case EventCategory::festival: return EntryKind::festival;
    case EventCategory::club: return EntryKind::club;
    case EventCategory::klass: return EntryKind::klass;
    case EventCategory::clinic: return EntryKind::clinic;
    case EventCategory::canteen: return EntryKind::canteen;
    default: return EntryKind::other;
  }
}
bool has(unsigned mask, EntryKind k) { return (mask & entry_bit(k)) != 0; }
}  // namespace

// [SECTION] Calendar entries
std::vector<Entry> life_entries(const State& s, std::int64_t from, std::int64_t to, unsigned mask) {
  std::vector<Entry> out;
  for (const auto& o : calendar_occurrences(s, from, to)) {
    const Event& e = s.events.at(o.event);
    EntryKind k = kind_of(e.category);
    if (!has(mask, k)) continue;
    Entry x;
    x.kind = k;
    x.start = o.start;
    x.end = o.end;
    x.title = e.title;
    x.place = o.place;
    x.note = o.note;
    x.event = o.event;
    x.original = o.original;
    x.recurring = !e.rrule.empty();
    x.cancelled = o.cancelled;
    x.moved = o.moved;
    x.access_note = e.access_note;
    out.push_back(std::move(x));
  }
  if (has(mask, EntryKind::klass)) {
    for (const auto& [id, ses] : s.sessions) {
      if (ses.starts_at < from || ses.starts_at >= to) continue;
      Entry x;
      x.kind = EntryKind::klass;
      x.start = ses.starts_at;
      x.end = ses.starts_at + ses.duration_min * kMsPerMinute;
      if (auto c = s.courses.find(ses.course); c != s.courses.end()) x.title = c->second.title;
      x.place = ses.place;
      x.session = id;
      x.number = ses.number;
      x.theme = ses.theme;
      x.seats = ses.seats;
      x.taken = ses.taken;
      for (const auto& g : ses.waitlist) x.waiting += static_cast<std::int64_t>(g.persons.size());
      out.push_back(std::move(x));
    }
  }
  if (has(mask, EntryKind::canteen)) {
    for (const Sitting* st : sittings_between(s, from, to)) {
      Entry x;
      x.kind = EntryKind::canteen;
      x.start = st->starts_at;
      x.end = st->starts_at + kMsPerHour;
      x.sitting = st->id;
      x.meal = st->meal;
      x.seats = st->seats;
      x.taken = static_cast<std::int64_t>(st->bookings.size());
      out.push_back(std::move(x));
    }
  }
  if (has(mask, EntryKind::volunteer)) {
    for (const auto& [id, r] : s.requests) {
      if (r.wanted_at < from || r.wanted_at >= to) continue;
      if (r.status != RequestStatus::open && r.status != RequestStatus::taken) continue;
      Entry x;
      x.kind = EntryKind::volunteer;
      x.start = r.wanted_at;
      x.end = r.wanted_at + r.minutes * kMsPerMinute;
      if (auto sv = s.services.find(r.service); sv != s.services.end()) x.title = sv->second.name;
      x.request = id;
      out.push_back(std::move(x));
    }
  }
  auto id_of = [](const Entry& e) -> const Id& {
    return !e.event.empty() ? e.event : !e.session.empty() ? e.session : !e.sitting.empty() ? e.sitting : e.request;
  };
  std::sort(out.begin(), out.end(), [&](const Entry& a, const Entry& b) {  // ids are unique: a total order
    if (a.start != b.start) return a.start < b.start;
    if (a.kind != b.kind) return a.kind < b.kind;
    return id_of(a) < id_of(b);
  });
  return out;
}

std::vector<DaySummary> day_summaries(const std::vector<Entry>& entries, std::int64_t first_day, int days) {
  std::vector<DaySummary> out(static_cast<std::size_t>(std::max(days, 0)));
  for (const auto& e : entries) {
    std::int64_t d = shanghai(e.start).day - first_day;
    if (d < 0 || d >= days) continue;
    auto& x = out[static_cast<std::size_t>(d)];
    ++x.count;
    x.cancelled += e.cancelled;
    x.kinds |= entry_bit(e.kind);
  }
  return out;
}

// [SECTION] People a person acts for
std::vector<const Person*> acting_for(const State& s, const Id& person) {
  std::vector<const Person*> out;
  auto me = s.persons.find(person);
  if (me == s.persons.end()) return out;
  out.push_back(&me->second);
  std::vector<const Person*> family, proxied;
  for (const auto& [id, p] : s.persons) {
    if (id == person || p.left) continue;
    if (!me->second.household.empty() && p.household == me->second.household) family.push_back(&p);
    else if (p.proxies.count(person)) proxied.push_back(&p);
  }
  auto by_name = [](const Person* a, const Person* b) { return a->name != b->name ? a->name < b->name : a->id < b->id; };
  std::sort(family.begin(), family.end(), by_name);
  std::sort(proxied.begin(), proxied.end(), by_name);
  out.insert(out.end(), family.begin(), family.end());
  out.insert(out.end(), proxied.begin(), proxied.end());
  return out;
}

// [SECTION] Heritage classes
std::vector<const Session*> course_sessions(const State& s, const Id& course) {
  std::vector<const Session*> v;
  for (const auto& [id, ses] : s.sessions)
    if (ses.course == course) v.push_back(&ses);
  std::sort(v.begin(), v.end(), [](auto* a, auto* b) { return a->number != b->number ? a->number < b->number : a->id < b->id; });
  return v;
}

std::vector<RosterRow> session_roster(const State& s, const Id& session) {
  std::vector<RosterRow> rows;
  auto it = s.sessions.find(session);
  if (it == s.sessions.end()) return rows;
  const Session& ses = it->second;
  auto add = [&](const Signup& g, bool enrolled, std::int64_t position) {
    for (const auto& pid : g.persons) {
      RosterRow r;
      r.person = pid;
      if (auto p = s.persons.find(pid); p != s.persons.end()) {
        r.name = p->second.name;
        r.birth_year = p->second.birth_year;
      }
      r.enrolled = enrolled;
      r.position = position;
      r.group = g.op;
      r.group_size = static_cast<std::int64_t>(g.persons.size());
      r.by = g.by;
      r.attended = ses.attended.count(pid) > 0;
      r.no_show = ses.no_shows.count(pid) > 0;
      rows.push_back(std::move(r));
    }
  };
  for (const auto& g : ses.enrolled) add(g, true, 0);
  for (std::size_t i = 0; i < ses.waitlist.size(); ++i) add(ses.waitlist[i], false, static_cast<std::int64_t>(i + 1));
  return rows;
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
  return out;
}

std::string roster_csv(const std::vector<RosterRow>& rows, const std::vector<std::string>& labels) {
  auto label = [&](std::size_t i) { return i < labels.size() ? labels[i] : std::string(); };
  std::string out = "\xEF\xBB\xBF";  // BOM: Excel and WPS then read the file as UTF-8
  for (std::size_t i = 0; i < 7; ++i) {
    if (i) out += ',';
    out += csv_field(label(i));
  }
  out += "\r\n";
  // Groups are numbered in the order they appear, so a family reads as "2" on three lines.
  std::map<Id, int> group_no;
  int n = 0;
  for (const auto& r : rows) {
    int& g = group_no[r.group];
    if (!g) g = ++n;
    const std::string status = r.enrolled ? label(7) : label(8);
    const std::string came = r.attended ? label(9) : r.no_show ? label(10) : label(11);
    out += std::to_string(&r - rows.data() + 1) + "," + csv_field(r.name) + "," +
           (r.birth_year ? std::to_string(r.birth_year) : std::string()) + "," + csv_field(status) + "," +
           (r.position ? std::to_string(r.position) : std::string()) + "," + std::to_string(g) + "," + csv_field(came) +
           "\r\n";
  }
  return out;
}

SignupStatus signup_status(const Session& ses, const Id& person) {
  SignupStatus st;
  for (const auto& g : ses.enrolled)
    if (std::find(g.persons.begin(), g.persons.end(), person) != g.persons.end()) {
      st.enrolled = true;
      st.group = g.op;
      st.persons = g.persons;
      return st;
    }
  for (std::size_t i = 0; i < ses.waitlist.size(); ++i) {
    const auto& g = ses.waitlist[i];
    if (std::find(g.persons.begin(), g.persons.end(), person) != g.persons.end()) {
      st.waitlisted = true;
      st.position = static_cast<std::int64_t>(i + 1);
      st.group = g.op;
      st.persons = g.persons;
      return st;
    }
  }
  return st;
}

// [SECTION] Canteen
Eligibility canteen_eligibility(const Person& p, std::int64_t at) {
  Eligibility e;
  e.age = shanghai(at).year - p.birth_year;
  e.exception = !p.canteen_exception.empty();
  e.eligible = e.age >= 80 || e.exception;  // the same rule as rules_canteen.cpp
  return e;
}

std::vector<const Sitting*> sittings_between(const State& s, std::int64_t from, std::int64_t to) {
  std::vector<const Sitting*> v;
  for (const auto& [id, st] : s.sittings)
    if (st.starts_at >= from && st.starts_at < to) v.push_back(&st);
  std::sort(v.begin(), v.end(), [](auto* a, auto* b) { return a->starts_at != b->starts_at ? a->starts_at < b->starts_at : a->id < b->id; });
  return v;
}

KitchenCount kitchen_count(const State& s, std::int64_t day) {
  KitchenCount k;
  for (const Sitting* st : sittings_between(s, shanghai_day_start(day), shanghai_day_start(day + 1))) {
    ++k.sittings;
    k.seats += st->seats;
    k.booked += static_cast<std::int64_t>(st->bookings.size());
    for (const auto& [pid, b] : st->bookings) {
      k.attended += b.attended;
      k.walk_ins += b.walk_in;
      if (!b.diet.empty()) ++k.diets[b.diet];
    }
  }
  return k;
}

// [SECTION] A person's plans
std::vector<Plan> person_plans(const State& s, const Id& person, std::int64_t from, std::size_t limit) {
  std::vector<Plan> out;
  auto people = acting_for(s, person);
  if (people.empty()) return out;
  for (const auto& [id, ses] : s.sessions) {
    if (ses.starts_at < from || ses.closed) continue;
    std::vector<Id> groups;  // a group shows once, under the first of people who is in it
    for (const Person* p : people) {
      auto st = signup_status(ses, p->id);
      if (!st.enrolled && !st.waitlisted) continue;
      if (std::find(groups.begin(), groups.end(), st.group) != groups.end()) continue;
      groups.push_back(st.group);
      Plan x;
      x.kind = EntryKind::klass;
      x.start = ses.starts_at;
      x.session = id;
      x.person = p->id;
      if (auto c = s.courses.find(ses.course); c != s.courses.end()) x.title = c->second.title;
      x.theme = ses.theme;
      x.place = ses.place;
      x.number = ses.number;
      x.waitlisted = st.waitlisted;
      x.position = st.position;
      out.push_back(std::move(x));
    }
  }
  // Sittings: only the future ones can hold bookings that still matter, and there is one a day.
  for (const auto& [id, st] : s.sittings) {
    if (st.starts_at < from) continue;
    for (const Person* p : people) {
      auto b = st.bookings.find(p->id);
      if (b == st.bookings.end()) continue;
      Plan x;
      x.kind = EntryKind::canteen;
      x.start = st.starts_at;
      x.sitting = id;
      x.person = p->id;
      x.diet = b->second.diet;
      out.push_back(std::move(x));
    }
  }
  std::sort(out.begin(), out.end(), [](const Plan& a, const Plan& b) {
    if (a.start != b.start) return a.start < b.start;
    if (a.person != b.person) return a.person < b.person;
    return a.session != b.session ? a.session < b.session : a.sitting < b.sitting;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

// [SECTION] JSON forms
// Written key by key: nlohmann's initializer lists cost several times the code in wasm.
json entries_json(const std::vector<Entry>& v) {
  json a = json::array();
  for (const auto& e : v) {
    json j = json::object();
    j["kind"] = enum_name(e.kind);
    j["start"] = e.start;
    j["end"] = e.end;
    j["date"] = format_date(e.start);
    j["time"] = format_time(e.start);
    j["title"] = e.title;
    j["place"] = e.place;
    j["cancelled"] = e.cancelled;
    j["moved"] = e.moved;
    j["recurring"] = e.recurring;
    if (!e.note.empty()) j["note"] = e.note;
    if (!e.event.empty()) j["event"] = e.event, j["original"] = e.original;
    if (!e.session.empty()) j["session"] = e.session, j["number"] = e.number, j["theme"] = e.theme;
    if (!e.sitting.empty()) j["sitting"] = e.sitting, j["meal"] = enum_name(e.meal);
    if (!e.request.empty()) j["request"] = e.request;
    if (e.seats >= 0) j["seats"] = e.seats, j["taken"] = e.taken, j["waiting"] = e.waiting;
    a.push_back(std::move(j));
  }
  return a;
}

json roster_json(const std::vector<RosterRow>& v) {
  json a = json::array();
  for (const auto& r : v) {
    json j = json::object();
    j["person"] = r.person;
    j["name"] = r.name;
    j["enrolled"] = r.enrolled;
    j["position"] = r.position;
    j["group"] = r.group;
    j["group_size"] = r.group_size;
    j["by"] = r.by;
    j["attended"] = r.attended;
    j["no_show"] = r.no_show;
    a.push_back(std::move(j));
  }
  return a;
}

json plans_json(const std::vector<Plan>& v) {
  json a = json::array();
  for (const auto& p : v) {
    json j = json::object();
    j["kind"] = enum_name(p.kind);
    j["start"] = p.start;
    j["date"] = format_date(p.start);
    j["time"] = format_time(p.start);
    j["person"] = p.person;
    if (!p.session.empty()) {
      j["session"] = p.session;
      j["title"] = p.title;
      j["number"] = p.number;
      j["theme"] = p.theme;
      j["waitlisted"] = p.waitlisted;
      j["position"] = p.position;
    }
    if (!p.sitting.empty()) j["sitting"] = p.sitting, j["diet"] = p.diet;
    a.push_back(std::move(j));
  }
  return a;
}

}  // namespace sihui::core
