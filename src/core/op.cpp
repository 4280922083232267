#include "core/op.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "core/bytes.h"

namespace sihui::core {

namespace {
constexpr std::array kKindNames = {
#define SIHUI_X(e, s) std::string_view(s),
    SIHUI_OP_KINDS(SIHUI_X)
#undef SIHUI_X
};

// The kinds by name: an open-addressing table (128 slots for ~55 names), because every decoded op
// looks its kind up; a sorted list and binary search cost half a dozen memcmp calls.
struct KindIndex {
  static constexpr std::size_t kSlots = 128;
  std::uint16_t slot[kSlots];  // kind + 1; 0 = empty
  static constexpr std::size_t home(std::string_view s) { return hash_bytes(s) & (kSlots - 1); }
  constexpr KindIndex() : slot{} {
    static_assert(kKindNames.size() * 2 <= kSlots);
    for (std::size_t i = 0; i < kKindNames.size(); ++i) {
      std::size_t j = home(kKindNames[i]);
      while (slot[j]) j = (j + 1) & (kSlots - 1);
      slot[j] = static_cast<std::uint16_t>(i + 1);
    }
  }
  Kind find(std::string_view name) const {
    for (std::size_t j = home(name); slot[j]; j = (j + 1) & (kSlots - 1))
      if (same_bytes(kKindNames[slot[j] - 1u], name)) return static_cast<Kind>(slot[j] - 1u);
    return Kind::unknown;
  }
};
constexpr KindIndex kKindIndex;  // built at compile time

const std::string kEmpty;
const std::vector<std::string> kEmptyList;
const std::vector<std::int64_t> kEmptyNums;
}  // namespace

std::string_view kind_name(Kind k) {
  auto i = static_cast<std::size_t>(k);
  return i < kKindNames.size() ? kKindNames[i] : std::string_view();
}

Kind kind_from_name(std::string_view name) { return kKindIndex.find(name); }

std::vector<std::string_view> all_kind_names() {
  std::vector<std::string_view> v(kKindNames.begin(), kKindNames.end());
  std::sort(v.begin(), v.end());
  return v;
}

// [SECTION] Payload
const std::string& Payload::empty_text() { return kEmpty; }
const std::vector<std::string>& Payload::list(std::string_view name) const {
  auto v = find(name);
  return v ? v->list : kEmptyList;
}
const std::vector<std::int64_t>& Payload::nums(std::string_view name) const {
  auto v = find(name);
  return v ? v->nums : kEmptyNums;
}
Value& Payload::slot(std::string_view name) {
  auto it = std::lower_bound(fields.begin(), fields.end(), name,
                             [](const Field& f, std::string_view n) { return f.name < n; });
  if (it != fields.end() && it->name == name) {
    it->value = Value{};
    return it->value;
  }
  return fields.insert(it, Field{std::string(name), Value{}})->value;
}
Payload& Payload::set(std::string_view name, std::string_view text, FieldType t) {
  auto& v = slot(name);
  v.type = t;
  v.text = std::string(text);
  return *this;
}
Payload& Payload::set(std::string_view name, std::int64_t x, FieldType t) {
  auto& v = slot(name);
  v.type = t;
  v.num = x;
  return *this;
}
Payload& Payload::set(std::string_view name, std::vector<std::string> list, FieldType t) {
  auto& v = slot(name);
  v.type = t;
  v.list = std::move(list);
  return *this;
}
Payload& Payload::set(std::string_view name, std::vector<std::int64_t> list) {
  auto& v = slot(name);
  v.type = FieldType::ints;
  v.nums = std::move(list);
  return *this;
}

// [SECTION] Validation
namespace {
bool in_range(const FieldSpec& f, std::int64_t x) { return x >= f.min && x <= f.max; }
bool get_int(const nlohmann::json& j, std::int64_t* out) {
  if (j.is_number_integer()) {
    if (j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
      return false;
    *out = j.get<std::int64_t>();
    return true;
  }
  return false;
}
}  // namespace

std::string validate_payload(const KindSpec& spec, const nlohmann::json& payload, Payload* out) {
  out->fields.clear();
  out->fields.reserve(spec.fields.size());
  for (const auto& f : spec.fields) {
    auto it = payload.find(f.name);
    if (it == payload.end() || it->is_null()) {
      if (f.required) return f.name + ": missing";
      if (f.has_default) out->fields.push_back(Field{f.name, Value{f.type, f.default_value, {}, {}, {}}});
      continue;
    }
    const auto& j = *it;
    Value v;
    v.type = f.type;
    switch (f.type) {
      case FieldType::id:
      case FieldType::string:
      case FieldType::enumeration: {
        if (!j.is_string()) return f.name + ": type";
        const auto& s = j.get_ref<const std::string&>();
        if (f.type == FieldType::id && !is_valid_id(s)) return f.name + ": not an id";
        if (f.type == FieldType::string && utf8_length(s) > f.max_len) return f.name + ": too long";
        if (f.type == FieldType::enumeration &&
            std::find(f.values.begin(), f.values.end(), s) == f.values.end())
          return f.name + ": value";
        v.text = s;
        break;
      }
      case FieldType::integer:
        if (!get_int(j, &v.num)) return f.name + ": type";
        if (!in_range(f, v.num)) return f.name + ": range";
        break;
      case FieldType::boolean:
        if (!j.is_boolean()) return f.name + ": type";
        v.num = j.get<bool>() ? 1 : 0;
        break;
      case FieldType::ids:
      case FieldType::strings:
      case FieldType::ints: {
        if (!j.is_array()) return f.name + ": type";
        if (j.size() > f.max_items) return f.name + ": too many";
        for (const auto& e : j) {
          if (f.type == FieldType::ints) {
            std::int64_t x = 0;
            if (!get_int(e, &x)) return f.name + ": type";
            if (!in_range(f, x)) return f.name + ": range";
            v.nums.push_back(x);
            continue;
          }
          if (!e.is_string()) return f.name + ": type";
          const auto& s = e.get_ref<const std::string&>();
          if (f.type == FieldType::ids && !is_valid_id(s)) return f.name + ": not an id";
          if (f.type == FieldType::strings && utf8_length(s) > f.max_len) return f.name + ": too long";
          v.list.push_back(s);
        }
        break;
      }
    }
    out->fields.push_back(Field{f.name, std::move(v)});
  }
  return {};
}

// [SECTION] Decoding
bool is_op_id(std::string_view s) {
  if (s.size() != 32) return false;
  // 8 digits at a time. For a byte b < 0x80, b + (0x80 - lo) has its top bit set iff b >= lo, and
  // b + (0x7F - hi) iff b > hi; no byte carries into the next. So a byte is in [lo, hi] iff the
  // first sum has the top bit and the second not.
  constexpr std::uint64_t k1 = 0x0101010101010101ull, k80 = 0x8080808080808080ull;
  auto in = [](std::uint64_t x, unsigned lo, unsigned hi) {
    return (x + k1 * (0x80 - lo)) & ~(x + k1 * (0x7F - hi)) & k80;
  };
  std::uint64_t bad = 0;
  for (std::size_t i = 0; i < 32; i += 8) {
    std::uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    bad |= (x & k80) | ((in(x, '0', '9') | in(x, 'a', 'f')) ^ k80);
  }
  return bad == 0;
}

std::string_view decode_error_code(DecodeError e) {
  switch (e) {
    case DecodeError::ok: return "ok";
    case DecodeError::not_json: return "not_json";
    case DecodeError::not_object: return "not_object";
    case DecodeError::bad_id: return "bad_id";
    case DecodeError::bad_kind: return "bad_kind";
    case DecodeError::bad_author: return "bad_author";
    case DecodeError::bad_device: return "bad_device";
    case DecodeError::bad_made_at: return "bad_made_at";
    case DecodeError::bad_seq: return "bad_seq";
    case DecodeError::bad_payload: return "bad_payload";
  }
  return "unknown";
}

DecodeError decode_op_reference(const Schema& schema, std::string_view text, Op* out) {
  auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return DecodeError::not_json;
  return decode_op_json(schema, j, out);
}

DecodeError decode_op_json(const Schema& schema, const nlohmann::json& j, Op* out) {
  if (!j.is_object()) return DecodeError::not_object;
  auto str = [&](const char* key, const std::string** s) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return false;
    *s = &it->get_ref<const std::string&>();
    return true;
  };
  const std::string* s = nullptr;
  if (!str("id", &s) || !is_op_id(*s)) return DecodeError::bad_id;
  out->id = *s;
  if (!str("kind", &s) || s->empty() || s->size() > 64) return DecodeError::bad_kind;
  out->kind = kind_from_name(*s);
  out->unknown_kind.clear();
  if (out->kind == Kind::unknown) out->unknown_kind = *s;
  if (!str("author", &s) || !is_valid_id(*s)) return DecodeError::bad_author;
  out->author = *s;
  out->device.clear();
  if (auto it = j.find("device"); it != j.end()) {
    if (!it->is_string() || !(it->get_ref<const std::string&>().empty() ||
                              is_valid_id(it->get_ref<const std::string&>())))
      return DecodeError::bad_device;
    out->device = it->get<std::string>();
  }
  auto m = j.find("made_at");
  if (m == j.end() || !get_int(*m, &out->made_at) || out->made_at < 0) return DecodeError::bad_made_at;
  out->seq = 0;
  if (auto it = j.find("seq"); it != j.end() && !it->is_null()) {
    if (!get_int(*it, &out->seq) || out->seq <= 0) return DecodeError::bad_seq;
  }
  auto p = j.find("payload");
  if (p == j.end() || !p->is_object()) return DecodeError::bad_payload;
  out->invalid.clear();
  out->payload.fields.clear();
  if (out->kind != Kind::unknown) {
    const KindSpec* spec = schema.find(out->unknown_kind.empty() ? kind_name(out->kind) : out->unknown_kind);
    if (!spec) {
      out->invalid = "kind: not in schema";
    } else {
      out->invalid = validate_payload(*spec, *p, &out->payload);
      if (!out->invalid.empty()) out->payload.fields.clear();
    }
  }
  return DecodeError::ok;
}

// [SECTION] Encoding
nlohmann::json payload_to_json(const Payload& p) {
  nlohmann::json o = nlohmann::json::object();
  for (const auto& f : p.fields) {
    const auto& v = f.value;
    switch (v.type) {
      case FieldType::id:
      case FieldType::string:
      case FieldType::enumeration: o[f.name] = v.text; break;
      case FieldType::integer: o[f.name] = v.num; break;
      case FieldType::boolean: o[f.name] = v.num != 0; break;
      case FieldType::ids:
      case FieldType::strings: o[f.name] = v.list; break;
      case FieldType::ints: o[f.name] = v.nums; break;
    }
  }
  return o;
}

nlohmann::json op_to_json(const Op& op) {
  nlohmann::json o = nlohmann::json::object();
  o["id"] = op.id;
  o["kind"] = op.kind == Kind::unknown ? op.unknown_kind : std::string(kind_name(op.kind));
  o["author"] = op.author;
  if (!op.device.empty()) o["device"] = op.device;
  o["made_at"] = op.made_at;
  if (op.seq > 0) o["seq"] = op.seq;
  o["payload"] = payload_to_json(op.payload);
  return o;
}

std::string encode_op(const Op& op) { return op_to_json(op).dump(); }

}  // namespace sihui::core
