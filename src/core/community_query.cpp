#include "core/community_query.h"

#include <algorithm>

#include "core/categories.h"
#include "core/civil.h"
#include "core/reminders.h"

namespace sihui::core {

using json = nlohmann::json;

std::vector<Occurrence> calendar_occurrences(const State& s, std::int64_t from, std::int64_t to) {
  std::vector<Occurrence> out;
  const std::int64_t slack = 7 * kMsPerDay;  // an occurrence may be moved by at most a week
  for (const auto& [id, e] : s.events) {
    if (e.cancelled) continue;
    std::vector<std::int64_t> starts;
    if (e.rrule.empty()) {
      starts.push_back(e.starts_at);
    } else {
      RRule r;
      if (!parse_rrule(e.rrule, &r, nullptr)) continue;
      starts = expand_rrule(r, e.starts_at, from - slack, to + slack);
    }
    for (std::int64_t t : starts) {
      if (e.exdates.count(t)) continue;
      Occurrence o{id, t, t + e.duration_min * kMsPerMinute, t, false, false, e.place, {}};
      if (auto ov = e.overrides.find(t); ov != e.overrides.end()) {
        o.start = ov->second.starts_at;
        o.end = o.start + ov->second.duration_min * kMsPerMinute;
        o.moved = o.start != t;
        o.cancelled = ov->second.cancelled;
        o.place = ov->second.place;
        o.note = ov->second.cancelled ? ov->second.reason : ov->second.note;
      }
      if (o.start >= from && o.start < to) out.push_back(std::move(o));
    }
  }
  std::sort(out.begin(), out.end(), [](const Occurrence& a, const Occurrence& b) {
    return a.start != b.start ? a.start < b.start : a.event < b.event;
  });
  return out;
}

json calendar_json(const State& s, std::int64_t from, std::int64_t to) {
  json a = json::array();
  for (const auto& o : calendar_occurrences(s, from, to)) {
    const Event& e = s.events.at(o.event);
    a.push_back({{"event", o.event}, {"title", e.title}, {"start", o.start}, {"end", o.end}, {"original", o.original},
                 {"date", format_date(o.start)}, {"time", format_time(o.start)}, {"place", o.place}, {"note", o.note},
                 {"cancelled", o.cancelled}, {"moved", o.moved}, {"category", std::string(enum_name(e.category))},
                 {"audience", std::string(enum_name(e.audience))}, {"access_note", e.access_note}, {"rrule", e.rrule}});
  }
  return a;
}

json session_seats(const State& s, const Id& session, const Id& person) {
  auto it = s.sessions.find(session);
  if (it == s.sessions.end()) return nullptr;
  const Session& ses = it->second;
  std::int64_t waiting = 0;
  for (const auto& g : ses.waitlist) waiting += static_cast<std::int64_t>(g.persons.size());
  json j = {{"session", ses.id}, {"number", ses.number}, {"seats", ses.seats}, {"taken", ses.taken},
            {"free", ses.seats - ses.taken}, {"waitlist", waiting}, {"closed", ses.closed}, {"status", "none"}};
  if (!person.empty()) {
    for (const auto& g : ses.enrolled)
      if (std::find(g.persons.begin(), g.persons.end(), person) != g.persons.end()) j["status"] = "enrolled";
    for (std::size_t i = 0; i < ses.waitlist.size(); ++i) {
      const auto& g = ses.waitlist[i];
      if (std::find(g.persons.begin(), g.persons.end(), person) != g.persons.end()) {
        j["status"] = "waitlisted";
        j["position"] = i + 1;
      }
    }
  }
  return j;
}

json canteen_sittings(const State& s, std::int64_t from, std::int64_t to) {
  std::vector<const Sitting*> v;
  for (const auto& [id, st] : s.sittings)
    if (st.starts_at >= from && st.starts_at < to) v.push_back(&st);
  std::sort(v.begin(), v.end(), [](auto* a, auto* b) { return a->starts_at != b->starts_at ? a->starts_at < b->starts_at : a->id < b->id; });
  json a = json::array();
  for (const Sitting* st : v) {
    std::int64_t attended = 0, walk_ins = 0;
    std::map<std::string, std::int64_t> diets;
    for (const auto& [pid, b] : st->bookings) {
      attended += b.attended;
      walk_ins += b.walk_in;
      if (!b.diet.empty()) ++diets[b.diet];
    }
    auto booked = static_cast<std::int64_t>(st->bookings.size());
    a.push_back({{"sitting", st->id}, {"date", format_date(st->starts_at)}, {"time", format_time(st->starts_at)},
                 {"meal", std::string(enum_name(st->meal))}, {"seats", st->seats}, {"booked", booked},
                 {"free", st->seats - booked}, {"attended", attended}, {"walk_ins", walk_ins}, {"diets", diets}});
  }
  return a;
}

std::vector<OpenReportRow> open_report_rows(const State& s, const Id& grid, std::int64_t now, std::int64_t* next_change) {
  std::vector<OpenReportRow> rows;
  std::int64_t next = INT64_MAX;
  for (const auto& [id, r] : s.reports) {
    if (r.status == ReportStatus::closed) continue;
    if (!grid.empty() && !(grid == "-" ? r.grid.empty() : r.grid == grid)) continue;
    bool waiting = r.status != ReportStatus::handled && r.status != ReportStatus::reviewed;
    std::int64_t escalates_at = r.due_at + due_hours(r.category) * kMsPerHour;
    bool overdue = waiting && now > r.due_at;
    bool escalated = overdue && now > escalates_at;
    if (waiting && !overdue) next = std::min(next, r.due_at + 1);
    else if (waiting && !escalated) next = std::min(next, escalates_at + 1);
    rows.push_back({&r, overdue, escalated});
  }
  std::sort(rows.begin(), rows.end(), [](const OpenReportRow& a, const OpenReportRow& b) {
    if (a.escalated != b.escalated) return a.escalated;
    if (a.overdue != b.overdue) return a.overdue;
    if (a.report->priority != b.report->priority) return a.report->priority < b.report->priority;
    if (a.report->due_at != b.report->due_at) return a.report->due_at < b.report->due_at;
    return a.report->id < b.report->id;
  });
  if (next_change) *next_change = next;
  return rows;
}

json open_reports(const State& s, const Id& grid, std::int64_t now) {
  json a = json::array();
  for (const auto& row : open_report_rows(s, grid, now)) {
    const Report& r = *row.report;
    a.push_back({{"report", r.id}, {"category", std::string(enum_name(r.category))}, {"subtype", r.subtype},
                 {"status", std::string(enum_name(r.status))}, {"grid", r.grid}, {"compound", r.compound},
                 {"building", r.building}, {"unit", r.unit}, {"priority", r.priority}, {"filed_at", r.filed_at},
                 {"due_at", r.due_at}, {"overdue", row.overdue}, {"escalated", row.escalated},
                 {"reopen_count", r.reopen_count}, {"handler", r.handler}, {"description", r.description}});
  }
  return a;
}

json missed_meals(const State& s, std::int64_t now) {  // reminders.h has the rule
  json a = json::array();
  for (const MissedDiner& m : missed_diners(s, now)) {
    json j = json::object();
    j["person"] = m.person;
    j["name"] = m.name;
    j["grid"] = m.grid;
    j["grid_leader"] = m.leader;
    j["came_before"] = m.came_before;
    j["missed_days"] = m.missed_days;
    j["last_seen"] = m.last_seen ? format_date(m.last_seen) : "";
    a.push_back(std::move(j));
  }
  return a;
}

int volunteer_stars(std::int64_t minutes) {
  const std::int64_t h = minutes / 60;
  return h >= 200 ? 5 : h >= 100 ? 4 : h >= 60 ? 3 : h >= 30 ? 2 : h >= 10 ? 1 : 0;
}

json statistics(const State& s, std::int64_t from, std::int64_t to, std::int64_t now) {
  json j = json::object();
  // Reports by category and by grid: count, closed, average and median minutes to close.
  struct Agg { std::int64_t filed = 0, closed = 0, overdue = 0; std::vector<std::int64_t> minutes; };
  std::map<std::string, Agg> by_cat, by_grid;
  std::int64_t rated = 0, stars = 0;
  for (const auto& [id, r] : s.reports) {
    if (r.filed_at < from || r.filed_at >= to) continue;
    for (Agg* a : {&by_cat[std::string(enum_name(r.category))], &by_grid[r.grid.empty() ? "-" : r.grid]}) {
      ++a->filed;
      if (r.status == ReportStatus::closed) {
        ++a->closed;
        a->minutes.push_back((r.closed_at - r.filed_at) / kMsPerMinute);
      } else if (now > r.due_at && r.status != ReportStatus::handled && r.status != ReportStatus::reviewed) {
        ++a->overdue;
      }
    }
    if (r.rating) {
      ++rated;
      stars += r.rating;
    }
  }
  auto agg_json = [](std::map<std::string, Agg>& m) {
    json o = json::object();
    for (auto& [k, a] : m) {
      std::sort(a.minutes.begin(), a.minutes.end());
      std::int64_t sum = 0;
      for (auto x : a.minutes) sum += x;
      o[k] = {{"filed", a.filed}, {"closed", a.closed}, {"overdue", a.overdue},
              {"avg_minutes", a.minutes.empty() ? 0 : sum / static_cast<std::int64_t>(a.minutes.size())},
              {"median_minutes", a.minutes.empty() ? 0 : a.minutes[a.minutes.size() / 2]}};
    }
    return o;
  };
  j["reports_by_category"] = agg_json(by_cat);
  j["reports_by_grid"] = agg_json(by_grid);
  j["report_rating_avg_x100"] = rated ? stars * 100 / rated : 0;
  // Clinic: the rate is computed from the cases, never typed in.
  std::int64_t opened = 0, closed = 0, resolved = 0;
  std::map<std::string, std::int64_t> outcomes;
  for (const auto& [id, k] : s.cases) {
    if (k.opened_at < from || k.opened_at >= to) continue;
    ++opened;
    ++outcomes[std::string(enum_name(k.outcome))];
    if (k.outcome != CaseOutcome::open) ++closed;
    if (k.outcome == CaseOutcome::resolved) ++resolved;
  }
  j["clinic"] = {{"cases", opened}, {"closed", closed}, {"resolved", resolved}, {"outcomes", outcomes},
                 {"resolution_permille", closed ? resolved * 1000 / closed : 0}};
  // Volunteers: minutes of requests confirmed in the range, and the ledger's stars.
  std::map<Id, std::int64_t> minutes;
  std::int64_t total = 0, done = 0;
  for (const auto& [id, r] : s.requests)
    if (r.status == RequestStatus::confirmed && r.confirmed_at >= from && r.confirmed_at < to) {
      minutes[r.volunteer] += r.minutes;
      total += r.minutes;
      ++done;
    }
  json vols = json::array();
  for (const auto& [vid, m] : minutes) {
    auto p = s.persons.find(vid);
    std::int64_t ledger = p == s.persons.end() ? 0 : p->second.volunteer_minutes;
    vols.push_back({{"person", vid}, {"minutes", m}, {"ledger_minutes", ledger}, {"stars", volunteer_stars(ledger)}});
  }
  j["volunteers"] = {{"requests_done", done}, {"minutes", total}, {"hours", total / 60}, {"by_volunteer", vols}};
  // Canteen attendance by month.
  std::map<std::string, json> months;
  for (const auto& [id, st] : s.sittings) {
    if (st.starts_at < from || st.starts_at >= to) continue;
    auto& m = months[format_month(st.starts_at)];
    if (m.is_null()) m = {{"sittings", 0}, {"booked", 0}, {"attended", 0}};
    m["sittings"] = m["sittings"].get<std::int64_t>() + 1;
    m["booked"] = m["booked"].get<std::int64_t>() + static_cast<std::int64_t>(st.bookings.size());
    std::int64_t att = 0;
    for (const auto& [pid, b] : st.bookings) att += b.attended;
    m["attended"] = m["attended"].get<std::int64_t>() + att;
  }
  j["canteen_by_month"] = months;
  j["missed_meal_alerts"] = missed_meals(s, now).size();
  return j;
}

std::string grant_display_name(const State& s, const Id& person, Role role) {
  bool public_role = role == Role::grid_leader || role == Role::grid_worker || role == Role::building_leader ||
                     role == Role::unit_leader;
  auto it = s.persons.find(person);
  if (!public_role || it == s.persons.end() || it->second.name == kMasked) return {};
  return it->second.name;
}

}  // namespace sihui::core
