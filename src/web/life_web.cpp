// life_web: see life_web.h.
// [X] this person's feed link: GET /api/v1/feeds (or POST /api/v1/feeds/mine {"renew": true})
// [X] OpenUrl: an <a> clicked in the page (webcal: opens the calendar app; download= saves the .ics)
// [X] QR codes: qrcode-generator (npm, shipped as vendor/qrcode.js, loaded on first use), error level M
// [X] reminders: Notification API, each reminder once per browser (localStorage), only when allowed
// [ ] a service worker's notifications when the page is closed (needs push; not in this issue)
// Changes:
// - 2026-11-26: first version (issue 7, part 2).
#include "web/life_web.h"

#include <emscripten.h>

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/civil.h"
#include "core/reminders.h"
#include "platform/net.h"

namespace sihui::web {

namespace {
// Feed-link requests: ids far above the sync client's ((gen << 32) | n) and below the account ids (2^52).
constexpr double kFeedIds = 4503599627370496.0 - 1099511627776.0;

struct LifeWeb {
  std::string origin;
  ui::FeedLink feed;
  double feed_call = 0;
  std::map<std::string, ui::QrCode> qr;
  std::set<std::string> qr_asked;
  double next_remind = 0;
  std::int64_t last_ops = -1;
  bool last_notify = false;
};
LifeWeb w;

EM_JS(void, js_origin, (char* buf, int n), { stringToUTF8(location.origin || "", buf, n); });
EM_JS(void, js_open_url, (const char* url, const char* download), {
  var a = document.createElement('a');
  a.href = UTF8ToString(url);
  var d = UTF8ToString(download);
  if (d) a.download = d; else a.rel = 'noopener';
  (Module.sihuiOpened = Module.sihuiOpened || []).push({url: a.href, download: d});
  document.body.appendChild(a);
  a.click();
  a.remove();
});
// qrcode-generator (vendor/qrcode.js, content-hashed by package_web.py) defines the global `qrcode`.
EM_JS(void, js_make_qr, (const char* text_ptr), {
  var text = UTF8ToString(text_ptr);
  function answer(n, bits) {
    Module.ccall('sihui_post', null, ['string', 'number', 'number', 'string'],
                 ['qr', n, 0, JSON.stringify({text: text, dark: bits})]);
  }
  if (!Module.sihuiQrLib) {
    Module.sihuiQrLib = new Promise(function (ok, fail) {
      if (typeof qrcode === 'function') return ok();
      var s = document.createElement('script');
      s.src = Module.locateFile ? Module.locateFile('vendor/qrcode.js') : 'vendor/qrcode.js';
      s.onload = function () { ok(); };
      s.onerror = function () { Module.sihuiQrLib = null; fail(new Error('vendor/qrcode.js did not load')); };
      document.head.appendChild(s);
    });
  }
  Module.sihuiQrLib.then(function () {
    var q = qrcode(0, 'M');
    q.addData(text, 'Byte');
    q.make();
    var n = q.getModuleCount(), bits = "";
    for (var r = 0; r < n; r++) for (var c = 0; c < n; c++) bits += q.isDark(r, c) ? '1' : '0';
    answer(n, bits);
  }).catch(function () { answer(0, ""); });
});
// Whether the browser allows notifications. Reading Notification.permission is a synchronous call to
// the browser process in Chromium (1.3 ms median, 5-26 ms at times on a busy machine, measured in
// the grid map's frames), so a frame reads the copy kept here (fresh = 0); the copy is read again
// when the permission can have changed: its change event, the tab shown again, our own request
// answered, and each fresh read (fresh = 1: the reminder loop, every 20 s while reminders are on).
EM_JS(int, js_notify_allowed, (int fresh), {
  var read = function () {
    Module.sihuiNotifyAllowed = (typeof Notification !== 'undefined' && Notification.permission === 'granted') ? 1 : 0;
  };
  if (Module.sihuiNotifyAllowed === undefined) {
    var changed = function () { read(); Module.ccall('sihui_wake', null, [], []); };
    document.addEventListener('visibilitychange', function () { if (!document.hidden) changed(); });
    try {
      navigator.permissions.query({name: 'notifications'}).then(function (st) { st.onchange = changed; }, function () {});
    } catch (e) {}
    fresh = 1;
  }
  if (fresh) read();
  return Module.sihuiNotifyAllowed;
});
EM_JS(void, js_ask_notify, (), {
  if (typeof Notification === 'undefined') return;
  Module.sihuiNotifyAllowed = Notification.permission === 'granted' ? 1 : 0;
  if (Notification.permission !== 'default') return;
  Notification.requestPermission().then(function (p) {
    Module.sihuiNotifyAllowed = p === 'granted' ? 1 : 0;
    Module.ccall('sihui_wake', null, [], []);
  });
});
// Shows one notification unless this key was notified before in this browser; 1 when shown.
EM_JS(int, js_notify_once, (const char* key_ptr, const char* title, const char* body), {
  var key = 'sihui-reminded:' + UTF8ToString(key_ptr);
  try { if (localStorage.getItem(key)) return 0; } catch (e) {}
  var t = UTF8ToString(title), b = UTF8ToString(body);
  try { new Notification(t, {body: b, tag: key}); } catch (e) { return 0; }
  try { localStorage.setItem(key, String(Date.now())); } catch (e) {}
  (Module.sihuiNotified = Module.sihuiNotified || []).push({key: key, title: t, body: b});
  return 1;
});

std::string tr(const i18n::Catalog& c, i18n::Lang l, const char* key) { return std::string(c.text(l, i18n::Key{key})); }
}  // namespace

void life_fill(ui::UiModel& model) {
  if (w.origin.empty()) {
    char buf[512] = {};
    js_origin(buf, sizeof buf);
    w.origin = buf;
  }
  model.origin = w.origin;
  model.feed_link = w.feed;
  model.qr_codes = &w.qr;
  model.notify_allowed = js_notify_allowed(0) != 0;
}

bool life_action(const ui::UiAction& a, const std::string& token, const std::string& device) {
  if (auto* ask = std::get_if<ui::AskFeedLink>(&a)) {
    if (w.feed.busy) return true;
    static double n = 0;
    w.feed_call = kFeedIds + (++n);
    w.feed.busy = true;
    w.feed.error_key.clear();
    if (ask->renew) platform::http_send({static_cast<std::uint64_t>(w.feed_call), "POST", "/api/v1/feeds/mine",
                                         "{\"renew\":true}", token, device, 15000});
    else platform::http_send({static_cast<std::uint64_t>(w.feed_call), "GET", "/api/v1/feeds", "", token, device, 15000});
    return true;
  }
  if (auto* open = std::get_if<ui::OpenUrl>(&a)) {
    js_open_url(open->url.c_str(), open->download.c_str());
    return true;
  }
  if (auto* make = std::get_if<ui::MakeQr>(&a)) {
    if (w.qr_asked.insert(make->text).second) js_make_qr(make->text.c_str());
    return true;
  }
  if (auto* change = std::get_if<settings::Change>(&a))
    if (auto* n = std::get_if<settings::SetNotify>(change); n && n->on) js_ask_notify();  // within the tap
  return false;
}

bool life_event(const Event& e) {
  if (e.kind != "qr") return false;
  auto j = nlohmann::json::parse(e.text, nullptr, false);
  if (!j.is_object() || !j.contains("text") || !j["text"].is_string() || !j.contains("dark") || !j["dark"].is_string())
    return true;
  const std::string& bits = j["dark"].get_ref<const std::string&>();
  ui::QrCode q;
  int n = static_cast<int>(e.a);
  if (n > 0 && n <= 177 && bits.size() == static_cast<std::size_t>(n) * static_cast<std::size_t>(n)) {
    q.size = n;
    q.dark.reserve(bits.size());
    for (char c : bits) q.dark.push_back(c == '1');
  }
  const std::string text = j["text"].get<std::string>();
  if (q.size == 0) w.qr_asked.erase(text);  // shown as failed; asked again the next time it is drawn
  w.qr[text] = std::move(q);
  wake();
  return true;
}

bool life_http(double id, int status, const std::string& body) {
  if (id < kFeedIds || id >= kFeedIds + 1099511627776.0 / 2) return false;
  if (id != w.feed_call) return true;  // an answer nobody waits for any more
  w.feed.busy = false;
  auto j = nlohmann::json::parse(body, nullptr, false);
  std::string path;
  if (status == 200 && j.is_object()) {
    for (const char* k : {"mine", "path"})
      if (j.contains(k) && j[k].is_string()) path = j[k].get<std::string>();
  }
  if (!path.empty() && path.rfind("/api/v1/feeds/p/", 0) == 0) {
    w.feed.path = path;
    w.feed.error_key.clear();
  } else {
    w.feed.error_key = status == 0 ? "feed.error.offline" : "feed.error.server";
  }
  wake();
  return true;
}

void life_signed_out() { w.feed = ui::FeedLink{}; }

void life_remind(const settings::Settings& s, const i18n::Catalog& words, const core::State* state,
                 const std::string& person, double now_ms) {
  if (!s.notify || !state || person.empty()) {
    w.last_notify = s.notify;
    return;
  }
  // Every 20 s, and at once when something changed (a new booking, notifications just turned on).
  bool changed = state->ops_applied != w.last_ops || !w.last_notify;
  if (!changed && now_ms < w.next_remind) return;
  w.next_remind = now_ms + 20000;
  w.last_ops = state->ops_applied;
  w.last_notify = true;
  if (!js_notify_allowed(1)) return;
  const i18n::Lang l = s.lang;
  for (const auto& r : core::due_reminders(*state, person, static_cast<std::int64_t>(now_ms))) {
    const core::Plan& p = r.plan;
    std::string what;
    if (p.kind == core::EntryKind::klass) {
      what = p.title + " " + i18n::format(tr(words, l, "class.session_name"), {{"n", std::to_string(p.number)}});
    } else if (auto st = state->sittings.find(p.sitting); st != state->sittings.end()) {
      std::string meal = "canteen.meal." + std::string(core::enum_name(st->second.meal));
      what = tr(words, l, "canteen.short") + " " + tr(words, l, meal.c_str());
    }
    if (p.person != person)
      if (auto q = state->persons.find(p.person); q != state->persons.end()) what += " · " + q->second.name;
    std::string when = core::format_date(p.start) + " " + core::format_time(p.start);
    const char* key = r.when == core::RemindWhen::hour_before ? "remind.hour" : "remind.day";
    std::string body = i18n::format(tr(words, l, key), {{"when", when}, {"what", what}});
    if (!p.place.empty()) body += " · " + p.place;
    js_notify_once(r.key.c_str(), tr(words, l, "remind.title").c_str(), body.c_str());
  }
}

}  // namespace sihui::web
