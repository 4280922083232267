// reasons: why the reducer refused an op (or accepted it with a note), as translation keys.
// Every key is in assets/lang/core.zh-CN.json and core.en.json (a test checks).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/enums.h"

namespace sihui::core {

#define SIHUI_REASONS(X)                                                   \
  X(none, "")                                                              \
  X(op_invalid, "reason.op.invalid")                                       \
  X(op_role, "reason.op.role")                                             \
  X(op_needs_update, "reason.op.needs_update")                             \
  X(not_initialised, "reason.community.not_initialised")                   \
  X(already_initialised, "reason.community.already_initialised")          \
  X(author_unknown, "reason.author.unknown")                               \
  X(id_taken, "reason.id.taken")                                           \
  X(no_compound, "reason.not_found.compound")                              \
  X(no_building, "reason.not_found.building")                              \
  X(no_unit, "reason.not_found.unit")                                      \
  X(no_grid, "reason.not_found.grid")                                      \
  X(no_household, "reason.not_found.household")                            \
  X(no_person, "reason.not_found.person")                                  \
  X(no_report, "reason.not_found.report")                                  \
  X(no_event, "reason.not_found.event")                                    \
  X(no_club, "reason.not_found.club")                                      \
  X(no_course, "reason.not_found.course")                                  \
  X(no_session, "reason.not_found.session")                                \
  X(no_sitting, "reason.not_found.sitting")                                \
  X(no_service, "reason.not_found.service")                                \
  X(no_request, "reason.not_found.request")                                \
  X(no_case, "reason.not_found.case")                                      \
  X(person_left, "reason.person.left")                                     \
  X(person_bad_tag, "reason.person.bad_tag")                               \
  X(grid_compound_taken, "reason.grid.compound_taken")                     \
  X(role_scope, "reason.role.scope_required")                              \
  X(role_not_held, "reason.role.not_held")                                 \
  X(role_last_staff, "reason.role.last_staff")                             \
  X(act_for, "reason.act_for.not_allowed")                                 \
  X(report_subtype, "reason.report.bad_subtype")                           \
  X(report_no_location, "reason.report.no_location")                       \
  X(report_transition, "reason.report.bad_transition")                     \
  X(report_not_your_grid, "reason.report.not_your_grid")                   \
  X(report_not_reporter, "reason.report.not_reporter")                     \
  X(report_not_handler, "reason.report.not_handler")                       \
  X(report_already_rated, "reason.report.already_rated")                   \
  X(report_link_self, "reason.report.link_self")                           \
  X(event_bad_rrule, "reason.event.bad_rrule")                             \
  X(event_no_occurrence, "reason.event.no_occurrence")                     \
  X(event_cancelled, "reason.event.cancelled")                             \
  X(event_too_far, "reason.event.override_too_far")                        \
  X(event_not_organiser, "reason.event.not_organiser")                     \
  X(club_already, "reason.club.already_member")                            \
  X(club_not_member, "reason.club.not_member")                             \
  X(class_waitlisted, "reason.class.full_waitlisted")                      \
  X(class_already, "reason.class.already_signed_up")                       \
  X(class_not_open, "reason.class.not_open_to")                            \
  X(class_guardian, "reason.class.guardian_required")                      \
  X(class_closed, "reason.class.closed")                                   \
  X(class_started, "reason.class.started")                                 \
  X(class_not_signed_up, "reason.class.not_signed_up")                     \
  X(class_group_too_large, "reason.class.group_too_large")                 \
  X(class_group_duplicate, "reason.class.group_duplicate")                 \
  X(class_already_checked_in, "reason.class.already_checked_in")           \
  X(class_not_teacher, "reason.class.not_teacher")                         \
  X(class_number_taken, "reason.class.number_taken")                       \
  X(canteen_under_80, "reason.canteen.under_80")                           \
  X(canteen_full, "reason.canteen.full")                                   \
  X(canteen_already_booked, "reason.canteen.already_booked")               \
  X(canteen_not_booked, "reason.canteen.not_booked")                       \
  X(canteen_too_late, "reason.canteen.too_late")                           \
  X(canteen_already_attended, "reason.canteen.already_attended")           \
  X(canteen_no_exception, "reason.canteen.no_exception")                   \
  X(service_state, "reason.service.bad_state")                             \
  X(service_own, "reason.service.own_request")                             \
  X(service_not_taker, "reason.service.not_taker")                         \
  X(service_amount_required, "reason.service.amount_required")             \
  X(service_amount_mismatch, "reason.service.amount_mismatch")             \
  X(clinic_case_closed, "reason.clinic.case_closed")                       \
  X(clinic_not_member, "reason.clinic.not_member")                         \
  X(bad_outline, "reason.place.bad_outline")                               \
  X(no_channel, "reason.not_found.channel")                                \
  X(channel_already, "reason.channel.already_member")                      \
  X(channel_not_member, "reason.channel.not_member")                       \
  X(channel_assigned, "reason.channel.staff_assigns")                      \
  X(channel_empty, "reason.channel.empty_post")                            \
  X(channel_too_long, "reason.channel.too_long")                           \
  X(place_has_buildings, "reason.place.has_buildings")                     \
  X(place_has_units, "reason.place.has_units")                             \
  X(place_has_households, "reason.place.has_households")                   \
  X(place_has_residents, "reason.place.has_residents")                     \
  X(place_has_leaders, "reason.place.has_leaders")                         \
  X(place_in_grid, "reason.place.in_grid")                                 \
  X(grid_compound_already, "reason.grid.compound_already_in")              \
  X(grid_compound_none, "reason.grid.compound_in_no_grid")                 \
  X(grid_not_led, "reason.grid.not_led")

enum class Reason : std::uint8_t {
#define SIHUI_X(e, k) e,
  SIHUI_REASONS(SIHUI_X)
#undef SIHUI_X
};
#define SIHUI_X(e, k) k,
template <>
struct EnumNames<Reason> {
  static constexpr std::string_view names[] = {SIHUI_REASONS(SIHUI_X)};
};
#undef SIHUI_X

enum class Verdict : std::uint8_t {
  accepted,  // applied; reason may still carry a note (e.g. wait-listed at position 3)
  refused,   // kept in the log, changed nothing; reason says why
  blocked,   // not applied: replay stopped at an unknown kind ("please update"); never stored
};
SIHUI_ENUM_NAMES(Verdict, "accepted", "refused", "blocked")

// One parameter of a reason text: {position} -> 3, {name} -> "李秀英".
struct Param {
  std::string name;
  std::int64_t num = 0;
  std::string text;
  bool is_text = false;
  template <class V>
  void fields(V& v) {
    v("name", name);
    v("num", num);
    v("text", text);
    v("is_text", is_text);
  }
  friend bool operator==(const Param&, const Param&) = default;
};

struct Outcome {
  Verdict verdict = Verdict::accepted;
  Reason reason = Reason::none;
  std::vector<Param> params;

  bool accepted() const { return verdict == Verdict::accepted; }
  std::string_view key() const { return enum_name(reason); }
  Outcome& with(std::string name, std::int64_t n) {
    params.push_back(Param{std::move(name), n, {}, false});
    return *this;
  }
  Outcome& with(std::string name, std::string text) {
    params.push_back(Param{std::move(name), 0, std::move(text), true});
    return *this;
  }
  template <class V>
  void fields(V& v) {
    v("verdict", verdict);
    v("reason", reason);
    v("params", params);
  }
  friend bool operator==(const Outcome&, const Outcome&) = default;
};

inline Outcome accepted() { return {}; }
inline Outcome accepted(Reason r) { return Outcome{Verdict::accepted, r, {}}; }
inline Outcome refused(Reason r) { return Outcome{Verdict::refused, r, {}}; }

}  // namespace sihui::core
