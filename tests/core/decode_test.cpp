// decode_op (one pass, no DOM) against decode_op_reference (nlohmann::json::parse + decode_op_json):
// the same error code for every text, and the same Op whenever it decodes.
#include <catch_amalgamated.hpp>

#include <string>
#include <vector>

#include "core/demo.h"
#include "support.h"

using namespace sihui;
using namespace sihui::core;

namespace {

// Decodes text both ways; into a reused Op for the fast path (as a replay loop does), so stale
// storage from the previous op would show.
void same(const std::string& text, Op* reused) {
  INFO(text);
  Op ref;
  DecodeError want = decode_op_reference(test::schema(), text, &ref);
  DecodeError got = decode_op(test::schema(), text, reused);
  REQUIRE(decode_error_code(got) == decode_error_code(want));
  if (want == DecodeError::ok) {
    CHECK(reused->invalid == ref.invalid);
    CHECK(encode_op(*reused) == encode_op(ref));
    REQUIRE(*reused == ref);
  }
}

const std::string kId = "\"id\":\"0123456789abcdef0123456789abcdef\"";

std::string op(const std::string& kind, const std::string& payload, const std::string& extra = "") {
  return "{" + kId + ",\"kind\":\"" + kind + "\",\"author\":\"p1\",\"made_at\":1" + extra + ",\"payload\":" + payload +
         "}";
}

}  // namespace

