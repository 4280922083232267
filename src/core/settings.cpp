#include "core/settings.h"

#include <cstdint>

#include <nlohmann/json.hpp>

namespace sihui::settings {

int clamp_text_scale(int percent) {
  if (percent < kMinTextScale) percent = kMinTextScale;
  if (percent > kMaxTextScale) percent = kMaxTextScale;
  int steps = (percent - kMinTextScale + kTextScaleStep / 2) / kTextScaleStep;
  return kMinTextScale + steps * kTextScaleStep;
}

int clamp_voice_rate(int percent) {
  if (percent < kMinVoiceRate) percent = kMinVoiceRate;
  if (percent > kMaxVoiceRate) percent = kMaxVoiceRate;
  int steps = (percent - kMinVoiceRate + kVoiceRateStep / 2) / kVoiceRateStep;
  return kMinVoiceRate + steps * kVoiceRateStep;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return SIZE_MAX;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return SIZE_MAX;
    }
    i += len;
    ++n;
  }
  return n;
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

bool valid_device_name(std::string_view name) {
  auto t = trim(name);
  for (unsigned char c : t) {
    if (c < 0x20 || c == 0x7F) return false;
  }
  auto n = utf8_length(t);
  return n != SIZE_MAX && n <= static_cast<std::size_t>(kMaxDeviceNameChars);
}

Settings apply(Settings s, const Change& change) {
  std::visit(
      [&](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, SetLang>) s.lang = c.lang;
        if constexpr (std::is_same_v<T, SetTextScale>) s.text_scale = clamp_text_scale(c.percent);
        if constexpr (std::is_same_v<T, SetHighContrast>) s.high_contrast = c.on;
        if constexpr (std::is_same_v<T, SetNotify>) s.notify = c.on;
        if constexpr (std::is_same_v<T, SetVoiceReading>) s.voice_reading = c.on;
        if constexpr (std::is_same_v<T, SetVoiceRate>) s.voice_rate = clamp_voice_rate(c.percent);
        if constexpr (std::is_same_v<T, SetDeviceName>) {
          if (valid_device_name(c.name)) s.device_name = trim(c.name);
        }
      },
      change);
  return s;
}

Parsed parse(std::string_view json_text) {
  Parsed out;
  auto doc = nlohmann::json::parse(json_text.begin(), json_text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    out.unreadable = true;
    out.problems.emplace_back("settings file is not a JSON object");
    return out;
  }
  if (auto it = doc.find("version"); it != doc.end()) {
    if (!it->is_number_integer() || it->get<long long>() < 1) {
      out.problems.emplace_back("version is not a positive integer");
    } else if (it->get<long long>() > kFormatVersion) {
      out.problems.emplace_back("settings written by a newer version; reading known fields only");
    }
  }
  if (auto it = doc.find("lang"); it != doc.end()) {
    i18n::Lang lang{};
    if (it->is_string() && i18n::lang_from_code(it->get<std::string>(), &lang)) {
      out.settings.lang = lang;
    } else {
      out.problems.emplace_back("lang is not a known language code");
    }
  }
  if (auto it = doc.find("text_scale"); it != doc.end()) {
    if (it->is_number_integer()) {
      auto v = it->get<long long>();
      if (v >= kMinTextScale && v <= kMaxTextScale) {
        out.settings.text_scale = clamp_text_scale(static_cast<int>(v));
      } else {
        out.problems.emplace_back("text_scale is outside 100..200");
      }
    } else {
      out.problems.emplace_back("text_scale is not an integer");
    }
  }
  if (auto it = doc.find("high_contrast"); it != doc.end()) {
    if (it->is_boolean()) {
      out.settings.high_contrast = it->get<bool>();
    } else {
      out.problems.emplace_back("high_contrast is not true or false");
    }
  }
  if (auto it = doc.find("notify"); it != doc.end()) {
    if (it->is_boolean()) {
      out.settings.notify = it->get<bool>();
    } else {
      out.problems.emplace_back("notify is not true or false");
    }
  }
  if (auto it = doc.find("voice_reading"); it != doc.end()) {
    if (it->is_boolean()) {
      out.settings.voice_reading = it->get<bool>();
    } else {
      out.problems.emplace_back("voice_reading is not true or false");
    }
  }
  if (auto it = doc.find("voice_rate"); it != doc.end()) {
    if (it->is_number_integer() && it->get<long long>() >= kMinVoiceRate && it->get<long long>() <= kMaxVoiceRate) {
      out.settings.voice_rate = clamp_voice_rate(static_cast<int>(it->get<long long>()));
    } else {
      out.problems.emplace_back("voice_rate is not an integer in 50..200");
    }
  }
  if (auto it = doc.find("device_name"); it != doc.end()) {
    if (it->is_string() && valid_device_name(it->get<std::string>())) {
      out.settings.device_name = trim(it->get<std::string>());
    } else {
      out.problems.emplace_back("device_name is not a short text");
    }
  }
  return out;
}

std::string serialise(const Settings& s) {
  nlohmann::ordered_json j;
  j["version"] = kFormatVersion;
  j["lang"] = std::string(i18n::lang_code(s.lang));
  j["text_scale"] = s.text_scale;
  j["high_contrast"] = s.high_contrast;
  j["device_name"] = s.device_name;
  j["notify"] = s.notify;
  j["voice_reading"] = s.voice_reading;
  j["voice_rate"] = s.voice_rate;
  return j.dump(1) + "\n";
}

}  // namespace sihui::settings
