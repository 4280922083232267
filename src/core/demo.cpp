#include "core/demo.h"
#include "core/rng.h"

#include <algorithm>
#include <set>
#include <string>

#include "core/categories.h"

namespace sihui::core {

namespace {
struct Rng : SplitMix64 {
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[static_cast<std::size_t>(below(static_cast<std::int64_t>(v.size())))]; }
};

const char* const kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱",
                                 "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于",
                                 "董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕"};
const char* const kGiven[] = {"秀英", "桂英", "秀兰", "玉兰", "桂兰", "凤英", "淑珍", "建国", "建华", "国强",
                              "志强", "德明", "玉珍", "海燕", "丽娟", "春梅", "爱华", "文华", "明", "伟",
                              "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛",
                              "超", "霞", "平", "刚", "桂芝", "淑兰", "振华", "立新", "红梅", "晓东", "子涵",
                              "欣怡", "梓轩", "浩然", "雨桐", "宇航", "思远"};
const char* const kCompounds[] = {"北苑小区", "站南小区", "仓南花园", "福寿小区", "建安小区", "曙光小区", "新华里", "和平小区"};

struct Draft {
  std::int64_t at;
  Kind kind;
  Id author;
  Payload p;
};

struct Gen {
  Rng rng;
  std::vector<Draft> out;
  void add(std::int64_t at, Kind k, const Id& author, Payload p) { out.push_back(Draft{at, k, author, std::move(p)}); }
  std::string name() {
    // Two statements: the operands of + are unsequenced, and gcc and clang draw them in another order.
    std::string n = kSurnames[rng.below(std::size(kSurnames))];
    n += kGiven[rng.below(std::size(kGiven))];
    return n;
  }
};

Payload P() { return Payload{}; }

const std::vector<std::pair<std::string_view, std::string_view>>& kSubtypesForDemo() {
  static const auto v = [] {
    std::vector<std::pair<std::string_view, std::string_view>> out;
    for (const auto& st : kSubtypes) out.emplace_back(enum_name(st.category), st.id);
    return out;
  }();
  return v;
}
constexpr FieldType kId = FieldType::id;
constexpr FieldType kEnum = FieldType::enumeration;

struct Resident {
  Id id;
  std::int64_t birth_year;
  Id unit, grid;
};
}  // namespace

