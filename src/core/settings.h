// settings: the person's display preferences on this device (language, text size, contrast).
// Changes are small operations applied by apply(); parse() never throws and keeps every field
// it can read from a damaged file, listing what it had to drop.
#pragma once
#include <string>
#include <variant>
#include <vector>

#include "core/i18n.h"

namespace sihui::settings {

inline constexpr int kMinTextScale = 100;  // percent; 100 = normal text
inline constexpr int kMaxTextScale = 200;  // percent; the MIIT elder-friendly rules ask for large fonts
inline constexpr int kTextScaleStep = 10;  // the slider and the A-/A+ buttons move by this much
inline constexpr int kMinVoiceRate = 50;    // percent of the speech engine's normal rate
inline constexpr int kMaxVoiceRate = 200;
inline constexpr int kVoiceRateStep = 10;
inline constexpr int kFormatVersion = 1;   // written into settings.json as "version"

struct Settings {
  i18n::Lang lang = i18n::Lang::zh_CN;  // the interface language
  int text_scale = kMinTextScale;       // percent, kMinTextScale..kMaxTextScale, multiple of the step
  bool high_contrast = false;           // black on white, bold outlines, no subtle greys
  std::string device_name;              // what staff call this tablet; empty = unnamed
  bool notify = false;                  // reminders also as browser notifications (asked for in Settings)
  bool voice_reading = false;           // 读屏: speak the focused item and what is tapped (speechSynthesis)
  int voice_rate = 100;                 // percent, kMinVoiceRate..kMaxVoiceRate, multiple of kVoiceRateStep
  friend bool operator==(const Settings&, const Settings&) = default;
};

struct SetLang { i18n::Lang lang; };
struct SetTextScale { int percent; };    // clamped and rounded to the step
struct SetHighContrast { bool on; };
struct SetDeviceName { std::string name; };  // ignored unless valid_device_name()
struct SetNotify { bool on; };
struct SetVoiceReading { bool on; };
struct SetVoiceRate { int percent; };    // clamped and rounded to the step
using Change = std::variant<SetLang, SetTextScale, SetHighContrast, SetDeviceName, SetNotify, SetVoiceReading, SetVoiceRate>;

inline constexpr int kMaxDeviceNameChars = 40;  // characters (code points), not bytes
// Trimmed of spaces, valid UTF-8, no control characters, at most kMaxDeviceNameChars.
bool valid_device_name(std::string_view name);
std::string trim(std::string_view s);
std::size_t utf8_length(std::string_view s);  // code points; SIZE_MAX if the bytes are not UTF-8

Settings apply(Settings s, const Change& change);
int clamp_text_scale(int percent);
int clamp_voice_rate(int percent);

struct Parsed {
  Settings settings;                  // defaults, overwritten by every field that was valid
  std::vector<std::string> problems;  // one short English line per dropped field, for the log
  bool unreadable = false;            // the file was not JSON at all (nothing could be kept)
};
Parsed parse(std::string_view json_text);
std::string serialise(const Settings& s);  // stable key order, ends with a newline

}  // namespace sihui::settings
