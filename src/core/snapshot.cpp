#include "core/snapshot.h"

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
template <class K, class T>
json to_j(const std::map<K, T>& m);
template <class T>
json to_j(const IdMap<T>& m) {
  return to_j(m.map());
}
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
template <class K, class T>
json to_j(const std::map<K, T>& m) {
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
template <class K, class T>
bool from_j(const json& j, std::map<K, T>& m);
template <class T>
bool from_j(const json& j, IdMap<T>& m) {
  typename IdMap<T>::map_type x;
  if (!from_j(j, x)) return false;
  m = IdMap<T>(std::move(x));
  return true;
}
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
template <class K, class T>
bool from_j(const json& j, std::map<K, T>& m) {
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
}  // namespace

std::string write_snapshot(const State& s) {
  json doc = json::object();
  doc["format"] = kSnapshotFormat;
  doc["state"] = to_j(s);
  return doc.dump();
}

bool read_snapshot(std::string_view bytes, State* out, std::string* error) {
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
  // Keys of entity maps must equal the ids inside them, or lookups and output would disagree.
  bool consistent = true;
  auto check = [&](const auto& m) {
    for (const auto& [k, v] : m) consistent = consistent && k == v.id;
  };
  check(s.compounds); check(s.buildings); check(s.units); check(s.grids); check(s.households);
  check(s.persons); check(s.reports); check(s.events); check(s.clubs); check(s.courses);
  check(s.sessions); check(s.sittings); check(s.services); check(s.requests); check(s.cases);
  if (!consistent) {
    *error = "snapshot has an entity filed under another id";
    return false;
  }
  rebuild_derived(s);
  *out = std::move(s);
  return true;
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
