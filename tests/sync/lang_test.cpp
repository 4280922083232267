// Every code a person can be shown about sync has a sentence in both languages: the client's phases
// and failures (src/sync/client.cpp) and every error code serve.py answers with (read from its source,
// so a new code cannot be forgotten).
#include <catch_amalgamated.hpp>

#include <regex>
#include <set>

#include "../core/support.h"
#include "core/i18n.h"

using namespace sihui;

TEST_CASE("every sync phase, client failure and server error code has a sentence in both languages") {
  i18n::Catalog c;
  std::string err;
  REQUIRE(c.load(i18n::Lang::zh_CN, test::slurp(SIHUI_SOURCE_DIR "/assets/lang/core.zh-CN.json"), &err));
  REQUIRE(c.load(i18n::Lang::en, test::slurp(SIHUI_SOURCE_DIR "/assets/lang/core.en.json"), &err));
  std::set<std::string> codes;
  auto collect = [&](const std::string& text, const std::regex& re) {
    for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) codes.insert((*it)[1].str());
  };
  collect(test::slurp(SIHUI_SOURCE_DIR "/src/sync/client.cpp"), std::regex("\"(sync\\.[a-z_.]+)\""));
  const std::string server = test::slurp(SIHUI_SOURCE_DIR "/serve.py");
  // ApiError(401, "auth.required", ...), op_error(422, "op.invalid", ...), {"code": "server.database", ...}
  collect(server, std::regex("(?:ApiError|op_error)\\(\\s*\\d+,\\s*\"([a-z_]+\\.[a-z_.]+)\""));
  collect(server, std::regex("\"code\":\\s*\"([a-z_]+\\.[a-z_.]+)\""));
  codes.erase("dotted.code");  // the docstring's example
  CHECK(codes.count("sync.phase.unverified"));
  CHECK(codes.count("op.kind_forbidden"));
  CHECK(codes.count("server.database"));
  CHECK(codes.size() >= 35);
  for (const auto& k : codes) {
    INFO(k);
    CHECK(c.has(i18n::Lang::zh_CN, i18n::Key{k}));
    CHECK(c.has(i18n::Lang::en, i18n::Key{k}));
  }
}
