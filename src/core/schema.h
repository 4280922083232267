// schema: the operation kinds read from assets/schema/ops.json (roles, personal fields, payload shape).
// The caller reads the file; the core loads it from a string and validates payloads against it.
#pragma once
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace sihui::core {

enum class Kind : std::uint16_t;  // op.h: the kinds this build knows

enum class FieldType : std::uint8_t {
  id,           // 1-64 characters of A-Z a-z 0-9 . _ : -
  string,       // UTF-8 text, max_len counted in code points
  integer,      // 64-bit signed integer with optional min/max/default ("int" in the file)
  boolean,      // true/false ("bool")
  enumeration,  // a string from a fixed list of values ("enum")
  ids,          // array of id
  strings,      // array of string (max_len applies to each)
  ints,         // array of integer
};

struct FieldSpec {
  std::string name;
  FieldType type = FieldType::string;
  bool required = false;
  std::int64_t min = std::numeric_limits<std::int64_t>::min();
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
  bool has_default = false;  // integer fields only: value used when the field is absent
  std::int64_t default_value = 0;
  std::uint32_t max_len = 200;    // string, strings: code points per string
  std::uint32_t max_items = 50;   // ids, strings, ints
  std::vector<std::string> values;  // enumeration
};

struct KindSpec {
  std::string kind;                   // "report.file"
  int since = 1;                      // schema_version that introduced it
  std::vector<std::string> roles;     // role names, "resident" (any registered person), "anyone"
  std::vector<std::string> personal;  // "payload.field" paths readers may not see
  std::vector<FieldSpec> fields;      // sorted by name
};

class Schema {
 public:
  // Loads the schema document. On malformed input returns false, says why in *error and
  // leaves the schema empty. Never throws.
  bool load(std::string_view json_text, std::string* error);
  int version() const { return version_; }
  const KindSpec* find(std::string_view kind) const;
  const KindSpec* find(Kind kind) const;  // the same, by index; null for Kind::unknown
  const std::vector<KindSpec>& kinds() const { return kinds_; }  // sorted by kind

 private:
  int version_ = 0;
  std::vector<KindSpec> kinds_;
  std::vector<std::int32_t> by_kind_;  // Kind -> index in kinds_, -1 when not in the schema
};

// True for 1-64 characters of A-Z a-z 0-9 . _ : -
bool is_valid_id(std::string_view s);
// Number of UTF-8 code points (continuation bytes are not counted).
std::size_t utf8_length(std::string_view s);

}  // namespace sihui::core
