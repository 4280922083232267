// read_snapshot (the one-pass reader, falling back to the reference) against read_snapshot_reference
// (nlohmann::json::parse into a DOM): the same verdict, error text and State for every text, and the
// fast reader alone never accepting what the reference refuses or reading it differently.
#include <catch_amalgamated.hpp>

#include <string>
#include <vector>

#include "core/demo.h"
#include "core/snapshot.h"
#include "support.h"

using namespace sihui;
using namespace sihui::core;

namespace {

// Returns whether the fast reader alone took the text.
bool same(const std::string& text) {
  INFO(text.substr(0, 300));
  State ref, got, fast;
  std::string ref_err, got_err;
  bool want = read_snapshot_reference(text, &ref, &ref_err);
  bool have = read_snapshot(text, &got, &got_err);
  REQUIRE(have == want);
  if (want) REQUIRE(got == ref);
  else REQUIRE(got_err == ref_err);
  bool took = read_snapshot_fast(text, &fast);
  if (took) {
    REQUIRE(want);
    REQUIRE(fast == ref);
  }
  return took;
}

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

// A small state with every kind of record and strings that need escapes.
State small_state() {
  test::World w;
  w.must("person.add", "admin", {{"id", "q1"}, {"name", "引号\"反斜杠\\换行\n制表\t\u0001 😀 \x7f"}, {"birth_year", 1940}});
  w.must("report.file", "leader", {{"id", "r1"}, {"category", "repair"}, {"subtype", "streetlight_out"}, {"compound", "north"}, {"description", "楼道灯不亮 / \"急\""}});
  w.must("canteen.sitting.add", "cook", {{"id", "s1"}, {"starts_at", shanghai_ms(2020, 8, 3, 11, 30)}, {"meal", "lunch"}});
  w.run("canteen.book", "grandma", {{"sitting", "s1"}, {"diet", "少盐"}});
  w.run("report.close", "grandma", {{"report", "r1"}});  // refused: a note is kept
  return w.s;
}

}  // namespace

TEST_CASE("the fast snapshot reader takes what write_snapshot writes and gives the reference's state") {
  State s = small_state();
  std::string text = write_snapshot(s);
  CHECK(same(text));
  State back;
  REQUIRE(read_snapshot_fast(text, &back));
  CHECK(write_snapshot(back) == text);
  CHECK(same(write_snapshot(State{})));

  DemoOptions o;
  o.max_ops = 20000;
  Reducer r(test::schema());
  State demo;
  for (const auto& op : make_demo(o)) r.apply(demo, op);
  std::string big = write_snapshot(demo);
  CHECK(same(big));
  State loaded;
  REQUIRE(read_snapshot_fast(big, &loaded));
  CHECK(loaded == demo);
  CHECK(state_hash(loaded) == state_hash(demo));
}

