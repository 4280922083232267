// op: one operation {id, kind, author, device, made_at, payload} (+ seq once the server confirmed it),
// its kinds, and decoding from / encoding to JSON without exceptions.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/bytes.h"
#include "core/schema.h"

namespace sihui::core {

// Every kind this build's reducer handles. A test checks this list equals assets/schema/ops.json.
#define SIHUI_OP_KINDS(X)                                                                       \
  X(community_init, "community.init")                                                           \
  X(compound_add, "place.compound.add")                                                         \
  X(building_add, "place.building.add")                                                         \
  X(unit_add, "place.unit.add")                                                                 \
  X(grid_add, "grid.add")                                                                       \
  X(grid_set_leader, "grid.set_leader")                                                         \
  X(household_add, "household.add")                                                             \
  X(person_add, "person.add")                                                                   \
  X(person_update, "person.update")                                                             \
  X(person_leave, "person.leave")                                                               \
  X(role_grant, "role.grant")                                                                   \
  X(role_revoke, "role.revoke")                                                                 \
  X(proxy_grant, "proxy.grant")                                                                 \
  X(proxy_revoke, "proxy.revoke")                                                               \
  X(report_file, "report.file")                                                                 \
  X(report_accept, "report.accept")                                                             \
  X(report_dispatch, "report.dispatch")                                                         \
  X(report_handle, "report.handle")                                                             \
  X(report_review, "report.review")                                                             \
  X(report_close, "report.close")                                                               \
  X(report_reopen, "report.reopen")                                                             \
  X(report_comment, "report.comment")                                                           \
  X(report_rate, "report.rate")                                                                 \
  X(report_link, "report.link")                                                                 \
  X(event_add, "event.add")                                                                     \
  X(event_update, "event.update")                                                               \
  X(event_cancel, "event.cancel")                                                               \
  X(event_override, "event.override")                                                           \
  X(club_add, "club.add")                                                                       \
  X(club_join, "club.join")                                                                     \
  X(club_leave, "club.leave")                                                                   \
  X(course_add, "course.add")                                                                   \
  X(session_add, "session.add")                                                                 \
  X(session_signup, "session.signup")                                                           \
  X(session_cancel, "session.cancel")                                                           \
  X(session_checkin, "session.checkin")                                                         \
  X(session_close, "session.close")                                                             \
  X(course_progress, "course.progress")                                                         \
  X(sitting_add, "canteen.sitting.add")                                                         \
  X(canteen_book, "canteen.book")                                                               \
  X(canteen_cancel, "canteen.cancel")                                                           \
  X(canteen_attend, "canteen.attend")                                                           \
  X(canteen_exception_grant, "canteen.exception.grant")                                         \
  X(canteen_exception_revoke, "canteen.exception.revoke")                                       \
  X(service_add, "service.add")                                                                 \
  X(service_request, "service.request")                                                         \
  X(service_take, "service.take")                                                               \
  X(service_done, "service.done")                                                               \
  X(service_confirm, "service.confirm")                                                         \
  X(service_cancel, "service.cancel")                                                           \
  X(clinic_roster_set, "clinic.roster.set")                                                     \
  X(clinic_case_open, "clinic.case.open")                                                       \
  X(clinic_case_session, "clinic.case.session")                                                 \
  X(clinic_case_followup, "clinic.case.followup")                                               \
  X(clinic_case_close, "clinic.case.close")                                                     \
  X(outline_set, "place.outline.set")                                                           \
  X(channel_add, "channel.add")                                                                 \
  X(channel_join, "channel.join")                                                               \
  X(channel_leave, "channel.leave")                                                             \
  X(channel_post, "channel.post")                                                               \
  X(channel_read, "channel.read")                                                               \
  X(place_remove, "place.remove")                                                               \
  X(compound_move, "grid.compound.move")

enum class Kind : std::uint16_t {
#define SIHUI_X(e, s) e,
  SIHUI_OP_KINDS(SIHUI_X)
#undef SIHUI_X
  unknown,  // a kind this build does not know: replay stops there ("please update")
};

std::string_view kind_name(Kind k);                  // "report.file"; "" for unknown
Kind kind_from_name(std::string_view name);          // Kind::unknown when not known
std::vector<std::string_view> all_kind_names();      // every known kind, sorted

// One decoded payload value; which members are used depends on type.
struct Value {
  FieldType type = FieldType::string;
  std::int64_t num = 0;                 // integer, boolean (0/1)
  std::string text;                     // id, string, enumeration
  std::vector<std::string> list;        // ids, strings
  std::vector<std::int64_t> nums;       // ints
  friend bool operator==(const Value&, const Value&) = default;
};

struct Field {
  std::string name;
  Value value;
  friend bool operator==(const Field&, const Field&) = default;
};

// A payload checked against its KindSpec: only fields the schema declares, defaults filled in.
struct Payload {
  std::vector<Field> fields;  // sorted by name

