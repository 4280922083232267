// op_decode: decode_op, the fast path from JSON text to an Op. One pass over the text, no JSON DOM:
// the envelope and the payload's fields are scanned into a small flat table, then checked against
// the schema in the same order as decode_op_json and written into the Op in place (its strings and
// vectors keep their capacity from the previous op).
//
// It must accept and refuse exactly what nlohmann::json::parse + decode_op_json (decode_op_reference)
// do, and give the same Op. What nlohmann 3.11 reads, and so what this reads:
//   - RFC 8259 JSON; an optional UTF-8 byte order mark first; whitespace is space, tab, CR, LF.
//   - strings: strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF), control bytes
//     refused, \u escapes with surrogate pairs; keys compare after unescaping.
//   - numbers: integers that fit int64 (or uint64, which decode_op_json refuses as "not an int") are
//     integers; anything else is a float, and a float that overflows to infinity is a parse error.
//   - a NUL byte where the next token should start ends the input (nlohmann stops there).
//   - a key given twice in one object: the later value wins.
// tests/core/decode_test.cpp compares both decoders on tricky inputs and on every demo op, and the
// fuzz target (tests/fuzz/core_fuzz.cpp) traps on any difference.
#include <algorithm>
#include <bit>
#include <clocale>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iterator>

#include "core/bytes.h"
#include "core/op.h"

