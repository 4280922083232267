// life_query: what the calendar, heritage-class and canteen screens show, as typed C++ answers
// (the screens call them every frame they need them; run_query exposes them as JSON for tests).
// Times are ms since epoch (UTC); days are Shanghai days (civil.h). "now" always comes from the caller.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.h"

namespace sihui::core {

// [SECTION] Calendar entries: event occurrences, class sessions, canteen sittings, volunteer errands
enum class EntryKind : std::uint8_t {
  festival,   // 月月仓南节 (events of category festival)
  club,       // club practices (category club)
  klass,      // heritage class sessions, and events of category class
  clinic,     // moral-clinic duty (category clinic)
  canteen,    // canteen sittings, and events of category canteen
  volunteer,  // open or taken service requests wanted at that time (the errand's name only)
  other,      // meetings and everything else
};
SIHUI_ENUM_NAMES(EntryKind, "festival", "club", "class", "clinic", "canteen", "volunteer", "other")
inline constexpr unsigned kAllEntryKinds = 0x7F;
inline constexpr unsigned entry_bit(EntryKind k) { return 1u << static_cast<unsigned>(k); }

struct Entry {
  EntryKind kind = EntryKind::other;
  std::int64_t start = 0, end = 0;
  std::string title;           // event title, course title, service name ("" for a sitting: the screen names the meal)
  std::string place, note;     // note: an occurrence's note, or the reason it was called off
  Id event, session, sitting, request;  // which record it comes from (one of them)
  std::int64_t original = 0;   // an event occurrence's rule start (override key)
  std::int64_t number = 0;     // a class session's number (第 N 期)
  std::string theme;           // a class session's theme
  std::int64_t seats = -1, taken = 0, waiting = 0;  // sessions and sittings; -1 = no seats
  Meal meal = Meal::lunch;
  bool recurring = false, cancelled = false, moved = false;
  std::string access_note;
};
// Entries starting in [from, to) of the kinds in mask, ordered by start, then kind, then id.
std::vector<Entry> life_entries(const State& s, std::int64_t from, std::int64_t to, unsigned mask = kAllEntryKinds);
// Entries per Shanghai day in [first_day, first_day + days): index 0 = first_day.
struct DaySummary {
  int count = 0, cancelled = 0;
  unsigned kinds = 0;  // entry_bit()s present that day
};
std::vector<DaySummary> day_summaries(const std::vector<Entry>& entries, std::int64_t first_day, int days);

// [SECTION] People a person acts for
// The person first, then household members, then people who named them proxy (not left), by name.
std::vector<const Person*> acting_for(const State& s, const Id& person);

// [SECTION] Heritage classes
// Sessions of a course, by number.
std::vector<const Session*> course_sessions(const State& s, const Id& course);
struct RosterRow {
  Id person;
  std::string name;
  std::int64_t birth_year = 0;
  bool enrolled = false;      // false: wait-listed
  std::int64_t position = 0;  // wait-list position of the group (1-based), 0 when enrolled
  Id group;                   // the sign-up op: people of one group share it
  std::int64_t group_size = 1;
  Id by;                      // who signed the group up
  bool attended = false, no_show = false;
};
// Enrolled first (sign-up order), then the wait list in order.
std::vector<RosterRow> session_roster(const State& s, const Id& session);
// CSV (RFC 4180, UTF-8 with a BOM so Excel and WPS read Chinese) of a roster. labels: the 7 column
// headers (number, name, birth year, status, wait-list position, group, attended), then the status
// words enrolled, waitlisted, attended, no-show, absent-yet.
std::string roster_csv(const std::vector<RosterRow>& rows, const std::vector<std::string>& labels);
std::string csv_field(std::string_view text);  // quoted when it holds a comma, quote or line break

// Where a person stands in a session.
struct SignupStatus {
  bool enrolled = false, waitlisted = false;
  std::int64_t position = 0;  // wait-list position, 1-based
  Id group;                   // the sign-up op
  std::vector<Id> persons;    // everyone in that sign-up
};
SignupStatus signup_status(const Session& ses, const Id& person);

// [SECTION] Canteen
struct Eligibility {
  std::int64_t age = 0;  // in the sitting's calendar year
  bool eligible = false; // 80+ or an exception
  bool exception = false;
};
Eligibility canteen_eligibility(const Person& p, std::int64_t at);
// Sittings starting in [from, to), by start then id.
std::vector<const Sitting*> sittings_between(const State& s, std::int64_t from, std::int64_t to);
// The kitchen's count for one Shanghai day.
struct KitchenCount {
  std::int64_t sittings = 0, seats = 0, booked = 0, attended = 0, walk_ins = 0;
  std::map<std::string, std::int64_t> diets;  // dietary note -> how many
};
KitchenCount kitchen_count(const State& s, std::int64_t day);

// [SECTION] A person's plans (the home screen)
struct Plan {
  EntryKind kind = EntryKind::klass;
  std::int64_t start = 0;
  Id session, sitting, person;  // person: who it is for (the person or someone they act for)
  std::string title, theme, place;
  std::int64_t number = 0;
  bool waitlisted = false;
  std::int64_t position = 0;
  std::string diet;
};
// Sign-ups and bookings from `from` on (for the person and the people they act for), by start.
std::vector<Plan> person_plans(const State& s, const Id& person, std::int64_t from, std::size_t limit = 50);

nlohmann::json entries_json(const std::vector<Entry>& v);
nlohmann::json roster_json(const std::vector<RosterRow>& v);
nlohmann::json plans_json(const std::vector<Plan>& v);

}  // namespace sihui::core
