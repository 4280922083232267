// open311: reports and sub-types as GeoReport v2 JSON (see open311.h, decision 0023).
#include "core/open311.h"

#include <algorithm>
#include <vector>

#include "core/categories.h"
#include "core/civil.h"
#include "core/enums.h"

namespace sihui::core {

namespace {
std::string word(const i18n::Catalog& words, i18n::Lang lang, const std::string& key) {
  return std::string(words.text(lang, i18n::Key{key}));
}
double degrees(std::int64_t micro) { return static_cast<double>(micro) / 1e6; }
bool is_chain_step(ReportAction a) {  // steps that change the status (not comments, ratings, links)
  return a != ReportAction::commented && a != ReportAction::rated && a != ReportAction::linked;
}
}  // namespace

std::string open311_datetime(std::int64_t utc_ms) {
  LocalTime t = shanghai(utc_ms);
  std::int64_t secs = t.ms_of_day / 1000;
  auto two = [](std::int64_t n) { return std::string(1, static_cast<char>('0' + n / 10)) + static_cast<char>('0' + n % 10); };
  std::string year = std::to_string(t.year);
  if (year.size() < 4) year.insert(0, 4 - year.size(), '0');
  return year + "-" + two(t.month) + "-" + two(t.mday) + "T" + two(secs / 3600) + ":" + two(secs / 60 % 60) + ":" +
         two(secs % 60) + "+08:00";
}

nlohmann::json open311_services(const i18n::Catalog& words, i18n::Lang lang) {
  const i18n::Lang other = lang == i18n::Lang::en ? i18n::Lang::zh_CN : i18n::Lang::en;
  nlohmann::json out = nlohmann::json::array();
  for (const Subtype& st : kSubtypes) {
    std::string key = "subtype." + std::string(st.id);
    std::string cat(enum_name(st.category));
    out.push_back({{"service_code", std::string(st.id)},
                   {"service_name", word(words, lang, key)},
                   {"description", word(words, other, key)},
                   {"metadata", false},
                   {"type", "realtime"},
                   {"keywords", cat + "," + std::string(st.id)},
                   {"group", word(words, lang, "category." + cat)}});
  }
  return out;
}

nlohmann::json open311_request(const State& s, const Report& r, const i18n::Catalog& words, i18n::Lang lang) {
  nlohmann::json j;
  j["service_request_id"] = r.id;
  j["status"] = r.status == ReportStatus::closed ? "closed" : "open";
  // The latest step of the chain, in words: "已受理：明天上午去看".
  std::string notes = word(words, lang, "report_status." + std::string(enum_name(r.status)));
  for (auto it = r.timeline.rbegin(); it != r.timeline.rend(); ++it) {
    if (!is_chain_step(it->action)) continue;
    if (it->action != ReportAction::filed && !it->note.empty())
      notes = i18n::format(word(words, lang, "open311.status_note"), {{"status", notes}, {"note", it->note}});
    break;
  }
  j["status_notes"] = notes;
  j["service_code"] = r.subtype;
  j["service_name"] = word(words, lang, "subtype." + r.subtype);
  j["description"] = r.description;
  auto g = s.grids.find(r.grid);
  j["agency_responsible"] = g != s.grids.end() && !g->second.name.empty() ? g->second.name
                                                                          : word(words, lang, "open311.committee");
  j["service_notice"] = "";
  j["requested_datetime"] = open311_datetime(r.filed_at);
  std::int64_t updated = r.filed_at;
  for (const ReportStep& step : r.timeline) updated = std::max(updated, step.at);
  j["updated_datetime"] = open311_datetime(updated);
  if (r.status != ReportStatus::closed && r.due_at > 0) j["expected_datetime"] = open311_datetime(r.due_at);
  std::string address;
  auto add = [&](const auto& m, const Id& id) {
    auto it = m.find(id);
    if (it == m.end() || it->second.name.empty()) return;
    if (!address.empty()) address += ' ';
    address += it->second.name;
  };
  add(s.compounds, r.compound);
  add(s.buildings, r.building);
  add(s.units, r.unit);
  j["address"] = address;
  j["address_id"] = !r.unit.empty() ? r.unit : !r.building.empty() ? r.building : r.compound;
  auto c = s.compounds.find(r.compound);
  if (r.has_point) {
    j["lat"] = degrees(r.point_y);
    j["long"] = degrees(r.point_x);
  } else if (c != s.compounds.end() && (c->second.point_x != 0 || c->second.point_y != 0)) {
    j["lat"] = degrees(c->second.point_y);
    j["long"] = degrees(c->second.point_x);
  }
  return j;
}

nlohmann::json open311_requests(const State& s, const i18n::Catalog& words, i18n::Lang lang) {
  std::vector<const Report*> all;
  all.reserve(s.reports.size());
  for (const auto& [id, r] : s.reports) all.push_back(&r);
  std::sort(all.begin(), all.end(), [](const Report* a, const Report* b) {
    return a->filed_at != b->filed_at ? a->filed_at > b->filed_at : a->id < b->id;
  });
  nlohmann::json out = nlohmann::json::array();
  for (const Report* r : all) out.push_back(open311_request(s, *r, words, lang));
  return out;
}

}  // namespace sihui::core
