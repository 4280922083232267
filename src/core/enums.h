// enums: stored enums are written by name (not number) in snapshots, so reordering never breaks old data.
#pragma once
#include <cstddef>
#include <iterator>
#include <string_view>

namespace sihui::core {

template <class E>
struct EnumNames;  // specialised with SIHUI_ENUM_NAMES next to each enum

#define SIHUI_ENUM_NAMES(E, ...)                                \
  template <>                                                   \
  struct EnumNames<E> {                                         \
    static constexpr std::string_view names[] = {__VA_ARGS__}; \
  };

template <class E>
constexpr std::size_t enum_count() {
  return std::size(EnumNames<E>::names);
}
template <class E>
constexpr std::string_view enum_name(E e) {
  auto i = static_cast<std::size_t>(e);
  return i < enum_count<E>() ? EnumNames<E>::names[i] : std::string_view();
}
template <class E>
bool enum_from_name(std::string_view s, E* out) {
  for (std::size_t i = 0; i < enum_count<E>(); ++i)
    if (EnumNames<E>::names[i] == s) {
      *out = static_cast<E>(i);
      return true;
    }
  return false;
}

}  // namespace sihui::core
