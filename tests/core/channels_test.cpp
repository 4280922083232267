// Channels: the nine linked groups (decision 0024): membership, posts, refusals, unread counts.
#include <catch_amalgamated.hpp>

#include "core/channels.h"
#include "core/snapshot.h"
#include "support.h"

using namespace sihui;

namespace {
void add_channels(test::World& w) {
  w.must("channel.add", "admin", {{"id", "grid"}, {"name", "网格群"}});
  w.must("channel.add", "admin", {{"id", "party"}, {"name", "网格党员群"}, {"assigned", true}});
  w.must("channel.add", "admin", {{"id", "square"}, {"name", "南广场建设群"}, {"members_only", false}});
}
}  // namespace

TEST_CASE("channels: staff add them, residents cannot, ids are unique") {
  test::World w;
  add_channels(w);
  CHECK(w.s.channels.size() == 3);
  CHECK(w.s.channels.at("party").assigned);
  CHECK(w.s.channels.at("grid").members_only);
  CHECK_FALSE(w.s.channels.at("square").members_only);
  CHECK(w.run("channel.add", "grandma", {{"id", "x"}, {"name", "x"}}).key() == "reason.op.role");
  CHECK(w.run("channel.add", "admin", {{"id", "grid"}, {"name", "又一个"}}).key() == "reason.id.taken");
  CHECK(w.s.channels.at("grid").name == "网格群");
}

TEST_CASE("channels: join and leave for oneself; staff for anyone; assigned channels by staff only") {
  test::World w;
  add_channels(w);
  w.must("channel.join", "grandma", {{"channel", "grid"}});
  CHECK(w.run("channel.join", "grandma", {{"channel", "grid"}}).key() == "reason.channel.already_member");
  CHECK(w.run("channel.join", "grandma", {{"channel", "nope"}}).key() == "reason.not_found.channel");
  CHECK(w.run("channel.join", "leader", {{"channel", "grid"}, {"person", "daughter"}}).key() == "reason.act_for.not_allowed");
  auto o = w.run("channel.join", "uncle", {{"channel", "party"}});
  CHECK(o.key() == "reason.channel.staff_assigns");
  CHECK(w.s.channels.at("party").members.empty());
  w.must("channel.join", "admin", {{"channel", "party"}, {"person", "uncle"}});
  CHECK(w.s.channels.at("party").members == std::set<std::string>{"uncle"});
  w.must("channel.leave", "uncle", {{"channel", "party"}});  // leaving is always one's own choice
  CHECK(w.run("channel.leave", "uncle", {{"channel", "party"}}).key() == "reason.channel.not_member");
  w.must("channel.leave", "admin", {{"channel", "grid"}, {"person", "grandma"}});
  CHECK(w.s.channels.at("grid").members.empty());
}

TEST_CASE("channels: members and staff post notices or reports; clear refusals otherwise") {
  test::World w;
  add_channels(w);
  w.must("channel.join", "leader", {{"channel", "grid"}});
  CHECK(w.run("channel.post", "grandma", {{"channel", "grid"}, {"title", "停车"}}).key() == "reason.channel.not_member");
  CHECK(w.run("channel.post", "leader", {{"channel", "gone"}, {"title", "x"}}).key() == "reason.not_found.channel");
  CHECK(w.run("channel.post", "leader", {{"channel", "grid"}}).key() == "reason.channel.empty_post");
  std::string text501;
  for (int i = 0; i < 501; ++i) text501 += "字";
  auto too_long = w.run("channel.post", "leader", {{"channel", "grid"}, {"text", text501}});
  CHECK(too_long.key() == "reason.channel.too_long");
  REQUIRE(too_long.params.size() == 1);
  CHECK(too_long.params[0].num == 500);
  std::string title41;
  for (int i = 0; i < 41; ++i) title41 += "题";
  CHECK(w.run("channel.post", "leader", {{"channel", "grid"}, {"title", title41}}).key() == "reason.channel.too_long");
  CHECK(w.run("channel.post", "leader", {{"channel", "grid"}, {"report", "rep-x"}}).key() == "reason.not_found.report");
  CHECK(w.s.channels.at("grid").posts.empty());

  std::string text500;
  for (int i = 0; i < 500; ++i) text500 += "字";
  w.must("channel.post", "leader", {{"channel", "grid"}, {"title", "请勿在绿地种菜"}, {"text", text500}});
  w.must("report.file", "grandma", {{"id", "r1"}, {"category", "dispute"}, {"subtype", "planting_on_green"}, {"compound", "north"}});
  w.must("channel.post", "admin", {{"channel", "grid"}, {"report", "r1"}});  // staff need not be members
  const auto posts = core::channel_posts(w.s, "grid");
  REQUIRE(posts.size() == 2);
  CHECK(posts[0]->report == "r1");  // newest first
  CHECK(posts[0]->by == "admin");
  CHECK(posts[1]->title == "请勿在绿地种菜");
  CHECK(posts[1]->by == "leader");
  CHECK(core::channel_posts(w.s, "nope").empty());
}

