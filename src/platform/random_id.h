// Seam: random ids for operations made on this device (32 lowercase hex digits, 128 bits).
// std::random_device is crypto.getRandomValues in the browser (Emscripten) and the kernel's random
// source natively, so one header serves every platform; the core never draws random numbers.
#pragma once
#include <cstdint>
#include <random>
#include <string>

namespace sihui::platform {

inline std::string random_op_id() {
  std::random_device rd;
  static const char* hex = "0123456789abcdef";
  std::string id;
  id.reserve(32);
  for (int i = 0; i < 4; ++i) {
    std::uint32_t v = rd();
    for (int k = 0; k < 8; ++k) id.push_back(hex[(v >> (k * 4)) & 15]);
  }
  return id;
}

}  // namespace sihui::platform
