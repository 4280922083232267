// Translation catalogs: loading, fallback, formatting, and the shipped language files.
#include <catch_amalgamated.hpp>

#include <fstream>
#include <sstream>

#include "core/i18n.h"

using namespace sihui::i18n;
using namespace sihui::i18n::literals;

static std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST_CASE("catalog falls back from English to Chinese to the key") {
  Catalog c;
  std::string err;
  REQUIRE(c.load(Lang::zh_CN, R"({"a": "甲", "b": "乙"})", &err));
  REQUIRE(c.load(Lang::en, R"({"a": "A", "b": ""})", &err));
  CHECK(c.text(Lang::en, "a"_k) == "A");
  CHECK(c.text(Lang::en, "b"_k) == "乙");  // empty English falls back to Chinese
  CHECK(c.text(Lang::zh_CN, "zzz"_k) == "zzz");
  CHECK(c.has(Lang::en, "a"_k));
  CHECK_FALSE(c.has(Lang::en, "zzz"_k));
}

TEST_CASE("malformed catalogs are refused and leave the old one in place") {
  Catalog c;
  std::string err;
  REQUIRE(c.load(Lang::zh_CN, R"({"a": "甲"})", &err));
  CHECK_FALSE(c.load(Lang::zh_CN, "{not json", &err));
  CHECK(err == "not a JSON object");
  CHECK_FALSE(c.load(Lang::zh_CN, R"({"a": 3})", &err));
  CHECK_FALSE(c.load(Lang::zh_CN, R"(["a"])", &err));
  CHECK_FALSE(c.load(Lang::zh_CN, R"({"": "x"})", &err));
  CHECK(c.text(Lang::zh_CN, "a"_k) == "甲");
}

TEST_CASE("format replaces named placeholders and keeps unknown ones visible") {
  CHECK(format("{pct}%", {{"pct", "150"}}) == "150%");
  CHECK(format("已用 {used}，可用 {quota}", {{"used", "1 MB"}, {"quota", "2 GB"}}) ==
        "已用 1 MB，可用 2 GB");
  CHECK(format("{x} {y}", {{"x", "1"}}) == "1 {y}");
  CHECK(format("{unclosed", {{"unclosed", "no"}}) == "{unclosed");
}

TEST_CASE("language codes") {
  Lang l{};
  CHECK(lang_from_code("zh-CN", &l));
  CHECK(l == Lang::zh_CN);
  CHECK(lang_from_code("en-GB", &l));
  CHECK(l == Lang::en);
  CHECK_FALSE(lang_from_code("fr", &l));
  CHECK(lang_code(Lang::zh_CN) == "zh-CN");
}

TEST_CASE("shipped zh-CN and en files load, have the same keys and no empty text") {
  Catalog c;
  std::string err;
  REQUIRE(c.load(Lang::zh_CN, slurp(SIHUI_SOURCE_DIR "/assets/lang/zh-CN.json"), &err));
  REQUIRE(c.load(Lang::en, slurp(SIHUI_SOURCE_DIR "/assets/lang/en.json"), &err));
  CHECK(c.size(Lang::zh_CN) > 30);
  CHECK(c.keys(Lang::zh_CN) == c.keys(Lang::en));
  for (const auto& k : c.keys(Lang::zh_CN)) {
    INFO(k);
    CHECK_FALSE(c.text(Lang::zh_CN, Key{k}).empty());
    CHECK(c.text(Lang::en, Key{k}) != k);
  }
  CHECK(c.text(Lang::zh_CN, "app.name"_k) == "四汇");
}
