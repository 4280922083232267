#include "core/query.h"

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
  return fail("unknown_query", "no query named '" + std::string(name) + "'");
}

}  // namespace sihui
