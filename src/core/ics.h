// ics: iCalendar (RFC 5545) feeds of the community's calendar, made from the same State and the same
// recurrence code the devices use. Recurring events stay rules: RRULE verbatim (UNTIL rewritten in the
// UTC form RFC 5545 asks for with a zoned DTSTART), EXDATE for left-out and cancelled occurrences, and a
// RECURRENCE-ID VEVENT for each moved one. Class sessions, canteen sittings and errands are single events.
// Times are local to Asia/Shanghai (TZID with a VTIMEZONE). No personal data is written: titles, places,
// times and seat states only; a person's feed names no one (it lists what the person and the people
// they act for signed up for). "now" comes from the caller.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/i18n.h"
#include "core/life_query.h"
#include "core/model.h"

namespace sihui::core {

struct IcsFeed {
  unsigned kinds = kAllEntryKinds;  // the calendars in the feed (entry_bit()s)
  Id person;                        // non-empty: this person's sign-ups and bookings instead
  std::string name;                 // X-WR-CALNAME
};
// Parses a feed name: "all", an EntryKind name ("festival", "class", ...), or "person:ID". false otherwise.
bool parse_ics_feed(std::string_view text, IcsFeed* out);

// The window a feed covers: single events from 92 days before to 400 days after the later of now and
// the log's clock (so a quiet community's feed keeps its recent past); recurring series that have an
// occurrence from the window's start on.
inline constexpr std::int64_t kIcsPastDays = 92, kIcsFutureDays = 400;

// The whole VCALENDAR, CRLF line ends, lines folded at 75 octets (never inside a UTF-8 sequence).
std::string ics_feed(const State& s, const IcsFeed& feed, const i18n::Catalog& words, i18n::Lang lang,
                     std::int64_t now);

// [SECTION] Pieces, for tests
std::string ics_escape(std::string_view text);   // TEXT value: \\ \; \, \n
std::string ics_fold(std::string_view line);     // one content line, folded, with its CRLF
std::string ics_local(std::int64_t utc_ms);      // "20200824T090000" (Shanghai wall clock)
std::string ics_utc(std::int64_t utc_ms);        // "20200824T010000Z"
// The rule as written for the feed: UNTIL in UTC date-time form; "" if the rule does not parse.
std::string ics_rrule(std::string_view rrule);

}  // namespace sihui::core
