#include "core/channels.h"

#include <algorithm>

namespace sihui::core {

std::int64_t channel_unread(const Channel& ch, const Id& reader) {
  if (!ch.members.count(reader)) return 0;
  auto it = ch.read.find(reader);
  const std::int64_t seen = it == ch.read.end() ? 0 : it->second;
  const auto n = static_cast<std::int64_t>(ch.posts.size());
  return n > seen ? n - seen : 0;
}

std::vector<ChannelRow> channel_list(const State& s, const Id& reader) {
  bool staff = false;
  if (auto p = s.persons.find(reader); p != s.persons.end() && !p->second.left)
    for (const auto& g : p->second.roles) staff = staff || g.role == Role::staff;
  std::vector<ChannelRow> rows;
  for (const auto& [id, ch] : s.channels) {
    ChannelRow r;
    r.channel = &ch;
    r.member = ch.members.count(reader) > 0;
    r.may_join = !r.member && !reader.empty() && (staff || !ch.assigned);
    r.may_post = r.member || staff;
    r.posts = static_cast<std::int64_t>(ch.posts.size());
    r.unread = channel_unread(ch, reader);
    rows.push_back(r);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const ChannelRow& a, const ChannelRow& b) { return a.member > b.member; });
  return rows;
}

std::vector<ChannelRow> my_channels(const State& s, const Id& reader) {
  std::vector<ChannelRow> rows = channel_list(s, reader);
  rows.erase(std::remove_if(rows.begin(), rows.end(), [](const ChannelRow& r) { return !r.member; }), rows.end());
  return rows;
}

std::vector<const ChannelPost*> channel_posts(const State& s, const Id& channel) {
  std::vector<const ChannelPost*> out;
  auto it = s.channels.find(channel);
  if (it == s.channels.end()) return out;
  for (auto p = it->second.posts.rbegin(); p != it->second.posts.rend(); ++p) out.push_back(&*p);
  return out;
}

std::int64_t channels_unread_total(const State& s, const Id& reader) {
  std::int64_t n = 0;
  for (const auto& [id, ch] : s.channels) n += channel_unread(ch, reader);
  return n;
}

}  // namespace sihui::core