namespace sihui::core {

namespace {

// [SECTION] Scanned values

// One JSON value at the op's first three levels: envelope member, payload field, array element.
struct Raw {
  enum Type : std::uint8_t { absent, null, boolean, string, integer, number, object, array };
  Type type = absent;
  bool fits = false;                   // integer: fits int64 (what decode_op_json's get_int accepts)
  std::int64_t num = 0;                // integer when fits; boolean 0/1
  std::string_view text;               // string, unescaped (points into the text or the arena)
  std::uint32_t first = 0, count = 0;  // array at the payload level: its elements in elems_
};

struct Member {
  std::string_view key;
  Raw value;
};

enum Env : std::uint8_t { kId, kKind, kAuthor, kDevice, kMadeAt, kSeq, kPayload, kEnvCount, kOther = kEnvCount };

// The envelope's keys, told apart by length and then one compare of their bytes.
Env env_key(std::string_view k) {
  switch (k.size()) {
    case 2: return same_bytes(k, "id") ? kId : kOther;
    case 3: return same_bytes(k, "seq") ? kSeq : kOther;
    case 4: return same_bytes(k, "kind") ? kKind : kOther;
    case 6: return same_bytes(k, "author") ? kAuthor : same_bytes(k, "device") ? kDevice : kOther;
    case 7: return same_bytes(k, "made_at") ? kMadeAt : same_bytes(k, "payload") ? kPayload : kOther;
    default: return kOther;
  }
}

bool is_digit(int c) { return c >= '0' && c <= '9'; }

int hex_digit(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// [SECTION] The scanner
class Scanner {
 public:
  // Scans the whole text. Returns ok, not_json or not_object; on ok, env() and members() hold
  // the envelope and the (last) payload object's fields.
  DecodeError scan(std::string_view text) {
    p_ = text.data();
    e_ = p_ + text.size();
    arena_.clear();
    // Unescaped strings are never longer than their source, so views into the arena stay valid.
    // Only ever grown: libc++'s reserve() below the capacity shrinks (a free and a malloc per op).
    if (arena_.capacity() < text.size()) arena_.reserve(text.size());
    members_.clear();
    elems_.clear();
    for (auto& r : env_) r = Raw{};
    if (p_ < e_ && static_cast<unsigned char>(*p_) == 0xEF) {  // byte order mark
      if (e_ - p_ < 3 || static_cast<unsigned char>(p_[1]) != 0xBB || static_cast<unsigned char>(p_[2]) != 0xBF)
        return DecodeError::not_json;
      p_ += 3;
    }
    ws();
    if (peek() != '{') return skip() && at_end() ? DecodeError::not_object : DecodeError::not_json;
    if (canonical()) return at_end() ? DecodeError::ok : DecodeError::not_json;
    ++p_;
    ws();
    if (peek() == '}') {
      ++p_;
    } else {
      for (;;) {
        std::string_view key;
        if (peek() != '"' || !string<true>(&key)) return DecodeError::not_json;
        ws();
        if (peek() != ':') return DecodeError::not_json;
        ++p_;
        ws();
        Env k = env_key(key);
        bool ok = true;
        if (k == kOther) {
          ok = skip();
        } else if (k == kPayload) {  // a later "payload" replaces an earlier one entirely
          members_.clear();
          elems_.clear();
          env_[kPayload] = Raw{};
          if (peek() == '{') {
            env_[kPayload].type = Raw::object;
            ok = payload_object();
          } else {
            ok = value(&env_[kPayload], false);
          }
        } else {
          ok = value(&env_[k], false);
        }
        if (!ok) return DecodeError::not_json;
        ws();
        if (peek() == ',') {
          ++p_;
          ws();
          continue;
        }
        if (peek() != '}') return DecodeError::not_json;
        ++p_;
        break;
      }
    }
    return at_end() ? DecodeError::ok : DecodeError::not_json;
  }

  // The envelope as encode_op and serve.py write it (compact, keys sorted, each at most once):
  // each key is matched as one literal ("author": ...) instead of being scanned as a string,
  // looked up and followed by whitespace and a colon. The values are scanned as scan() scans them.
  // Anything else (whitespace, other or repeated keys, escapes in keys, bad values) rewinds to the
  // '{' and returns false, and scan() reads the text the general way from there; true means the
  // whole object was read, with the same env_ and members_ scan() would give.
  bool canonical() {
    static constexpr std::string_view kKeys[] = {"\"author\":", "\"device\":", "\"id\":", "\"kind\":",
                                                 "\"made_at\":", "\"payload\":", "\"seq\":"};
    static constexpr Env kEnvs[] = {kAuthor, kDevice, kId, kKind, kMadeAt, kPayload, kSeq};
    const char* start = p_;
    ++p_;
    bool first = true, ok = true;
    for (std::size_t i = 0; ok && i < std::size(kKeys); ++i) {
      const char* q = p_;
      if (!first) {
        if (q == e_ || *q != ',') break;
        ++q;
      }
      const std::string_view key = kKeys[i];
      if (static_cast<std::size_t>(e_ - q) < key.size() || !same_bytes(std::string_view(q, key.size()), key)) continue;
      p_ = q + key.size();
      first = false;
      if (kEnvs[i] == kPayload && peek() == '{') {
        env_[kPayload].type = Raw::object;
        ok = payload_object();
      } else {
        ok = value(&env_[kEnvs[i]], false);
      }
    }
    if (ok && peek() == '}') {  // (a value that failed may have stopped on a '}')
      ++p_;
      return true;
    }
    p_ = start;  // rewind: the general reading starts again from a clean slate
    keep_ = false;
    arena_.clear();
    members_.clear();
    elems_.clear();
    for (auto& r : env_) r = Raw{};
    return false;
  }

  const Raw& env(Env k) const { return env_[k]; }
  // The last field of the payload called name (a later duplicate wins), or null.
  const Raw* member(std::string_view name) const {
    for (std::size_t i = members_.size(); i-- > 0;)
      if (same_bytes(members_[i].key, name)) return &members_[i].value;
    return nullptr;
  }
  const Raw& elem(std::uint32_t i) const { return elems_[i]; }

 private:
  int peek() const { return p_ < e_ ? static_cast<unsigned char>(*p_) : -1; }
  void ws() {
    // Compact JSON has none: one compare ends the common case (every whitespace byte is <= ' ').
    while (p_ < e_ && static_cast<unsigned char>(*p_) <= ' ' &&
           (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t'))
      ++p_;
  }
  // After the top-level value: whitespace, then the end or a NUL byte (where nlohmann stops reading).
  bool at_end() {
    ws();
    return p_ == e_ || *p_ == '\0';
  }

  void put(char c) {
    if (keep_) arena_.push_back(c);
  }
  void put_code_point(std::uint32_t cp) {
    if (cp < 0x80) {
      put(static_cast<char>(cp));
    } else if (cp <= 0x7FF) {
      put(static_cast<char>(0xC0u | (cp >> 6u)));
      put(static_cast<char>(0x80u | (cp & 0x3Fu)));
    } else if (cp <= 0xFFFF) {
      put(static_cast<char>(0xE0u | (cp >> 12u)));
      put(static_cast<char>(0x80u | ((cp >> 6u) & 0x3Fu)));
      put(static_cast<char>(0x80u | (cp & 0x3Fu)));
    } else {
      put(static_cast<char>(0xF0u | (cp >> 18u)));
      put(static_cast<char>(0x80u | ((cp >> 12u) & 0x3Fu)));
      put(static_cast<char>(0x80u | ((cp >> 6u) & 0x3Fu)));
      put(static_cast<char>(0x80u | (cp & 0x3Fu)));
    }
  }

  // One UTF-8 sequence of 2-4 bytes at p_ (RFC 3629, as nlohmann checks it); advances past it.
  bool utf8() {
    auto b = [&](std::ptrdiff_t i) { return static_cast<unsigned char>(p_[i]); };
    auto in = [&](std::ptrdiff_t i, unsigned lo, unsigned hi) { return p_ + i < e_ && b(i) >= lo && b(i) <= hi; };
    unsigned c = b(0);
    int n = 0;
    if (c >= 0xC2 && c <= 0xDF) n = in(1, 0x80, 0xBF) ? 2 : 0;
    else if (c == 0xE0) n = in(1, 0xA0, 0xBF) && in(2, 0x80, 0xBF) ? 3 : 0;
    else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) n = in(1, 0x80, 0xBF) && in(2, 0x80, 0xBF) ? 3 : 0;
    else if (c == 0xED) n = in(1, 0x80, 0x9F) && in(2, 0x80, 0xBF) ? 3 : 0;
    else if (c == 0xF0) n = in(1, 0x90, 0xBF) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF) ? 4 : 0;
    else if (c >= 0xF1 && c <= 0xF3) n = in(1, 0x80, 0xBF) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF) ? 4 : 0;
    else if (c == 0xF4) n = in(1, 0x80, 0x8F) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF) ? 4 : 0;
    if (!n) return false;
    if (keep_) arena_.append(p_, static_cast<std::size_t>(n));
    p_ += n;
    return true;
  }

