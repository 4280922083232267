#include "core/snapshot.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <tuple>
#include <type_traits>

#include <nlohmann/json.hpp>

namespace sihui::core {

namespace {
using json = nlohmann::json;

template <class T, class = void>
struct has_fields : std::false_type {};
template <class T>
struct has_fields<T, std::void_t<decltype(std::declval<T&>().fields(std::declval<int&>()))>> : std::true_type {};

// [SECTION] Writing
json to_j(const std::string& s) { return s; }
json to_j(std::int64_t v) { return v; }
json to_j(bool v) { return v; }
template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
json to_j(E e) { return std::string(enum_name(e)); }
template <class T>
json to_j(const std::vector<T>& v);
template <class T>
json to_j(const std::set<T>& v);
template <class K, class T, class C>
json to_j(const std::map<K, T, C>& m);
template <class T>
json to_j(const IdMap<T>& m) {
  return to_j(m.map());
}
template <class T>
json to_j(const SmallIdMap<T>& m);
template <class T, std::enable_if_t<std::is_class_v<T>, int> = 0>
json to_j(const T& x);

template <class T>
json to_j(const std::vector<T>& v) {
  json a = json::array();
  for (const auto& e : v) a.push_back(to_j(e));
  return a;
}
template <class T>
json to_j(const std::set<T>& v) {
  json a = json::array();
  for (const auto& e : v) a.push_back(to_j(e));
  return a;
}
template <class K, class T, class C>
json to_j(const std::map<K, T, C>& m) {
  if constexpr (std::is_same_v<K, std::string>) {
    json o = json::object();
    for (const auto& [k, v] : m) o[k] = to_j(v);
    return o;
  } else {  // integer keys: an array of [key, value] pairs, in key order
    json a = json::array();
    for (const auto& [k, v] : m) a.push_back(json::array({to_j(k), to_j(v)}));
    return a;
  }
}
template <class T>
json to_j(const SmallIdMap<T>& m) {
  json o = json::object();
  for (const auto& [k, v] : m) o[k] = to_j(v);
  return o;
}
struct Writer {
  json* o;
  template <class T>
  void operator()(const char* name, const T& v) { (*o)[name] = to_j(v); }
};
template <class T, std::enable_if_t<std::is_class_v<T>, int>>
json to_j(const T& x) {
  json o = json::object();
  Writer w{&o};
  const_cast<T&>(x).fields(w);  // fields() only reads through the Writer
  return o;
}

// [SECTION] Reading (every mismatch returns false; nothing throws)
bool from_j(const json& j, std::string& s) {
  if (!j.is_string()) return false;
  s = j.get<std::string>();
  return true;
}
bool from_j(const json& j, std::int64_t& v) {
  if (!j.is_number_integer()) return false;
  if (j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) return false;
  v = j.get<std::int64_t>();
  return true;
}
bool from_j(const json& j, bool& v) {
  if (!j.is_boolean()) return false;
  v = j.get<bool>();
  return true;
}
template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
bool from_j(const json& j, E& e) {
  return j.is_string() && enum_from_name(j.get_ref<const std::string&>(), &e);
}
template <class T>
bool from_j(const json& j, std::vector<T>& v);
template <class T>
bool from_j(const json& j, std::set<T>& v);
template <class K, class T, class C>
bool from_j(const json& j, std::map<K, T, C>& m);
template <class T>
bool from_j(const json& j, IdMap<T>& m) {
  typename IdMap<T>::map_type x;
  if (!from_j(j, x)) return false;
  m = IdMap<T>(std::move(x));
  return true;
}
template <class T>
bool from_j(const json& j, SmallIdMap<T>& m);
template <class T, std::enable_if_t<std::is_class_v<T>, int> = 0>
bool from_j(const json& j, T& x);

template <class T>
bool from_j(const json& j, std::vector<T>& v) {
  if (!j.is_array()) return false;
  v.clear();
  v.reserve(j.size());
  for (const auto& e : j) {
    T x{};
    if (!from_j(e, x)) return false;
    v.push_back(std::move(x));
  }
  return true;
}
template <class T>
bool from_j(const json& j, std::set<T>& v) {
  if (!j.is_array()) return false;
  v.clear();
  for (const auto& e : j) {
    T x{};
    if (!from_j(e, x)) return false;
    v.insert(std::move(x));
  }
  return true;
}
template <class K, class T, class C>
bool from_j(const json& j, std::map<K, T, C>& m) {
  m.clear();
  if constexpr (std::is_same_v<K, std::string>) {
    if (!j.is_object()) return false;
    for (auto it = j.begin(); it != j.end(); ++it) {
      T x{};
      if (!from_j(it.value(), x)) return false;
      m.emplace(it.key(), std::move(x));
    }
  } else {
    if (!j.is_array()) return false;
    for (const auto& e : j) {
      K k{};
      T x{};
      if (!e.is_array() || e.size() != 2 || !from_j(e[0], k) || !from_j(e[1], x)) return false;
      m.emplace(std::move(k), std::move(x));
    }
  }
  return true;
}
template <class T>
bool from_j(const json& j, SmallIdMap<T>& m) {
  m.clear();
  if (!j.is_object()) return false;
  for (auto it = j.begin(); it != j.end(); ++it) {
    T x{};
    if (!from_j(it.value(), x)) return false;
    m.emplace(it.key(), std::move(x));
  }
  return true;
}
struct Reader {
  const json* o;
  bool ok = true;
  std::string* where;
  template <class T>
  void operator()(const char* name, T& v) {
    if (!ok) return;
    auto it = o->find(name);
    if (it == o->end()) return;  // absent: keep the default (older snapshots lack newer fields)
    if (!from_j(*it, v)) {
      ok = false;
      *where = name;
    }
  }
};
thread_local std::string g_where;
template <class T, std::enable_if_t<std::is_class_v<T>, int>>
bool from_j(const json& j, T& x) {
  if (!j.is_object()) return false;
  Reader r{&j, true, &g_where};
  x.fields(r);
  return r.ok;
}
// [SECTION] The one-pass reader
// Reads the JSON that write_snapshot produces straight into the State, without a DOM: one scan,
// each value parsed into its field as it is met. It is deliberately narrower than JSON: keys of
// maps and sets' elements must come in strictly ascending order (as written; it lets each insert
// go at the end), a struct's key must be one of its fields and appear once, numbers in int fields
// must be plain integers of at most 18 digits, and there is no byte order mark. Anything else makes
// it give up (return false) and read_snapshot falls back to the reference reader, so accepting
// and refusing stay exactly the reference's; what it accepts must give the same State (the fuzz
// target and tests/core/snapshot_read_test.cpp compare them).
namespace fast {

// Small helpers are inlined even where the build optimises for size (the web app is -Os): they run
// once per byte or per key, and a call each costs more than their bodies.
#define SIHUI_HOT __attribute__((always_inline)) inline

// Field names of a struct in fields() order, and the same indices in name order: the order
// write_snapshot's keys come in, so the next key is almost always the next name in that order.
// Not a template, so each struct adds only the few lines that collect its names.
struct FieldNames {
  std::vector<std::string_view> names;
  std::vector<int> sorted;
  void finish() {
    for (std::size_t i = 0; i < names.size(); ++i) sorted.push_back(static_cast<int>(i));
    std::sort(sorted.begin(), sorted.end(),
              [&](int a, int b) { return names[static_cast<std::size_t>(a)] < names[static_cast<std::size_t>(b)]; });
  }
  // Index of key, or -1. *cursor is the position in name order where the next key is expected.
  int find(std::string_view key, std::size_t* cursor) const {
    std::size_t n = sorted.size();
    for (std::size_t k = 0; k < n; ++k) {
      std::size_t at = *cursor + k < n ? *cursor + k : *cursor + k - n;
      int i = sorted[at];
      if (names[static_cast<std::size_t>(i)] == key) {
        *cursor = at + 1;
        return i;
      }
    }
    return -1;
  }
};
struct CollectNames {
  std::vector<std::string_view>* n;
  template <class V>
  void operator()(const char* name, V&) { n->emplace_back(name); }
};
template <class T>
const FieldNames& field_names() {
  static const FieldNames table = [] {
    FieldNames t;
    T x{};
    CollectNames c{&t.names};
    x.fields(c);
    t.finish();
    return t;
  }();
  return table;
}

class Reader {
 public:
  explicit Reader(std::string_view text) : p_(text.data()), e_(text.data() + text.size()) {}

