#include "core/query.h"

#include "core/channels.h"
#include "core/civil.h"
#include "core/community_query.h"
#include "core/report_stats.h"
#include "core/life_query.h"
#include "core/services_query.h"
#include "core/snapshot.h"
#include "core/version.h"

namespace sihui {

namespace {
QueryResult fail(std::string code, std::string message) {
  QueryResult r;
  r.error_code = std::move(code);
  r.message = std::move(message);
  return r;
}
QueryResult ok(nlohmann::json v) {
  QueryResult r;
  r.ok = true;
  r.value = std::move(v);
  return r;
}
bool lang_arg(const nlohmann::json& args, const QueryContext& ctx, i18n::Lang* out) {
  *out = ctx.settings ? ctx.settings->lang : i18n::Lang::zh_CN;
  auto it = args.find("lang");
  if (it == args.end()) return true;
  return it->is_string() && i18n::lang_from_code(it->get<std::string>(), out);
}
bool time_arg(const nlohmann::json& args, const char* name, std::int64_t fallback, std::int64_t* out) {
  auto it = args.find(name);
  if (it == args.end() || it->is_null()) {
    *out = fallback;
    return true;
  }
  if (it->is_number_integer()) {
    *out = it->get<std::int64_t>();
    return true;
  }
  return it->is_string() && core::parse_date_or_ms(it->get_ref<const std::string&>(), out);
}
std::string str_arg(const nlohmann::json& args, const char* name) {
  auto it = args.find(name);
  return it != args.end() && it->is_string() ? it->get<std::string>() : std::string();
}

QueryResult community_query(const core::State& s, std::string_view name, const nlohmann::json& args) {
  std::int64_t from = 0, to = 0, now = 0;
  if (!time_arg(args, "now", s.clock, &now)) return fail("bad_args", "'now' must be ms or YYYY-MM-DD");
  if (!time_arg(args, "from", 0, &from) || !time_arg(args, "to", INT64_MAX / 2, &to))
    return fail("bad_args", "'from'/'to' must be ms or YYYY-MM-DD");
  if (name == "community.summary")
    return ok({{"name", s.community_name}, {"persons", s.persons.size()}, {"compounds", s.compounds.size()},
               {"grids", s.grids.size()}, {"reports", s.reports.size()}, {"events", s.events.size()},
               {"sessions", s.sessions.size()}, {"sittings", s.sittings.size()}, {"last_seq", s.last_seq},
               {"ops_applied", s.ops_applied}, {"clock", s.clock},
               {"needs_update", s.blocked.active}, {"blocked_kind", s.blocked.kind}, {"blocked_seq", s.blocked.seq}});
  if (name == "community.hash") return ok({{"hash", core::hash_hex(core::state_hash(s))}, {"last_seq", s.last_seq}});
  if (name == "calendar") {
    if (!args.contains("from") || !args.contains("to") || to - from > 400 * core::kMsPerDay)
      return fail("bad_args", "calendar needs 'from' and 'to', at most 400 days apart");
    return ok(core::calendar_json(s, from, to));
  }
  if (name == "class.seats") {
    auto j = core::session_seats(s, str_arg(args, "session"), str_arg(args, "person"));
    if (j.is_null()) return fail("not_found", "no such session");
    return ok(std::move(j));
  }
  if (name == "canteen.sittings") return ok(core::canteen_sittings(s, from, to));
  if (name == "reports.open") return ok(core::open_reports(s, str_arg(args, "grid"), now));
  if (name == "channel.posts") {  // one channel's posts, newest first (decision 0024), as this device holds them
    if (!s.channels.count(str_arg(args, "channel"))) return fail("not_found", "no such channel");
    nlohmann::json j = nlohmann::json::array();
    for (const core::ChannelPost* p : core::channel_posts(s, str_arg(args, "channel")))
    {
      nlohmann::json o = nlohmann::json::object();  // no initializer list: each costs wasm at its call site
      o["id"] = p->id, o["by"] = p->by, o["at"] = p->at, o["title"] = p->title, o["text"] = p->text, o["report"] = p->report;
      j.push_back(std::move(o));
    }
    return ok(std::move(j));
  }
  if (name == "canteen.missed_meals") return ok(core::missed_meals(s, now));
  if (name == "stats") return ok(core::statistics(s, from, to, now));
  if (name == "reports.stats") {  // the committee's statistics page (src/ui/stats.cpp) in numbers
    auto m = args.find("months");
    if (m != args.end() && (!m->is_number_integer() || m->get<std::int64_t>() < 1 || m->get<std::int64_t>() > 120))
      return fail("bad_args", "'months' must be a whole number from 1 to 120");
    auto st = core::report_stats(s, now, m == args.end() ? 6 : m->get<int>());
    auto counts = [](const core::ReportCounts& c) {
      return nlohmann::json{{"filed", c.filed}, {"closed", c.closed}, {"open", c.open}, {"overdue", c.overdue},
                            {"median_close_minutes", c.median_close_minutes}, {"rated", c.rated}, {"stars", c.stars}};
    };
    nlohmann::json j = {{"from", st.from}, {"to", st.to}, {"total", counts(st.total)}};
    for (std::size_t i = 0; i < core::kCategoryCount; ++i)
      j["by_category"][std::string(core::enum_name(static_cast<core::Category>(i)))] = counts(st.by_category[i]);
    j["by_grid"] = nlohmann::json::array();
    for (const auto& g : st.by_grid) j["by_grid"].push_back({{"grid", g.grid}, {"counts", counts(g.counts)}});
    j["by_month"] = nlohmann::json::array();
    for (const auto& mo : st.by_month) j["by_month"].push_back({{"month", mo.month}, {"filed", mo.filed}, {"closed", mo.closed}});
    j["repeats"] = nlohmann::json::array();
    for (const auto& r : st.repeats)
      j["repeats"].push_back({{"compound", r.compound}, {"building", r.building},
                              {"category", std::string(core::enum_name(r.category))}, {"count", r.count}});
    return ok(std::move(j));
  }
  if (name == "life.entries") {
    if (!args.contains("from") || !args.contains("to") || to - from > 400 * core::kMsPerDay)
      return fail("bad_args", "life.entries needs 'from' and 'to', at most 400 days apart");
    unsigned mask = 0;
    if (auto k = args.find("kinds"); k != args.end() && k->is_array()) {
      for (const auto& n : *k) {
        core::EntryKind e{};
        if (!n.is_string() || !core::enum_from_name(n.get_ref<const std::string&>(), &e))
          return fail("bad_args", "'kinds' holds names of entry kinds");
        mask |= core::entry_bit(e);
      }
    } else {
      mask = core::kAllEntryKinds;
    }
    return ok(core::entries_json(core::life_entries(s, from, to, mask)));
  }
  if (name == "class.roster") {
    if (!s.sessions.count(str_arg(args, "session"))) return fail("not_found", "no such session");
    return ok(core::roster_json(core::session_roster(s, str_arg(args, "session"))));
  }
  if (name == "services.open")
    return ok(core::requests_json(s, core::open_requests(s, str_arg(args, "volunteer"))));
  if (name == "services.mine") return ok(core::requests_json(s, core::person_requests(s, str_arg(args, "person"))));
  if (name == "volunteer.stats")
    return ok(core::volunteer_json(core::volunteer_stats(s, str_arg(args, "person")), core::thank_you_list(s)));
  if (name == "clinic.summary") return ok(core::clinic_summary_json(core::clinic_summary(s, now)));
  if (name == "person.plans") return ok(core::plans_json(core::person_plans(s, str_arg(args, "person"), args.contains("from") ? from : now)));
  return fail("unknown_query", "no query named '" + std::string(name) + "'");
}
}  // namespace

QueryResult run_query(const QueryContext& ctx, std::string_view name, std::string_view args_json) {
  nlohmann::json args = nlohmann::json::object();
  if (!args_json.empty()) {
    args = nlohmann::json::parse(args_json.begin(), args_json.end(), nullptr, false);
    if (args.is_discarded()) return fail("bad_args", "arguments are not valid JSON");
    if (args.is_null()) args = nlohmann::json::object();
    if (!args.is_object()) return fail("bad_args", "arguments must be a JSON object");
  }
  if (name == "version") {
    return ok({{"core", std::string(kCoreVersion)}});
  }
  if (name == "settings") {
    if (!ctx.settings) return fail("unavailable", "settings are not loaded");
    return ok(nlohmann::json::parse(settings::serialise(*ctx.settings)));
  }
  if (name == "tr") {
    if (!ctx.catalog) return fail("unavailable", "translations are not loaded");
    auto key = args.find("key");
    if (key == args.end() || !key->is_string()) return fail("bad_args", "tr needs a string 'key'");
    i18n::Lang lang{};
    if (!lang_arg(args, ctx, &lang)) return fail("bad_args", "unknown 'lang'");
    auto k = key->get<std::string>();
    return ok({{"key", k},
               {"lang", std::string(i18n::lang_code(lang))},
               {"text", std::string(ctx.catalog->text(lang, i18n::Key{k}))},
               {"found", ctx.catalog->has(lang, i18n::Key{k})}});
  }
  if (name == "i18n.keys") {
    if (!ctx.catalog) return fail("unavailable", "translations are not loaded");
    i18n::Lang lang{};
    if (!lang_arg(args, ctx, &lang)) return fail("bad_args", "unknown 'lang'");
    return ok(ctx.catalog->keys(lang));
  }
  if (name.substr(0, name.find('.')) == "community" || name == "calendar" || name.rfind("class.", 0) == 0 ||
      name.rfind("canteen.", 0) == 0 || name.rfind("reports.", 0) == 0 || name == "stats" ||
      name.rfind("life.", 0) == 0 || name.rfind("person.", 0) == 0 || name.rfind("services.", 0) == 0 ||
      name == "volunteer.stats" || name == "clinic.summary" || name == "channel.posts") {
    if (!ctx.community) return fail("unavailable", "the community is not loaded");
    return community_query(*ctx.community, name, args);
  }
  return fail("unknown_query", "no query named '" + std::string(name) + "'");
}

}  // namespace sihui
