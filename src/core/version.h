// version: what this build of the core is, for the status line, queries and stored files.
#pragma once
#include <string_view>

namespace sihui {
inline constexpr std::string_view kCoreVersion = "0.1.0";
}  // namespace sihui