std::vector<Op> make_demo(const DemoOptions& o) {
  Gen g{Rng{o.seed}, {}};
  Rng& r = g.rng;
  std::int64_t t = o.start;
  auto tick = [&]() { return t += 1000; };
  const Id admin = "staff-zx";
  g.add(tick(), Kind::community_init, admin, P().set("name", "仓南街社区").set("admin_name", "张霞"));

  // [SECTION] Places, grids, households, residents
  std::vector<Resident> people;
  std::vector<Id> grids, units_all;
  std::vector<std::vector<Id>> grid_units;
  int person_no = 0;
  auto new_person = [&](const Id& unit, const Id& household, std::int64_t birth, std::vector<std::string> tags) {
    Id id = "p" + std::to_string(++person_no);
    Payload p = P().set("id", id, kId).set("name", g.name()).set("birth_year", birth).set("tags", std::move(tags), FieldType::strings);
    if (!household.empty()) p.set("household", household, kId);
    else if (!unit.empty()) p.set("unit", unit, kId);
    if (r.chance(70)) p.set("phone", "13" + std::to_string(500000000 + r.below(499999999)));
    g.add(tick(), Kind::person_add, admin, std::move(p));
    return id;
  };
  const int households_wanted = o.residents * 10 / 25;
  int households = 0;
  for (std::size_t c = 0; c < std::size(kCompounds); ++c) {
    Id cid = "c" + std::to_string(c + 1);
    g.add(tick(), Kind::compound_add, admin,
          P().set("id", cid, kId).set("name", kCompounds[c]).set("point_x", 119150000 + r.below(30000)).set("point_y", 36700000 + r.below(20000)));
    Id gid = "g" + std::to_string(c + 1);
    g.add(tick(), Kind::grid_add, admin,
          P().set("id", gid, kId).set("name", std::string(kCompounds[c]) + "网格").set("compounds", std::vector<std::string>{cid}));
    grids.push_back(gid);
    grid_units.emplace_back();
    int buildings = 4 + static_cast<int>(r.below(4));
    for (int b = 1; b <= buildings; ++b) {
      Id bid = cid + "-b" + std::to_string(b);
      g.add(tick(), Kind::building_add, admin, P().set("id", bid, kId).set("compound", cid, kId).set("name", std::to_string(b) + "号楼"));
      for (int u = 1; u <= 3; ++u) {
        Id uid = bid + "-u" + std::to_string(u);
        g.add(tick(), Kind::unit_add, admin, P().set("id", uid, kId).set("building", bid, kId).set("name", std::to_string(u) + "单元"));
        grid_units.back().push_back(uid);
        units_all.push_back(uid);
      }
    }
  }
  // Households spread over all units, residents in them (2.5 on average).
  for (std::size_t i = 0; households < households_wanted; ++i) {
    const Id& uid = units_all[i % units_all.size()];
    std::size_t gi = 0;
    for (std::size_t k = 0; k < grid_units.size(); ++k)
      if (std::find(grid_units[k].begin(), grid_units[k].end(), uid) != grid_units[k].end()) gi = k;
    int floor = static_cast<int>(i / units_all.size()) / 2 + 1;
    Id hid = uid + "-" + std::to_string(floor) + "0" + std::to_string(i / units_all.size() % 2 + 1);
    g.add(tick(), Kind::household_add, admin, P().set("id", hid, kId).set("unit", uid, kId).set("label", hid.substr(hid.rfind('-') + 1)));
    ++households;
    int size = 1 + static_cast<int>(r.below(4));
    bool elderly = r.chance(28);
    for (int m = 0; m < size; ++m) {
      std::int64_t birth = elderly && m < 2 ? 1926 + r.below(20) : (m < 2 ? 1950 + r.below(45) : 1995 + r.below(22));
      std::vector<std::string> tags;
      if (elderly && size == 1) tags.push_back("living_alone");
      if (birth < 1960 && r.chance(12)) tags.push_back("retired_cadre");
      if (r.chance(10)) tags.push_back("party_member");
      people.push_back(Resident{new_person({}, hid, birth, tags), birth, uid, grids[gi]});
    }
  }
  auto adults_in = [&](const Id& grid) {
    std::vector<const Resident*> v;
    for (const auto& p : people)
      if (p.grid == grid && p.birth_year >= 1955 && p.birth_year <= 1990) v.push_back(&p);
    return v;
  };
  // Grid leaders (party members), grid workers, committee staff.
  std::vector<Id> leaders, workers;
  for (const auto& gid : grids) {
    auto cands = adults_in(gid);
    const Resident* l = cands[static_cast<std::size_t>(r.below(static_cast<std::int64_t>(cands.size())))];
    const Resident* w = cands[static_cast<std::size_t>(r.below(static_cast<std::int64_t>(cands.size())))];
    g.add(tick(), Kind::grid_set_leader, admin, P().set("grid", gid, kId).set("person", l->id, kId));
    if (w != l) g.add(tick(), Kind::role_grant, admin, P().set("person", w->id, kId).set("role", "grid_worker", kEnum).set("scope", gid, kId));
    leaders.push_back(l->id);
    workers.push_back(w == l ? l->id : w->id);
  }
  std::vector<Id> staff{admin};
  for (int i = 0; i < 3; ++i) {
    // One draw per statement: the order in which function arguments are evaluated is unspecified.
    const Id& unit = units_all[static_cast<std::size_t>(r.below(static_cast<std::int64_t>(units_all.size())))];
    std::int64_t born = 1975 + r.below(20);
    Id s = new_person(unit, {}, born, {"party_member"});
    g.add(tick(), Kind::role_grant, admin, P().set("person", s, kId).set("role", "staff", kEnum));
    staff.push_back(s);
  }
  // The heritage teacher from the article, canteen staff, clinic members (retired cadres), volunteers.
  const Id meng = "p-meng";
  g.add(tick(), Kind::person_add, admin, P().set("id", meng, kId).set("name", "孟祥祥").set("birth_year", 1968));
  g.add(tick(), Kind::role_grant, admin, P().set("person", meng, kId).set("role", "teacher", kEnum));
  std::vector<Id> cooks;
  for (int i = 0; i < 2; ++i) {
    Id c = new_person(units_all[static_cast<std::size_t>(i)], {}, 1970 + r.below(10), {});
    g.add(tick(), Kind::role_grant, admin, P().set("person", c, kId).set("role", "canteen_staff", kEnum));
    cooks.push_back(c);
  }
  std::vector<Id> clinic;
  for (const auto& p : people)
    if (clinic.size() < 6 && p.birth_year < 1955 && p.birth_year > 1938) {
      g.add(tick(), Kind::person_update, admin, P().set("person", p.id, kId).set("tags", std::vector<std::string>{"retired_cadre", "party_member"}, FieldType::strings));
      g.add(tick(), Kind::role_grant, admin, P().set("person", p.id, kId).set("role", "clinic", kEnum));
      clinic.push_back(p.id);
    }
  std::vector<Id> volunteers, students;
  for (int i = 0; i < 20; ++i) {  // students of the partner college, not residents
    Id s = new_person({}, {}, 1998 + r.below(4), {"student"});
    g.add(tick(), Kind::role_grant, admin, P().set("person", s, kId).set("role", "volunteer", kEnum));
    volunteers.push_back(s);
    students.push_back(s);
  }
  for (int i = 0; i < 20; ++i) {
    const Resident& p = people[static_cast<std::size_t>(r.below(static_cast<std::int64_t>(people.size())))];
    if (p.birth_year > 1945 && p.birth_year < 2000) {
      g.add(tick(), Kind::role_grant, admin, P().set("person", p.id, kId).set("role", "volunteer", kEnum));
      volunteers.push_back(p.id);
    }
  }
  std::sort(volunteers.begin(), volunteers.end());
  volunteers.erase(std::unique(volunteers.begin(), volunteers.end()), volunteers.end());

  // [SECTION] Clubs, services, recurring events, the clinic roster
  const char* clubs[][2] = {{"pingpong", "乒乓球队"}, {"swim", "游泳队"}, {"choir", "声乐队"}, {"dance", "舞蹈队"}, {"chess", "象棋队"}};
  for (int i = 0; i < 5; ++i) {
    const Resident& l = people[static_cast<std::size_t>(r.below(static_cast<std::int64_t>(people.size())))];
    g.add(tick(), Kind::club_add, admin, P().set("id", clubs[i][0], kId).set("name", clubs[i][1]).set("leader", l.id, kId));
    for (int m = 0; m < 12; ++m) {
      const Resident& p = people[static_cast<std::size_t>(r.below(static_cast<std::int64_t>(people.size())))];
      if (p.id != l.id) g.add(tick(), Kind::club_join, p.id, P().set("club", clubs[i][0], kId));
    }
    g.add(tick(), Kind::event_add, admin,
          P().set("id", std::string("ev-") + clubs[i][0], kId).set("title", std::string(clubs[i][1]) + "训练")
              .set("starts_at", shanghai_ms(2018, 1, 8 + i, 15, 0)).set("duration_min", 90)
              .set("rrule", "FREQ=WEEKLY").set("place", "文体活动室").set("club", clubs[i][0], kId)
              .set("audience", "members", kEnum).set("category", "club", kEnum));
  }
  struct Svc { const char* id; const char* name; bool money; std::int64_t minutes; };
  const Svc svcs[] = {{"groceries", "代买菜", true, 60},  {"bills", "代缴水电费", true, 45}, {"haircut", "理发", false, 40},
                      {"nails", "剪指甲", false, 20},     {"doctor", "陪同看病", false, 180}, {"medicine", "代取药", true, 60},
                      {"cleaning", "打扫卫生", false, 120}, {"repair", "小家电维修", false, 60}, {"reading", "读报聊天", false, 60},
                      {"papers", "代办证件", false, 90},   {"meals", "送餐上门", false, 30},  {"walk", "陪同散步", false, 45}};
  for (const auto& s : svcs)
    g.add(tick(), Kind::service_add, admin, P().set("id", s.id, kId).set("name", s.name).set("money", s.money ? 1 : 0, FieldType::boolean).set("minutes", s.minutes));
  g.add(tick(), Kind::event_add, admin,
        P().set("id", "festival", kId).set("title", "月月仓南节").set("starts_at", shanghai_ms(2018, 1, 13, 9, 0))
            .set("duration_min", 180).set("rrule", "FREQ=MONTHLY;BYDAY=2SA").set("place", "南广场")
            .set("audience", "all", kEnum).set("category", "festival", kEnum).set("access_note", "无台阶，可推轮椅"));
  g.add(tick(), Kind::event_add, clinic[0],
        P().set("id", "clinic-duty", kId).set("title", "道德门诊坐诊").set("starts_at", shanghai_ms(2018, 1, 2, 9, 0))
            .set("duration_min", 180).set("rrule", "FREQ=WEEKLY;BYDAY=TU").set("place", "道德门诊工作室")
            .set("organiser", clinic[0], kId).set("audience", "all", kEnum).set("category", "clinic", kEnum));
  g.add(tick(), Kind::clinic_roster_set, clinic[0], P().set("weekday", 2).set("members", std::vector<std::string>(clinic.begin(), clinic.begin() + 3)));
  g.add(tick(), Kind::clinic_roster_set, clinic[0], P().set("weekday", 4).set("members", std::vector<std::string>(clinic.begin() + 3, clinic.end())));

  // [SECTION] Dough-figurine classes: 15 sessions since 2018, themes from cartoons to history
  g.add(tick(), Kind::course_add, meng, P().set("id", "mianshu", kId).set("title", "面塑公益课").set("teacher", meng, kId)
                                              .set("description", "非遗面塑体验，居民、大学生和青少年都可参加"));
  const char* themes[] = {"卡通小动物", "卡通人物", "生肖", "花卉", "传统戏曲人物", "孔子像", "二十四节气", "民间故事",
                          "传统节日", "红船", "长征", "开国大典", "抗疫英雄", "家乡风物", "建党百年"};
  std::vector<const Resident*> olds, teens;
  for (const auto& p : people) {
    if (p.birth_year <= 1940) olds.push_back(&p);
    if (p.birth_year >= 2003 && p.birth_year <= 2012) teens.push_back(&p);
  }
  for (int s = 0; s < 15; ++s) {
    std::int64_t day = days_from_civil(2018, 5, 12) + s * 56;  // about every eight weeks, on a Saturday
    std::int64_t at = shanghai_day_start(day) + 9 * kMsPerHour;
    Id sid = "mianshu-" + std::to_string(s + 1);
    std::int64_t open = at - 14 * kMsPerDay;
    g.add(open, Kind::session_add, meng,
          P().set("id", sid, kId).set("course", "mianshu", kId).set("number", s + 1).set("starts_at", at).set("duration_min", 120)
              .set("seats", 30).set("place", "非遗体验馆").set("theme", themes[s])
              .set("open_to", std::vector<std::string>{"resident", "student", "teen"}, FieldType::strings));
    std::vector<Id> signed_up;
    int n = 26 + static_cast<int>(r.below(12));
    for (int k = 0; k < n; ++k) {
      std::int64_t when = open + 3600000 + k * 1800000;
      int kind = static_cast<int>(r.below(10));
      if (kind < 3) {
        const Id& st = r.pick(students);
        g.add(when, Kind::session_signup, st, P().set("session", sid, kId));
        signed_up.push_back(st);
      } else if (kind < 5 && !teens.empty()) {  // a teenager with a parent of the household signs up together
        const Resident* teen = teens[static_cast<std::size_t>(r.below(static_cast<std::int64_t>(teens.size())))];
        const Resident* parent = nullptr;
        for (const auto& p : people)
          if (p.unit == teen->unit && p.birth_year < 1990 && p.birth_year > 1950) parent = &p;
        if (!parent) continue;
        g.add(when, Kind::session_signup, teen->id, P().set("session", sid, kId).set("guardian", parent->id, kId));
        signed_up.push_back(teen->id);
      } else {
        const Resident& p = people[static_cast<std::size_t>(r.below(static_cast<std::int64_t>(people.size())))];
        if (p.birth_year > 1999) continue;
        g.add(when, Kind::session_signup, p.id, P().set("session", sid, kId));
        signed_up.push_back(p.id);
      }
    }
    for (int k = 0; k < 3 && !signed_up.empty(); ++k)
      g.add(at - kMsPerDay + k * 60000, Kind::session_cancel, signed_up[static_cast<std::size_t>(k * 5 % signed_up.size())], P().set("session", sid, kId));
    for (std::size_t k = 0; k < signed_up.size(); ++k)
      if (r.chance(85)) g.add(at + static_cast<std::int64_t>(k) * 20000, Kind::session_checkin, meng, P().set("session", sid, kId).set("person", signed_up[k], kId));
    g.add(at + 3 * kMsPerHour, Kind::session_close, meng, P().set("session", sid, kId));
  }

  // [SECTION] Daily life: canteen (from April 2019), reports, service requests, clinic cases
  std::vector<const Resident*> diners;
  for (const auto* p : olds)
    if (diners.size() < 70 && p->birth_year <= 1938) diners.push_back(p);
  std::vector<int> habit(diners.size());
  for (auto& h : habit) h = 45 + static_cast<int>(r.below(50));  // percent of days each regular comes
  const std::int64_t canteen_open = days_from_civil(2019, 4, 1);
  const std::int64_t first_day = shanghai(o.start).day + 1, last_day = shanghai(o.end).day;
  int report_no = 0, request_no = 0, case_no = 0;
  for (std::int64_t day = first_day; day < last_day; ++day) {
    const std::int64_t d0 = shanghai_day_start(day);
    int wd = iso_weekday(day);
    if (day >= canteen_open && wd <= 6) {  // lunch Monday to Saturday
      Id sit = "lunch-" + format_date(d0);
      std::int64_t lunch = d0 + 11 * kMsPerHour + 30 * kMsPerMinute;
      g.add(d0 - 9 * kMsPerHour, Kind::sitting_add, cooks[0], P().set("id", sit, kId).set("starts_at", lunch).set("meal", "lunch", kEnum).set("seats", 40));
      int booked = 0;
      for (std::size_t i = 0; i < diners.size() && booked < 40; ++i) {
        if (!r.chance(habit[i])) continue;
        ++booked;
        Payload p = P().set("sitting", sit, kId);
        if (r.chance(15)) p.set("diet", r.chance(50) ? "少盐" : "软食");
        g.add(d0 + 7 * kMsPerHour + static_cast<std::int64_t>(i) * 60000, Kind::canteen_book, diners[i]->id, std::move(p));
        if (r.chance(93))
          g.add(lunch + static_cast<std::int64_t>(i) * 15000, Kind::canteen_attend, cooks[static_cast<std::size_t>(i % 2)],
                P().set("sitting", sit, kId).set("person", diners[i]->id, kId));
      }
    }
    // Reports: a few a day, each walked through its chain by the grid.
    int nreports = static_cast<int>(r.below(6));
    for (int k = 0; k < nreports; ++k) {
      const Resident& who = people[static_cast<std::size_t>(r.below(static_cast<std::int64_t>(people.size())))];
      const auto& st = kSubtypesForDemo();
      const auto& sub = st[static_cast<std::size_t>(r.below(static_cast<std::int64_t>(st.size())))];
      Id rid = "rep-" + std::to_string(++report_no);
      std::int64_t at = d0 + 7 * kMsPerHour + r.below(12 * kMsPerHour);
      g.add(at, Kind::report_file, who.id,
            P().set("id", rid, kId).set("category", sub.first, kEnum).set("subtype", sub.second, kId).set("unit", who.unit, kId)
                .set("description", "请网格帮忙处理").set("priority", 1 + r.below(3)));
      std::size_t gi = static_cast<std::size_t>(std::find(grids.begin(), grids.end(), who.grid) - grids.begin());
      const Id& leader = leaders[gi];
      std::int64_t step = sub.first == std::string_view("emergency") ? 20 * kMsPerMinute : 5 * kMsPerHour + r.below(40 * kMsPerHour);
      if (r.chance(3)) continue;  // still waiting
      g.add(at += step / 4 + 60000, Kind::report_accept, r.chance(50) ? workers[gi] : leader, P().set("report", rid, kId));
      if (r.chance(40)) g.add(at += 60000, Kind::report_dispatch, leader, P().set("report", rid, kId).set("to", r.pick(volunteers), kId));
      if (r.chance(5)) continue;
      g.add(at += step, Kind::report_handle, leader, P().set("report", rid, kId).set("note", "已处理"));
      g.add(at += step / 2 + 60000, Kind::report_review, leader, P().set("report", rid, kId));
      g.add(at += 60000, Kind::report_close, leader, P().set("report", rid, kId));
      if (r.chance(6)) {
        g.add(at += kMsPerDay, Kind::report_reopen, who.id, P().set("report", rid, kId).set("reason", "问题又出现了"));
        g.add(at += step, Kind::report_accept, leader, P().set("report", rid, kId));
        g.add(at += step, Kind::report_handle, leader, P().set("report", rid, kId));
        g.add(at += 60000, Kind::report_review, leader, P().set("report", rid, kId));
        g.add(at += 60000, Kind::report_close, leader, P().set("report", rid, kId));
      }
      if (r.chance(60)) g.add(at + kMsPerHour, Kind::report_rate, who.id, P().set("report", rid, kId).set("stars", 3 + r.below(3)));
    }
    // Service requests from elders, taken by volunteers, confirmed by both.
    int nreq = static_cast<int>(r.below(4));
    for (int k = 0; k < nreq; ++k) {
      const Resident* elder = olds[static_cast<std::size_t>(r.below(static_cast<std::int64_t>(olds.size())))];
      const Svc& sv = svcs[r.below(std::size(svcs))];
      Id qid = "req-" + std::to_string(++request_no);
      std::int64_t at = d0 + 8 * kMsPerHour + r.below(8 * kMsPerHour);
      g.add(at, Kind::service_request, elder->id, P().set("id", qid, kId).set("service", sv.id, kId).set("note", "麻烦志愿者帮忙"));
      if (r.chance(8)) continue;
      const Id& vol = r.pick(volunteers);
      g.add(at += kMsPerHour, Kind::service_take, vol, P().set("request", qid, kId));
      std::int64_t fen = 1000 + r.below(20000);
      Payload done = P().set("request", qid, kId).set("minutes", sv.minutes - 10 + r.below(30));
      if (sv.money) done.set("amount_fen", fen);
      g.add(at += 3 * kMsPerHour, Kind::service_done, vol, std::move(done));
      Payload conf = P().set("request", qid, kId);
      if (sv.money) conf.set("amount_fen", fen);
      g.add(at += kMsPerHour, Kind::service_confirm, elder->id, std::move(conf));
    }
    // Moral clinic on Tuesdays: a case or two, follow-up a week later, over 80% resolved.
    if (wd == 2) {
      static const char* cats[] = {"noise", "leak", "stairwell", "uncivil", "pets", "parking", "family"};
      int ncases = 1 + static_cast<int>(r.below(2));
      for (int k = 0; k < ncases; ++k) {
        Id kid = "case-" + std::to_string(++case_no);
        const Id& doc = clinic[static_cast<std::size_t>(r.below(3))];
        std::int64_t at = d0 + 9 * kMsPerHour + k * kMsPerHour;
        g.add(at, Kind::clinic_case_open, doc, P().set("id", kid, kId).set("category", cats[r.below(7)], kEnum)
                                                   .set("parties", std::vector<std::string>{g.name(), g.name()}, FieldType::strings)
                                                   .set("complaint", "邻里之间有矛盾，请门诊调解"));
        g.add(at + 30 * kMsPerMinute, Kind::clinic_case_session, doc, P().set("case", kid, kId).set("diagnosis", "沟通不畅").set("prescription", "双方各让一步，约定作息"));
        g.add(at + 7 * kMsPerDay, Kind::clinic_case_followup, doc, P().set("case", kid, kId).set("note", "回访"));
        std::int64_t roll = r.below(100);
        const char* outcome = roll < 84 ? "resolved" : roll < 92 ? "partly" : roll < 97 ? "referred" : "failed";
        g.add(at + 7 * kMsPerDay + kMsPerHour, Kind::clinic_case_close, doc, P().set("case", kid, kId).set("outcome", outcome, kEnum));
      }
    }
  }

  // [SECTION] Channels: the nine linked groups (the article names five; the other four are invented).
  // Their own random stream and times after the setup, so the ops above stay as they were.
  {
    Rng cr{o.seed ^ 0x4348414eull};
    std::int64_t ct = t + 500;
    struct Ch { const char* id; const char* name; const char* about; bool assigned; bool members_only; };
    const Ch chans[] = {
        {"square", "南广场建设群", "南广场施工进度和安全提示", false, false},
        {"grid", "网格群", "网格长、网格员和居民：发现问题马上说", false, true},
        {"property", "物业群", "物业服务：维修、保洁、停车", false, true},
        {"safety", "安全群", "消防、用电、防诈骗提醒", false, true},
        {"cadres", "离退休干部群", "离退休干部党支部", true, true},
        {"party", "网格党员群", "红色网格的党员（由社区安排）", true, true},
        {"volunteers", "志愿者群", "暖巢志愿服务", false, true},
        {"canteen", "爱老食堂群", "站南爱老公益食堂的饭菜和订餐", false, true},
        {"culture", "文化活动群", "月月仓南节、社团和面塑课", false, true},
    };
    for (const auto& c : chans)
      g.add(ct += 1000, Kind::channel_add, admin,
            P().set("id", c.id, kId).set("name", c.name).set("about", c.about)
                .set("assigned", c.assigned ? 1 : 0, FieldType::boolean).set("members_only", c.members_only ? 1 : 0, FieldType::boolean));
    std::set<std::pair<std::string, Id>> joined;
    auto put = [&](const char* ch, const Id& who, bool by_staff) {
      if (!joined.insert({ch, who}).second) return;
      g.add(ct += 1000, Kind::channel_join, by_staff ? admin : who, by_staff ? P().set("channel", ch, kId).set("person", who, kId)
                                                                          : P().set("channel", ch, kId));
    };
    for (const Id& l : leaders) { put("grid", l, false); put("party", l, true); put("safety", l, false); }
    for (const Id& w : workers) put("grid", w, false);
    for (const Id& c : clinic) put("cadres", c, true);
    for (const Id& v : volunteers) put("volunteers", v, false);
    const char* open_ids[] = {"square", "grid", "property", "safety", "canteen", "culture"};
    for (int i = 0; i < 60; ++i) {
      const Resident& p = people[static_cast<std::size_t>(cr.below(static_cast<std::int64_t>(people.size())))];
      put(open_ids[cr.below(6)], p.id, false);
    }
    std::int64_t at = o.end - 3 * kMsPerDay;
    g.add(at, Kind::channel_post, leaders[0], P().set("channel", "grid", kId).set("title", "请勿在绿地种菜")
                                                  .set("text", "楼前绿地有人种菜，请大家爱护绿地，已种的本周内清理。"));
    g.add(at + kMsPerHour, Kind::channel_post, leaders[0], P().set("channel", "safety", kId).set("title", "不要空中拉线充电")
                                                               .set("text", "电动车请到充电棚充电，楼上拉线充电容易起火。"));
    g.add(at + 2 * kMsPerHour, Kind::channel_post, admin, P().set("channel", "square", kId).set("title", "南广场下周铺地砖")
                                                              .set("text", "施工期间请绕行东侧小路。"));
    if (report_no > 0)
      g.add(at + 3 * kMsPerHour, Kind::channel_post, admin, P().set("channel", "property", kId).set("report", "rep-1", kId)
                                                                .set("title", "停车秩序混乱"));
    g.add(at + 4 * kMsPerHour, Kind::channel_post, admin, P().set("channel", "party", kId).set("title", "本周六党员志愿服务")
                                                              .set("text", "上午九点在南广场集合，清理楼道杂物。"));
  }

  // [SECTION] Time order, ids, sequence numbers
  std::stable_sort(g.out.begin(), g.out.end(), [](const Draft& a, const Draft& b) { return a.at < b.at; });
  std::vector<Op> ops;
  ops.reserve(g.out.size());
  Rng ids{o.seed ^ 0x5348494855ull};
  static const char* hex = "0123456789abcdef";
  for (auto& d : g.out) {
    if (d.at >= o.end && d.kind != Kind::community_init) continue;
    if (o.max_ops && ops.size() >= o.max_ops) break;
    Op op;
    op.id.resize(32);
    std::uint64_t a = ids.next(), b = ids.next();
    for (int i = 0; i < 16; ++i) {
      op.id[static_cast<std::size_t>(i)] = hex[(a >> (60 - 4 * i)) & 15];
      op.id[static_cast<std::size_t>(16 + i)] = hex[(b >> (60 - 4 * i)) & 15];
    }
    op.kind = d.kind;
    op.author = d.author;
    op.device = "demo";
    op.made_at = d.at;
    op.seq = static_cast<std::int64_t>(ops.size()) + 1;
    op.payload = std::move(d.p);
    ops.push_back(std::move(op));
  }
  return ops;
}

}  // namespace sihui::core
