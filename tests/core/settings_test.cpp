// Display settings: changes, bounds, and parsing damaged files without losing good fields.
#include <catch_amalgamated.hpp>

#include "core/settings.h"

using namespace sihui;
using namespace sihui::settings;

TEST_CASE("text scale stays within 100..200 in steps of 10") {
  CHECK(clamp_text_scale(50) == 100);
  CHECK(clamp_text_scale(100) == 100);
  CHECK(clamp_text_scale(104) == 100);
  CHECK(clamp_text_scale(105) == 110);
  CHECK(clamp_text_scale(200) == 200);
  CHECK(clamp_text_scale(201) == 200);
  CHECK(clamp_text_scale(-7) == 100);
  Settings s;
  s = apply(s, SetTextScale{150});
  CHECK(s.text_scale == 150);
  s = apply(s, SetTextScale{999});
  CHECK(s.text_scale == 200);
}

TEST_CASE("changes apply one field each") {
  Settings s;
  s = apply(s, SetLang{i18n::Lang::en});
  s = apply(s, SetHighContrast{true});
  CHECK(s.lang == i18n::Lang::en);
  CHECK(s.high_contrast);
  CHECK(s.text_scale == 100);
}

TEST_CASE("device names: trimmed, at most 40 characters, no control characters") {
  Settings s;
  s = apply(s, SetDeviceName{"  北区网格平板  "});
  CHECK(s.device_name == "北区网格平板");
  std::string forty;
  for (int i = 0; i < 40; ++i) forty += "汉";
  CHECK(valid_device_name(forty));
  CHECK_FALSE(valid_device_name(forty + "字"));
  s = apply(s, SetDeviceName{forty + "字"});
  CHECK(s.device_name == "北区网格平板");  // refused, unchanged
  CHECK_FALSE(valid_device_name("a\nb"));
  CHECK_FALSE(valid_device_name("\xff\xfe"));
  CHECK(utf8_length("仓南") == 2);
  CHECK(utf8_length("\xe4\xbb") == SIZE_MAX);
}

TEST_CASE("settings round-trip through their file format") {
  Settings s;
  s.lang = i18n::Lang::en;
  s.text_scale = 170;
  s.high_contrast = true;
  s.device_name = "王建国的平板";
  s.notify = true;
  s.voice_reading = true;
  s.voice_rate = 140;
  auto p = parse(serialise(s));
  CHECK(p.problems.empty());
  CHECK_FALSE(p.unreadable);
  CHECK(p.settings == s);
}

TEST_CASE("a damaged settings file keeps every readable field") {
  auto p = parse(R"({"version":1,"lang":"en","text_scale":"big","high_contrast":true,"device_name":7})");
  CHECK(p.settings.lang == i18n::Lang::en);
  CHECK(p.settings.text_scale == 100);
  CHECK(p.settings.high_contrast);
  CHECK(p.problems.size() == 2);
  auto q = parse("\x00\x01garbage");
  CHECK(q.unreadable);
  CHECK(q.settings == Settings{});
  auto r = parse(R"({"text_scale": 500, "lang": "klingon"})");
  CHECK(r.settings == Settings{});
  CHECK(r.problems.size() == 2);
  auto n = parse(R"({"notify": "yes"})");
  CHECK_FALSE(n.settings.notify);
  CHECK(n.problems.size() == 1);
  CHECK(apply(Settings{}, SetNotify{true}).notify);
  auto t = parse(R"({"version": 99, "text_scale": 130})");
  CHECK(t.settings.text_scale == 130);
  CHECK(t.problems.size() == 1);
  CHECK(parse("[]").unreadable);
  CHECK(parse("").unreadable);
}

TEST_CASE("voice reading: off by default, the rate clamped to 50..200 in steps of 10") {
  Settings s;
  CHECK_FALSE(s.voice_reading);
  CHECK(s.voice_rate == 100);
  s = apply(s, SetVoiceReading{true});
  CHECK(s.voice_reading);
  s = apply(s, SetVoiceRate{134});
  CHECK(s.voice_rate == 130);
  s = apply(s, SetVoiceRate{5});
  CHECK(s.voice_rate == 50);
  s = apply(s, SetVoiceRate{900});
  CHECK(s.voice_rate == 200);
  auto p = parse(R"({"voice_reading":"yes","voice_rate":7,"text_scale":120})");
  CHECK_FALSE(p.settings.voice_reading);
  CHECK(p.settings.voice_rate == 100);
  CHECK(p.settings.text_scale == 120);
  CHECK(p.problems.size() == 2);
}
