// reminders: what the app reminds a person of, and whom the canteen misses. Pure: "now" comes in.
// - Reminders for what a person (and the people they act for) signed up for or booked: one on the
//   day before (from 00:00 Shanghai of the previous day) and one an hour before the start.
// - Missed-diner alerts for the grid leader: a regular diner who has not come for several open days
//   in a row.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/life_query.h"
#include "core/model.h"

namespace sihui::core {

// [SECTION] Reminders
enum class RemindWhen : std::uint8_t {
  day_before,   // due from 00:00 of the day before until an hour before the start
  hour_before,  // due from an hour before the start until the start
};
SIHUI_ENUM_NAMES(RemindWhen, "day_before", "hour_before")

struct Reminder {
  Plan plan;                 // the sign-up or booking (wait-listed ones are not reminded of)
  RemindWhen when = RemindWhen::day_before;
  std::int64_t due = 0;      // UTC ms from which it shows
  std::string key;           // stable: "session|s-1|p-1|hour_before", for "shown once" bookkeeping
};
// Reminders due at now (due <= now < plan start, and for day_before now < start - 1 h), by start.
std::vector<Reminder> due_reminders(const State& s, const Id& person, std::int64_t now);
// The earliest moment after now at which a new reminder becomes due; 0 if none within 8 days.
std::int64_t next_reminder_at(const State& s, const Id& person, std::int64_t now);

// [SECTION] Canteen: regular diners who stopped coming
inline constexpr int kRegularLookback = 10;  // open days looked at before the missed run
inline constexpr int kRegularMin = 4;        // came on at least this many of them
inline constexpr int kMissedRun = 3;         // ... and on none of the last this many open days
struct MissedDiner {
  Id person, grid, leader;   // grid: of the person's unit ("" none); leader: that grid's leader
  std::string name;
  int came_before = 0;       // visits in the kRegularLookback open days before the run
  int missed_days = 0;       // open days in a row without coming, up to today (>= kMissedRun)
  std::int64_t last_seen = 0;  // start of the last sitting they came to (0: not in the window)
};
// Open days are Shanghai days before today with at least one sitting. Ordered by missed_days
// (longest first), then name. grid "" = every grid.
std::vector<MissedDiner> missed_diners(const State& s, std::int64_t now, const Id& grid = {});
// The grids this person leads or works (grid_leader / grid_worker grants); staff get every grid.
std::vector<Id> grids_watched(const State& s, const Id& person);

}  // namespace sihui::core
