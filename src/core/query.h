// query: read-only questions to the core by name, JSON in and out. This is what
// window.sihui.query() reaches in the browser, and what tools and tests use natively.
// Adding a query: add a case in query.cpp and a test in tests/core/query_test.cpp.
#pragma once
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/i18n.h"
#include "core/model.h"
#include "core/settings.h"

namespace sihui {

struct QueryContext {
  const settings::Settings* settings = nullptr;
  const i18n::Catalog* catalog = nullptr;
  const core::State* community = nullptr;  // the view (confirmed + pending) the screens show
};

struct QueryResult {
  bool ok = false;
  nlohmann::json value;    // the answer when ok
  std::string error_code;  // stable code when !ok: unknown_query, bad_args
  std::string message;     // English detail for developers
};

// Names: "version", "settings", "tr" {key, lang?}, "i18n.keys" {lang?};
// on the community (times: ms numbers or "YYYY-MM-DD" Shanghai dates; now defaults to the log's clock):
// "community.summary", "community.hash", "calendar" {from, to}, "class.seats" {session, person?},
// "canteen.sittings" {from, to}, "reports.open" {grid?, now?}, "canteen.missed_meals" {now?},
// "stats" {from, to, now?}, "life.entries" {from, to, kinds?} (calendar entries of every kind),
// "class.roster" {session}, "person.plans" {person, from?} (sign-ups and bookings; from defaults to now).
QueryResult run_query(const QueryContext& ctx, std::string_view name, std::string_view args_json);

}  // namespace sihui
