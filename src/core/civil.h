// civil: integer calendar arithmetic in Asia/Shanghai and the RRULE subset used by events.
// Asia/Shanghai is fixed at UTC+8: China has had no daylight saving time since 1991, and the
// community's data starts in 2018, so a fixed offset is exact for every date we store.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sihui::core {

inline constexpr std::int64_t kMsPerMinute = 60'000;
inline constexpr std::int64_t kMsPerHour = 3'600'000;
inline constexpr std::int64_t kMsPerDay = 86'400'000;
inline constexpr std::int64_t kShanghaiOffsetMs = 8 * kMsPerHour;

std::int64_t floor_div(std::int64_t a, std::int64_t b);
// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, int m, int d);
void civil_from_days(std::int64_t days, std::int64_t* y, int* m, int* d);
int iso_weekday(std::int64_t days);  // 1 = Monday ... 7 = Sunday
int days_in_month(std::int64_t y, int m);

struct LocalTime {
  std::int64_t day = 0;    // days since 1970-01-01 in Shanghai
  std::int64_t year = 1970;
  int month = 1, mday = 1;  // 1-12, 1-31
  int weekday = 4;          // 1 = Monday ... 7 = Sunday
  std::int64_t ms_of_day = 0;
};
LocalTime shanghai(std::int64_t utc_ms);
// UTC ms of a Shanghai wall-clock time.
std::int64_t shanghai_ms(std::int64_t y, int m, int d, int hh = 0, int mm = 0);
std::int64_t shanghai_day_start(std::int64_t day);  // UTC ms of 00:00 Shanghai on that day
std::string format_date(std::int64_t utc_ms);   // "2020-08-24" (Shanghai)
std::string format_time(std::int64_t utc_ms);   // "09:30" (Shanghai)
std::string format_month(std::int64_t utc_ms);  // "2020-08"
// Parses "YYYY-MM-DD" (Shanghai midnight) or a decimal ms number; false otherwise.
bool parse_date_or_ms(std::string_view s, std::int64_t* utc_ms);

// RRULE subset: FREQ=DAILY|WEEKLY|MONTHLY; INTERVAL; BYDAY (MO..SU, monthly with ordinal: 2SA, -1FR);
// COUNT; UNTIL (YYYYMMDD or YYYYMMDDTHHMMSSZ). The rule string itself is kept in the event, so an
// iCalendar feed can emit it unchanged.
struct RRule {
  enum class Freq : std::uint8_t {
    daily,    // every INTERVAL days
    weekly,   // every INTERVAL weeks (weeks start on Monday), on BYDAY or DTSTART's weekday
    monthly,  // every INTERVAL months, on BYDAY (ordinal) or DTSTART's day of month
  };
  struct ByDay {
    int ordinal = 0;  // 0 = every such weekday; 1..5 = nth; -1..-5 = nth from the end (monthly)
    int weekday = 1;  // 1 = Monday ... 7 = Sunday
  };
  Freq freq = Freq::weekly;
  int interval = 1;
  std::vector<ByDay> byday;
  std::int64_t count = 0;   // 0 = no COUNT
  std::int64_t until = -1;  // UTC ms, inclusive; -1 = no UNTIL
};
bool parse_rrule(std::string_view text, RRule* out, std::string* error);

// Starts (UTC ms) of the occurrences of an event starting at dtstart with this rule whose start lies
// in [from, to), ascending, at most limit of them. dtstart itself is the first occurrence.
std::vector<std::int64_t> expand_rrule(const RRule& rule, std::int64_t dtstart, std::int64_t from,
                                       std::int64_t to, std::size_t limit = 10000);

}  // namespace sihui::core
