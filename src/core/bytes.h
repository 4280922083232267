// bytes: equality of short byte strings (ids, keys, field names) without a call to memcmp.
// In wasm memcmp and memcpy are library functions, not inlined code, and the decoder and the
// reducer compare a dozen short strings per op; these compare 8, 4, 2 or 1 bytes at a time with
// loads the compiler inlines (fixed-size memcpy), on every platform alike.
#pragma once
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

// Inlined at every call, whatever the optimisation level and target: clang's wasm inliner left these
// (and Payload's lookups, IdMap's probe) as calls at -O3, a call per compare on the reducer's paths.
#define SIHUI_INLINE __attribute__((always_inline)) inline

namespace sihui::core {

// a == b, byte for byte.
SIHUI_INLINE bool same_bytes(std::string_view a, std::string_view b) {
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

// a < b in std::string's order (bytes compared as unsigned char, then the shorter first), without a
// call to memcmp: 8 bytes at a time, compared as big-endian integers, then byte by byte.
SIHUI_INLINE bool less_bytes(std::string_view a, std::string_view b) {
  std::size_t n = a.size() < b.size() ? a.size() : b.size();
  const char* p = a.data();
  const char* q = b.data();
  for (; n >= 8; n -= 8, p += 8, q += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, p, 8);
    std::memcpy(&y, q, 8);
    if (x != y) {
      if constexpr (std::endian::native == std::endian::little) {
        x = __builtin_bswap64(x);
        y = __builtin_bswap64(y);
      }
      return x < y;
    }
  }
  for (; n > 0; --n, ++p, ++q)
    if (*p != *q) return static_cast<unsigned char>(*p) < static_cast<unsigned char>(*q);
  return a.size() < b.size();
}

// The order of std::less<std::string> for ordered containers keyed by short ids, inline (see
// less_bytes) and transparent (finds by std::string_view without building a string).
struct IdLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return less_bytes(a, b); }
};

// Up to 8 bytes at p as a little-endian integer: constexpr (the kinds' table is built at compile
// time), and one load at run time for 4 and 8 bytes.
constexpr std::uint64_t load_le(const char* p, std::size_t n) {
  if constexpr (std::endian::native == std::endian::little) {
    if (!std::is_constant_evaluated() && (n == 8 || n == 4)) {  // one load at run time
      if (n == 4) {
        std::uint32_t x;
        std::memcpy(&x, p, 4);
        return x;
      }
      std::uint64_t x;
      std::memcpy(&x, p, 8);
      return x;
    }
  }
  std::uint64_t x = 0;
  for (std::size_t i = 0; i < n; ++i) x |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return x;
}

// A 64-bit hash of a short byte string, 8 bytes at a time (the last chunk overlapping the one
// before; a string of 1-7 bytes in one chunk), one multiply per chunk and a final avalanche so
// that the low bits depend on every byte. A byte-by-byte hash (FNV-1a) is a chain of one multiply
// per byte: ~60 cycles for a 16-byte id before a table probe can even start.
constexpr std::uint64_t hash_bytes(std::string_view s) {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t h = n * kMul;
  if (n >= 8) {
    for (; n > 8; n -= 8, p += 8) h = (h ^ load_le(p, 8)) * kMul;
    h = (h ^ load_le(p + n - 8, 8)) * kMul;
  } else if (n >= 4) {  // two 4-byte loads, overlapping when n < 8
    h = (h ^ (load_le(p, 4) | load_le(p + n - 4, 4) << 32)) * kMul;
  } else if (n > 0) {
    h = (h ^ (load_le(p, 1) | load_le(p + n / 2, 1) << 8 | load_le(p + n - 1, 1) << 16)) * kMul;
  }
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ull;
  h ^= h >> 32;
  return h;
}

// s = v, skipping the copy when s already holds v (decoding the same names and values op after op).
inline void assign_bytes(std::string& s, std::string_view v) {
  if (!same_bytes(s, v)) s.assign(v.data(), v.size());
}

}  // namespace sihui::core
