// services_query: what the service-supermarket (暖巢) and moral-clinic (道德门诊) screens and the
// per-role home panels show, as typed C++ answers. The reducer (rules_services.cpp) judges every
// change; these only read. Times are ms since epoch (UTC); "now" always comes from the caller.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.h"

namespace sihui::core {

// [SECTION] Money in words: fen <-> "28.50"
std::string format_yuan(std::int64_t fen);  // 2850 -> "28.50", 300 -> "3.00"
// "28.5", "28.50", "28", "¥28.5", " 28 " -> fen. False (and *fen untouched) for anything else:
// empty, negative, letters, more than two decimals, more than 1,000,000 yuan.
bool parse_yuan(std::string_view text, std::int64_t* fen);

// [SECTION] Service supermarket
// The catalogue, most asked-for first (requests of any state), then by name, then id.
std::vector<const Service*> service_catalogue(const State& s);
// Open requests a volunteer may take, nearest first: requests in the volunteer's own grid, then by
// the distance between the elder's compound and the volunteer's (people without a home or a map
// point come after), then by the time wanted (or asked), then id. Requests the volunteer asked for
// or that are for them are left out.
std::vector<const ServiceRequest*> open_requests(const State& s, const Id& volunteer, std::size_t limit = 50);
// Is this open request in the volunteer's own grid (the home panel marks it "near you")?
bool request_near(const State& s, const ServiceRequest& r, const Id& volunteer);
// Requests asked by a person or for someone they act for: unfinished ones first (newest first), then
// confirmed and cancelled ones (newest first), at most limit.
std::vector<const ServiceRequest*> person_requests(const State& s, const Id& person, std::size_t limit = 20);
// Requests a volunteer took and has not seen confirmed yet (taken, then done), oldest first.
std::vector<const ServiceRequest*> volunteer_tasks(const State& s, const Id& volunteer);
// Requests waiting for the elder's side to confirm, for a person and those they act for.
std::size_t waiting_confirmation(const State& s, const Id& person);

struct VolunteerStats {
  std::int64_t minutes = 0;    // confirmed minutes (the ledger)
  std::int64_t services = 0;   // confirmed requests
  int stars = 0;               // 0..5 (volunteer_stars: 10, 30, 60, 100, 200 hours)
  std::int64_t next_star_minutes = 0;  // minutes still needed for the next star (0 at five stars)
  std::int64_t rank = 0;       // place in the thank-you list (1-based), 0 = not in it
};
VolunteerStats volunteer_stats(const State& s, const Id& person);

struct Thanks {
  Id person;
  std::string name;
  std::int64_t minutes = 0, services = 0;
  int stars = 0;
};
// The thank-you list: every person with a confirmed service, most minutes first, then most services,
// then name, then id.
std::vector<Thanks> thank_you_list(const State& s, std::size_t limit = 10);

// [SECTION] Moral clinic
bool clinic_member(const Person& p);
// Members on duty on an ISO weekday (1 = Monday), by name.
std::vector<const Person*> clinic_duty(const State& s, int weekday);
// Cases for the log: open ones first (follow-up due first, then oldest), then closed ones newest first.
std::vector<const ClinicCase*> clinic_cases(const State& s, std::int64_t now);
// An open case whose last sitting or follow-up (or opening) is 7 days or more before now.
bool followup_due(const ClinicCase& k, std::int64_t now);
std::int64_t last_touched(const ClinicCase& k);

// Counts without any personal detail: only ids, categories, outcomes and dates are read.
struct ClinicMonth {
  std::string month;  // "2020-08" (Shanghai)
  std::int64_t opened = 0, closed = 0, resolved = 0;
};
struct ClinicSummary {
  std::int64_t opened = 0, closed = 0, resolved = 0, open_now = 0;
  std::int64_t resolution_permille = 0;  // resolved / closed (cases of the window), 0 when none closed
  std::vector<ClinicMonth> months;       // the window's months, oldest first, empty months included
};
// The `months` calendar months ending with the month of now (opened counts by month opened; closed and
// resolved by month closed).
ClinicSummary clinic_summary(const State& s, std::int64_t now, int months = 12);

// [SECTION] Roles for the home screen
enum class Hat : std::uint8_t {
  resident,   // everyone: today, sign-ups, bookings, asking for help
  volunteer,  // open requests near them, their errands, hours and stars
  staff,      // committee, canteen staff, teachers, grid staff: what needs them today
  clinic,     // moral clinic: today's duty, follow-ups due
};
SIHUI_ENUM_NAMES(Hat, "resident", "volunteer", "staff", "clinic")
// The hats a person wears, resident first.
std::vector<Hat> hats_of(const Person& p);

nlohmann::json requests_json(const State& s, const std::vector<const ServiceRequest*>& v);
nlohmann::json volunteer_json(const VolunteerStats& v, const std::vector<Thanks>& thanks);
nlohmann::json clinic_summary_json(const ClinicSummary& c);

}  // namespace sihui::core
