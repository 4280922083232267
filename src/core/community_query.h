// community_query: read-only answers for the screens (calendar, seats, canteen, open reports,
// statistics, missed-meal alerts) as C++ functions returning JSON. run_query() exposes them by name.
// Times are ms since epoch (UTC); dates shown are Asia/Shanghai. "now" always comes from the caller.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.h"

namespace sihui::core {

struct Occurrence {
  Id event;
  std::int64_t start = 0, end = 0;  // effective (after a move)
  std::int64_t original = 0;        // the rule's start for this occurrence (key of overrides)
  bool cancelled = false;           // this occurrence is called off (still shown, marked)
  bool moved = false;
  std::string place, note;
};
// Occurrences whose effective start lies in [from, to), ordered by start then event id.
std::vector<Occurrence> calendar_occurrences(const State& s, std::int64_t from, std::int64_t to);
nlohmann::json calendar_json(const State& s, std::int64_t from, std::int64_t to);

// {seats, taken, free, waitlist, status: enrolled|waitlisted|none, position (1-based) for person}
nlohmann::json session_seats(const State& s, const Id& session, const Id& person);
// Sittings starting in [from, to): seats, booked, free, attended, walk-ins, diet notes for the kitchen.
nlohmann::json canteen_sittings(const State& s, std::int64_t from, std::int64_t to);
// Open (not closed) reports of a grid ("" = all grids, "-" = committee's unrouted ones), with
// overdue (now > due) and escalated (now > due + the category's window) flags, most urgent first.
nlohmann::json open_reports(const State& s, const Id& grid, std::int64_t now);
// The same rows typed (the pointers live as long as the state is not changed), for screens that keep
// them between frames; *next_change (when given) is the first time after now at which a row's overdue
// or escalated flag, and so the order, changes (INT64_MAX: never).
struct OpenReportRow {
  const Report* report = nullptr;
  bool overdue = false, escalated = false;
};
std::vector<OpenReportRow> open_report_rows(const State& s, const Id& grid, std::int64_t now,
                                            std::int64_t* next_change = nullptr);
// Regular diners who stopped coming (reminders.h: missed_diners): an alert for their grid leader.
nlohmann::json missed_meals(const State& s, std::int64_t now);
// Reports by category and grid with resolution times, clinic resolution rate (permille, computed
// from cases), volunteer hours and stars, canteen attendance by month, for [from, to).
nlohmann::json statistics(const State& s, std::int64_t from, std::int64_t to, std::int64_t now);
// The public display name a grant of this role to this person should carry (decision 0023): the person's
// name for grid, building and unit leaders and grid workers when this device can read it; "" otherwise
// (then the grant goes without one). Screens that grant roles put it in role.grant / grid.set_leader "name".
std::string grant_display_name(const State& s, const Id& person, Role role);
int volunteer_stars(std::int64_t minutes);  // 0..5 from confirmed hours: 10, 30, 60, 100, 200

}  // namespace sihui::core
