#include "core/schema.h"

#include <algorithm>

#include "core/op.h"

namespace sihui::core {

namespace {
// Bytes allowed in an id: A-Z a-z 0-9 . _ : - (a table: ids are checked for every decoded op).
struct IdBytes {
  bool ok[256] = {};
  constexpr IdBytes() {
    for (int c = 'a'; c <= 'z'; ++c) ok[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c) ok[c] = true;
    for (int c = '0'; c <= '9'; ++c) ok[c] = true;
    ok[static_cast<unsigned char>('.')] = ok[static_cast<unsigned char>('_')] = true;
    ok[static_cast<unsigned char>(':')] = ok[static_cast<unsigned char>('-')] = true;
  }
};
constexpr IdBytes kIdBytes;
}  // namespace

bool is_valid_id(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  bool ok = true;
  for (char c : s) ok &= kIdBytes.ok[static_cast<unsigned char>(c)];
  return ok;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

namespace {

bool type_from_name(const std::string& s, FieldType* t) {
  static const std::pair<const char*, FieldType> table[] = {
      {"id", FieldType::id},          {"string", FieldType::string},     {"int", FieldType::integer},
      {"bool", FieldType::boolean},   {"enum", FieldType::enumeration},  {"ids", FieldType::ids},
      {"strings", FieldType::strings}, {"ints", FieldType::ints}};
  for (const auto& [n, v] : table)
    if (s == n) {
      *t = v;
      return true;
    }
  return false;
}

bool string_list(const nlohmann::json& j, std::vector<std::string>* out) {
  if (!j.is_array()) return false;
  for (const auto& e : j) {
    if (!e.is_string()) return false;
    out->push_back(e.get<std::string>());
  }
  return true;
}

bool load_field(const std::string& name, const nlohmann::json& j, FieldSpec* f, std::string* error) {
  f->name = name;
  auto bad = [&](const char* what) {
    *error = "field '" + name + "': " + what;
    return false;
  };
  if (!j.is_object()) return bad("not an object");
  auto t = j.find("type");
  if (t == j.end() || !t->is_string() || !type_from_name(t->get<std::string>(), &f->type))
    return bad("unknown type");
  for (auto it = j.begin(); it != j.end(); ++it) {
    const auto& k = it.key();
    const auto& v = it.value();
    if (k == "type") continue;
    if (k == "required") {
      if (!v.is_boolean()) return bad("required must be a bool");
      f->required = v.get<bool>();
    } else if (k == "min" || k == "max" || k == "default") {
      if (!v.is_number_integer()) return bad("min/max/default must be integers");
      auto x = v.get<std::int64_t>();
      if (k == "min") f->min = x;
      else if (k == "max") f->max = x;
      else {
        f->has_default = true;
        f->default_value = x;
      }
    } else if (k == "max_len" || k == "max_items") {
      if (!v.is_number_unsigned() || v.get<std::uint64_t>() > 1000000) return bad("bad max_len/max_items");
      auto x = static_cast<std::uint32_t>(v.get<std::uint64_t>());
      (k == "max_len" ? f->max_len : f->max_items) = x;
    } else if (k == "values") {
      if (!string_list(v, &f->values) || f->values.empty()) return bad("values must be strings");
    } else {
      return bad("unknown attribute");
    }
  }
  if (f->type == FieldType::enumeration && f->values.empty()) return bad("enum without values");
  if (f->has_default && f->type != FieldType::integer) return bad("default only for int");
  return true;
}

}  // namespace

bool Schema::load(std::string_view json_text, std::string* error) {
  version_ = 0;
  kinds_.clear();
  by_kind_.clear();
  auto doc = nlohmann::json::parse(json_text.begin(), json_text.end(), nullptr, false);
  std::string scratch;
  if (!error) error = &scratch;
  auto fail = [&](std::string why) {
    *error = std::move(why);
    version_ = 0;
    kinds_.clear();
    by_kind_.clear();
    return false;
  };
  if (doc.is_discarded() || !doc.is_object()) return fail("schema is not a JSON object");
  auto ver = doc.find("schema_version");
  if (ver == doc.end() || !ver->is_number_unsigned() || ver->get<std::uint64_t>() > 1000000)
    return fail("schema_version missing or not a positive integer");
  int version = static_cast<int>(ver->get<std::uint64_t>());
  auto kinds = doc.find("kinds");
  if (kinds == doc.end() || !kinds->is_array()) return fail("kinds must be an array");
  std::vector<KindSpec> out;
  for (const auto& k : *kinds) {
    KindSpec spec;
    if (!k.is_object()) return fail("a kind is not an object");
    auto name = k.find("kind");
    if (name == k.end() || !name->is_string() || name->get<std::string>().empty())
      return fail("a kind has no name");
    spec.kind = name->get<std::string>();
    auto since = k.find("since");
    if (since == k.end() || !since->is_number_unsigned() || since->get<std::uint64_t>() > 1000000)
      return fail(spec.kind + ": since must be a positive integer");
    spec.since = static_cast<int>(since->get<std::uint64_t>());
    auto roles = k.find("roles");
    if (roles == k.end() || !string_list(*roles, &spec.roles) || spec.roles.empty())
      return fail(spec.kind + ": roles must be a non-empty string list");
    auto personal = k.find("personal");
    if (personal != k.end() && !string_list(*personal, &spec.personal))
      return fail(spec.kind + ": personal must be a string list");
    auto payload = k.find("payload");
    if (payload == k.end() || !payload->is_object()) return fail(spec.kind + ": payload must be an object");
    for (auto it = payload->begin(); it != payload->end(); ++it) {
      FieldSpec f;
      std::string why;
      if (!load_field(it.key(), it.value(), &f, &why)) return fail(spec.kind + ": " + why);
      spec.fields.push_back(std::move(f));
    }
    std::sort(spec.fields.begin(), spec.fields.end(),
              [](const FieldSpec& a, const FieldSpec& b) { return a.name < b.name; });
    for (const auto& p : spec.personal) {
      bool found = p.rfind("payload.", 0) == 0 &&
                   std::any_of(spec.fields.begin(), spec.fields.end(),
                               [&](const FieldSpec& f) { return "payload." + f.name == p; });
      if (!found) return fail(spec.kind + ": personal path '" + p + "' is not a payload field");
    }
    out.push_back(std::move(spec));
  }
  std::sort(out.begin(), out.end(), [](const KindSpec& a, const KindSpec& b) { return a.kind < b.kind; });
  for (std::size_t i = 1; i < out.size(); ++i)
    if (out[i].kind == out[i - 1].kind) return fail("kind listed twice: " + out[i].kind);
  version_ = version;
  kinds_ = std::move(out);
  by_kind_.assign(static_cast<std::size_t>(Kind::unknown), -1);
  for (std::size_t i = 0; i < kinds_.size(); ++i) {
    Kind k = kind_from_name(kinds_[i].kind);
    if (k != Kind::unknown) by_kind_[static_cast<std::size_t>(k)] = static_cast<std::int32_t>(i);
  }
  return true;
}

const KindSpec* Schema::find(std::string_view kind) const {
  auto it = std::lower_bound(kinds_.begin(), kinds_.end(), kind,
                             [](const KindSpec& a, std::string_view k) { return a.kind < k; });
  if (it == kinds_.end() || it->kind != kind) return nullptr;
  return &*it;
}

const KindSpec* Schema::find(Kind kind) const {
  auto i = static_cast<std::size_t>(kind);
  if (i >= by_kind_.size() || by_kind_[i] < 0) return nullptr;
  return &kinds_[static_cast<std::size_t>(by_kind_[i])];
}

}  // namespace sihui::core
