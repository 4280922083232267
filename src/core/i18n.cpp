#include "core/i18n.h"

#include <nlohmann/json.hpp>

namespace sihui::i18n {

std::string_view lang_code(Lang lang) { return lang == Lang::en ? "en" : "zh-CN"; }

bool lang_from_code(std::string_view code, Lang* out) {
  if (code == "zh-CN" || code == "zh" || code == "zh-Hans") {
    *out = Lang::zh_CN;
    return true;
  }
  if (code == "en" || code.starts_with("en-")) {
    *out = Lang::en;
    return true;
  }
  return false;
}

static std::size_t idx(Lang lang) { return lang == Lang::en ? 1 : 0; }

bool Catalog::load(Lang lang, std::string_view json_text, std::string* error, bool merge) {
  auto doc = nlohmann::json::parse(json_text.begin(), json_text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    if (error) *error = "not a JSON object";
    return false;
  }
  std::map<std::string, std::string, std::less<>> next;
  if (merge) next = table_[idx(lang)];
  for (const auto& [k, v] : doc.items()) {
    if (!v.is_string()) {
      if (error) *error = "value of '" + k + "' is not a string";
      return false;
    }
    if (k.empty()) {
      if (error) *error = "empty key";
      return false;
    }
    next.insert_or_assign(k, v.get<std::string>());
  }
  table_[idx(lang)] = std::move(next);
  return true;
}

std::string_view Catalog::text(Lang lang, Key key) const {
  const auto& t = table_[idx(lang)];
  if (auto it = t.find(key.id); it != t.end() && !it->second.empty()) return it->second;
  const auto& zh = table_[idx(Lang::zh_CN)];
  if (auto it = zh.find(key.id); it != zh.end() && !it->second.empty()) return it->second;
  return key.id;
}

bool Catalog::has(Lang lang, Key key) const { return table_[idx(lang)].contains(key.id); }

std::vector<std::string> Catalog::keys(Lang lang) const {
  std::vector<std::string> out;
  for (const auto& kv : table_[idx(lang)]) out.push_back(kv.first);
  return out;
}

std::size_t Catalog::size(Lang lang) const { return table_[idx(lang)].size(); }

std::string format(std::string_view tmpl,
                   std::initializer_list<std::pair<std::string_view, std::string_view>> args) {
  std::string out;
  out.reserve(tmpl.size() + 16);
  std::size_t i = 0;
  while (i < tmpl.size()) {
    if (tmpl[i] == '{') {
      auto close = tmpl.find('}', i + 1);
      if (close != std::string_view::npos) {
        auto name = tmpl.substr(i + 1, close - i - 1);
        bool found = false;
        for (const auto& [k, v] : args) {
          if (k == name) {
            out.append(v);
            found = true;
            break;
          }
        }
        if (found) {
          i = close + 1;
          continue;
        }
      }
    }
    out.push_back(tmpl[i]);
    ++i;
  }
  return out;
}

}  // namespace sihui::i18n
