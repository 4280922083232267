// Open311 GeoReport v2 (core/open311.h, decision 0023): services from the sub-types, requests from the
// reports as the reducer left them (status, notes, place, grid, coordinates), and nothing personal.
#include <catch_amalgamated.hpp>

#include "core/categories.h"
#include "core/open311.h"
#include "support.h"

using namespace sihui;
using namespace sihui::core;

namespace {
const i18n::Catalog& words() {
  static i18n::Catalog c = [] {
    i18n::Catalog x;
    std::string err;
    for (auto [lang, code] : {std::pair{i18n::Lang::zh_CN, "zh-CN"}, std::pair{i18n::Lang::en, "en"}}) {
      REQUIRE(x.load(lang, test::slurp(SIHUI_SOURCE_DIR "/assets/lang/" + std::string(code) + ".json"), &err, true));
      REQUIRE(x.load(lang, test::slurp(SIHUI_SOURCE_DIR "/assets/lang/core." + std::string(code) + ".json"), &err, true));
    }
    return x;
  }();
  return c;
}
}  // namespace

TEST_CASE("open311 services: one per report sub-type, named in the asked language, the other in the description") {
  auto zh = open311_services(words(), i18n::Lang::zh_CN);
  auto en = open311_services(words(), i18n::Lang::en);
  REQUIRE(zh.size() == std::size(kSubtypes));
  REQUIRE(en.size() == zh.size());
  const nlohmann::json* green = nullptr;
  for (const auto& s : zh) {
    CHECK(s["metadata"] == false);
    CHECK(s["type"] == "realtime");
    const Subtype* st = nullptr;
    for (const auto& x : kSubtypes)
      if (x.id == s["service_code"].get<std::string>()) st = &x;
    REQUIRE(st);
    CHECK(s["group"] == words().text(i18n::Lang::zh_CN, i18n::Key{"category." + std::string(enum_name(st->category))}));
    if (s["service_code"] == "planting_on_green") green = &s;
  }
  REQUIRE(green);
  CHECK((*green)["service_name"] == "种菜毁绿");
  CHECK((*green)["description"] == "Vegetables planted on the green");
  CHECK((*green)["group"] == "矛盾调处");
  CHECK((*green)["keywords"] == "dispute,planting_on_green");
  CHECK(en[0]["service_name"] == "Leaking roof");
  CHECK(en[0]["description"] == "屋顶漏水");
  CHECK(en[0]["group"] == "Repair and maintenance");
}

TEST_CASE("open311 datetimes are Shanghai wall clock with +08:00") {
  CHECK(open311_datetime(shanghai_ms(2020, 8, 1, 9, 2)) == "2020-08-01T09:02:00+08:00");
  CHECK(open311_datetime(shanghai_ms(2026, 12, 31, 23, 59) + 59'999) == "2026-12-31T23:59:59+08:00");
}

TEST_CASE("open311 requests follow the reducer: place, grid, status and notes, coordinates, newest first") {
  test::World w;
  w.must("place.compound.add", "admin", {{"id", "east"}, {"name", "东苑"}, {"point_x", 119150000}, {"point_y", 36712340}});
  w.must("report.file", "grandma", {{"id", "r1"}, {"category", "dispute"}, {"subtype", "planting_on_green"},
                                    {"unit", "u1"}, {"description", "3号楼东侧草地种了菜"}});
  std::int64_t filed = w.now;
  w.must("report.file", "daughter", {{"id", "r2"}, {"category", "repair"}, {"subtype", "streetlight_out"},
                                     {"compound", "east"}});
  w.must("report.file", "daughter", {{"id", "r3"}, {"category", "repair"}, {"subtype", "blocked_drain"},
                                     {"point_x", 119151234}, {"point_y", 36700001}});
  auto all = open311_requests(w.s, words(), i18n::Lang::zh_CN);
  REQUIRE(all.size() == 3);
  CHECK(all[0]["service_request_id"] == "r3");  // newest first
  CHECK(all[2]["service_request_id"] == "r1");
  const auto& r1 = all[2];
  CHECK(r1["status"] == "open");
  CHECK(r1["status_notes"] == "已登记");
  CHECK(r1["service_code"] == "planting_on_green");
  CHECK(r1["service_name"] == "种菜毁绿");
  CHECK(r1["description"] == "3号楼东侧草地种了菜");
  CHECK(r1["address"] == "北苑小区 3号楼 1单元");
  CHECK(r1["address_id"] == "u1");
  CHECK(r1["agency_responsible"] == "北苑网格");
  CHECK(r1["requested_datetime"] == open311_datetime(filed));
  CHECK(r1["expected_datetime"] == open311_datetime(filed + due_hours(Category::dispute) * kMsPerHour));
  CHECK_FALSE(r1.contains("lat"));  // neither the report nor its compound has a map point
  CHECK(all[1]["lat"].get<double>() == Catch::Approx(36.71234));
  CHECK(all[1]["long"].get<double>() == Catch::Approx(119.15));
  CHECK(all[1]["agency_responsible"] == "社区居委会");  // no grid covers 东苑: the committee
  CHECK(all[0]["lat"].get<double>() == Catch::Approx(36.700001));
  CHECK(all[0]["long"].get<double>() == Catch::Approx(119.151234));
  CHECK(all[0]["address"] == "");

  w.must("report.accept", "leader", {{"report", "r1"}, {"note", "明天上午去看"}});
  w.must("report.comment", "grandma", {{"report", "r1"}, {"text", "谢谢"}});  // not a step of the chain
  std::int64_t commented = w.now;
  auto r = open311_request(w.s, w.s.reports.at("r1"), words(), i18n::Lang::zh_CN);
  CHECK(r["status_notes"] == "已受理：明天上午去看");
  CHECK(r["updated_datetime"] == open311_datetime(commented));
  auto en = open311_request(w.s, w.s.reports.at("r1"), words(), i18n::Lang::en);
  CHECK(en["status_notes"] == "Accepted: 明天上午去看");
  CHECK(en["service_name"] == "Vegetables planted on the green");

  for (const char* k : {"report.handle", "report.review", "report.close"}) w.must(k, "leader", {{"report", "r1"}});
  r = open311_request(w.s, w.s.reports.at("r1"), words(), i18n::Lang::zh_CN);
  CHECK(r["status"] == "closed");
  CHECK(r["status_notes"] == "已办结");
  CHECK_FALSE(r.contains("expected_datetime"));
}

TEST_CASE("open311 requests carry nothing personal: no reporter, no caller, no handler") {
  test::World w;
  w.must("report.file", "admin", {{"id", "r1"}, {"category", "care"}, {"subtype", "elder_visit"}, {"unit", "u1"},
                                  {"caller_name", "王秀兰"}, {"caller_phone", "13912345678"}});
  w.must("report.accept", "leader", {{"report", "r1"}});
  w.must("report.dispatch", "leader", {{"report", "r1"}, {"to", "worker"}});
  std::string text = open311_requests(w.s, words(), i18n::Lang::zh_CN).dump();
  for (const std::string& personal : {std::string("王秀兰"), std::string("13912345678"), std::string("admin"),
                                      std::string("worker"), std::string("居民"), std::string("leader")})
    CHECK(text.find(personal) == std::string::npos);
}
