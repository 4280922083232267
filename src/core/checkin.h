// checkin: class check-in at the door. Each sign-up place has a code the resident's screen shows as a
// QR code and as six letters; staff type the letters, or a scanner (a handheld one types like a
// keyboard) enters the QR text, and find_checkin() says whose place it is. Also each student's record
// across a course's sessions (came, no-show, the teacher's level). Pure.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace sihui::core {

inline constexpr std::string_view kCheckinPrefix = "SIHUI:CHECKIN:";
// Six characters from an alphabet without look-alikes (no 0/O, 1/I/L), from the session and person.
std::string checkin_code(const Id& session, const Id& person);
// What the QR code holds: "SIHUI:CHECKIN:<session>:<person>:<code>".
std::string checkin_text(const Id& session, const Id& person);

enum class CheckinFind : std::uint8_t {
  found,          // person is enrolled here and has not come yet
  already,        // ... and was already checked in
  waitlisted,     // the code is of a wait-listed place: not a seat
  other_session,  // a QR code of another session
  unknown,        // no place of this session has this code
  ambiguous,      // two places share the six letters: use the name search
  closed,         // the session is closed
};
SIHUI_ENUM_NAMES(CheckinFind, "found", "already", "waitlisted", "other_session", "unknown", "ambiguous", "closed")
struct CheckinMatch {
  CheckinFind result = CheckinFind::unknown;
  Id person;
};
// input: the six letters (any case, spaces and dashes ignored) or the QR text.
CheckinMatch find_checkin(const State& s, const Id& session, std::string_view input);

// [SECTION] Each student across a course's sessions
struct StudentRecord {
  Id person;
  std::string name;
  std::int64_t signed_up = 0;  // sessions with a place (enrolled)
  std::int64_t came = 0, no_shows = 0;
  std::int64_t last_came = 0;  // start of the last session they came to (0: never)
  std::int64_t level = 0;      // the teacher's progress level 0..10
  std::string note;
};
// Everyone who ever had a place in a course's sessions, most sessions attended first, then by name.
std::vector<StudentRecord> course_students(const State& s, const Id& course);

}  // namespace sihui::core
