// model: the community's state (people, places, reports, calendar, classes, canteen, services,
// clinic) as plain structs. Only the reducer changes it; each struct lists its stored fields once
// in fields(), which the snapshot writer, reader and equality use. Ordered containers only.
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/enums.h"
#include "core/id_map.h"
#include "core/small_id_map.h"
#include "core/reasons.h"

namespace sihui::core {

using Id = std::string;

// What sync puts in place of a personal field this reader may not see (decision 0009): a string field
// holds exactly this. The reducer never reads personal fields for a rule; it only fills a masked name
// from a grant's public display name (rules_people.cpp, decision 0023).
inline constexpr std::string_view kMasked = "\u2022\u2022\u2022";

// [SECTION] People and places
enum class Role : std::uint8_t {
  staff,            // committee staff (居委会): may do everything administrative, everywhere
  grid_leader,      // 网格长, scope = grid id
  building_leader,  // 楼栋长, scope = building id
  unit_leader,      // 单元长, scope = unit id
  grid_worker,      // 网格员, scope = grid id
  volunteer,        // 志愿者: takes service requests, helps at classes and the canteen
  clinic,           // moral-clinic member (retired cadre): sees and keeps clinic cases
  canteen_staff,    // canteen staff: sittings, attendance, eligibility exceptions
  teacher,          // heritage teacher (e.g. dough figurines)
};
SIHUI_ENUM_NAMES(Role, "staff", "grid_leader", "building_leader", "unit_leader", "grid_worker",
                 "volunteer", "clinic", "canteen_staff", "teacher")

struct Grant {
  Role role = Role::staff;
  Id scope;  // grid, building or unit id for scoped roles; "" otherwise
  // Explicit < and == : emcc 3.1.6's libc++ has no operator<=> for std::string.
  friend bool operator<(const Grant& a, const Grant& b) { return a.role != b.role ? a.role < b.role : a.scope < b.scope; }
  friend bool operator==(const Grant& a, const Grant& b) { return a.role == b.role && a.scope == b.scope; }
  template <class V>
  void fields(V& v) {
    v("role", role);
    v("scope", scope);
  }
};

struct Compound {  // 小区
  Id id;
  std::string name;
  Id grid;  // the grid that covers it ("" = none yet)
  std::int64_t point_x = 0, point_y = 0;  // map position, micro-degrees (integers, no floats)
  std::string outline;  // yard polygon "x,y;x,y;..." in micro-degrees ("" = schematic yard)
  template <class V>
  void fields(V& v) {
    v("id", id); v("name", name); v("grid", grid); v("point_x", point_x); v("point_y", point_y);
    v("outline", outline);
  }
  friend bool operator==(const Compound&, const Compound&) = default;
};

struct Building {  // 楼栋
  Id id, compound;
  std::string name;
  std::string outline;  // footprint "x,y;x,y;..." in micro-degrees ("" = schematic slab)
  template <class V>
  void fields(V& v) { v("id", id); v("compound", compound); v("name", name); v("outline", outline); }
  friend bool operator==(const Building&, const Building&) = default;
};

struct Unit {  // 单元
  Id id, building;
  std::string name;
  template <class V>
  void fields(V& v) { v("id", id); v("building", building); v("name", name); }
  friend bool operator==(const Unit&, const Unit&) = default;
};

struct Grid {  // 红色网格
  Id id;
  std::string name;
  std::set<Id> compounds;
  std::string boundary;  // polygon "x,y;x,y;..." in micro-degrees, as drawn by staff
  Id leader;             // 网格长 ("" = vacant)
  template <class V>
  void fields(V& v) {
    v("id", id); v("name", name); v("compounds", compounds); v("boundary", boundary); v("leader", leader);
  }
  friend bool operator==(const Grid&, const Grid&) = default;
};

struct Household {
  Id id, unit;
  std::string label;  // e.g. "301"
  template <class V>
  void fields(V& v) { v("id", id); v("unit", unit); v("label", label); }
  friend bool operator==(const Household&, const Household&) = default;
};

struct Person {
  Id id;
  std::string name, phone;
  std::int64_t birth_year = 0;
  Id household, unit;
  std::set<std::string> tags;  // retired_cadre, party_member, living_alone, student, disabled, veteran
  std::set<Grant> roles;
  std::set<Id> proxies;            // people who may act for this person (relative, grid worker)
  std::string canteen_exception;   // non-empty: may eat at the canteen under 80, with this reason
  std::int64_t volunteer_minutes = 0;  // confirmed service minutes (ledger total)
  std::int64_t services_done = 0;      // confirmed service requests completed as volunteer
  bool left = false;                   // moved away or died: kept for history, cannot act
  std::int64_t added_at = 0;
  template <class V>
  void fields(V& v) {
    v("id", id); v("name", name); v("phone", phone); v("birth_year", birth_year);
    v("household", household); v("unit", unit); v("tags", tags); v("roles", roles);
    v("proxies", proxies); v("canteen_exception", canteen_exception);
    v("volunteer_minutes", volunteer_minutes); v("services_done", services_done);
    v("left", left); v("added_at", added_at);
  }
  friend bool operator==(const Person&, const Person&) = default;
};

// [SECTION] Problem reports (汇管理)
enum class Category : std::uint8_t {
  repair,     // 维修维护
  care,       // 爱心帮扶
  info,       // 信息咨询
  culture,    // 文化娱乐
  emergency,  // 应急处理
  dispute,    // 矛盾调处
};
SIHUI_ENUM_NAMES(Category, "repair", "care", "info", "culture", "emergency", "dispute")

enum class ReportStatus : std::uint8_t {
  registered,  // filed (or reopened), waiting for the grid to accept it
  accepted,    // the grid took it on
  dispatched,  // given to someone to handle
  handled,     // the handler says it is done
  reviewed,    // the grid leader or staff checked the result
  closed,      // finished; the reporter may rate it
};
SIHUI_ENUM_NAMES(ReportStatus, "registered", "accepted", "dispatched", "handled", "reviewed", "closed")

enum class ReportAction : std::uint8_t {
  filed, accepted, dispatched, handled, reviewed, closed, reopened, commented, rated, linked,
};
SIHUI_ENUM_NAMES(ReportAction, "filed", "accepted", "dispatched", "handled", "reviewed", "closed",
                 "reopened", "commented", "rated", "linked")

struct ReportStep {  // one line of the report's timeline
  std::int64_t at = 0;
  Id by;
  ReportAction action = ReportAction::filed;
  std::string note;
  std::vector<std::string> photos;
  template <class V>
  void fields(V& v) { v("at", at); v("by", by); v("action", action); v("note", note); v("photos", photos); }
  friend bool operator==(const ReportStep&, const ReportStep&) = default;
};

struct ReportLink {
  Id other;
  std::string relation;  // duplicate | repeat_spot
  friend bool operator<(const ReportLink& a, const ReportLink& b) {
    return a.other != b.other ? a.other < b.other : a.relation < b.relation;
  }
  friend bool operator==(const ReportLink& a, const ReportLink& b) { return a.other == b.other && a.relation == b.relation; }
  template <class V>
  void fields(V& v) { v("other", other); v("relation", relation); }
};

struct Report {
  Id id, reporter;
  Category category = Category::repair;
  std::string subtype;
  Id compound, building, unit;
  bool has_point = false;
  std::int64_t point_x = 0, point_y = 0;
  std::string description;
  std::vector<std::string> photos;  // references to stored photos, not bytes
  std::int64_t priority = 2;        // 1 urgent, 2 normal, 3 low
  std::string caller_name, caller_phone;  // walk-in or phone caller staff filed for (personal; "" none)
  Id grid;                          // routed grid ("" = straight to the committee)
  Id assignee;                      // the grid leader at filing time ("" = committee)
  Id handler;                       // who it was dispatched to
  ReportStatus status = ReportStatus::registered;
  std::int64_t filed_at = 0, due_at = 0, handled_at = 0, closed_at = 0;  // closed_at 0 = open
  std::int64_t reopen_count = 0;
  std::int64_t rating = 0;  // 0 = not rated, 1..5 stars
  std::string rating_text;
  std::set<ReportLink> links;
  std::vector<ReportStep> timeline;
  template <class V>
  void fields(V& v) {
    v("id", id); v("reporter", reporter); v("category", category); v("subtype", subtype);
    v("compound", compound); v("building", building); v("unit", unit); v("has_point", has_point);
    v("point_x", point_x); v("point_y", point_y); v("description", description); v("photos", photos);
    v("priority", priority); v("grid", grid); v("assignee", assignee); v("handler", handler);
    v("status", status); v("filed_at", filed_at); v("due_at", due_at); v("handled_at", handled_at);
    v("closed_at", closed_at); v("reopen_count", reopen_count); v("rating", rating);
    v("rating_text", rating_text); v("links", links); v("timeline", timeline);
    v("caller_name", caller_name); v("caller_phone", caller_phone);
  }
  friend bool operator==(const Report&, const Report&) = default;
};

// [SECTION] Calendar and clubs
enum class Audience : std::uint8_t { all, elders, children, families, students, members, clinic };
SIHUI_ENUM_NAMES(Audience, "all", "elders", "children", "families", "students", "members", "clinic")
enum class EventCategory : std::uint8_t { festival, clinic, club, klass, canteen, meeting, other };
SIHUI_ENUM_NAMES(EventCategory, "festival", "clinic", "club", "class", "canteen", "meeting", "other")

struct Override {  // one changed occurrence of a recurring event
  std::int64_t starts_at = 0;  // new start (may move within +-7 days)
  std::int64_t duration_min = 0;
  std::string place, note;
  bool cancelled = false;
  std::string reason;
  template <class V>
  void fields(V& v) {
    v("starts_at", starts_at); v("duration_min", duration_min); v("place", place); v("note", note);
    v("cancelled", cancelled); v("reason", reason);
  }
  friend bool operator==(const Override&, const Override&) = default;
};

struct Event {
  Id id;
  std::string title;
  std::int64_t starts_at = 0, duration_min = 60;
  std::string rrule;               // "" = once; else the RRULE subset of civil.h, kept verbatim
  std::set<std::int64_t> exdates;  // original occurrence starts left out entirely
  std::string place;
  Id organiser, club, created_by;
  Audience audience = Audience::all;
  EventCategory category = EventCategory::other;
  std::string access_note;         // step-free access, bring ID, ...
  bool cancelled = false;          // the whole series
  std::string cancel_reason;
  std::map<std::int64_t, Override> overrides;  // by original occurrence start
  template <class V>
  void fields(V& v) {
    v("id", id); v("title", title); v("starts_at", starts_at); v("duration_min", duration_min);
    v("rrule", rrule); v("exdates", exdates); v("place", place); v("organiser", organiser);
    v("club", club); v("created_by", created_by); v("audience", audience); v("category", category);
    v("access_note", access_note); v("cancelled", cancelled); v("cancel_reason", cancel_reason);
    v("overrides", overrides);
  }
  friend bool operator==(const Event&, const Event&) = default;
};

struct Club {  // 乒乓球队, 游泳队, 声乐队, 舞蹈队, 象棋队 ...
  Id id;
  std::string name;
  Id leader;
  std::set<Id> members;
  template <class V>
  void fields(V& v) { v("id", id); v("name", name); v("leader", leader); v("members", members); }
  friend bool operator==(const Club&, const Club&) = default;
};

// [SECTION] Heritage classes (面塑)
struct Progress {
  std::int64_t level = 0;  // 0..10, set by the teacher
  std::string note;
  template <class V>
  void fields(V& v) { v("level", level); v("note", note); }
  friend bool operator==(const Progress&, const Progress&) = default;
};

struct Course {
  Id id;
  std::string title, description;
  Id teacher;
  std::map<Id, Progress> progress;  // by person
  template <class V>
  void fields(V& v) {
    v("id", id); v("title", title); v("description", description); v("teacher", teacher); v("progress", progress);
  }
  friend bool operator==(const Course&, const Course&) = default;
};

struct Signup {  // one sign-up: a person or a family/group whose places are held together
  Id op;                       // the op that made it
  std::vector<Id> persons;     // first = the main person
  Id by, guardian;
  std::int64_t made_at = 0;
  template <class V>
  void fields(V& v) { v("op", op); v("persons", persons); v("by", by); v("guardian", guardian); v("made_at", made_at); }
  friend bool operator==(const Signup&, const Signup&) = default;
};

struct Session {
  Id id, course;
  std::int64_t number = 0;  // 第 N 期
  std::int64_t starts_at = 0, duration_min = 0, seats = 0;
  std::string place, theme;
  std::set<std::string> open_to;  // resident, student, teen (empty = everyone)
  std::vector<Signup> enrolled;   // log order
  std::vector<Signup> waitlist;   // log order: the head is promoted first
  std::set<Id> attended, no_shows;
  bool closed = false;
  std::int64_t taken = 0;  // derived: persons in enrolled (not stored; rebuilt on load)
  template <class V>
  void fields(V& v) {
    v("id", id); v("course", course); v("number", number); v("starts_at", starts_at);
    v("duration_min", duration_min); v("seats", seats); v("place", place); v("theme", theme);
    v("open_to", open_to); v("enrolled", enrolled); v("waitlist", waitlist); v("attended", attended);
    v("no_shows", no_shows); v("closed", closed);
  }
  friend bool operator==(const Session&, const Session&) = default;
};

// [SECTION] Canteen (站南爱老公益食堂)
enum class Meal : std::uint8_t { breakfast, lunch, dinner };
SIHUI_ENUM_NAMES(Meal, "breakfast", "lunch", "dinner")

struct Booking {
  Id by;
  std::string diet;  // dietary note for the kitchen
  std::int64_t made_at = 0;
  bool attended = false;
  bool walk_in = false;
  template <class V>
  void fields(V& v) { v("by", by); v("diet", diet); v("made_at", made_at); v("attended", attended); v("walk_in", walk_in); }
  friend bool operator==(const Booking&, const Booking&) = default;
};

struct Sitting {
  Id id;
  std::int64_t starts_at = 0;
  Meal meal = Meal::lunch;
  std::int64_t seats = 40;
  SmallIdMap<Booking> bookings;  // by person, in id order (small_id_map.h: one array, no node per booking)
  template <class V>
  void fields(V& v) { v("id", id); v("starts_at", starts_at); v("meal", meal); v("seats", seats); v("bookings", bookings); }
  friend bool operator==(const Sitting&, const Sitting&) = default;
};

// [SECTION] Service supermarket (暖巢)
struct Service {
  Id id;
  std::string name;
  bool money = false;  // a money errand (paying bills, buying groceries): the amount is confirmed by both
  std::int64_t minutes = 60;
  template <class V>
  void fields(V& v) { v("id", id); v("name", name); v("money", money); v("minutes", minutes); }
  friend bool operator==(const Service&, const Service&) = default;
};

enum class RequestStatus : std::uint8_t {
  open,       // waiting for a volunteer
  taken,      // a volunteer took it
  done,       // the volunteer says it is done
  confirmed,  // the elder (or proxy) confirmed: hours credited
  cancelled,  // withdrawn
};
SIHUI_ENUM_NAMES(RequestStatus, "open", "taken", "done", "confirmed", "cancelled")

struct ServiceRequest {
  Id id, service, for_person, by;
  std::string note;
  std::int64_t amount_fen = 0;  // estimate given with the request
  std::int64_t wanted_at = 0;
  RequestStatus status = RequestStatus::open;
  Id volunteer;
  std::int64_t minutes = 0;
  std::int64_t volunteer_amount_fen = -1, elder_amount_fen = -1;  // -1 = not given
  std::int64_t made_at = 0, done_at = 0, confirmed_at = 0;
  template <class V>
  void fields(V& v) {
    v("id", id); v("service", service); v("for", for_person); v("by", by); v("note", note);
    v("amount_fen", amount_fen); v("wanted_at", wanted_at); v("status", status); v("volunteer", volunteer);
    v("minutes", minutes); v("volunteer_amount_fen", volunteer_amount_fen);
    v("elder_amount_fen", elder_amount_fen); v("made_at", made_at); v("done_at", done_at);
    v("confirmed_at", confirmed_at);
  }
  friend bool operator==(const ServiceRequest&, const ServiceRequest&) = default;
};

// [SECTION] Moral clinic (道德门诊)
enum class CaseOutcome : std::uint8_t { open, resolved, partly, referred, failed };
SIHUI_ENUM_NAMES(CaseOutcome, "open", "resolved", "partly", "referred", "failed")

struct CaseEntry {  // a sitting of the clinic on this case, or a follow-up visit
  std::int64_t at = 0;
  Id by;
  bool followup = false;
  std::string diagnosis, prescription, note;
  template <class V>
  void fields(V& v) {
    v("at", at); v("by", by); v("followup", followup); v("diagnosis", diagnosis);
    v("prescription", prescription); v("note", note);
  }
  friend bool operator==(const CaseEntry&, const CaseEntry&) = default;
};

struct ClinicCase {
  Id id;
  std::string category;  // noise, leak, stairwell, uncivil, pets, parking, family, other
  std::vector<std::string> parties;
  std::string complaint;
  Id opened_by;
  std::int64_t opened_at = 0, closed_at = 0;
  std::vector<CaseEntry> entries;
  CaseOutcome outcome = CaseOutcome::open;
  std::string outcome_note;
  template <class V>
  void fields(V& v) {
    v("id", id); v("category", category); v("parties", parties); v("complaint", complaint);
    v("opened_by", opened_by); v("opened_at", opened_at); v("closed_at", closed_at);
    v("entries", entries); v("outcome", outcome); v("outcome_note", outcome_note);
  }
  friend bool operator==(const ClinicCase&, const ClinicCase&) = default;
};

// [SECTION] Channels (the nine linked groups: 南广场建设群, 网格群, 物业群, 安全群, 离退休干部群, ...)
struct ChannelPost {  // a notice, or a report posted to the channel
  Id id;              // the op that posted it
  Id by;
  std::int64_t at = 0;
  std::string title, text;  // personal for non-members (masked by sync in members-only channels)
  Id report;                // "" = a plain notice
  template <class V>
  void fields(V& v) { v("id", id); v("by", by); v("at", at); v("title", title); v("text", text); v("report", report); }
  friend bool operator==(const ChannelPost&, const ChannelPost&) = default;
};

struct Channel {
  Id id;
  std::string name, about;
  bool assigned = false;      // only staff put people in (e.g. the grid's party members)
  bool members_only = true;   // posts reach only members and staff (sync masks them for others)
  std::set<Id> members;
  std::vector<ChannelPost> posts;         // log order (oldest first)
  std::map<Id, std::int64_t> read;        // member -> posts read (a count: posts[0..n) seen)
  template <class V>
  void fields(V& v) {
    v("id", id); v("name", name); v("about", about); v("assigned", assigned); v("members_only", members_only);
    v("members", members); v("posts", posts); v("read", read);
  }
  friend bool operator==(const Channel&, const Channel&) = default;
};

// [SECTION] The whole state
struct Blocked {  // replay stopped at an op of a kind this build does not know
  bool active = false;
  std::string kind;
  std::int64_t seq = 0;
  Id op;
  template <class V>
  void fields(V& v) { v("active", active); v("kind", kind); v("seq", seq); v("op", op); }
  friend bool operator==(const Blocked&, const Blocked&) = default;
};

struct State {
  bool initialised = false;
  std::string community_name;
  std::int64_t last_seq = 0;     // highest confirmed seq applied
  std::int64_t ops_applied = 0;  // every op applied (accepted or refused)
  std::int64_t clock = 0;        // latest made_at seen: "now" as far as the log knows
  Blocked blocked;
  IdMap<Compound> compounds;
  IdMap<Building> buildings;
  IdMap<Unit> units;
  IdMap<Grid> grids;
  IdMap<Household> households;
  IdMap<Person> persons;
  IdMap<Report> reports;
  IdMap<Event> events;
  IdMap<Club> clubs;
  IdMap<Course> courses;
  IdMap<Session> sessions;
  IdMap<Sitting> sittings;
  IdMap<Service> services;
  IdMap<ServiceRequest> requests;
  std::map<std::int64_t, std::set<Id>> clinic_roster;  // weekday 1..7 -> members on duty
  IdMap<ClinicCase> cases;
  IdMap<Channel> channels;
  IdMap<Outcome> notes;  // op id -> outcome, for ops refused or accepted with a note
  // Places staff removed (place.remove): "compound:ID" | "building:ID" | "unit:ID" -> the name it
  // had, so reports and history that name it still read. Adding the id again takes it out.
  std::map<std::string, std::string> removed_places;

  template <class V>
  void fields(V& v) {
    v("initialised", initialised); v("community_name", community_name); v("last_seq", last_seq);
    v("ops_applied", ops_applied); v("clock", clock); v("blocked", blocked);
    v("compounds", compounds); v("buildings", buildings); v("units", units); v("grids", grids);
    v("households", households); v("persons", persons); v("reports", reports); v("events", events);
    v("clubs", clubs); v("courses", courses); v("sessions", sessions); v("sittings", sittings);
    v("services", services); v("requests", requests); v("clinic_roster", clinic_roster);
    v("cases", cases); v("channels", channels); v("notes", notes);
    v("removed_places", removed_places);
  }
  friend bool operator==(const State&, const State&) = default;
};

// Recomputes derived fields (Session::taken) from stored ones; called after loading a snapshot.
void rebuild_derived(State& s);

}  // namespace sihui::core
