// Named read-only queries: the contract behind window.sihui.query().
#include <catch_amalgamated.hpp>

#include "core/query.h"

using namespace sihui;

TEST_CASE("queries answer from the settings and the catalog") {
  settings::Settings s;
  s.text_scale = 140;
  i18n::Catalog c;
  std::string err;
  REQUIRE(c.load(i18n::Lang::zh_CN, R"({"app.name": "四汇"})", &err));
  REQUIRE(c.load(i18n::Lang::en, R"({"app.name": "Sihui"})", &err));
  QueryContext ctx{&s, &c};

  auto r = run_query(ctx, "settings", "");
  REQUIRE(r.ok);
  CHECK(r.value["text_scale"] == 140);
  CHECK(r.value["lang"] == "zh-CN");

  r = run_query(ctx, "tr", R"({"key": "app.name"})");
  REQUIRE(r.ok);
  CHECK(r.value["text"] == "四汇");
  CHECK(r.value["found"] == true);
  r = run_query(ctx, "tr", R"({"key": "app.name", "lang": "en"})");
  CHECK(r.value["text"] == "Sihui");
  r = run_query(ctx, "tr", R"({"key": "nope"})");
  CHECK(r.value["found"] == false);

  r = run_query(ctx, "i18n.keys", "null");
  REQUIRE(r.ok);
  CHECK(r.value.size() == 1);
  CHECK(run_query(ctx, "version", "{}").ok);
}

TEST_CASE("bad queries are refused with a stable code") {
  QueryContext ctx{};
  auto r = run_query(ctx, "no.such.query", "{}");
  CHECK_FALSE(r.ok);
  CHECK(r.error_code == "unknown_query");
  CHECK(run_query(ctx, "tr", "{oops").error_code == "bad_args");
  CHECK(run_query(ctx, "tr", "[1,2]").error_code == "bad_args");
  CHECK(run_query(ctx, "settings", "").error_code == "unavailable");
}