  bool document(State& s) {
    if (!lit('{')) return false;
    bool have_format = false, have_state = false;
    if (!lit('}')) {
      do {
        std::string_view k;
        if (!key(&k)) return false;
        if (k == "format" && !have_format) {
          std::int64_t f = 0;
          if (!read(f) || f != kSnapshotFormat) return false;
          have_format = true;
        } else if (k == "state" && !have_state) {
          if (!read(s)) return false;
          have_state = true;
        } else {
          return false;
        }
      } while (lit(','));
      if (!lit('}')) return false;
    }
    ws();
    return have_format && have_state && p_ == e_;
  }

 private:
  const char* p_;
  const char* e_;
  std::string esc_;  // a string with escapes, unescaped

  SIHUI_HOT void ws() {
    while (p_ < e_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  SIHUI_HOT bool lit(char c) {
    ws();
    if (p_ < e_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool word(std::string_view w) {
    if (static_cast<std::size_t>(e_ - p_) < w.size() || std::memcmp(p_, w.data(), w.size()) != 0) return false;
    p_ += w.size();
    return true;
  }

  // Bytes of x (8 bytes, little-endian) that need a look inside a string: '"', '\\', control,
  // non-ASCII; flagged as 0x80 in their byte (the lowest flag is exact).
  static std::uint64_t special8(std::uint64_t x) {
    constexpr std::uint64_t k1 = 0x0101010101010101ull, k80 = 0x8080808080808080ull;
    auto has_zero = [](std::uint64_t v) { return (v - k1) & ~v & k80; };
    std::uint64_t quote = has_zero(x ^ (k1 * '"')), backslash = has_zero(x ^ (k1 * '\\'));
    std::uint64_t control = (x - k1 * 0x20) & ~x & k80;
    return quote | backslash | control | (x & k80);
  }
  // One UTF-8 sequence of 2-4 bytes at p_ (RFC 3629, strict as nlohmann is); advances past it.
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
    p_ += n;
    return n != 0;
  }
  bool hex4(std::uint32_t* out) {
    if (e_ - p_ < 4) return false;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      int c = static_cast<unsigned char>(p_[i]), d = -1;
      if (c >= '0' && c <= '9') d = c - '0';
      else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
      if (d < 0) return false;
      v = v * 16 + static_cast<std::uint32_t>(d);
    }
    p_ += 4;
    *out = v;
    return true;
  }
  void put_code_point(std::uint32_t cp) {
    if (cp < 0x80) {
      esc_ += static_cast<char>(cp);
    } else if (cp <= 0x7FF) {
      esc_ += static_cast<char>(0xC0u | (cp >> 6u));
      esc_ += static_cast<char>(0x80u | (cp & 0x3Fu));
    } else if (cp <= 0xFFFF) {
      esc_ += static_cast<char>(0xE0u | (cp >> 12u));
      esc_ += static_cast<char>(0x80u | ((cp >> 6u) & 0x3Fu));
      esc_ += static_cast<char>(0x80u | (cp & 0x3Fu));
    } else {
      esc_ += static_cast<char>(0xF0u | (cp >> 18u));
      esc_ += static_cast<char>(0x80u | ((cp >> 12u) & 0x3Fu));
      esc_ += static_cast<char>(0x80u | ((cp >> 6u) & 0x3Fu));
      esc_ += static_cast<char>(0x80u | (cp & 0x3Fu));
    }
  }
  // A string at p_ (after whitespace): *out views its unescaped text, in the input when it has no
  // escapes, else in esc_ (valid until the next string). ASCII is skipped 8 bytes at a time.
  bool string(std::string_view* out) {
    ws();
    if (p_ == e_ || *p_ != '"') return false;
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
        *out = std::string_view(s, static_cast<std::size_t>(p_ - s));
        ++p_;
        return true;
      }
      if (c == '\\') return escaped(s, out);
      if (c < 0x20) return false;
      if (c < 0x80) ++p_;
      else if (!utf8()) return false;
    }
    return false;
  }
  bool escaped(const char* s, std::string_view* out) {
    esc_.assign(s, static_cast<std::size_t>(p_ - s));
    while (p_ < e_) {
      auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        *out = esc_;
        return true;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        const char* a = p_;
        if (!utf8()) return false;
        esc_.append(a, static_cast<std::size_t>(p_ - a));
        continue;
      }
      ++p_;
      if (c != '\\') {
        esc_ += static_cast<char>(c);
        continue;
      }
      if (p_ == e_) return false;
      switch (*p_++) {
        case '"': esc_ += '"'; break;
        case '\\': esc_ += '\\'; break;
        case '/': esc_ += '/'; break;
        case 'b': esc_ += '\b'; break;
        case 'f': esc_ += '\f'; break;
        case 'n': esc_ += '\n'; break;
        case 'r': esc_ += '\r'; break;
        case 't': esc_ += '\t'; break;
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
  // An object key and its colon.
  bool key(std::string_view* k) { return string(k) && lit(':'); }

  // [SECTION] Values into fields
  bool read(std::string& v) {
    std::string_view t;
    if (!string(&t)) return false;
    v.assign(t.data(), t.size());
    return true;
  }
  bool read(std::int64_t& v) {
    ws();
    bool neg = p_ < e_ && *p_ == '-';
    if (neg) ++p_;
    const char* s = p_;
    std::uint64_t n = 0;
    while (p_ < e_ && *p_ >= '0' && *p_ <= '9') n = n * 10 + static_cast<std::uint64_t>(*p_++ - '0');
    std::ptrdiff_t digits = p_ - s;
    // At most 18 digits (no overflow), no leading zero; a fraction or exponent is not an integer.
    if (digits == 0 || digits > 18 || (digits > 1 && *s == '0')) return false;
    if (p_ < e_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;
    v = neg ? -static_cast<std::int64_t>(n) : static_cast<std::int64_t>(n);
    return true;
  }
  bool read(bool& v) {
    ws();
    if (word("true")) v = true;
    else if (word("false")) v = false;
    else return false;
    return true;
  }
  template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
  bool read(E& e) {
    std::string_view t;
    return string(&t) && enum_from_name(t, &e);
  }
  template <class T>
  bool read(std::vector<T>& v) {
    if (!lit('[')) return false;
    v.clear();
    if (lit(']')) return true;
    do {
      if (!read(v.emplace_back())) return false;
    } while (lit(','));
    return lit(']');
  }
  template <class T>
  bool read(std::set<T>& v) {
    if (!lit('[')) return false;
    v.clear();
    if (lit(']')) return true;
    do {
      T x{};
      if (!read(x) || (!v.empty() && !(*v.rbegin() < x))) return false;  // ascending, no duplicates
      v.emplace_hint(v.end(), std::move(x));
    } while (lit(','));
    return lit(']');
  }
  template <class K, class T, class C>
  bool read(std::map<K, T, C>& m) {
    m.clear();
    if constexpr (std::is_same_v<K, std::string>) {
      if (!lit('{')) return false;
      if (lit('}')) return true;
      do {
        std::string_view k;
        if (!key(&k) || (!m.empty() && !(m.rbegin()->first < k))) return false;
        auto it = m.emplace_hint(m.end(), std::piecewise_construct, std::forward_as_tuple(k), std::forward_as_tuple());
        if (!read(it->second)) return false;
      } while (lit(','));
      return lit('}');
    } else {  // integer keys: [[key, value], ...]
      if (!lit('[')) return false;
      if (lit(']')) return true;
      do {
        K k{};
        if (!lit('[') || !read(k) || !lit(',') || (!m.empty() && !(m.rbegin()->first < k))) return false;
        auto it = m.emplace_hint(m.end(), std::piecewise_construct, std::forward_as_tuple(k), std::forward_as_tuple());
        if (!read(it->second) || !lit(']')) return false;
      } while (lit(','));
      return lit(']');
    }
  }
  template <class T>
  bool read(SmallIdMap<T>& m) {
    m.clear();
    if (!lit('{')) return false;
    if (lit('}')) return true;
    do {
      std::string_view k;
      if (!key(&k) || (!m.empty() && !(m.rbegin()->first < k))) return false;  // ascending, no duplicates
      auto it = m.emplace_hint(m.end(), k);
      if (!read(it->second)) return false;
    } while (lit(','));
    return lit('}');
  }
  template <class T>
  bool read(IdMap<T>& m) {
    typename IdMap<T>::map_type x;
    if (!read(x)) return false;
    m = IdMap<T>(std::move(x));
    return true;
  }
  // Parses the value into the field of x whose index is want.
  struct Pick {
    Reader* r;
    int want, i = 0;
    bool ok = false;
    template <class V>
    SIHUI_HOT void operator()(const char*, V& v) {
      if (i++ == want) ok = r->read(v);
    }
  };
  template <class T, std::enable_if_t<std::is_class_v<T>, int> = 0>
  bool read(T& x) {
    const FieldNames& table = field_names<T>();
    if (!lit('{')) return false;
    if (lit('}')) return true;
    std::uint64_t seen = 0;
    std::size_t cursor = 0;
    do {
      std::string_view k;
      if (!key(&k)) return false;
      int f = table.find(k, &cursor);
      if (f < 0 || f >= 64 || (seen >> f & 1u)) return false;  // unknown or repeated: the reference decides
      seen |= std::uint64_t{1} << f;
      Pick pick{this, f};
      x.fields(pick);
      if (!pick.ok) return false;
    } while (lit(','));
    return lit('}');
  }
};

}  // namespace fast
}  // namespace

std::string write_snapshot(const State& s) {
  json doc = json::object();
  doc["format"] = kSnapshotFormat;
  doc["state"] = to_j(s);
  return doc.dump();
}

namespace {
// After either reader: ids consistent with their keys, derived fields rebuilt.
bool finish(State& s, std::string* error) {
  // Keys of entity maps must equal the ids inside them, or lookups and output would disagree.
  bool consistent = true;
  auto check = [&](const auto& m) {
    for (const auto& [k, v] : m) consistent = consistent && k == v.id;
  };
  check(s.compounds); check(s.buildings); check(s.units); check(s.grids); check(s.households);
  check(s.persons); check(s.reports); check(s.events); check(s.clubs); check(s.courses);
  check(s.sessions); check(s.sittings); check(s.services); check(s.requests); check(s.cases);
  check(s.channels);
  if (!consistent) {
    *error = "snapshot has an entity filed under another id";
    return false;
  }
  rebuild_derived(s);
  return true;
}
}  // namespace

bool read_snapshot_reference(std::string_view bytes, State* out, std::string* error) {
  std::string scratch;
  if (!error) error = &scratch;
  auto doc = json::parse(bytes.begin(), bytes.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    *error = "snapshot is not a JSON object";
    return false;
  }
  auto f = doc.find("format");
  if (f == doc.end() || !f->is_number_integer()) {
    *error = "snapshot has no format";
    return false;
  }
  if (f->get<std::int64_t>() != kSnapshotFormat) {
    *error = "snapshot format " + std::to_string(f->get<std::int64_t>()) + " is not supported by this build";
    return false;
  }
  auto st = doc.find("state");
  State s;
  g_where.clear();
  if (st == doc.end() || !from_j(*st, s)) {
    *error = "snapshot field '" + g_where + "' is malformed";
    return false;
  }
  if (!finish(s, error)) return false;
  *out = std::move(s);
  return true;
}

bool read_snapshot_fast(std::string_view bytes, State* out) {
  State s;
  if (!fast::Reader(bytes).document(s)) return false;
  std::string error;
  if (!finish(s, &error)) return false;
  *out = std::move(s);
  return true;
}

bool read_snapshot(std::string_view bytes, State* out, std::string* error) {
  // The one-pass reader takes every snapshot this build writes; anything it does not take (damage,
  // or JSON written another way) goes to the reference reader, which accepts or explains.
  if (read_snapshot_fast(bytes, out)) return true;
  return read_snapshot_reference(bytes, out, error);
}

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

std::uint64_t state_hash(const State& s) { return fnv1a64(write_snapshot(s)); }

std::string hash_hex(std::uint64_t h) {
  static const char* d = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) s[static_cast<std::size_t>(i)] = d[h & 15];
  return s;
}

}  // namespace sihui::core