  bool hex4(std::uint32_t* out) {
    if (e_ - p_ < 4) return false;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      int d = hex_digit(static_cast<unsigned char>(p_[i]));
      if (d < 0) return false;
      v = v * 16 + static_cast<std::uint32_t>(d);
    }
    p_ += 4;
    *out = v;
    return true;
  }

  // The bytes of x (8 bytes of text, little-endian) that are special inside a string: '"', '\\', a
  // control byte (< 0x20) or a non-ASCII byte, as 0x80 in their byte. The usual SWAR zero-byte
  // tests: never a miss, and a false hit only above a true one, so the lowest hit is exact.
  static std::uint64_t special8(std::uint64_t x) {
    constexpr std::uint64_t k1 = 0x0101010101010101ull, k80 = 0x8080808080808080ull;
    auto has_zero = [](std::uint64_t v) { return (v - k1) & ~v & k80; };
    std::uint64_t quote = has_zero(x ^ (k1 * '"')), backslash = has_zero(x ^ (k1 * '\\'));
    std::uint64_t control = (x - k1 * 0x20) & ~x & k80;
    return quote | backslash | control | (x & k80);
  }

  // A string at p_ (on its opening quote). Keep: *out is its unescaped text, a view into the input
  // when it has no escapes, else into the arena. Plain ASCII is skipped 8 bytes at a time, straight
  // to the first byte that needs a look.
  template <bool Keep>
  bool string(std::string_view* out) {
    const char* s = ++p_;
    while (p_ < e_) {
      if (e_ - p_ >= 8) {
        std::uint64_t x = 0;
        std::memcpy(&x, p_, 8);
        std::uint64_t hits = special8(x);
        if (!hits) {
          p_ += 8;
          continue;
        }
        if constexpr (std::endian::native == std::endian::little) p_ += std::countr_zero(hits) / 8;
      }
      auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        if (Keep) *out = std::string_view(s, static_cast<std::size_t>(p_ - s));
        ++p_;
        return true;
      }
      if (c == '\\') return escaped<Keep>(s, out);
      if (c < 0x20) return false;
      if (c < 0x80) {
        ++p_;
      } else {
        keep_ = false;
        if (!utf8()) return false;
      }
    }
    return false;
  }

  // The rest of a string from its first backslash; s is where the string's text began.
  template <bool Keep>
  bool escaped(const char* s, std::string_view* out) {
    keep_ = Keep;
    std::size_t start = arena_.size();
    if (Keep) arena_.append(s, static_cast<std::size_t>(p_ - s));
    while (p_ < e_) {
      auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        if (Keep) *out = std::string_view(arena_.data() + start, arena_.size() - start);
        keep_ = false;
        return true;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        if (!utf8()) return false;
        continue;
      }
      ++p_;
      if (c != '\\') {
        put(static_cast<char>(c));
        continue;
      }
      if (p_ == e_) return false;
      switch (*p_++) {
        case '"': put('"'); break;
        case '\\': put('\\'); break;
        case '/': put('/'); break;
        case 'b': put('\b'); break;
        case 'f': put('\f'); break;
        case 'n': put('\n'); break;
        case 'r': put('\r'); break;
        case 't': put('\t'); break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(&cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t lo = 0;
            if (e_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
            p_ += 2;
            if (!hex4(&lo) || lo < 0xDC00 || lo > 0xDFFF) return false;
            cp = (cp << 10u) + lo - 0x35FDC00u;
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return false;
          }
          put_code_point(cp);
          break;
        }
        default: return false;
      }
    }
    return false;
  }

  // A number at p_, by nlohmann's grammar and its integer/float split.
  bool number(Raw* r) {
    const char* s = p_;
    bool neg = *p_ == '-';
    if (neg) ++p_;
    if (p_ == e_) return false;
    std::uint64_t acc = 0;  // the digits' value, read in the same pass (exact up to 19 digits)
    if (*p_ == '0') {
      ++p_;
    } else if (*p_ >= '1' && *p_ <= '9') {
      while (p_ < e_ && is_digit(*p_)) acc = acc * 10 + static_cast<std::uint64_t>(*p_++ - '0');
    } else {
      return false;
    }
    bool is_float = false;
    if (p_ < e_ && *p_ == '.') {
      ++p_;
      if (p_ == e_ || !is_digit(*p_)) return false;
      while (p_ < e_ && is_digit(*p_)) ++p_;
      is_float = true;
    }
    if (p_ < e_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < e_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == e_ || !is_digit(*p_)) return false;
      while (p_ < e_ && is_digit(*p_)) ++p_;
      is_float = true;
    }
    if (!is_float) {
      std::uint64_t v = 0;
      bool over = false;
      const char* q = s + neg;
      if (p_ - q <= 19) {  // at most 19 digits: below 10^19 < 2^64, no overflow check needed
        v = acc;
      } else {
        for (; q < p_ && !over; ++q) {
          auto d = static_cast<std::uint64_t>(*q - '0');
          if (v > (UINT64_MAX - d) / 10) over = true;
          else v = v * 10 + d;
        }
      }
      constexpr auto kMax = static_cast<std::uint64_t>(INT64_MAX);
      if (!over && !neg) {  // strtoull succeeds: an unsigned integer
        r->type = Raw::integer;
        r->fits = v <= kMax;
        r->num = r->fits ? static_cast<std::int64_t>(v) : 0;
        return true;
      }
      if (!over && v <= kMax + 1) {  // strtoll succeeds
        r->type = Raw::integer;
        r->fits = true;
        r->num = v == kMax + 1 ? INT64_MIN : -static_cast<std::int64_t>(v);
        return true;
      }
    }
    r->type = Raw::number;
    return finite(s, p_);
  }

  // nlohmann reads a float with strtod (after putting the locale's decimal point in place of '.')
  // and refuses it when it is not finite. Floats are never valid in ops; this only decides whether
  // the text is JSON at all.
  static bool finite(const char* s, const char* e) {
    std::string t(s, e);
    const char* dp = std::localeconv()->decimal_point;
    char point = dp && *dp ? *dp : '.';
    for (auto& c : t)
      if (c == '.') c = point;
    return std::isfinite(std::strtod(t.c_str(), nullptr));
  }

  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(e_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size()) != 0)
      return false;
    p_ += word.size();
    return true;
  }

  // A scalar or a container at p_ into *r. At the payload level (elements = true) an array's
  // elements are scanned into elems_; other containers are checked and skipped.
  bool value(Raw* r, bool elements) {
    *r = Raw{};
    switch (peek()) {
      case '"': r->type = Raw::string; return string<true>(&r->text);
      case 't': r->type = Raw::boolean; r->num = 1; return literal("true");
      case 'f': r->type = Raw::boolean; return literal("false");
      case 'n': r->type = Raw::null; return literal("null");
      case '{': r->type = Raw::object; return skip();
      case '[':
        r->type = Raw::array;
        return elements ? array(r) : skip();
      case '-': case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8':
      case '9':
        return number(r);
      default: return false;
    }
  }

  bool array(Raw* r) {
    ++p_;
    ws();
    r->first = static_cast<std::uint32_t>(elems_.size());
    if (peek() == ']') {
      ++p_;
      return true;
    }
    for (;;) {
      Raw e;
      if (!value(&e, false)) return false;
      elems_.push_back(e);
      ++r->count;
      ws();
      if (peek() == ',') {
        ++p_;
        ws();
        continue;
      }
      if (peek() != ']') return false;
      ++p_;
      return true;
    }
  }

  bool payload_object() {
    ++p_;
    ws();
    if (peek() == '}') {
      ++p_;
      return true;
    }
    for (;;) {
      Member m;
      if (peek() != '"' || !string<true>(&m.key)) return false;
      ws();
      if (peek() != ':') return false;
      ++p_;
      ws();
      if (!value(&m.value, true)) return false;
      members_.push_back(m);
      ws();
      if (peek() == ',') {
        ++p_;
        ws();
        continue;
      }
      if (peek() != '}') return false;
      ++p_;
      return true;
    }
  }

  // Checks one value of any shape and depth at p_ and steps over it. Iterative (an explicit stack
  // of closing brackets), so deep nesting cannot overflow the call stack.
  bool skip() {
    stack_.clear();
    for (;;) {
      // A value starts here.
      bool closed = false;
      switch (peek()) {
        case '{':
          ++p_;
          ws();
          if (peek() == '}') {
            ++p_;
            closed = true;
          } else {
            stack_.push_back('}');
            if (!key()) return false;
          }
          break;
        case '[':
          ++p_;
          ws();
          if (peek() == ']') {
            ++p_;
            closed = true;
          } else {
            stack_.push_back(']');
          }
          break;
        default: {
          if (!scalar()) return false;
          closed = true;
        }
      }
      if (!closed) continue;
      // After a value: close containers until one continues with a comma.
      for (;;) {
        if (stack_.empty()) return true;
        ws();
        int c = peek();
        if (c == ',') {
          ++p_;
          ws();
          if (stack_.back() == '}' && !key()) return false;
          break;
        }
        if (c != stack_.back()) return false;
        ++p_;
        stack_.pop_back();
      }
    }
  }
  // "key" : (then whitespace), inside skip().
  bool key() {
    if (peek() != '"' || !string<false>(nullptr)) return false;
    ws();
    if (peek() != ':') return false;
    ++p_;
    ws();
    return true;
  }
  bool scalar() {
    Raw r;
    switch (peek()) {
      case '"': return string<false>(nullptr);
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      case '-': case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8':
      case '9':
        return number(&r);
      default: return false;
    }
  }

  const char* p_ = nullptr;
  const char* e_ = nullptr;
  bool keep_ = false;        // copy what escaped() reads into the arena
  std::string arena_;        // unescaped strings
  Raw env_[kEnvCount];
  std::vector<Member> members_;
  std::vector<Raw> elems_;
  std::vector<char> stack_;  // skip(): closing brackets still expected
};

