// categories: the red steward's six service categories, their report sub-types and due times.
// Display names are translation keys "category.<name>" and "subtype.<id>" in assets/lang/core.*.json.
#pragma once
#include <cstdint>
#include <string_view>

#include "core/model.h"

namespace sihui::core {

struct Subtype {
  std::string_view id;  // stored in Report::subtype
  Category category;
};

inline constexpr Subtype kSubtypes[] = {
    {"leaking_roof", Category::repair},         {"broken_lift", Category::repair},
    {"streetlight_out", Category::repair},      {"blocked_drain", Category::repair},
    {"door_lock", Category::repair},            {"water_pipe", Category::repair},
    {"other_repair", Category::repair},
    {"elder_visit", Category::care},            {"living_alone_check", Category::care},
    {"disability_help", Category::care},        {"other_care", Category::care},
    {"policy_question", Category::info},        {"certificate", Category::info},
    {"other_info", Category::info},
    {"activity_request", Category::culture},    {"venue_booking", Category::culture},
    {"other_culture", Category::culture},
    {"aerial_charging_cable", Category::emergency},  // 空中架线充电: a fire risk
    {"fire_lane_blocked", Category::emergency}, {"gas_smell", Category::emergency},
    {"flooding", Category::emergency},          {"other_emergency", Category::emergency},
    {"planting_on_green", Category::dispute},   // 种菜毁绿
    {"parking_chaos", Category::dispute},       // 停车秩序混乱
    {"noise", Category::dispute},               {"stairwell_junk", Category::dispute},
    {"other_dispute", Category::dispute},
};

// Hours from filing (or reopening) until a report is due; past due it is overdue, and past
// twice that it is escalated to the committee.
constexpr std::int64_t due_hours(Category c) {
  switch (c) {
    case Category::emergency: return 2;
    case Category::care: return 24;
    case Category::info: return 48;
    case Category::repair: return 72;
    case Category::dispute: return 72;
    case Category::culture: return 168;
  }
  return 72;
}

inline bool subtype_in(std::string_view id, Category c) {
  for (const auto& s : kSubtypes)
    if (s.id == id) return s.category == c;
  return false;
}

}  // namespace sihui::core