  // Lookups by name, inline: the rules pass literal names, so each compare is a length check and
  // one or two loads against constants (no memcmp call), over a payload's handful of fields.
  SIHUI_INLINE const Value* find(std::string_view name) const {
    for (const auto& f : fields)
      if (same_bytes(f.name, name)) return &f.value;
    return nullptr;
  }
  bool has(std::string_view name) const { return find(name) != nullptr; }
  SIHUI_INLINE const std::string& str(std::string_view name) const {  // "" when absent
    const Value* v = find(name);
    return v ? v->text : empty_text();
  }
  SIHUI_INLINE std::int64_t num(std::string_view name, std::int64_t fallback = 0) const {
    const Value* v = find(name);
    return v ? v->num : fallback;
  }
  bool flag(std::string_view name) const { return num(name, 0) != 0; }
  const std::vector<std::string>& list(std::string_view name) const;  // empty when absent
  const std::vector<std::int64_t>& nums(std::string_view name) const;

  // Builders for tests and the demo generator (keep fields sorted).
  Payload& set(std::string_view name, std::string_view text, FieldType t = FieldType::string);
  Payload& set(std::string_view name, std::int64_t v, FieldType t = FieldType::integer);
  Payload& set(std::string_view name, std::vector<std::string> v, FieldType t = FieldType::ids);
  Payload& set(std::string_view name, std::vector<std::int64_t> v);

  friend bool operator==(const Payload&, const Payload&) = default;

 private:
  static const std::string& empty_text();
  Value& slot(std::string_view name);
};

struct Op {
  std::string id;             // 32 lowercase hex digits (128 random bits, made on the device)
  Kind kind = Kind::unknown;
  std::string unknown_kind;   // the kind's name when kind == Kind::unknown
  std::string author;         // person id (stamped by the server on confirmed ops)
  std::string device;         // device id, informational
  std::int64_t made_at = 0;   // milliseconds since 1970-01-01 UTC, from the device
  std::int64_t seq = 0;       // server sequence, 1.. on confirmed ops; 0 while pending
  Payload payload;
  std::string invalid;        // non-empty: payload broke the schema ("field: problem"); refused
  friend bool operator==(const Op&, const Op&) = default;
};

enum class DecodeError : std::uint8_t {
  ok,            // decoded (the payload may still be invalid: see Op::invalid)
  not_json,      // not parseable JSON
  not_object,    // JSON but not an object
  bad_id,        // id missing or not 32 lowercase hex
  bad_kind,      // kind missing or not a string
  bad_author,    // author missing or not an id
  bad_device,    // device present but not an id
  bad_made_at,   // made_at missing or not a non-negative integer
  bad_seq,       // seq present but not a positive integer
  bad_payload,   // payload missing or not an object
};
std::string_view decode_error_code(DecodeError e);  // "not_json", ...

bool is_op_id(std::string_view s);

// Decodes one op from JSON text. Never throws; on error *out is unspecified. One pass over the
// text without a JSON DOM (op_decode.cpp); reuses *out's storage, so decoding a stream of ops into
// the same Op allocates almost nothing. Accepts and refuses exactly what decode_op_reference does
// and gives the same Op (checked by tests/core/decode_test.cpp and the fuzz target).
DecodeError decode_op(const Schema& schema, std::string_view json_text, Op* out);
// The reference decoder: nlohmann::json::parse, then decode_op_json. Slower (it builds a DOM);
// kept as the specification decode_op is checked against.
DecodeError decode_op_reference(const Schema& schema, std::string_view json_text, Op* out);
DecodeError decode_op_json(const Schema& schema, const nlohmann::json& j, Op* out);
// Checks a JSON payload against spec into *out; returns "" or "field: problem".
std::string validate_payload(const KindSpec& spec, const nlohmann::json& payload, Payload* out);

nlohmann::json payload_to_json(const Payload& p);
nlohmann::json op_to_json(const Op& op);
std::string encode_op(const Op& op);  // compact JSON, keys sorted

}  // namespace sihui::core