// [SECTION] Checking the payload against its KindSpec

bool get_int(const Raw& r, std::int64_t* out) {
  if (r.type != Raw::integer || !r.fits) return false;
  *out = r.num;
  return true;
}
bool in_range(const FieldSpec& f, std::int64_t x) { return x >= f.min && x <= f.max; }

// The same checks, in the same order, with the same messages as validate_payload in op.cpp.
std::string check_payload(const KindSpec& spec, const Scanner& sc, Payload* out) {
  auto& fields = out->fields;
  std::size_t n = 0;
  // The next field of *out, reset to type f.type. Its name and (keep_text) its text are compared
  // before they are copied: decoding a stream of ops into one Op, they are often the same as the
  // previous op's, and a string assign is a chain of library calls in wasm.
  auto next = [&](const FieldSpec& f, bool keep_text = false) -> Value& {
    if (n == fields.size()) fields.emplace_back();
    Field& fd = fields[n++];
    assign_bytes(fd.name, f.name);
    Value& v = fd.value;
    v.type = f.type;
    v.num = 0;
    if (!keep_text) v.text.clear();
    v.list.clear();
    v.nums.clear();
    return v;
  };
  auto fail = [&](const FieldSpec& f, const char* what) {
    fields.clear();
    return f.name + what;
  };
  auto string_ok = [](const FieldSpec& f, const Raw& r) -> const char* {
    if (r.type != Raw::string) return ": type";
    if (f.type == FieldType::id && !is_valid_id(r.text)) return ": not an id";
    if (f.type == FieldType::string && utf8_length(r.text) > f.max_len) return ": too long";
    if (f.type == FieldType::enumeration && std::find(f.values.begin(), f.values.end(), r.text) == f.values.end())
      return ": value";
    return nullptr;
  };
  for (const auto& f : spec.fields) {
    const Raw* r = sc.member(f.name);
    if (!r || r->type == Raw::null) {
      if (f.required) return fail(f, ": missing");
      if (f.has_default) next(f).num = f.default_value;
      continue;
    }
    switch (f.type) {
      case FieldType::id:
      case FieldType::string:
      case FieldType::enumeration: {
        if (const char* why = string_ok(f, *r)) return fail(f, why);
        assign_bytes(next(f, true).text, r->text);
        break;
      }
      case FieldType::integer: {
        std::int64_t x = 0;
        if (!get_int(*r, &x)) return fail(f, ": type");
        if (!in_range(f, x)) return fail(f, ": range");
        next(f).num = x;
        break;
      }
      case FieldType::boolean:
        if (r->type != Raw::boolean) return fail(f, ": type");
        next(f).num = r->num;
        break;
      case FieldType::ids:
      case FieldType::strings:
      case FieldType::ints: {
        if (r->type != Raw::array) return fail(f, ": type");
        if (r->count > f.max_items) return fail(f, ": too many");
        for (std::uint32_t i = 0; i < r->count; ++i) {
          const Raw& e = sc.elem(r->first + i);
          if (f.type == FieldType::ints) {
            std::int64_t x = 0;
            if (!get_int(e, &x)) return fail(f, ": type");
            if (!in_range(f, x)) return fail(f, ": range");
          } else {
            if (e.type != Raw::string) return fail(f, ": type");
            if (f.type == FieldType::ids && !is_valid_id(e.text)) return fail(f, ": not an id");
            if (f.type == FieldType::strings && utf8_length(e.text) > f.max_len) return fail(f, ": too long");
          }
        }
        Value& v = next(f);
        if (f.type == FieldType::ints) {
          v.nums.resize(r->count);
          for (std::uint32_t i = 0; i < r->count; ++i) v.nums[i] = sc.elem(r->first + i).num;
        } else {
          v.list.resize(r->count);
          for (std::uint32_t i = 0; i < r->count; ++i) assign_bytes(v.list[i], sc.elem(r->first + i).text);
        }
        break;
      }
    }
  }
  fields.resize(n);
  return {};
}

}  // namespace

