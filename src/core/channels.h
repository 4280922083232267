// channels: limits and queries of the channels that mirror the community's nine linked groups
// (decision 0024). The rules are in rules_channels.cpp.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/model.h"

namespace sihui::core {

inline constexpr std::size_t kChannelTitleMax = 40;   // characters (code points)
inline constexpr std::size_t kChannelTextMax = 500;   // characters (code points)

struct ChannelRow {
  const Channel* channel = nullptr;
  bool member = false;
  bool may_join = false;   // not a member, and the channel is open to joining (or the reader is staff)
  bool may_post = false;   // member or staff
  std::int64_t posts = 0;
  std::int64_t unread = 0;  // posts after the ones the member marked read (0 for non-members)
};

// Every channel, the reader's own first (then by id), each with what the reader may do.
std::vector<ChannelRow> channel_list(const State& s, const Id& reader);
// Only the channels the reader belongs to, with unread counts.
std::vector<ChannelRow> my_channels(const State& s, const Id& reader);
// Posts of one channel, newest first (empty for an unknown channel).
std::vector<const ChannelPost*> channel_posts(const State& s, const Id& channel);
std::int64_t channel_unread(const Channel& ch, const Id& reader);
// Total unread posts over the reader's channels (the home screen's badge).
std::int64_t channels_unread_total(const State& s, const Id& reader);

}  // namespace sihui::core
