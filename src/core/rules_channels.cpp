// rules_channels: the channels that mirror the community's nine linked groups (decision 0024).
// Staff add a channel; residents join and leave open channels themselves, staff put anyone in or
// out (and alone fill "assigned" channels such as the grid's party members); members and staff post
// notices or reports; a member marks how many posts they have read.
#include "core/channels.h"
#include "core/reducer_internal.h"

namespace sihui::core::rules {

Outcome channels(Ctx& c) {
  State& s = c.s;
  const Payload& p = c.p;
  const bool staff = is_staff(*c.author);
  if (c.op.kind == Kind::channel_add) {
    const Id& id = p.str("id");
    if (s.channels.count(id)) return refused(Reason::id_taken).with("id", id);
    Channel ch;
    ch.id = id;
    ch.name = p.str("name");
    ch.about = p.str("about");
    ch.assigned = p.num("assigned") != 0;
    ch.members_only = p.num("members_only", 1) != 0;
    s.channels.emplace(id, std::move(ch));
    return accepted();
  }
  Channel* ch = find(s.channels, p.str("channel"));
  if (!ch) return refused(Reason::no_channel);
  switch (c.op.kind) {
    case Kind::channel_join:
    case Kind::channel_leave: {
      const Id& pid = p.str("person").empty() ? c.author->id : p.str("person");
      Person* t = find(s.persons, pid);
      if (!t) return refused(Reason::no_person);
      const bool self = same_bytes(pid, c.author->id);
      if (!self && !staff) return refused(Reason::act_for);
      if (c.op.kind == Kind::channel_join) {
        if (t->left) return refused(Reason::person_left);
        if (ch->assigned && !staff) return refused(Reason::channel_assigned).with("channel", ch->name);
        if (!ch->members.insert(pid).second) return refused(Reason::channel_already).with("channel", ch->name);
      } else {
        if (!ch->members.erase(pid)) return refused(Reason::channel_not_member).with("channel", ch->name);
        ch->read.erase(pid);
      }
      return accepted();
    }
    case Kind::channel_post: {
      if (!staff && !ch->members.count(c.author->id)) return refused(Reason::channel_not_member).with("channel", ch->name);
      const std::string& title = p.str("title");
      const std::string& text = p.str("text");
      const Id& report = p.str("report");
      if (title.empty() && text.empty() && report.empty()) return refused(Reason::channel_empty);
      if (utf8_length(title) > kChannelTitleMax)
        return refused(Reason::channel_too_long).with("max", static_cast<std::int64_t>(kChannelTitleMax));
      if (utf8_length(text) > kChannelTextMax)
        return refused(Reason::channel_too_long).with("max", static_cast<std::int64_t>(kChannelTextMax));
      if (!report.empty() && !s.reports.count(report)) return refused(Reason::no_report);
      ch->posts.push_back(ChannelPost{c.op.id, c.author->id, c.op.made_at, title, text, report});
      // The author has read what they posted on top of what they had read.
      if (ch->members.count(c.author->id)) {
        std::int64_t& r = ch->read[c.author->id];
        if (r == static_cast<std::int64_t>(ch->posts.size()) - 1) r = static_cast<std::int64_t>(ch->posts.size());
      }
      return accepted();
    }
    case Kind::channel_read: {
      if (!ch->members.count(c.author->id)) return refused(Reason::channel_not_member).with("channel", ch->name);
      std::int64_t upto = p.num("upto");
      const auto n = static_cast<std::int64_t>(ch->posts.size());
      if (upto > n) upto = n;
      std::int64_t& r = ch->read[c.author->id];
      if (upto > r) r = upto;
      return accepted();
    }
    default: break;
  }
  return refused(Reason::op_invalid);
}

}  // namespace sihui::core::rules