// [SECTION] decode_op
DecodeError decode_op(const Schema& schema, std::string_view text, Op* out) {
  static thread_local Scanner sc;
  if (auto e = sc.scan(text); e != DecodeError::ok) return e;
  // The envelope, checked in decode_op_json's order.
  const Raw& id = sc.env(kId);
  if (id.type != Raw::string || !is_op_id(id.text)) return DecodeError::bad_id;
  out->id.assign(id.text);
  const Raw& kind = sc.env(kKind);
  if (kind.type != Raw::string || kind.text.empty() || kind.text.size() > 64) return DecodeError::bad_kind;
  out->kind = kind_from_name(kind.text);
  out->unknown_kind.clear();
  if (out->kind == Kind::unknown) out->unknown_kind.assign(kind.text);
  const Raw& author = sc.env(kAuthor);
  if (author.type != Raw::string || !is_valid_id(author.text)) return DecodeError::bad_author;
  assign_bytes(out->author, author.text);
  const Raw& device = sc.env(kDevice);
  if (device.type != Raw::absent) {
    if (device.type != Raw::string || !(device.text.empty() || is_valid_id(device.text)))
      return DecodeError::bad_device;
    assign_bytes(out->device, device.text);
  } else {
    out->device.clear();
  }
  if (!get_int(sc.env(kMadeAt), &out->made_at) || out->made_at < 0) return DecodeError::bad_made_at;
  out->seq = 0;
  const Raw& seq = sc.env(kSeq);
  if (seq.type != Raw::absent && seq.type != Raw::null) {
    if (!get_int(seq, &out->seq) || out->seq <= 0) return DecodeError::bad_seq;
  }
  if (sc.env(kPayload).type != Raw::object) return DecodeError::bad_payload;
  out->invalid.clear();
  if (out->kind == Kind::unknown) {
    out->payload.fields.clear();
    return DecodeError::ok;
  }
  const KindSpec* spec = schema.find(out->kind);
  if (!spec) {
    out->payload.fields.clear();
    out->invalid = "kind: not in schema";
  } else {
    out->invalid = check_payload(*spec, sc, &out->payload);
  }
  return DecodeError::ok;
}

}  // namespace sihui::core