TEST_CASE("texts outside the fast reader's subset go to the reference reader with the same result") {
  State s = small_state();
  const std::string text = write_snapshot(s);
  const std::string pretty = nlohmann::json::parse(text).dump(2);
  std::vector<std::string> texts = {
      "", " ", "{}", "[]", "null", "{\"format\":1}", "{\"state\":{}}", "{\"format\":1,\"state\":{}}",
      "{\"format\":1,\"state\":{}} ", "{\"format\":1,\"state\":{}}x", std::string("{\"format\":1,\"state\":{}}\0", 24),
      "{\"state\":{},\"format\":1}", "{\"format\":2,\"state\":{}}", "{\"format\":1.0,\"state\":{}}",
      "{\"format\":\"1\",\"state\":{}}", "{\"format\":1,\"format\":1,\"state\":{}}", "{\"format\":1,\"state\":{},\"x\":0}",
      "\xEF\xBB\xBF{\"format\":1,\"state\":{}}", "{\"format\":1,\"state\":[]}", "{\"format\":1,\"state\":{\"x\":1}}",
      "{\"format\":1,\"state\":{\"last_seq\":-0}}", "{\"format\":1,\"state\":{\"last_seq\":-5}}",
      "{\"format\":1,\"state\":{\"last_seq\":01}}", "{\"format\":1,\"state\":{\"last_seq\":1e2}}",
      "{\"format\":1,\"state\":{\"last_seq\":1.5}}", "{\"format\":1,\"state\":{\"last_seq\":123456789012345678}}",
      "{\"format\":1,\"state\":{\"last_seq\":9223372036854775807}}", "{\"format\":1,\"state\":{\"last_seq\":9223372036854775808}}",
      "{\"format\":1,\"state\":{\"last_seq\":-9223372036854775808}}", "{\"format\":1,\"state\":{\"last_seq\":1e999}}",
      "{\"format\":1,\"state\":{\"last_seq\":1,\"last_seq\":2}}", "{\"format\":1,\"state\":{\"initialised\":1}}",
      "{\"format\":1,\"state\":{\"initialised\":tru}}", "{\"format\":1,\"state\":{\"community_name\":null}}",
      "{\"format\":1,\"state\":{\"community_name\":\"a\\u0000b\"}}", "{\"format\":1,\"state\":{\"community_name\":\"\\ud83d\\ude00\"}}",
      "{\"format\":1,\"state\":{\"community_name\":\"\\ud83d\"}}", "{\"format\":1,\"state\":{\"community_name\":\"\xC0\x80\"}}",
      "{\"format\":1,\"state\":{\"community_name\":\"\xED\xA0\x80\"}}", "{\"format\":1,\"state\":{\"community_name\":\"a\tb\"}}",
      "{\"format\":1,\"state\":{\"comm\\u0075nity_name\":\"x\"}}",
      "{\"format\":1,\"state\":{\"clinic_roster\":[[2,[\"a\",\"b\"]],[1,[]]]}}",
      "{\"format\":1,\"state\":{\"clinic_roster\":[[1,[\"b\",\"a\"]],[1,[\"c\"]]]}}",
      "{\"format\":1,\"state\":{\"clinic_roster\":[[1,[\"a\",\"a\"]]]}}", "{\"format\":1,\"state\":{\"clinic_roster\":[[1]]}}",
      "{\"format\":1,\"state\":{\"clinic_roster\":[[1,[],3]]}}",
      "{\"format\":1,\"state\":{\"units\":{\"u2\":{\"id\":\"u2\"},\"u1\":{\"id\":\"u1\"}}}}",
      "{\"format\":1,\"state\":{\"units\":{\"u1\":{\"id\":\"u1\"},\"u1\":{\"id\":\"u1\",\"name\":\"x\"}}}}",
      "{\"format\":1,\"state\":{\"units\":{\"u1\":{\"id\":\"u2\"}}}}", "{\"format\":1,\"state\":{\"units\":{\"u1\":{}}}}",
      "{\"format\":1,\"state\":{\"blocked\":{\"active\":true},\"blocked\":{\"kind\":\"x\"}}}",
      "{\"format\":1,\"state\":{\"notes\":{\"o\":{\"verdict\":\"refused\",\"reason\":\"no.such.reason\"}}}}",
      "{\"format\":1,\"state\":{\"notes\":{\"o\":{\"verdict\":\"maybe\"}}}}",
      text, pretty, text + "\n", " " + text, std::string(2000, '[') + std::string(2000, ']'),
      replaced(text, "\"format\":1", "\"format\":1 "), replaced(text, "{\"format\":1,", "{\"format\":1,\"zzz\":[1,{\"a\":null}],"),
      replaced(text, "\"id\":\"grandma\"", "\"id\":\"grandma\",\"id\":\"grandma\""),
      replaced(text, "\"id\":\"grandma\"", "\"nickname\":\"x\",\"id\":\"grandma\""),
      replaced(text, "\"birth_year\":1934,", ""), replaced(text, "\"birth_year\":1934", "\"birth_year\":\"1934\""),
      replaced(text, "\"name\":\"北苑小区\"", "\"name\":\"\\u5317\\u82d1\""),
  };
  int taken = 0;
  for (const auto& t : texts) taken += same(t);
  CHECK(taken >= 8);  // the canonical texts, whitespace, missing fields, reordered keys
}

TEST_CASE("a snapshot cut short or with a byte changed is refused or read as the reference reads it") {
  const std::string text = write_snapshot(small_state());
  for (std::size_t n = 0; n < text.size(); n += 7) same(text.substr(0, n));
  const char swaps[] = {'"', '\\', '{', '}', '[', ']', ',', ':', '0', '9', '-', 'e', ' ', '\0', '\x80', '\xff', 'a'};
  std::size_t k = 0;
  for (std::size_t at = 0; at < text.size(); at += 3) {
    std::string t = text;
    t[at] = swaps[k++ % sizeof swaps];
    same(t);
  }
}
