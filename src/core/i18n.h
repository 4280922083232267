// i18n: translation keys as their own type, catalogs per language, Chinese first.
// A Key names a string; only a Catalog turns it into display text. Views never hold
// display literals, so every visible string exists in assets/lang/zh-CN.json and en.json.
#pragma once
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sihui::i18n {

enum class Lang {
  zh_CN,  // 简体中文, the default and the fallback for missing keys
  en,     // English, second
};
inline constexpr Lang kAllLangs[] = {Lang::zh_CN, Lang::en};

std::string_view lang_code(Lang lang);                           // "zh-CN", "en"
bool lang_from_code(std::string_view code, Lang* out);          // false for unknown codes

// A translation key such as "home.title". Distinct from text by type.
struct Key {
  std::string_view id;
  friend bool operator==(Key a, Key b) { return a.id == b.id; }
};

inline namespace literals {
constexpr Key operator""_k(const char* s, std::size_t n) { return Key{std::string_view(s, n)}; }
}  // namespace literals

class Catalog {
 public:
  // Loads one language from a flat JSON object {"key": "text"}. On malformed input the
  // catalog for that language is left as it was and *error says why (never throws).
  // With merge, keys are added to (and override) the language's existing table instead.
  bool load(Lang lang, std::string_view json_text, std::string* error, bool merge = false);
  // The text for key: in lang, else in zh-CN, else the key id itself (visible, never empty).
  std::string_view text(Lang lang, Key key) const;
  bool has(Lang lang, Key key) const;
  std::vector<std::string> keys(Lang lang) const;  // sorted
  std::size_t size(Lang lang) const;

 private:
  std::map<std::string, std::string, std::less<>> table_[2];
};

// Replaces {name} placeholders: format("{n} 人", {{"n", "3"}}) -> "3 人". Unknown
// placeholders are left as they are so a translation mistake stays visible.
std::string format(std::string_view tmpl,
                   std::initializer_list<std::pair<std::string_view, std::string_view>> args);

}  // namespace sihui::i18n
