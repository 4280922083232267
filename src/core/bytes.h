// bytes: equality of short byte strings (ids, keys, field names) without a call to memcmp.
// In wasm memcmp and memcpy are library functions, not inlined code, and the decoder and the
// reducer compare a dozen short strings per op; these compare 8, 4, 2 or 1 bytes at a time with
// loads the compiler inlines (fixed-size memcpy), on every platform alike.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace sihui::core {

// a == b, byte for byte.
inline bool same_bytes(std::string_view a, std::string_view b) {
  std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  for (; n >= 8; n -= 8, p += 8, q += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, p, 8);
    std::memcpy(&y, q, 8);
    if (x != y) return false;
  }
  if (n >= 4) {  // 4..7 bytes left: the first 4 and the last 4 (they may overlap)
    std::uint32_t x, y, u, v;
    std::memcpy(&x, p, 4);
    std::memcpy(&y, q, 4);
    std::memcpy(&u, p + n - 4, 4);
    std::memcpy(&v, q + n - 4, 4);
    return ((x ^ y) | (u ^ v)) == 0;
  }
  if (n >= 2) {  // 2..3 bytes left
    std::uint16_t x, y, u, v;
    std::memcpy(&x, p, 2);
    std::memcpy(&y, q, 2);
    std::memcpy(&u, p + n - 2, 2);
    std::memcpy(&v, q + n - 2, 2);
    return ((x ^ y) | (u ^ v)) == 0;
  }
  return n == 0 || *p == *q;
}

// s = v, skipping the copy when s already holds v (decoding the same names and values op after op).
inline void assign_bytes(std::string& s, std::string_view v) {
  if (!same_bytes(s, v)) s.assign(v.data(), v.size());
}

}  // namespace sihui::core