TEST_CASE("channels: unread counts follow channel.read; my channels lists only mine") {
  test::World w;
  add_channels(w);
  w.must("channel.join", "leader", {{"channel", "grid"}});
  w.must("channel.join", "grandma", {{"channel", "grid"}});
  w.must("channel.join", "grandma", {{"channel", "square"}});
  w.must("channel.post", "leader", {{"channel", "grid"}, {"title", "一"}});
  w.must("channel.post", "leader", {{"channel", "grid"}, {"title", "二"}});
  w.must("channel.post", "admin", {{"channel", "square"}, {"title", "三"}});
  auto mine = core::my_channels(w.s, "grandma");
  REQUIRE(mine.size() == 2);
  CHECK(mine[0].channel->id == "grid");
  CHECK(mine[0].unread == 2);
  CHECK(mine[1].unread == 1);
  CHECK(core::channels_unread_total(w.s, "grandma") == 3);
  CHECK(core::channels_unread_total(w.s, "leader") == 0);  // the author read their own posts
  CHECK(core::channels_unread_total(w.s, "daughter") == 0);  // not a member anywhere
  w.must("channel.read", "grandma", {{"channel", "grid"}, {"upto", 1}});
  CHECK(core::channel_unread(w.s.channels.at("grid"), "grandma") == 1);
  w.must("channel.read", "grandma", {{"channel", "grid"}, {"upto", 99}});  // clamped to the posts there are
  CHECK(w.s.channels.at("grid").read.at("grandma") == 2);
  w.must("channel.read", "grandma", {{"channel", "grid"}, {"upto", 0}});  // never moves back
  CHECK(core::channel_unread(w.s.channels.at("grid"), "grandma") == 0);
  CHECK(w.run("channel.read", "daughter", {{"channel", "grid"}, {"upto", 1}}).key() == "reason.channel.not_member");
  auto all = core::channel_list(w.s, "daughter");
  REQUIRE(all.size() == 3);
  for (const auto& r : all) {
    CHECK_FALSE(r.member);
    CHECK(r.may_join == !r.channel->assigned);
    CHECK_FALSE(r.may_post);
  }
  auto staff = core::channel_list(w.s, "admin");
  for (const auto& r : staff) CHECK((r.may_join && r.may_post));
}

TEST_CASE("channels: a post masked by sync still counts and is kept as masked") {
  test::World w;
  add_channels(w);
  w.must("channel.join", "leader", {{"channel", "grid"}});
  w.must("channel.post", "leader", {{"channel", "grid"}, {"title", std::string(core::kMasked)}, {"text", std::string(core::kMasked)}});
  REQUIRE(w.s.channels.at("grid").posts.size() == 1);
  CHECK(w.s.channels.at("grid").posts[0].title == core::kMasked);
}

TEST_CASE("channels: the snapshot round-trips channels, posts and read marks") {
  test::World w;
  add_channels(w);
  w.must("channel.join", "grandma", {{"channel", "grid"}});
  w.must("channel.post", "admin", {{"channel", "grid"}, {"title", "通知"}, {"text", "明天停水"}});
  w.must("channel.read", "grandma", {{"channel", "grid"}, {"upto", 1}});
  core::State back;
  std::string err;
  REQUIRE(core::read_snapshot(core::write_snapshot(w.s), &back, &err));
  CHECK(back == w.s);
  CHECK(core::state_hash(back) == core::state_hash(w.s));
}
