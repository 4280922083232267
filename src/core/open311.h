// open311: the community's problem reports as Open311 GeoReport v2 (services and service requests),
// made from the same State the devices replay, so serve.py never re-implements the reducer
// (decision 0023). serve.py runs this through `sihui_snapshot --open311 services|requests` on the log
// as an anonymous reader pulls it: nothing personal reaches it, and nothing personal is written
// (no reporter, no caller, no handler; the grid's name is the agency).
#pragma once
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/i18n.h"
#include "core/model.h"

namespace sihui::core {

// Every report sub-type as a service: service_code (the sub-type id), service_name (in lang),
// description (the name in the other language, so a tool in either language can tell them apart),
// metadata false, type "realtime", keywords (category and sub-type ids), group (the category in lang).
nlohmann::json open311_services(const i18n::Catalog& words, i18n::Lang lang);

// One report as a GeoReport v2 service request: service_request_id, status (open/closed), status_notes
// (the latest step of the chain in words, with its note), service_code, service_name, description,
// agency_responsible (the grid's name, or the committee), requested/updated/expected_datetime (ISO 8601,
// +08:00), address (compound, building, unit names), address_id (the most precise place id), lat/long
// (degrees from the report's map point, else its compound's; absent when neither is known).
nlohmann::json open311_request(const State& s, const Report& r, const i18n::Catalog& words, i18n::Lang lang);

// Every report, newest filed first (then by id).
nlohmann::json open311_requests(const State& s, const i18n::Catalog& words, i18n::Lang lang);

// "2026-11-27T10:20:00+08:00" (Shanghai, whole seconds).
std::string open311_datetime(std::int64_t utc_ms);

}  // namespace sihui::core
