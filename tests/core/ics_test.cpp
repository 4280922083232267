// iCalendar feeds (core/ics.h): rules kept as rules, exceptions as EXDATE and RECURRENCE-ID, folding,
// escaping, the window, and a person's feed with nothing personal in it.
#include <catch_amalgamated.hpp>

#include "core/ics.h"
#include "support.h"

using namespace sihui;
using namespace sihui::core;

namespace {
const i18n::Catalog& words() {
  static i18n::Catalog c = [] {
    i18n::Catalog x;
    std::string err;
    x.load(i18n::Lang::zh_CN, test::slurp(SIHUI_SOURCE_DIR "/assets/lang/zh-CN.json"), &err);
    x.load(i18n::Lang::en, test::slurp(SIHUI_SOURCE_DIR "/assets/lang/en.json"), &err);
    return x;
  }();
  return c;
}
int count(const std::string& hay, const std::string& needle) {
  int n = 0;
  for (auto p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}
struct IcsWorld : test::World {
  IcsWorld() {
    must("proxy.grant", "grandma", {{"elder", "grandma"}, {"proxy", "daughter"}});
    must("event.add", "admin", {{"id", "fest"}, {"title", "月月仓南节"}, {"starts_at", shanghai_ms(2020, 1, 11, 9, 0)},
                                {"duration_min", 180}, {"rrule", "FREQ=MONTHLY;BYDAY=2SA"}, {"category", "festival"},
                                {"place", "仓南街广场"}, {"access_note", "无台阶通道, 有助听环路; 请带身份证"}});
    must("event.add", "uncle", {{"id", "clinic"}, {"title", "道德门诊"}, {"starts_at", shanghai_ms(2020, 1, 7, 9, 0)},
                                {"duration_min", 120}, {"rrule", "FREQ=WEEKLY;BYDAY=TU;UNTIL=20201231"}, {"category", "clinic"},
                                {"exdates", {shanghai_ms(2020, 8, 18, 9, 0)}}});
    must("event.cancel", "uncle", {{"event", "clinic"}, {"occurrence", shanghai_ms(2020, 8, 4, 9, 0)}, {"reason", "高温"}});
    must("event.override", "uncle", {{"event", "clinic"}, {"occurrence", shanghai_ms(2020, 8, 11, 9, 0)},
                                     {"starts_at", shanghai_ms(2020, 8, 12, 14, 0)}, {"place", "社区活动室"}});
    must("event.add", "admin", {{"id", "old"}, {"title", "去年的会"}, {"starts_at", shanghai_ms(2019, 1, 7, 9, 0)},
                                {"duration_min", 60}, {"category", "meeting"}});
    must("course.add", "teacher", {{"id", "ms"}, {"title", "面塑公益课"}, {"teacher", "teacher"}});
    must("session.add", "teacher", {{"id", "s1"}, {"course", "ms"}, {"number", 16},
                                     {"starts_at", shanghai_ms(2020, 8, 25, 9, 0)}, {"duration_min", 120}, {"seats", 1},
                                     {"theme", "孔子像"}});
    must("canteen.sitting.add", "cook", {{"id", "l25"}, {"starts_at", shanghai_ms(2020, 8, 25, 11, 30)}, {"meal", "lunch"}});
    must("session.signup", "worker", {{"session", "s1"}});
    must("session.signup", "grandma", {{"session", "s1"}});  // wait-listed
    must("canteen.book", "daughter", {{"sitting", "l25"}, {"person", "grandma"}, {"diet", "少盐软食"}});
  }
};
}  // namespace

TEST_CASE("ics pieces: escaping, folding at 75 octets between UTF-8 sequences, times, rules") {
  CHECK(ics_escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne");
  std::string long_line = "SUMMARY:" + std::string(40, 'x');
  for (int i = 0; i < 30; ++i) long_line += "面";  // 3 octets each
  std::string folded = ics_fold(long_line);
  std::size_t start = 0, lines = 0;
  while (start < folded.size()) {
    auto end = folded.find("\r\n", start);
    REQUIRE(end != std::string::npos);
    std::string l = folded.substr(start, end - start);
    CHECK(l.size() <= 75);
    if (lines) CHECK(l[0] == ' ');
    CHECK((static_cast<unsigned char>(l[lines ? 1 : 0]) & 0xC0) != 0x80);  // never starts mid-character
    ++lines;
    start = end + 2;
  }
  CHECK(lines == 2);
  std::string unfolded;  // unfolding gives the line back
  for (std::size_t i = 0; i < folded.size(); ++i) {
    if (folded.compare(i, 3, "\r\n ") == 0) { i += 2; continue; }
    if (folded.compare(i, 2, "\r\n") == 0) break;
    unfolded += folded[i];
  }
  CHECK(unfolded == long_line);
  CHECK(ics_local(shanghai_ms(2020, 8, 24, 9, 30)) == "20200824T093000");
  CHECK(ics_utc(shanghai_ms(2020, 8, 24, 9, 30)) == "20200824T013000Z");
  CHECK(ics_rrule("FREQ=WEEKLY;BYDAY=TU;UNTIL=20201231") == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20201231T155959Z");
  CHECK(ics_rrule("FREQ=MONTHLY;BYDAY=2SA") == "FREQ=MONTHLY;BYDAY=2SA");
  CHECK(ics_rrule("FREQ=YEARLY").empty());
}

TEST_CASE("ics feed names") {
  IcsFeed f;
  CHECK(parse_ics_feed("all", &f));
  CHECK(f.kinds == kAllEntryKinds);
  CHECK(parse_ics_feed("festival", &f));
  CHECK(f.kinds == entry_bit(EntryKind::festival));
  CHECK(parse_ics_feed("person:p-1", &f));
  CHECK(f.person == "p-1");
  CHECK_FALSE(parse_ics_feed("person:", &f));
  CHECK_FALSE(parse_ics_feed("person:a b", &f));
  CHECK_FALSE(parse_ics_feed("holidays", &f));
}

TEST_CASE("ics feed: series as rules with EXDATE and RECURRENCE-ID, single entries in the window") {
  IcsWorld w;
  IcsFeed all;
  const auto now = shanghai_ms(2020, 8, 24, 8, 0);
  std::string ics = ics_feed(w.s, all, words(), i18n::Lang::zh_CN, now);
  CHECK(ics.rfind("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 0) == 0);
  CHECK(ics.size() >= 15);
  CHECK(ics.substr(ics.size() - 15) == "END:VCALENDAR\r\n");
  CHECK(count(ics, "\n") == count(ics, "\r\n"));  // CRLF only
  CHECK(count(ics, "BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n") == 1);
  // Festival, clinic series, the moved clinic Tuesday, the session and the sitting; last year's meeting is out.
  CHECK(count(ics, "BEGIN:VEVENT") == 5);
  CHECK(count(ics, "END:VEVENT") == 5);
  CHECK(ics.find("去年的会") == std::string::npos);
  CHECK(ics.find("RRULE:FREQ=MONTHLY;BYDAY=2SA\r\n") != std::string::npos);
  CHECK(ics.find("DTSTART;TZID=Asia/Shanghai:20200111T090000\r\n") != std::string::npos);
  CHECK(ics.find("RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20201231T155959Z\r\n") != std::string::npos);
  CHECK(ics.find("EXDATE;TZID=Asia/Shanghai:20200804T090000,20200818T090000\r\n") != std::string::npos);
  CHECK(ics.find("RECURRENCE-ID;TZID=Asia/Shanghai:20200811T090000\r\nSUMMARY:道德门诊\r\nLOCATION:社区活动室\r\n") !=
        std::string::npos);
  CHECK(ics.find("DTSTART;TZID=Asia/Shanghai:20200812T140000\r\n") != std::string::npos);
  CHECK(ics.find("DESCRIPTION:无台阶通道\\, 有助听环路\\; 请带身份证\r\n") != std::string::npos);
  CHECK(ics.find("SUMMARY:面塑公益课 第16期\r\n") != std::string::npos);
  CHECK(ics.find("SUMMARY:爱老食堂 午餐\r\n") != std::string::npos);
  // Nothing personal: no names, no diet, no ids of people.
  for (const char* p : {"居民", "少盐", "grandma", "daughter", "worker"}) CHECK(ics.find(p) == std::string::npos);
  // One calendar kind.
  IcsFeed fest;
  REQUIRE(parse_ics_feed("festival", &fest));
  std::string f = ics_feed(w.s, fest, words(), i18n::Lang::en, now);
  CHECK(count(f, "BEGIN:VEVENT") == 1);
  CHECK(f.find("X-WR-CALNAME:仓南街社区 · Calendar · Festival") != std::string::npos);
  // A cancelled series is kept, marked cancelled, without its moved occurrences.
  w.must("event.cancel", "uncle", {{"event", "clinic"}, {"reason", "门诊搬迁"}});
  std::string c = ics_feed(w.s, all, words(), i18n::Lang::zh_CN, now);
  CHECK(count(c, "BEGIN:VEVENT") == 4);
  CHECK(count(c, "STATUS:CANCELLED") == 1);
  // The same state and time give the same bytes.
  CHECK(ics_feed(w.s, all, words(), i18n::Lang::zh_CN, now) == c);
}

TEST_CASE("ics feed of a person: their places and what they booked for others, no names, no diet") {
  IcsWorld w;
  const auto now = shanghai_ms(2020, 8, 24, 8, 0);
  IcsFeed g;
  REQUIRE(parse_ics_feed("person:grandma", &g));
  std::string ics = ics_feed(w.s, g, words(), i18n::Lang::zh_CN, now);
  CHECK(count(ics, "BEGIN:VEVENT") == 2);
  CHECK(ics.find("SUMMARY:面塑公益课 第16期 · 候补第1位\r\n") != std::string::npos);
  CHECK(ics.find("STATUS:TENTATIVE") != std::string::npos);
  CHECK(ics.find("SUMMARY:爱老食堂 午餐\r\n") != std::string::npos);
  CHECK(count(ics, "BEGIN:VALARM") == 2);
  CHECK(ics.find("少盐") == std::string::npos);
  CHECK(ics.find("居民") == std::string::npos);
  // The daughter acts for her mother (her proxy): her mother's places are in her feed too; the worker has his class.
  IcsFeed d;
  REQUIRE(parse_ics_feed("person:daughter", &d));
  CHECK(count(ics_feed(w.s, d, words(), i18n::Lang::zh_CN, now), "BEGIN:VEVENT") == 2);
  IcsFeed k;
  REQUIRE(parse_ics_feed("person:worker", &k));
  std::string wk = ics_feed(w.s, k, words(), i18n::Lang::zh_CN, now);
  CHECK(count(wk, "BEGIN:VEVENT") == 1);
  CHECK(wk.find("STATUS:CONFIRMED") != std::string::npos);
  // Nobody: an empty calendar, still valid.
  IcsFeed n;
  REQUIRE(parse_ics_feed("person:nobody", &n));
  std::string empty = ics_feed(w.s, n, words(), i18n::Lang::zh_CN, now);
  CHECK(count(empty, "BEGIN:VEVENT") == 0);
  CHECK(empty.find("END:VCALENDAR") != std::string::npos);
}

TEST_CASE("ics feed: a rule whose start is not one of its days starts at its first real occurrence") {
  IcsWorld w;
  // Monday 3 Aug 2020, weekly on Tuesdays: the app's first occurrence is Tuesday 4 Aug.
  w.must("event.add", "admin", {{"id", "yoga"}, {"title", "瑜伽"}, {"starts_at", shanghai_ms(2020, 8, 3, 19, 0)},
                                {"duration_min", 60}, {"rrule", "FREQ=WEEKLY;BYDAY=TU;COUNT=3"}, {"category", "club"}});
  auto occ = life_entries(w.s, shanghai_ms(2020, 8, 1), shanghai_ms(2020, 9, 1), entry_bit(EntryKind::club));
  REQUIRE(occ.size() == 3);
  CHECK(occ[0].start == shanghai_ms(2020, 8, 4, 19, 0));
  IcsFeed club;
  REQUIRE(parse_ics_feed("club", &club));
  std::string ics = ics_feed(w.s, club, words(), i18n::Lang::zh_CN, shanghai_ms(2020, 8, 1));
  CHECK(ics.find("DTSTART;TZID=Asia/Shanghai:20200804T190000\r\nDTEND;TZID=Asia/Shanghai:20200804T200000\r\n"
                 "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=3\r\n") != std::string::npos);
}
