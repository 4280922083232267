// The operation schema file, op decoding and payload validation.
#include <catch_amalgamated.hpp>

#include <set>

#include "core/model.h"
#include "support.h"

using namespace sihui;
using namespace sihui::core;

TEST_CASE("the schema file loads and lists exactly the kinds the reducer handles") {
  const Schema& s = test::schema();
  CHECK(s.version() >= 1);
  std::vector<std::string_view> in_schema;
  for (const auto& k : s.kinds()) in_schema.push_back(k.kind);
  CHECK(in_schema == all_kind_names());
  for (const auto& k : s.kinds()) {
    INFO(k.kind);
    CHECK(kind_from_name(k.kind) != Kind::unknown);
    for (const auto& r : k.roles) {
      Role role{};
      CHECK((r == "resident" || r == "anyone" || enum_from_name(r, &role)));
    }
  }
}

TEST_CASE("schema loading refuses malformed documents without throwing") {
  Schema s;
  std::string err;
  CHECK_FALSE(s.load("{", &err));
  CHECK_FALSE(s.load("[]", &err));
  CHECK_FALSE(s.load(R"({"schema_version": 1})", &err));
  CHECK_FALSE(s.load(R"({"schema_version": 1, "kinds": [{"kind": "a", "since": 1, "roles": ["staff"],
    "payload": {"x": {"type": "float"}}}]})", &err));
  CHECK(err.find("unknown type") != std::string::npos);
  CHECK_FALSE(s.load(R"({"schema_version": 1, "kinds": [{"kind": "a", "since": 1, "roles": ["staff"],
    "personal": ["payload.y"], "payload": {"x": {"type": "int"}}}]})", &err));
  CHECK(s.kinds().empty());
  CHECK(s.load(R"({"schema_version": 2, "kinds": [{"kind": "a", "since": 2, "roles": ["staff"],
    "payload": {"x": {"type": "int", "min": 0, "default": 4}}}]})", &err));
  CHECK(s.version() == 2);
  REQUIRE(s.find("a"));
  CHECK(s.find("a")->fields[0].default_value == 4);
}

TEST_CASE("ops decode from JSON and malformed envelopes give an error code") {
  const Schema& s = test::schema();
  Op op;
  auto good = R"({"id":"0123456789abcdef0123456789abcdef","kind":"canteen.book","author":"p1","device":"tab-1",
                  "made_at":1598230800000,"seq":7,"payload":{"sitting":"s1","diet":"少盐","extra":1}})";
  REQUIRE(decode_op(s, good, &op) == DecodeError::ok);
  CHECK(op.kind == Kind::canteen_book);
  CHECK(op.seq == 7);
  CHECK(op.invalid.empty());
  CHECK(op.payload.str("sitting") == "s1");
  CHECK(op.payload.str("diet") == "少盐");
  CHECK_FALSE(op.payload.has("extra"));  // fields the schema does not declare are dropped

  Op back;
  REQUIRE(decode_op(s, encode_op(op), &back) == DecodeError::ok);
  CHECK(encode_op(back) == encode_op(op));

  CHECK(decode_op(s, "", &op) == DecodeError::not_json);
  CHECK(decode_op(s, "[1]", &op) == DecodeError::not_object);
  CHECK(decode_op(s, R"({"id":"XYZ","kind":"a","author":"p","made_at":1,"payload":{}})", &op) == DecodeError::bad_id);
  CHECK(decode_op(s, R"({"id":"0123456789ABCDEF0123456789abcdef","kind":"a","author":"p","made_at":1,"payload":{}})", &op) ==
        DecodeError::bad_id);
  CHECK(decode_op(s, R"({"id":"0123456789abcdef0123456789abcdef","kind":3,"author":"p","made_at":1,"payload":{}})", &op) ==
        DecodeError::bad_kind);
  CHECK(decode_op(s, R"({"id":"0123456789abcdef0123456789abcdef","kind":"x","author":"a b","made_at":1,"payload":{}})", &op) ==
        DecodeError::bad_author);
  CHECK(decode_op(s, R"({"id":"0123456789abcdef0123456789abcdef","kind":"x","author":"p","made_at":-1,"payload":{}})", &op) ==
        DecodeError::bad_made_at);
  CHECK(decode_op(s, R"({"id":"0123456789abcdef0123456789abcdef","kind":"x","author":"p","made_at":1.5,"payload":{}})", &op) ==
        DecodeError::bad_made_at);
  CHECK(decode_op(s, R"({"id":"0123456789abcdef0123456789abcdef","kind":"x","author":"p","made_at":1,"seq":0,"payload":{}})", &op) ==
        DecodeError::bad_seq);
  CHECK(decode_op(s, R"({"id":"0123456789abcdef0123456789abcdef","kind":"x","author":"p","made_at":1,"payload":[]})", &op) ==
        DecodeError::bad_payload);

  // An unknown kind decodes (so replay can stop at it with a clear state).
  REQUIRE(decode_op(s, R"({"id":"0123456789abcdef0123456789abcdef","kind":"garden.plot.rent","author":"p","made_at":1,"payload":{}})",
                    &op) == DecodeError::ok);
  CHECK(op.kind == Kind::unknown);
  CHECK(op.unknown_kind == "garden.plot.rent");
}

TEST_CASE("payload shapes and sizes become a refusal reason, not a crash") {
  const Schema& s = test::schema();
  auto check = [&](nlohmann::json payload, std::string expect) {
    nlohmann::json j = {{"id", test::op_id(1)}, {"kind", "report.file"}, {"author", "p"}, {"made_at", 1},
                        {"payload", payload}};
    Op op;
    REQUIRE(decode_op_json(s, j, &op) == DecodeError::ok);
    CHECK(op.invalid == expect);
  };
  nlohmann::json ok = {{"id", "r1"}, {"category", "repair"}, {"subtype", "broken_lift"}, {"compound", "north"}};
  check(ok, "");
  auto p = ok; p.erase("id");                     check(p, "id: missing");
  p = ok; p["category"] = "gardening";            check(p, "category: value");
  p = ok; p["priority"] = 9;                      check(p, "priority: range");
  p = ok; p["priority"] = "1";                    check(p, "priority: type");
  p = ok; p["compound"] = "north gate";           check(p, "compound: not an id");
  p = ok; p["description"] = std::string(2001, 'a'); check(p, "description: too long");
  p = ok; std::string zh; for (int i = 0; i < 2000; ++i) zh += "菜"; p["description"] = zh; check(p, "");
  p = ok; p["photos"] = nlohmann::json::array({1}); check(p, "photos: type");
  p = ok; p["photos"] = std::vector<std::string>(10, "x"); check(p, "photos: too many");

  test::World w;
  auto bad = test::make_op(999, "report.file", "grandma", {{"id", "r1"}}, w.now);
  auto o = w.r.apply(w.s, bad);
  CHECK(o.verdict == Verdict::refused);
  CHECK(o.key() == "reason.op.invalid");
  CHECK(w.s.notes.count(bad.id) == 1);  // the refusal stays with the op
}