TEST_CASE("decode_op agrees with the reference decoder on tricky texts") {
  std::string many;
  for (int i = 0; i < 60; ++i) many += "\"x\", ";
  const std::string book = op("canteen.book", R"({"sitting":"s1","diet":"少盐"})");
  std::vector<std::string> texts = {
      "", " ", "\xEF\xBB\xBF", "\xEF\xBB", "\xEF\xBB\xBF" + book, "\xEF\xBC\xBF" + book, " \xEF\xBB\xBF" + book,
      book, book + " \n\t\r", book + std::string("\0garbage", 8), book + std::string(" \0", 2), book + std::string("\0", 1) + "}", book + " x", book + "}", book + book, std::string("\0", 1) + book, std::string("{\0}", 3),
      "[1]", "[1", "1", "-", "-0", "01", "1.", "1e", "1e+", ".5", "\"x\"", "\"x", "true", "tru", "nul", "null",
      "[]", "{}", "{", "}", "[[[[[]]]]]", "[[[[[]]]]", "{\"a\":}", "{\"a\" 1}", "{\"a\":1,}", "{,}", "{\"a\":1 \"b\":2}",
      "{1:2}", "[1,]", "[,1]", "{\"a\":[1,{\"b\":[true,false,null,{}]}]}", std::string(20000, '[') + std::string(20000, ']'),
      std::string(20000, '[') + std::string(19999, ']'), "{\"a\":" + std::string(5000, '[') + std::string(5000, ']') + "}",
      // envelope: types, duplicates (the later wins), escapes in keys, null device and seq
      op("canteen.book", "{}"), op("canteen.book", "[]"), op("canteen.book", "null"), op("canteen.book", "1"),
      op("canteen.book", R"({"sitting":"s1"})", ",\"device\":null"), op("canteen.book", R"({"sitting":"s1"})", ",\"device\":\"\""),
      op("canteen.book", R"({"sitting":"s1"})", ",\"device\":\"tab 1\""), op("canteen.book", R"({"sitting":"s1"})", ",\"seq\":null"),
      op("canteen.book", R"({"sitting":"s1"})", ",\"seq\":0"), op("canteen.book", R"({"sitting":"s1"})", ",\"seq\":-3"),
      op("canteen.book", R"({"sitting":"s1"})", ",\"seq\":9223372036854775807"),
      op("canteen.book", R"({"sitting":"s1"})", ",\"seq\":9223372036854775808"),
      op("canteen.book", R"({"sitting":"s1"})", ",\"seq\":18446744073709551616"),
      op("canteen.book", R"({"sitting":"s1"})", ",\"seq\":1e2"), op("canteen.book", R"({"sitting":"s1"})", ",\"seq\":1e999"),
      op("canteen.book", R"({"sitting":"s1"})", ",\"seq\":-1e999"), op("canteen.book", R"({"sitting":"s1"})", ",\"seq\":" + std::string(400, '9')),
      op("canteen.book", R"({"sitting":"s1"})", ",\"made_at\":2"), op("canteen.book", R"({"sitting":"s1"})", ",\"made_at\":\"2\""),
      op("canteen.book", R"({"sitting":"s1"})", ",\"made_at\":-0"), op("canteen.book", R"({"sitting":"s1"})", ",\"made_at\":-9223372036854775808"),
      op("canteen.book", R"({"sitting":"s1"})", ",\"made_at\":-9223372036854775809"),
      op("canteen.book", R"({"sitting":"s1"})", ",\"kind\":\"canteen.cancel\""),
      op("canteen.book", R"({"sitting":"s1"})", ",\"kind\":\"garden.plot.rent\""),
      op("canteen.book", R"({"sitting":"s1"})", ",\"kind\":\"\""), op("canteen.book", R"({"sitting":"s1"})", ",\"kind\":\"" + std::string(65, 'k') + "\""),
      op("canteen.book", R"({"sitting":"s1"})", ",\"payload\":{\"sitting\":\"s2\"}"),
      op("canteen.book", R"({"sitting":"s1"})", ",\"payload\":7"),
      op("canteen.book", R"({"sitting":"s1"})", ",\"\\u0069d\":\"x\""), op("canteen.book", R"({"sitting":"s1"})", ",\"i\\u0064\":\"x\""),
      op("canteen.book", R"({"sitting":"s1"})", ",\"id\\u0000\":\"x\""), op("canteen.book", R"({"sitting":"s1"})", ",\"other\":{\"deep\":[[{}]]}"),
      "{\"id\":\"0123456789abcdef0123456789abcdef\",\"kind\":\"canteen.book\",\"author\":\"p1\",\"made_at\":1}",
      "{\"kind\":\"canteen.book\",\"author\":\"p1\",\"made_at\":1,\"payload\":{}}",
      "{\"id\":\"0123456789abcdef0123456789abcdef\",\"kind\":\"canteen.book\",\"author\":7,\"made_at\":1,\"payload\":{}}",
      // payload fields: strings, escapes, UTF-8, duplicates, nulls, arrays, numbers
      op("canteen.book", R"({"sitting":"s\u0031","diet":"\u5c11\u76d0 \"x\" \\ \/ \b\f\n\r\t"})"),
      op("canteen.book", R"({"sitting":"s1","diet":"\ud83d\ude00"})"), op("canteen.book", R"({"sitting":"s1","diet":"\ud83d"})"),
      op("canteen.book", R"({"sitting":"s1","diet":"\ud83dx"})"), op("canteen.book", R"({"sitting":"s1","diet":"\ud83d\u0041"})"),
      op("canteen.book", R"({"sitting":"s1","diet":"\ude00"})"), op("canteen.book", R"({"sitting":"s1","diet":"\u00"})"),
      op("canteen.book", R"({"sitting":"s1","diet":"\uZZZZ"})"), op("canteen.book", R"({"sitting":"s1","diet":"\x"})"),
      op("canteen.book", R"({"sitting":"s1","diet":"\u0000"})"), op("canteen.book", "{\"sitting\":\"s1\",\"diet\":\"a\tb\"}"),
      op("canteen.book", "{\"sitting\":\"s1\",\"diet\":\"\x7f\"}"), op("canteen.book", "{\"sitting\":\"s1\",\"diet\":\"\xC0\x80\"}"),
      op("canteen.book", "{\"sitting\":\"s1\",\"diet\":\"\xC2\x80\"}"), op("canteen.book", "{\"sitting\":\"s1\",\"diet\":\"\xE0\x9F\x80\"}"),
      op("canteen.book", "{\"sitting\":\"s1\",\"diet\":\"\xED\xA0\x80\"}"), op("canteen.book", "{\"sitting\":\"s1\",\"diet\":\"\xF0\x8F\xBF\xBF\"}"),
      op("canteen.book", "{\"sitting\":\"s1\",\"diet\":\"\xF4\x90\x80\x80\"}"), op("canteen.book", "{\"sitting\":\"s1\",\"diet\":\"\xF4\x8F\xBF\xBF\"}"),
      op("canteen.book", "{\"sitting\":\"s1\",\"diet\":\"\xE5\xB0\"}"), op("canteen.book", "{\"sitting\":\"s1\",\"diet\":\"\xFF\"}"),
      op("canteen.book", "{\"sitting\":\"s1\",\"di\\u0065t\":\"x\\u0041\"}"),
      op("canteen.book", R"({"sitting":"s1","sitting":"s2"})"), op("canteen.book", R"({"sitting":"s1","sitting":null})"),
      op("canteen.book", R"({"sitting":null,"sitting":"s1"})"), op("canteen.book", R"({"sitting":"s1","diet":null})"),
      op("canteen.book", R"({"sitting":"s 1"})"), op("canteen.book", R"({"sitting":1})"), op("canteen.book", R"({"sitting":["s1"]})"),
      op("canteen.book", R"({"sitting":{"a":1}})"), op("canteen.book", R"({"sitting":"s1","extra":[[1,2],{"x":[]}]})"),
      op("report.file", R"({"id":"r1","category":"repair","subtype":"broken_lift","compound":"north","priority":1})"),
      op("report.file", R"({"id":"r1","category":"repair","subtype":"broken_lift","compound":"north","priority":9})"),
      op("report.file", R"({"id":"r1","category":"repair","subtype":"broken_lift","compound":"north","priority":1.0})"),
      op("report.file", R"({"id":"r1","category":"repair","subtype":"broken_lift","compound":"north","priority":true})"),
      op("report.file", R"({"id":"r1","category":"fishing","subtype":"broken_lift","compound":"north"})"),
      op("report.file", R"({"id":"r1","category":"repair","subtype":"broken_lift","compound":"north","photos":["a","b"]})"),
      op("report.file", R"({"id":"r1","category":"repair","subtype":"broken_lift","compound":"north","photos":["a",1]})"),
      op("report.file", R"({"id":"r1","category":"repair","subtype":"broken_lift","compound":"north","photos":"a"})"),
      op("report.file", R"({"id":"r1","category":"repair","subtype":"broken_lift","compound":"north","photos":[["a"]]})"),
      op("report.file", R"({"id":"r1","category":"repair","subtype":"broken_lift","compound":"north","photos":[]})"),
      op("report.file", R"({"id":"r1","category":"repair","subtype":"broken_lift","compound":"north","photos":["a","b"],"photos":["c"]})"),
      op("report.file", R"({"id":"r1","category":"repair","subtype":"broken_lift","compound":"north","photos":[)" +
                            many + "\"y\"]}"),
      op("report.file", R"({"id":"r1","category":"repair","subtype":"broken_lift","compound":"north","point_x":-5,"point_y":9223372036854775808})"),
      op("report.file", R"({"category":"repair"})"), op("report.file", "{}"),
      op("garden.plot.rent", R"({"anything":[1,2,{"x":1e5}]})"),
  };
  // Array payload fields of every type, ints with ranges.
  for (const auto& k : test::schema().kinds())
    for (const auto& f : k.fields) {
      for (const char* v : {"[]", "[1,2]", "[-1]", "[\"a\",\"b\"]", "[\"a b\"]", "[true]", "[null]", "1", "true", "\"v\"",
                            "null", "{}", "-9223372036854775808", "9223372036854775807", "1e3"})
        texts.push_back(op(k.kind, "{\"" + f.name + "\":" + v + "}"));
      for (const auto& e : f.values) texts.push_back(op(k.kind, "{\"" + f.name + "\":\"" + e + "\"}"));
    }
  Op reused;
  for (const auto& t : texts) same(t, &reused);
}

TEST_CASE("decode_op agrees with the reference decoder on every demo op, whole, cut and with bytes changed") {
  DemoOptions o;
  o.end = shanghai_ms(2021, 1, 1);
  o.max_ops = 20000;
  auto ops = make_demo(o);
  Op reused;
  std::uint64_t x = 88172645463325252ull;  // xorshift: which byte to change, and to what
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (std::size_t i = 0; i < ops.size(); ++i) {
    std::string t = encode_op(ops[i]);
    same(t, &reused);
    if (i % 50 != 0) continue;
    for (std::size_t cut = 0; cut < t.size(); cut += 3) same(t.substr(0, cut), &reused);
    for (int k = 0; k < 40; ++k) {
      std::string m = t;
      static constexpr std::string_view kBytes("{}[]\",:\\ 0-9e.atfnu\x80\xC3\xE5\xF0\0", 24);
      m[next() % m.size()] = kBytes[next() % kBytes.size()];
      same(m, &reused);
    }
  }
}
