// main_web: Sihui in the browser. GLFW gives the WebGL2 context; input comes from the page's
// own pointer, wheel and key listeners (shell/sihui-pre.js) rather than Emscripten's GLFW,
// because Emscripten 3.1.6's GLFW drops touch positions and has no IME (decision 0003).
// [X] main loop at the browser's pace (fps = 0), no rendering when nothing changed
// [X] device-pixel-ratio sharpness: the canvas is sized in device pixels, the UI scaled by dpr
// [X] storage: nothing is drawn or saved before the first IDBFS load (see storage_web.cpp)
// [X] fonts: first-frame subset before the first frame, full font merged when it arrives
// [X] JS API: items(), query(), ready (shell/sihui-pre.js wraps the exports below)
// [X] touch: tap, drag-to-scroll, long press = context menu (src/ui/gesture.h)
// [X] offline app: "update_ready" from the service worker shows the update banner; ApplyUpdate
//     activates the new build only when every record is saved and no form holds typed input
// [X] embed (?embed=...&lang=&theme=): the view, language and contrast from the URL, the content's
//     height sent to the framing page; with no IndexedDB (a third-party frame may get none) the
//     log lives in memory and sync still runs: online only, and the screen says so
// [X] accessibility: keyboard focus (Tab/Shift+Tab over the item table, Escape = back, a thick
//     focus ring), the mirror told when the table or the focus changed, voice settings to the page
// Changes:
// - 2026-11-26: first version (issue 2).
// - 2026-11-26: update offer, embed mode, online-only log when storage is refused (issue 8).
// - 2026-11-27: accessibility mirror, keyboard focus, voice reading (issue 9, decision 0017).
// - 2026-11-27: the backup file carries the device's photos: export through the page with progress, import
//   stores the good ones after the ops and says how many came in and are missing (decision 0028).
#include <emscripten.h>
#include <emscripten/html5.h>
#define GLFW_INCLUDE_ES3
#include <GLFW/glfw3.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "backends/imgui_impl_opengl3.h"
#include "core/civil.h"
#include "core/demo.h"
#include "core/i18n.h"
#include "core/replica.h"
#include "core/schema.h"
#include "core/snapshot.h"
#include "core/query.h"
#include "core/settings.h"
#include "imgui.h"
#include "imgui_internal.h"
#include "platform/net.h"
#include "platform/random_id.h"
#include "platform/storage.h"
#include "platform/text_input.h"
#include "store/file_ops.h"
#include "store/files.h"
#include "store/log_store.h"
#include "web/life_web.h"
#include "web/photos_web.h"
#include "store/settings_store.h"
#include "sync/client.h"
#include "sync/log_store_sync.h"
#include "ui/a11y.h"
#include "ui/app.h"
#include "ui/gesture.h"
#include "ui/manage.h"
#include "ui/item_table.h"
#include "ui/theme.h"
#include "ui/widgets.h"
#include "web/event_queue.h"
#include "web/keymap.h"

namespace sihui::platform {
void text_input_set_dpr(float dpr);
}

namespace sihui::web {

// [SECTION] Shell state
namespace {
struct Shell {
  GLFWwindow* window = nullptr;
  float css_w = 800, css_h = 600, dpr = 1;
  int fb_w = 800, fb_h = 600;
  int frames_left = 3;
  long frame_count = 0;
  std::vector<double> frame_ms;      // CPU ms of each drawn frame since the last "frame.times" query (at most 1000)
  std::vector<double> frame_ui_ms;
  bool trace_ui = false;                           // sihui_trace_ui: the UI part runs inside a traced event
  std::vector<ui::UiAction>* traced_actions = nullptr;  // ... and puts its actions here   // of which building the UI (NewFrame .. Render), the part the screens control
  double last_time = 0, last_draw = 0;
  double last_loop = 0;  // when the main loop (requestAnimationFrame) last ran
  bool ready_announced = false;
  bool storage_settled = false;   // loaded (or failed) and settings read
  bool theme_dirty = true;
  bool persist_asked = false;
  bool handed_over = false;  // read-only tab: settings changed here, not yet seen saved by the writer
  bool account_handed_over = false;  // read-only tab: signed in or out here, not yet saved by the writer
  bool update_ready = false;  // a new build waits (service worker); the banner offers it
  std::string embed;          // ?embed= view ("" = the full app)
  float embed_height = 0;     // last content height sent to the framing page (CSS px)
  settings::Settings settings;
  bool settings_damaged = false;
  i18n::Catalog catalog;
  ui::App app;
  ui::DeviceStatus status;
  ui::TouchGestures touch;
  ImGuiWindow* scroll_target = nullptr;
  bool touch_scroll_pick = false;
  // Fingers on the screen by pointer id (framebuffer px). The first one drives `touch`; a second one
  // that lands while the first is on a canvas item (the map) makes a pinch instead.
  std::map<int, std::pair<float, float>> fingers;
  int primary_finger = -1;
  bool finger_on_canvas = false;
  bool pinch_done = false;  // a pinch ended: the remaining finger does nothing until it lifts
  ui::UiModel::Pinch pinch;
  float pending_scroll_x = 0, pending_scroll_y = 0;
  std::vector<Event> queue;
  std::string json_out;
  std::optional<settings::Settings> a11y_told;  // the settings the page's a11y side last heard of
  core::Schema schema;
  std::unique_ptr<core::Replica> community;  // null until a community is loaded
  store::PosixFileOps file_ops;              // MEMFS under the IDBFS mount; durability from the flush
  std::unique_ptr<store::LogStore> log;      // the device's operation log (/sihui/log)
  store::OpenResult log_open;
  std::vector<std::string> store_notices;  // start-up problems to tell the person (translation keys)
  std::string backup_message;
  ui::UiModel::PickedFile geojson;  // the last GeoJSON file picked for the map (text in geojson_text)
  std::string geojson_text;
  int backup_percent = -1;
  std::string backup_progress;  // translated caption while the page exports or stores photos ("" = importing)
  int export_step = 0;  // 1: "exporting…" shown, make the file on the next frame
  std::size_t export_ops = 0;   // the export the page is finishing: ops in it, its file name
  std::string export_name;
  std::string import_message;   // an import's result before its photos are stored (decision 0028)
  std::size_t import_photos = 0, import_bad = 0;  // photos of that import handed to the page, left out as bad
  int demo_step = 0;  // 0 none, 1 asked (show "making…"), 2 make it now, 3 done
  // Sync (writer tab only) and the account it signs with.
  std::unique_ptr<sync::LogStoreSync> sync_store;
  std::unique_ptr<sync::Client> sync;
  std::uint64_t sync_gen = 0;      // a new client per open log: answers to an older one are dropped
  ui::Account account;
  std::string token;
  std::uint64_t account_call = 0;  // id of the account request in flight (0: none)
  double last_me = 0;              // when /api/v1/me was last asked (an unverified resident)
};
Shell g;
}  // namespace

std::vector<Event>& event_queue() { return g.queue; }
void sync_tick();
nlohmann::json sync_view_json();
void wake(int frames) { g.frames_left = std::max(g.frames_left, frames); }

constexpr double kAccountIds = 4503599627370496.0;  // 2^52: account requests; below: (gen << 32) | sync id

// [SECTION] JS side helpers
EM_JS(void, js_first_frame, (), { if (Module.sihuiFirstFrame) Module.sihuiFirstFrame(); });
EM_JS(void, js_announce_ready, (), { if (Module.sihuiResolveReady) Module.sihuiResolveReady(); });
EM_JS(void, js_request_estimate, (), { if (Module.sihuiEstimate) Module.sihuiEstimate(); });
EM_JS(void, js_request_persist, (), { if (Module.sihuiPersist) Module.sihuiPersist(); });
EM_JS(void, js_start_full_font, (), { if (Module.sihuiLoadFullFont) Module.sihuiLoadFullFont(); });
EM_JS(int, js_is_online, (), { return navigator.onLine ? 1 : 0; });
// Saves bytes as a file: the exact bytes (a CSV's BOM survives; UTF8ToString would drop it).
EM_JS(void, js_download, (const char* name, const char* data, size_t size, const char* type), {
  var blob = new Blob([HEAPU8.slice(data, data + size)], {type: UTF8ToString(type)});
  var a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = UTF8ToString(name);
  document.body.appendChild(a);
  a.click();
  setTimeout(function() { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
});
EM_JS(void, js_choose_import_file, (), { if (Module.sihuiChooseImport) Module.sihuiChooseImport(); });
EM_JS(void, js_choose_geojson, (double max_bytes), { if (Module.sihuiChooseGeoJson) Module.sihuiChooseGeoJson(max_bytes); });
EM_JS(int, js_apply_update, (), { return Module.sihuiApplyUpdate ? Module.sihuiApplyUpdate() : 0; });
EM_JS(void, js_open_full_app, (), { if (Module.sihuiOpenFull) Module.sihuiOpenFull(); });
EM_JS(void, js_embed_height, (double h), { if (Module.sihuiEmbedHeight) Module.sihuiEmbedHeight(h); });
// A parameter of the page's URL that the shell parsed (embed, lang, theme); the caller frees it.
EM_JS(char*, js_param, (const char* name), {
  var v = String((Module.sihuiParams || {})[UTF8ToString(name)] || "");
  var n = lengthBytesUTF8(v) + 1;
  var p = _malloc(n);
  stringToUTF8(v, p, n);
  return p;
});
// The accessibility mirror (shell/sihui-a11y.js): called after each drawn frame; it asks for the
// item table's changes (sihui_mirror_changes) only when its generation moved. cpp_ms: this frame's C++ share.
EM_JS(void, js_mirror, (double generation, double focus, int editing, double cpp_ms), {
  if (Module.sihuiMirror) Module.sihuiMirror(generation, focus, editing, cpp_ms);
});
EM_JS(void, js_a11y_settings, (int voice_on, int rate, const char* lang, int text_scale), {
  if (Module.sihuiA11ySettings) Module.sihuiA11ySettings(voice_on, rate, UTF8ToString(lang), text_scale);
});
EM_JS(int, js_demo_requested, (), { return /[?&]demo(=1|=true|&|$)/.test(location.search) ? 1 : 0; });

// [SECTION] Loading
namespace {
void load_account();  // [SECTION] Sync and account
void load_catalogs() {
  const char* files[][2] = {{"zh-CN", "/assets/lang/zh-CN.json"}, {"en", "/assets/lang/en.json"},
                            {"zh-CN", "/assets/lang/core.zh-CN.json"}, {"en", "/assets/lang/core.en.json"}};
  for (const auto& f : files) {
    auto text = store::read_file(f[1]);
    if (!text) continue;
    i18n::Lang lang{};
    i18n::lang_from_code(f[0], &lang);
    std::string err;
    if (!g.catalog.load(lang, *text, &err, /*merge=*/true)) {
      std::fprintf(stderr, "sihui: %s: %s\n", f[1], err.c_str());
    }
  }
}

void load_schema() {
  auto text = store::read_file("/assets/schema/ops.json");
  std::string err;
  if (!text || !g.schema.load(*text, &err)) std::fprintf(stderr, "sihui: schema: %s\n", text ? err.c_str() : "missing");
}

// The demo community: generated from its seed and replayed through the reducer, the same
// ops and the same state hash as the native tests (tests/core/demo_test.cpp).
void make_demo_community() {
  auto ops = core::make_demo(core::DemoOptions{});
  g.community = std::make_unique<core::Replica>(g.schema);
  g.community->apply_confirmed(ops);
}

// [SECTION] Operation log
// Opens (or reopens, in a read-only tab after the writer flushed) the log under /sihui/log.
void open_log() {
  if (g.schema.kinds().empty()) return;
  auto state = platform::storage_report().state;
  // Failed: no IndexedDB (private mode, or a news site's frame): the log lives in memory (MEMFS)
  // for this visit and sync still runs, so the app works online.
  const bool memory_only = state == platform::StorageState::Failed;
  if (state != platform::StorageState::Ready && state != platform::StorageState::ReadOnly && !memory_only) return;
  g.log = std::make_unique<store::LogStore>(g.schema, g.file_ops);
  g.log_open = g.log->open(platform::storage_root() + "/log");
  for (const auto& p : g.log_open.problems) {
    std::fprintf(stderr, "sihui: store: %s %s -> %s (%s)\n", p.code.c_str(), p.file.c_str(), p.moved_to.c_str(),
                 p.detail.c_str());
  }
  if (!g.log_open.ok) std::fprintf(stderr, "sihui: store did not open: %s\n", g.log_open.error.c_str());
  if (state == platform::StorageState::Ready) {
    g.store_notices.clear();
    for (const auto& p : g.log_open.problems) {
      if (std::find(g.store_notices.begin(), g.store_notices.end(), p.code) == g.store_notices.end()) {
        g.store_notices.push_back(p.code);
      }
    }
    if (!g.log_open.ok && !g.log_open.error.empty()) g.store_notices.push_back(g.log_open.error);
  }
  // A new store, or files set aside: that must reach IndexedDB too.
  if (state == platform::StorageState::Ready && (g.log_open.created || !g.log_open.problems.empty())) {
    platform::storage_wrote();
  }
  // Only the writer tab syncs (it is the one that may write what arrives).
  g.sync.reset();
  g.sync_store.reset();
  ++g.sync_gen;
  if ((state == platform::StorageState::Ready || memory_only) && g.log_open.ok) {
    g.sync_store = std::make_unique<sync::LogStoreSync>(*g.log);
    sync::Options o;
    o.seed = static_cast<std::uint64_t>(emscripten_get_now() * 1000.0) ^ g.sync_gen;
    o.poll_ms = 500;       // what another device did shows here within about a second
    o.pull_limit = 5000;   // the server's page limit: a long backlog comes back in few pages
    g.sync = std::make_unique<sync::Client>(g.schema, *g.sync_store, o);
    g.sync->set_token(g.token);
  }
}

// Saves one op made on this device. In a read-only tab it is handed to the writer tab instead.
nlohmann::json save_op(const std::string& op_text) {
  core::Op op;
  auto err = core::decode_op(g.schema, op_text, &op);
  if (err != core::DecodeError::ok) {
    return {{"ok", false}, {"error", {{"code", std::string(core::decode_error_code(err))}, {"message", "the op is malformed"}}}};
  }
  if (op.kind == core::Kind::unknown) {
    return {{"ok", false}, {"error", {{"code", "unknown_kind"}, {"message", "no op kind named '" + op.unknown_kind + "'"}}}};
  }
  if (!op.invalid.empty()) {
    return {{"ok", false}, {"error", {{"code", "invalid_payload"}, {"message", op.invalid}}}};
  }
  if (platform::storage_report().state == platform::StorageState::ReadOnly) {
    platform::storage_send_to_writer("op", op_text);
    return {{"ok", true}, {"value", {{"op", op.id}, {"handed_over", true}, {"gen", 0}}}};
  }
  if (!g.log || !g.log->is_open()) {
    return {{"ok", false}, {"error", {{"code", "store.not_open"}, {"message", "the device store is not open"}}}};
  }
  auto r = g.log->append_pending(op);
  if (!r.saved) return {{"ok", false}, {"error", {{"code", r.error}, {"message", "the op was not saved"}}}};
  auto gen = platform::storage_wrote();
  if (g.sync) g.sync->nudge(static_cast<std::int64_t>(emscripten_date_now()));
  if (!g.persist_asked) {
    g.persist_asked = true;
    js_request_persist();
  }
  return {{"ok", true},
          {"value", {{"op", op.id}, {"gen", gen}, {"accepted", r.outcome.accepted()}, {"reason", std::string(r.outcome.key())}}}};
}

std::string tr_text(const char* key) { return std::string(g.catalog.text(g.settings.lang, i18n::Key{key})); }

// Sentences of one message: Chinese ones follow each other directly, English ones after a space.
std::string then(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return a + b;
  return a + (g.settings.lang == i18n::Lang::en ? " " : "") + b;
}

// Imports a backup file's text; returns the result for the JS API and sets the message shown. The text is
// freed once parsed (a file with photos can be many MB); good photos go to the page, stored after the ops.
nlohmann::json import_backup(std::string text) {
  if (!g.log || !g.log->is_open() || platform::storage_report().state != platform::StorageState::Ready) {
    g.backup_message = tr_text("backup.not_ready");
    return {{"ok", false}, {"error", {{"code", "store.not_open"}, {"message", "the device store is not open"}}}};
  }
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  std::string().swap(text);
  photos_unstage();
  auto r = g.log->import_parsed(std::move(parsed), [](const store::ExportPhoto& ph) { return photos_stage(ph); });
  if (!r.ok) {
    photos_unstage();
    g.backup_message = tr_text(r.error.c_str());
    return {{"ok", false}, {"error", {{"code", r.error}, {"message", r.detail}}}};
  }
  platform::storage_wrote();
  auto added = std::to_string(r.confirmed_added + r.pending_added), skipped = std::to_string(r.skipped);
  g.import_message = i18n::format(tr_text("backup.imported"), {{"added", added}, {"skipped", skipped}});
  g.import_photos = r.photos_kept;
  g.import_bad = r.photos_bad;
  // The photos are stored by the page; "backup_photos_done" then finishes the message.
  g.backup_message.clear();
  g.backup_percent = 100;
  g.backup_progress = tr_text("backup.saving_photos");
  photos_commit(store::referenced_photos(g.log->replica().view()));
  return {{"ok", true},
          {"value", {{"confirmed_added", r.confirmed_added}, {"pending_added", r.pending_added}, {"skipped", r.skipped},
                     {"photos_in_file", r.photos_in_file}, {"photos_kept", r.photos_kept}, {"photos_bad", r.photos_bad}}}};
}

// The page stored an import's photos: failed = not stored, missing = referenced names the device lacks.
void import_photos_done(std::size_t failed, std::size_t missing) {
  g.backup_percent = -1;
  g.backup_progress.clear();
  std::size_t in = g.import_photos > failed ? g.import_photos - failed : 0;
  std::string msg = i18n::format(tr_text("backup.photos_in"), {{"kept", std::to_string(in)}});
  if (g.import_bad > 0) msg = then(msg, i18n::format(tr_text("backup.photos_bad"), {{"bad", std::to_string(g.import_bad)}}));
  if (failed > 0) msg = then(msg, i18n::format(tr_text("backup.photos_failed"), {{"n", std::to_string(failed)}}));
  msg = then(msg, missing > 0 ? i18n::format(tr_text("backup.photos_missing"), {{"missing", std::to_string(missing)}})
                              : tr_text("backup.photos_all_here"));
  g.backup_message = g.import_message + "\n" + msg;  // two status lines: the records, the photos
  photos_forget_missing();
}

// The core's text (ops, hashes, "photos":[]) goes to the page, which appends the device's photos and
// downloads the file, saying how far it is ("export_progress", then "export_done" or "export_failed").
void export_backup() {
  if (!g.log || !g.log->is_open()) {
    g.backup_message = tr_text("backup.not_ready");
    return;
  }
  std::string text = g.log->export_all();
  if (text.empty()) {
    g.backup_message = tr_text("backup.export_failed");
    return;
  }
  g.export_name = "sihui-backup-" + g.log->device_id().substr(0, 8) + "-" + core::format_date(static_cast<std::int64_t>(emscripten_date_now())) + ".json";
  g.export_ops = g.log->replica().pending().size() + static_cast<std::size_t>(g.log->stored_seq());
  g.backup_message.clear();
  g.backup_percent = 0;
  g.backup_progress = tr_text("backup.exporting_photos");
  photos_export(g.export_name, text);
}

void export_done(std::size_t photos, double bytes) {
  char size[32];  // as the storage line in Settings says sizes
  if (bytes >= 1e6) std::snprintf(size, sizeof size, "%.1f MB", bytes / 1e6);
  else std::snprintf(size, sizeof size, "%.0f KB", std::max(1.0, bytes / 1e3));
  g.backup_percent = -1;
  g.backup_progress.clear();
  g.backup_message = i18n::format(tr_text("backup.exported"), {{"ops", std::to_string(g.export_ops)}, {"photos", std::to_string(photos)},
                                                              {"size", size}, {"file", g.export_name}});
}

void settle_storage() {
  open_log();
  auto report = platform::storage_report();
  bool has_settings = false;
  if (report.state == platform::StorageState::Ready || report.state == platform::StorageState::ReadOnly) {
    bool writer = report.state == platform::StorageState::Ready;
    auto loaded = store::load_settings(platform::storage_root(), /*may_repair=*/writer);
    has_settings = loaded.found;
    g.settings = loaded.settings;
    g.settings_damaged = loaded.damaged;
    load_account();
    if (g.sync) g.sync->set_token(g.token);
    for (const auto& p : loaded.problems) std::fprintf(stderr, "sihui: settings: %s\n", p.c_str());
  }
  // ?lang= and ?theme=: the embed follows the news page; the full app only until it has settings.
  auto param = [](const char* name) {
    char* p = js_param(name);
    std::string v = p ? p : "";
    std::free(p);
    return v;
  };
  g.embed = param("embed");
  if (!g.embed.empty() || !has_settings) {
    i18n::Lang lang{};
    if (std::string l = param("lang"); !l.empty() && i18n::lang_from_code(l, &lang)) g.settings.lang = lang;
    if (param("theme") == "contrast") g.settings.high_contrast = true;
  }
  g.storage_settled = true;
  g.theme_dirty = true;
}

void merge_font(const std::string& path) {
  ImGuiIO& io = ImGui::GetIO();
  ImFontConfig cfg;
  cfg.MergeMode = true;
  cfg.PixelSnapH = true;
  if (!io.Fonts->AddFontFromFileTTF(path.c_str(), ui::kBaseFontPx, &cfg)) {
    std::fprintf(stderr, "sihui: could not add font %s\n", path.c_str());
    g.status.font_failed = true;
  }
  std::remove(path.c_str());  // the atlas keeps its own copy
}
}  // namespace

// [SECTION] Sync and account
namespace {
const char* kAccountFile = "/account.json";

void save_account() {
  nlohmann::json j = {{"token", g.token}, {"person", g.account.person}, {"login", g.account.login},
                      {"display", g.account.display}, {"roles", g.account.roles}, {"verified", g.account.verified}};
  if (!g.account.signed_in) j = nlohmann::json::object();
  auto state = platform::storage_report().state;
  if (state == platform::StorageState::ReadOnly) {
    // Another tab (or the other embed on a news page) writes and syncs: it must sign in too, or
    // what is done here would go out under its account, or not at all.
    g.account_handed_over = true;
    platform::storage_send_to_writer("account", j.dump());
    return;
  }
  if (state != platform::StorageState::Ready) return;
  std::string err;
  if (store::write_file_atomic(platform::storage_root() + kAccountFile, j.dump(), &err)) platform::storage_wrote();
  else std::fprintf(stderr, "sihui: saving the account failed: %s\n", err.c_str());
}

void load_account() {
  auto text = store::read_file(platform::storage_root() + kAccountFile);
  g.account = ui::Account{};
  g.token.clear();
  if (!text) return;
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object() || !j.contains("token") || !j["token"].is_string() || j["token"].get<std::string>().empty()) return;
  auto str = [&](const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string(); };
  g.token = str("token");
  g.account.signed_in = true;
  g.account.person = str("person");
  g.account.login = str("login");
  g.account.display = str("display");
  g.account.verified = !j.contains("verified") || !j["verified"].is_boolean() || j["verified"].get<bool>();
  if (j.contains("roles") && j["roles"].is_array())
    for (const auto& r : j["roles"])
      if (r.is_string()) g.account.roles.push_back(r.get<std::string>());
}

std::string device_id() { return g.log && g.log->is_open() ? g.log->device_id() : std::string(); }

void sync_step() {
  if (!g.sync || !g.log || !g.log->is_open()) return;
  double now = emscripten_date_now();
  if (auto req = g.sync->poll(static_cast<std::int64_t>(now))) {
    platform::HttpCall call;
    call.id = (g.sync_gen << 32) | req->id;
    call.method = req->method;
    call.path = req->path;
    call.body = req->body;
    call.token = g.token;
    call.device = device_id();
    platform::http_send(call);
  }
  // An unverified resident: ask now and then whether the office has verified them, and at once when
  // the office's verification (the person's person.add) has arrived in the pulled log.
  bool arrived = false;
  if (g.account.signed_in && !g.account.verified && !g.account.person.empty() && g.log && g.log->is_open())
    arrived = g.log->replica().view().persons.count(g.account.person) > 0 && now - g.last_me > 2000;
  if (g.account.signed_in && !g.account.verified && g.account_call == 0 && (arrived || now - g.last_me > 30000)) {
    g.last_me = now;
    g.account_call = static_cast<std::uint64_t>(kAccountIds) + 1;
    platform::http_send({g.account_call, "GET", "/api/v1/me", "", g.token, device_id(), 15000});
  }
}

void account_request(const char* path, nlohmann::json body) {
  if (g.account_call != 0 || !g.log || !g.log->is_open()) return;
  body["device"] = device_id();
  static std::uint64_t n = 1;
  g.account_call = static_cast<std::uint64_t>(kAccountIds) + (++n);
  g.account.busy = true;
  g.account.message.clear();
  platform::http_send({g.account_call, "POST", path, body.dump(), "", device_id(), 20000});
}

// Roles as the server sends them ({role, scope} objects) to "role" / "role:scope" strings.
std::vector<std::string> role_strings(const nlohmann::json& roles) {
  std::vector<std::string> out;
  if (!roles.is_array()) return out;
  for (const auto& r : roles) {
    if (r.is_string()) out.push_back(r.get<std::string>());
    else if (r.is_object() && r.contains("role") && r["role"].is_string()) {
      std::string s = r["role"].get<std::string>();
      if (r.contains("scope") && r["scope"].is_string() && !r["scope"].get<std::string>().empty())
        s += ":" + r["scope"].get<std::string>();
      out.push_back(s);
    }
  }
  return out;
}

void account_response(int status, const std::string& body) {
  g.account_call = 0;
  g.account.busy = false;
  auto j = nlohmann::json::parse(body, nullptr, false);
  auto str = [&](const char* k) { return j.is_object() && j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string(); };
  if (status == 200 && j.is_object() && !str("token").empty()) {  // login, claim, register
    g.token = str("token");
    g.account.signed_in = true;
    g.account.person = str("person");
    if (!str("login").empty()) g.account.login = str("login");
    if (!str("name").empty()) g.account.display = str("name");
    g.account.roles = role_strings(j.contains("roles") ? j["roles"] : nlohmann::json());
    g.account.verified = !(j.contains("verified") && j["verified"].is_boolean() && !j["verified"].get<bool>());
    g.account.message = tr_text(g.account.verified ? "account.signed_in" : "account.registered");
    save_account();
    if (g.sync) {
      g.sync->set_token(g.token);
      g.sync->nudge(static_cast<std::int64_t>(emscripten_date_now()));
    }
    return;
  }
  if (status == 200 && j.is_object()) {  // /me
    bool verified = !(j.contains("verified") && j["verified"].is_boolean() && !j["verified"].get<bool>());
    if (j.contains("roles")) g.account.roles = role_strings(j["roles"]);
    if (verified != g.account.verified) {
      g.account.verified = verified;
      if (verified) g.account.message = tr_text("account.verified");
      save_account();
      if (g.sync) g.sync->nudge(static_cast<std::int64_t>(emscripten_date_now()));
    }
    return;
  }
  std::string code = status == 0 ? "sync.offline" : "sync.http_error";
  if (j.is_object() && j.contains("error") && j["error"].is_object() && j["error"].contains("code") &&
      j["error"]["code"].is_string())
    code = j["error"]["code"].get<std::string>();
  g.account.message = tr_text(code.c_str());
}

ui::SyncView sync_view();

// What the screens show of sync: redraw when it changes, not on every answer.
// (Pushing and pulling are not shown as such, and the time of the last sync is read when a frame
// is drawn anyway: neither is worth a frame of its own every half second.)
std::string sync_signature() {
  auto v = sync_view();
  bool plain = v.phase_key == "sync.phase.pushing" || v.phase_key == "sync.phase.pulling" || v.phase_key == "sync.phase.idle";
  std::string phase = plain ? "" : v.phase_key;
  return phase + "|" + v.error_key + "|" + std::to_string(v.pending) + "|" + std::to_string(v.refused.size()) + "|" +
         std::to_string(v.last_synced_ms > 0) + "|" + std::to_string(g.log ? g.log->stored_seq() : 0);
}

void on_http(double id, int status, const std::string& body) {
  if (life_http(id, status, body)) return;
  if (id >= kAccountIds) {
    if (static_cast<std::uint64_t>(id) == g.account_call) account_response(status, body);
    wake();
    return;
  }
  std::string before = sync_signature();
  struct Redraw {
    std::string& before;
    ~Redraw() {
      if (sync_signature() != before) wake();
    }
  } redraw{before};
  auto whole = static_cast<std::uint64_t>(id);
  if (!g.sync || (whole >> 32) != g.sync_gen) return;  // an answer to a client that no longer exists
  auto seq = g.log->stored_seq();
  auto pending = g.log->replica().pending().size();
  auto refused = g.log->refused().size();
  auto epoch = g.log->epoch();
  auto pushed = g.sync->status().pushed_ops;
  g.sync->on_response(whole & 0xffffffffu, sync::Response{status, body}, static_cast<std::int64_t>(emscripten_date_now()));
  // The server took this account's ops: it has been verified (without waiting for the next /me).
  if (g.account.signed_in && !g.account.verified && g.sync->status().pushed_ops > pushed) {
    g.account.verified = true;
    g.account.message = tr_text("account.verified");
    save_account();
  }
  if (g.log->stored_seq() != seq || g.log->replica().pending().size() != pending || g.log->refused().size() != refused ||
      g.log->epoch() != epoch)
    platform::storage_wrote();
  sync_step();  // the next page, or the pull after a push
}

ui::SyncView sync_view() {
  ui::SyncView v;
  if (!g.sync || !g.log || !g.log->is_open()) return v;
  const auto& st = g.sync->status();
  v.enabled = true;
  v.phase_key = std::string(sync::phase_key(st.phase));
  v.error_key = st.error;
  v.last_synced_ms = st.last_synced_ms;
  v.pending = g.log->replica().pending().size();
  for (const auto& r : g.log->refused()) v.refused.emplace_back(std::string(core::kind_name(r.op.kind)), r.code);
  return v;
}
}  // namespace

// The page's timer: answers that arrived while no animation frame runs (a hidden tab) are taken
// here; anything else waiting in the queue asks for a frame.
void sync_tick() {
  std::vector<Event> rest;
  for (auto& e : g.queue) {
    if (e.kind == "http") {
      on_http(e.a, static_cast<int>(e.b), e.text);
    } else if (e.kind == "online") {  // the network is back: pending ops go out now, hidden tab or not
      g.status.online = e.a != 0;
      if (g.status.online && g.sync) g.sync->nudge(static_cast<std::int64_t>(emscripten_date_now()));
      wake();
    } else {
      rest.push_back(std::move(e));
    }
  }
  g.queue = std::move(rest);
  if (!g.queue.empty()) wake();
  sync_step();
  photos_tick(g.status.online, g.token, device_id());
  life_remind(g.settings, g.catalog, g.log && g.log->is_open() ? &g.log->replica().view() : nullptr, g.account.person,
              emscripten_date_now());
}

nlohmann::json sync_view_json() {
  auto v = sync_view();
  nlohmann::json refused = nlohmann::json::array();
  for (const auto& [kind, code] : v.refused) refused.push_back({{"kind", kind}, {"code", code}});
  nlohmann::json j = {{"enabled", v.enabled}, {"phase", v.phase_key}, {"error", v.error_key},
                      {"last_synced_ms", v.last_synced_ms}, {"pending", v.pending}, {"refused", refused},
                      {"signed_in", g.account.signed_in}, {"person", g.account.person}, {"verified", g.account.verified},
                      {"account_message", g.account.message}, {"account_busy", g.account.busy}};
  if (g.sync) {
    const auto& st = g.sync->status();
    j["server_seq"] = st.server_seq;
    j["pushed"] = st.pushed_ops;
    j["pulled"] = st.pulled_ops;
    j["requests"] = st.requests;
  }
  if (g.log && g.log->is_open()) {
    j["stored_seq"] = g.log->stored_seq();
    j["epoch"] = g.log->epoch();
    j["snapshot_seq"] = g.sync ? g.sync->status().snapshot_seq : 0;
  }
  return j;
}

// [SECTION] Actions from the UI
namespace {
void apply_actions(std::vector<ui::UiAction>& actions) {
  for (auto& a : actions) {
    if (life_action(a, g.token, device_id())) continue;
    if (photos_action(a)) continue;
    if (auto* change = std::get_if<settings::Change>(&a)) {
      auto next = settings::apply(g.settings, *change);
      if (next == g.settings) continue;
      bool look = next.text_scale != g.settings.text_scale || next.high_contrast != g.settings.high_contrast;
      g.settings = next;
      if (look) g.theme_dirty = true;
      std::string err;
      auto state = platform::storage_report().state;
      if (state == platform::StorageState::ReadOnly) {
        // Another tab writes: hand the change over; it saves and tells every tab to reload.
        g.handed_over = true;
        platform::storage_send_to_writer("settings", settings::serialise(g.settings));
      } else if (state == platform::StorageState::Ready &&
                 store::save_settings(platform::storage_root(), g.settings, &err) == 0) {
        std::fprintf(stderr, "sihui: saving settings failed: %s\n", err.c_str());
      }
      if (!g.persist_asked) {
        g.persist_asked = true;
        js_request_persist();
      }
    } else if (std::holds_alternative<ui::DismissDamagedNotice>(a)) {
      g.settings_damaged = false;
    } else if (std::holds_alternative<ui::RefreshStorageEstimate>(a)) {
      js_request_estimate();
    } else if (std::holds_alternative<ui::ExportAll>(a)) {
      g.backup_message = tr_text("backup.exporting");
      g.export_step = 1;
      wake();
    } else if (std::holds_alternative<ui::ImportFile>(a)) {
      g.backup_message.clear();
      js_choose_import_file();
    } else if (std::holds_alternative<ui::ChooseGeoJson>(a)) {
      js_choose_geojson(static_cast<double>(core::kMaxGeoJsonBytes));
    } else if (std::holds_alternative<ui::DismissStoreNotice>(a)) {
      g.store_notices.clear();
      g.backup_message.clear();
    } else if (auto* op = std::get_if<ui::SubmitOp>(&a)) {
      auto payload = nlohmann::json::parse(op->payload, nullptr, false);
      if (payload.is_object()) {
        nlohmann::json j = {{"id", op->id.empty() ? platform::random_op_id() : op->id}, {"kind", op->kind},
                            {"author", g.account.person.empty() ? "guest" : g.account.person}, {"device", device_id()},
                            {"made_at", static_cast<std::int64_t>(emscripten_date_now())}, {"payload", payload}};
        save_op(j.dump());
      }
    } else if (auto* in = std::get_if<ui::SignIn>(&a)) {
      account_request("/api/v1/login", {{"login", in->login}, {"password", in->password}});
      g.account.login = in->login;
    } else if (auto* claim = std::get_if<ui::ClaimInvite>(&a)) {
      account_request("/api/v1/claim", {{"code", claim->code}});
    } else if (auto* reg = std::get_if<ui::Register>(&a)) {
      account_request("/api/v1/register",
                      {{"name", reg->name}, {"phone", reg->phone}, {"birth_year", reg->birth_year}, {"unit", reg->unit}});
      g.account.display = reg->name;
    } else if (std::holds_alternative<ui::SignOut>(a)) {
      life_signed_out();
      g.account = ui::Account{};
      g.token.clear();
      save_account();
      if (g.sync) g.sync->set_token("");
    } else if (auto* d = std::get_if<ui::Download>(&a)) {
      js_download(d->name.c_str(), d->text.data(), d->text.size(),
                  d->name.ends_with(".csv")       ? "text/csv;charset=utf-8"
                  : d->name.ends_with(".geojson") ? "application/geo+json"
                                                  : "application/octet-stream");
    } else if (std::holds_alternative<ui::ApplyUpdate>(a)) {
      // Checked again here: the button may have been pressed in the frame a save started.
      ui::UiModel now;
      now.status = g.status;
      now.status.storage = platform::storage_report();
      now.status.handed_over = g.handed_over;
      now.sync = sync_view();
      if (g.update_ready && ui::all_records_saved(now) && !ui::has_unsaved_input()) {
        platform::storage_wrote();  // settings and all: one last flush (nothing new: a no-op)
        js_apply_update();
      }
    } else if (std::holds_alternative<ui::OpenFullApp>(a)) {
      js_open_full_app();
    } else if (std::holds_alternative<ui::SyncNow>(a)) {
      if (g.sync) g.sync->nudge(static_cast<std::int64_t>(emscripten_date_now()));
      sync_step();
    }
  }
  actions.clear();
}

// Writer tab: a read-only tab handed over its settings.
void receive_from_tab(const std::string& text) {
  auto msg = nlohmann::json::parse(text, nullptr, false);
  if (!msg.is_object() || !msg.contains("kind") || !msg.contains("body") || !msg["body"].is_string()) return;
  if (msg["kind"] == "op") {
    save_op(msg["body"].get<std::string>());
    return;
  }
  if (msg["kind"] == "account") {
    // A read-only tab signed in or out: the same account here, saved, and sync goes on with it.
    auto j = nlohmann::json::parse(msg["body"].get<std::string>(), nullptr, false);
    if (!j.is_object()) return;
    std::string err;
    if (!store::write_file_atomic(platform::storage_root() + kAccountFile, j.dump(), &err)) {
      std::fprintf(stderr, "sihui: saving the account from another tab failed: %s\n", err.c_str());
      return;
    }
    load_account();
    platform::storage_wrote();
    if (g.sync) {
      g.sync->set_token(g.token);
      g.sync->nudge(static_cast<std::int64_t>(emscripten_date_now()));
    }
    wake();
    return;
  }
  if (msg["kind"] != "settings") return;
  auto parsed = settings::parse(msg["body"].get<std::string>());
  if (parsed.unreadable || !parsed.problems.empty() || parsed.settings == g.settings) return;
  bool look = parsed.settings.text_scale != g.settings.text_scale || parsed.settings.high_contrast != g.settings.high_contrast;
  g.settings = parsed.settings;
  if (look) g.theme_dirty = true;
  std::string err;
  if (store::save_settings(platform::storage_root(), g.settings, &err) == 0) {
    std::fprintf(stderr, "sihui: saving settings from another tab failed: %s\n", err.c_str());
  }
}

// Read-only tab: the writer flushed; its files were reloaded into this tab.
void reload_after_writer() {
  open_log();
  // The account as the writer saved it, unless a sign-in made here has not reached it yet.
  {
    ui::Account mine = g.account;
    std::string my_token = g.token;
    load_account();
    if (g.account_handed_over && g.token != my_token) {
      g.account = mine;
      g.token = my_token;
    } else {
      g.account_handed_over = false;
      if (g.token == my_token) g.account = mine;  // keep this tab's words (messages) for the same account
    }
  }
  auto loaded = store::load_settings(platform::storage_root(), /*may_repair=*/false);
  if (!loaded.found) return;
  if (g.handed_over && !(loaded.settings == g.settings)) return;  // ours is not saved there yet
  g.handed_over = false;
  if (!(loaded.settings == g.settings)) {
    g.settings = loaded.settings;
    g.theme_dirty = true;
  }
}

// The writer tab closed: this tab writes now. A change still waiting to be handed over is saved.
void take_over() {
  open_log();
  auto loaded = store::load_settings(platform::storage_root());
  if (g.handed_over) {
    std::string err;
    store::save_settings(platform::storage_root(), g.settings, &err);
    g.handed_over = false;
  } else if (loaded.found && !(loaded.settings == g.settings)) {
    g.settings = loaded.settings;
    g.theme_dirty = true;
  }
}

void drain_events() {
  auto events = std::move(g.queue);
  g.queue.clear();
  for (auto& e : events) {
    if (life_event(e)) continue;
    if (photos_event(e)) continue;
    if (e.kind == "storage_loaded") settle_storage();
    else if (e.kind == "tab_message") receive_from_tab(e.text);
    else if (e.kind == "storage_reloaded") reload_after_writer();
    else if (e.kind == "became_writer") take_over();
    else if (e.kind == "update_ready") g.update_ready = true;
    else if (e.kind == "online") {
      g.status.online = e.a != 0;
      if (g.status.online && g.sync) g.sync->nudge(static_cast<std::int64_t>(emscripten_date_now()));
    } else if (e.kind == "visible") {
      if (g.sync) g.sync->nudge(static_cast<std::int64_t>(emscripten_date_now()));
    } else if (e.kind == "http") on_http(e.a, static_cast<int>(e.b), e.text);
    else if (e.kind == "font_progress") g.status.font_percent = std::clamp(static_cast<int>(e.a), 0, 99);
    else if (e.kind == "font_ready") merge_font(e.text);
    else if (e.kind == "font_done") g.status.font_percent = 100;
    else if (e.kind == "font_failed") { g.status.font_failed = true; g.status.font_percent = -1; }
    else if (e.kind == "estimate") { g.status.storage_used = e.a; g.status.storage_quota = e.b; }
    else if (e.kind == "import_progress") { g.backup_progress.clear(); g.backup_percent = std::clamp(static_cast<int>(e.a), 0, 100); }
    else if (e.kind == "export_progress") g.backup_percent = std::clamp(static_cast<int>(e.a), 0, 100);
    else if (e.kind == "export_done") export_done(static_cast<std::size_t>(e.a), e.b);
    else if (e.kind == "export_failed") { g.backup_percent = -1; g.backup_progress.clear(); g.backup_message = tr_text("backup.export_failed"); }
    else if (e.kind == "backup_photos_done") import_photos_done(static_cast<std::size_t>(e.a), static_cast<std::size_t>(e.b));
    else if (e.kind == "import_failed") { g.backup_percent = -1; g.backup_message = tr_text("backup.read_failed"); }
    else if (e.kind == "geojson_ready" || e.kind == "geojson_too_big" || e.kind == "geojson_failed") {
      // A map file (map_edit.cpp reads it when the serial changes; it changes nothing by itself).
      g.geojson_text.clear();
      if (e.kind == "geojson_ready") {
        auto text = store::read_file(e.text);
        std::remove(e.text.c_str());
        if (text) g.geojson_text = std::move(*text);
        g.geojson.failed = !text;
      } else {
        g.geojson.failed = e.kind == "geojson_failed";
      }
      g.geojson.too_big = e.kind == "geojson_too_big";
      g.geojson.text = &g.geojson_text;
      ++g.geojson.serial;
      wake();
    } else if (e.kind == "import_ready") {
      g.backup_percent = -1;
      auto text = store::read_file(e.text);
      std::remove(e.text.c_str());
      if (text) import_backup(std::move(*text));
      else g.backup_message = tr_text("backup.read_failed");
    }
  }
}
}  // namespace

// The page's 1 s timer, after sync: events that would wait for an animation frame are handled now.
// A frame the browser does not draw (a hidden tab, an embed scrolled out of view, where rAF is
// throttled) still reloads what the writer tab saved and takes over as writer.
void drain_without_frames() {
  if (!g.queue.empty()) drain_events();
}

// [SECTION] Frame
namespace {
void apply_touch_scroll() {
  if (g.touch_scroll_pick) {
    // The window under the finger when the touch began: its nearest scrollable ancestor.
    ImGuiWindow* w = GImGui->HoveredWindow;
    while (w && w->ScrollMax.y <= 0 && w->ParentWindow) w = w->ParentWindow;
    g.scroll_target = w;
    g.touch_scroll_pick = false;
  }
  if (g.scroll_target && (g.pending_scroll_x != 0 || g.pending_scroll_y != 0)) {
    ImGui::SetScrollY(g.scroll_target, std::clamp(g.scroll_target->Scroll.y - g.pending_scroll_y, 0.0f,
                                                  g.scroll_target->ScrollMax.y));
  }
  g.pending_scroll_x = g.pending_scroll_y = 0;
}

// The part of a frame the screens control, ImGui's NewFrame to Render: the benchmarks' "UI" time.
void build_ui(std::vector<ui::UiAction>& actions) {
  ImGui_ImplOpenGL3_NewFrame();
  ui::item_table().begin_frame();
  GImGui->TestEngineHookItems = true;
  ImGui::NewFrame();
  apply_touch_scroll();
  if (g.storage_settled) {
    ui::UiModel model;
    model.settings = &g.settings;
    model.catalog = &g.catalog;
    model.status = g.status;
    model.status.storage = platform::storage_report();
    model.settings_damaged = g.settings_damaged;
    model.status.handed_over = g.handed_over;
    model.store_open = g.log && g.log->is_open();
    model.store_notices = g.store_notices;
    model.backup_message = g.backup_message;
    model.backup_percent = g.backup_percent;
    model.backup_progress = g.backup_progress;
    // The community this device holds (synced), else the demo when asked for.
    if (g.log && g.log->is_open() && g.log->replica().view().initialised) model.community = &g.log->replica().view();
    else model.community = g.community ? &g.community->view() : nullptr;
    model.account = g.account;
    model.sync = sync_view();
    model.now_ms = static_cast<std::int64_t>(emscripten_date_now());
    model.pinch = g.pinch;
    model.geojson = g.geojson;
    if (g.log && g.log->is_open()) model.replica = &g.log->replica();
    model.demo = g.demo_step == 3;
    model.demo_loading = g.demo_step == 1 || g.demo_step == 2;
    model.update_ready = g.update_ready;
    model.embed = g.embed;
    life_fill(model);
    photos_fill(model);
    auto before = g.app.screen();
    g.app.draw(model, actions);
    photos_after_frame(g.frame_count, g.token, device_id());
    if (g.app.screen() != before) wake();  // the new screen settles its layout and scroll
  } else {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::Begin("##loading", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
    ImGui::TextUnformatted(std::string(g.catalog.text(g.settings.lang, i18n::Key{"status.loading"})).c_str());
    ImGui::End();
  }
  ui::a11y_draw_focus_ring();
  ImGui::Render();
}

// For benchmarks (sihui_trace_ui): the UI part run inside the page's Module.sihuiUiTraced, which
// wraps it in a DOM event so that a Chrome trace records the main thread's CPU time of it (tdur),
// not only the wall clock, which on a busy machine includes the time the thread waits for a core.
EM_JS(void, js_build_ui_traced, (), {
  if (Module.sihuiUiTraced) Module.sihuiUiTraced(); else Module._sihui_build_ui();
});

void frame() {
  double now = emscripten_get_now();
  g.last_loop = now;
  if (!g.queue.empty()) drain_events();
  sync_step();
  if (g.touch.active()) {
    // A long press fires on time even when nothing else happens.
    for (const auto& a : g.touch.tick(now)) {
      ImGuiIO& io = ImGui::GetIO();
      if (a.kind == ui::PointerAction::Move) io.AddMousePosEvent(a.x, a.y);
      if (a.kind == ui::PointerAction::MoveAway) io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);
      if (a.kind == ui::PointerAction::Down) io.AddMouseButtonEvent(a.button, true);
      if (a.kind == ui::PointerAction::Up) io.AddMouseButtonEvent(a.button, false);
      wake();
    }
  }
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput && now - g.last_draw > 530) wake(1);  // the caret blinks
  if (g.frames_left <= 0) return;
  g.frames_left--;
  const double frame_t0 = emscripten_get_now();

  if (g.theme_dirty) {
    ui::apply_theme(g.settings.high_contrast, static_cast<float>(g.settings.text_scale) / 100.0f, g.dpr);
    g.theme_dirty = false;
  }
  io.DisplaySize = ImVec2(static_cast<float>(g.fb_w), static_cast<float>(g.fb_h));
  io.DisplayFramebufferScale = ImVec2(1, 1);
  io.DeltaTime = static_cast<float>(std::clamp((now - g.last_time) / 1000.0, 1e-4, 0.5));
  g.last_time = now;

  std::vector<ui::UiAction> actions;
  if (g.trace_ui) {
    g.traced_actions = &actions;
    js_build_ui_traced();
    g.traced_actions = nullptr;
  } else {
    build_ui(actions);
  }
  const double frame_ui = emscripten_get_now() - frame_t0;
  const double mirror_t0 = emscripten_get_now();
  ui::item_table().end_frame();
  {
    bool editing = false;
    std::uint32_t focus = ui::a11y_focus_id(&editing);
    js_mirror(static_cast<double>(ui::item_table().generation()), static_cast<double>(focus), editing ? 1 : 0,
              emscripten_get_now() - mirror_t0);
    const auto& st = g.settings;
    if (!g.a11y_told || st.voice_reading != g.a11y_told->voice_reading || st.voice_rate != g.a11y_told->voice_rate ||
        st.lang != g.a11y_told->lang || st.text_scale != g.a11y_told->text_scale) {
      g.a11y_told = st;
      js_a11y_settings(st.voice_reading ? 1 : 0, st.voice_rate, std::string(i18n::lang_code(st.lang)).c_str(),
                       st.text_scale);
    }
  }

  glViewport(0, 0, g.fb_w, g.fb_h);
  ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  if (g.frame_ms.size() < 1000) {
    g.frame_ms.push_back(emscripten_get_now() - frame_t0);
    g.frame_ui_ms.push_back(frame_ui);
  }
  g.frame_count++;
  g.last_draw = now;
  if (g.frame_count == 1) js_first_frame();
  if (!g.embed.empty() && g.app.content_height() > 0) {
    float h = g.app.content_height() / g.dpr;
    if (std::abs(h - g.embed_height) >= 1) {
      g.embed_height = h;
      js_embed_height(h);
    }
  }
  apply_actions(actions);
  // ImGui trickles queued input over several frames (position, then press, then release):
  // keep drawing until the queue is empty, then a few more so the result settles.
  if (!actions.empty() || io.InputQueueCharacters.Size > 0 || GImGui->InputEventsQueue.Size > 0) wake();

  if (!g.ready_announced && g.storage_settled) {
    g.ready_announced = true;
    js_announce_ready();
    js_start_full_font();
    if (js_demo_requested()) g.demo_step = 1;
  }
  if (g.export_step == 2) {
    export_backup();
    g.export_step = 0;
    wake();
  } else if (g.export_step == 1) {
    g.export_step = 2;
    wake();
  }
  // The demo takes a moment: one frame says so, the next one makes it.
  if (g.demo_step == 2) {
    make_demo_community();
    g.demo_step = 3;
    wake();
  } else if (g.demo_step == 1) {
    g.demo_step = 2;
    wake();
  }
}
}  // namespace

}  // namespace sihui::web

// [SECTION] Exports for shell/sihui-pre.js
using sihui::web::g;
using sihui::web::wake;

namespace {
void pointer_actions(const std::vector<sihui::ui::PointerAction>& acts) {
  ImGuiIO& io = ImGui::GetIO();
  for (const auto& a : acts) {
    switch (a.kind) {
      case sihui::ui::PointerAction::Move: io.AddMousePosEvent(a.x, a.y); break;
      case sihui::ui::PointerAction::MoveAway: io.AddMousePosEvent(-FLT_MAX, -FLT_MAX); break;
      case sihui::ui::PointerAction::Down: io.AddMouseButtonEvent(a.button, true); break;
      case sihui::ui::PointerAction::Up: io.AddMouseButtonEvent(a.button, false); break;
      case sihui::ui::PointerAction::Scroll:
        g.pending_scroll_x += a.x;
        g.pending_scroll_y += a.y;
        break;
    }
  }
}
}  // namespace

extern "C" {

// Every 500 ms from a timer: when the main loop has not run for a while (a hidden tab, an embed
// scrolled out of view: the browser stops animation frames there), take in what storage, the
// other tabs and the network said and let sync go on, without drawing. The next drawn frame
// shows the result.
EMSCRIPTEN_KEEPALIVE void sihui_background_tick() {
  if (emscripten_get_now() - g.last_loop < 400) return;  // the main loop does this itself
  if (!g.queue.empty()) sihui::web::drain_events();
  sihui::web::sync_step();
}

EMSCRIPTEN_KEEPALIVE void sihui_resize(float css_w, float css_h, float dpr) {
  if (dpr <= 0) dpr = 1;
  bool dpr_changed = dpr != g.dpr;
  g.css_w = css_w;
  g.css_h = css_h;
  g.dpr = dpr;
  g.fb_w = std::max(1, static_cast<int>(std::lround(css_w * dpr)));
  g.fb_h = std::max(1, static_cast<int>(std::lround(css_h * dpr)));
  sihui::platform::text_input_set_dpr(dpr);
  if (dpr_changed) g.theme_dirty = true;
  wake();
}

// kind: 0 down, 1 move, 2 up, 3 cancel. Coordinates in CSS px of the canvas.
EMSCRIPTEN_KEEPALIVE void sihui_pointer(int kind, float x, float y, int button, int is_touch, int id) {
  float fx = x * g.dpr, fy = y * g.dpr;
  double now = emscripten_get_now();
  ImGuiIO& io = ImGui::GetIO();
  if (is_touch) {
    io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
    g.touch.slop_px = 0.6f * sihui::ui::kBaseFontPx * g.dpr;
    auto update_pinch = [&] {
      auto a = g.fingers.begin(), b = std::next(a);
      g.pinch.ax = a->second.first;
      g.pinch.ay = a->second.second;
      g.pinch.bx = b->second.first;
      g.pinch.by = b->second.second;
    };
    if (kind == 0) {
      if (g.fingers.size() >= 2) return;  // a third finger: ignored
      g.fingers[id] = {fx, fy};
      if (g.fingers.size() == 1) {
        const auto* item = sihui::ui::item_table().hit(fx, fy);
        bool drag = item && (item->role == sihui::ui::Role::Slider || item->role == sihui::ui::Role::Canvas);
        g.primary_finger = id;
        g.finger_on_canvas = item && item->role == sihui::ui::Role::Canvas;
        g.pinch_done = false;
        g.touch_scroll_pick = true;
        pointer_actions(g.touch.down(fx, fy, now, drag));
      } else if (g.finger_on_canvas) {  // the second finger on the map: pinch, and the first one's press is cancelled
        pointer_actions(g.touch.cancel());
        g.pinch.active = true;
        ++g.pinch.serial;
        update_pinch();
      }
    } else if (kind == 1) {
      auto f = g.fingers.find(id);
      if (f == g.fingers.end()) return;
      f->second = {fx, fy};
      if (g.pinch.active) update_pinch();
      else if (id == g.primary_finger && !g.pinch_done) pointer_actions(g.touch.move(fx, fy, now));
    } else {
      if (!g.fingers.erase(id)) return;
      if (g.pinch.active) {
        g.pinch.active = false;
        g.pinch_done = true;
      } else if (id == g.primary_finger && !g.pinch_done) {
        pointer_actions(kind == 2 ? g.touch.up(fx, fy, now) : g.touch.cancel());
      }
      if (id == g.primary_finger) g.primary_finger = -1;
    }
  } else {
    io.AddMouseSourceEvent(ImGuiMouseSource_Mouse);
    if (kind == 3) {
      io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);
    } else {
      io.AddMousePosEvent(fx, fy);
    }
    int b = button == 2 ? 1 : button == 1 ? 2 : button;
    if ((kind == 0 || kind == 2) && b >= 0 && b < 5) io.AddMouseButtonEvent(b, kind == 0);
  }
  wake();
}

EMSCRIPTEN_KEEPALIVE void sihui_wheel(float dx, float dy) {
  ImGui::GetIO().AddMouseWheelEvent(dx, dy);
  wake();
}

EMSCRIPTEN_KEEPALIVE void sihui_key(const char* code, int down, int mods) {
  ImGuiIO& io = ImGui::GetIO();
  std::string c = code ? code : "";
  // Tab walks every item of the page in the order drawn, across child windows (ImGui's own Tab
  // stays inside one window); ImGui never sees it.
  if (c == "Tab" && !(mods & (1 | 4 | 8))) {
    if (down) sihui::ui::a11y_tab((mods & 2) != 0);
    wake(3);
    return;
  }
  if (c == "Escape" && down) sihui::ui::a11y_back();
  io.AddKeyEvent(ImGuiMod_Ctrl, (mods & 1) != 0);
  io.AddKeyEvent(ImGuiMod_Shift, (mods & 2) != 0);
  io.AddKeyEvent(ImGuiMod_Alt, (mods & 4) != 0);
  io.AddKeyEvent(ImGuiMod_Super, (mods & 8) != 0);
  ImGuiKey key = sihui::web::key_from_dom_code(code ? code : "");
  if (key != ImGuiKey_None) io.AddKeyEvent(key, down != 0);
  wake();
}

EMSCRIPTEN_KEEPALIVE void sihui_text(const char* utf8) {
  if (utf8 && *utf8) ImGui::GetIO().AddInputCharactersUTF8(utf8);
  wake();
}

EMSCRIPTEN_KEEPALIVE void sihui_focus(int focused) {
  ImGui::GetIO().AddFocusEvent(focused != 0);
  wake();
}

EMSCRIPTEN_KEEPALIVE void sihui_post(const char* kind, double a, double b, const char* text) {
  g.queue.push_back({kind ? kind : "", a, b, text ? text : ""});
  wake();
}

EMSCRIPTEN_KEEPALIVE void sihui_wake() { wake(); }

// Benchmarks: run each frame's UI part through Module.sihuiUiTraced (1) or directly (0), see build_ui.
EMSCRIPTEN_KEEPALIVE void sihui_trace_ui(int on) { g.trace_ui = on != 0; }
EMSCRIPTEN_KEEPALIVE void sihui_build_ui() {
  if (g.traced_actions) sihui::web::build_ui(*g.traced_actions);
}

// The page's 1 s timer: sync goes on while the page is hidden (no animation frames then).
EMSCRIPTEN_KEEPALIVE void sihui_tick() {
  sihui::web::sync_tick();
  sihui::web::drain_without_frames();
}

// The JS API's export and import (the screens use the same functions through their buttons).
EMSCRIPTEN_KEEPALIVE const char* sihui_export_all() {
  g.json_out = g.log && g.log->is_open() ? g.log->export_all() : std::string();
  return g.json_out.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* sihui_import_file(const char* path) {
  auto text = sihui::store::read_file(path ? path : "");
  if (path) std::remove(path);
  auto out = text ? sihui::web::import_backup(std::move(*text))
                  : nlohmann::json{{"ok", false}, {"error", {{"code", "backup.read_failed"}, {"message", "cannot read the file"}}}};
  wake();
  g.json_out = out.dump();
  return g.json_out.c_str();
}

// Makes an op of this device ({kind, payload}) and saves it: the automation/embedding path to
// the same store the screens will use. Returns {"ok", "value": {op, gen, accepted, reason}}.
EMSCRIPTEN_KEEPALIVE const char* sihui_act(const char* kind, const char* payload_json) {
  // (No extra frames here: saving wakes the one frame that shows "saving".)
  auto payload = nlohmann::json::parse(payload_json ? payload_json : "{}", nullptr, false);
  nlohmann::json out;
  if (payload.is_discarded() || !payload.is_object()) {
    out = {{"ok", false}, {"error", {{"code", "bad_payload"}, {"message", "payload must be a JSON object"}}}};
  } else {
    std::string device = g.log && g.log->is_open() ? g.log->device_id() : "unknown";
    nlohmann::json op = {{"id", sihui::platform::random_op_id()},
                         {"kind", kind ? kind : ""},
                         {"author", g.account.person.empty() ? "guest" : g.account.person},
                         {"device", device},
                         {"made_at", static_cast<std::int64_t>(emscripten_date_now())},
                         {"payload", payload}};
    out = sihui::web::save_op(op.dump());
  }
  g.json_out = out.dump();
  return g.json_out.c_str();
}

EMSCRIPTEN_KEEPALIVE int sihui_hit_textbox(float x, float y) {
  const auto* item = sihui::ui::item_table().hit(x * g.dpr, y * g.dpr);
  return item && item->role == sihui::ui::Role::TextBox ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE const char* sihui_items_json() {
  g.json_out = sihui::ui::item_table().to_json(g.dpr);
  return g.json_out.c_str();
}

// The whole accessibility mirror as it should be (ui/mirror_diff.h, a change from nothing): tests
// compare the page's copy, built from changes, with it.
EMSCRIPTEN_KEEPALIVE const char* sihui_mirror_json() {
  g.json_out = sihui::ui::item_table().mirror_all(g.dpr);
  return g.json_out.c_str();
}

// The accessibility mirror's changes since the generation `known` it holds (ui/mirror_diff.h), CSS px;
// any other generation than the one handed over last (-1 at start) gets everything anew.
EMSCRIPTEN_KEEPALIVE const char* sihui_mirror_changes(double known) {
  std::uint64_t k = known < 0 ? UINT64_MAX - 1 : static_cast<std::uint64_t>(known);
  g.json_out = sihui::ui::item_table().mirror_changes(g.dpr, k);
  return g.json_out.c_str();
}

// From the mirror: a screen reader moved to an item (focus) or pressed it (activate); the
// skip link; Escape's way back. Applied while the next frame is built.
EMSCRIPTEN_KEEPALIVE void sihui_a11y_focus(double id, int activate) {
  sihui::ui::a11y_request_focus(static_cast<std::uint32_t>(id), activate != 0);
  wake(3);
}

EMSCRIPTEN_KEEPALIVE int sihui_a11y_skip() {
  int ok = sihui::ui::a11y_skip_to_content() ? 1 : 0;
  wake(3);
  return ok;
}

// Returns {"ok":true,"value":...} or {"ok":false,"error":{"code","message"}}.
EMSCRIPTEN_KEEPALIVE const char* sihui_query_json(const char* name, const char* args) {
  std::string n = name ? name : "";
  nlohmann::json out;
  if (n == "status") {
    auto r = sihui::platform::storage_report();
    const char* states[] = {"loading", "ready", "failed", "readonly"};
    out = {{"ok", true},
           {"value",
            {{"online", g.status.online},
             {"storage", states[static_cast<int>(r.state)]},
             {"all_saved", r.all_saved},
             {"flushing", r.flushing},
             {"save_failures", r.failures},
             {"quota_exceeded", r.quota_exceeded},
             {"font_percent", g.status.font_percent},
             {"font_failed", g.status.font_failed},
             {"frames", g.frame_count},
             {"dpr", g.dpr},
             {"font_px", ImGui::GetStyle().FontSizeBase * ImGui::GetStyle().FontScaleMain},
             {"settings_damaged", g.settings_damaged},
             {"screen", static_cast<int>(g.app.screen())},
             {"demo", g.demo_step == 3},
             {"handed_over", g.handed_over},
             {"update_ready", g.update_ready},
             {"unsaved_input", sihui::ui::has_unsaved_input()},
             {"embed", g.embed},
             {"embed_height", g.embed_height},
             {"nav_id", GImGui->NavId},            // the keyboard's item (accessibility tests)
             {"active_id", GImGui->ActiveId},      // the item being pressed or typed into
             {"text_input", ImGui::GetIO().WantTextInput}}}};
  } else if (n == "store.status") {
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& p : g.log_open.problems) problems.push_back({{"code", p.code}, {"file", p.file}, {"moved_to", p.moved_to}});
    nlohmann::json pending = nlohmann::json::array();
    if (g.log && g.log->is_open()) {
      for (const auto& op : g.log->replica().pending()) pending.push_back(op.id);
    }
    out = {{"ok", true},
           {"value", {{"open", g.log && g.log->is_open()},
                      {"error", g.log_open.error},
                      {"device", g.log ? g.log->device_id() : ""},
                      {"pending", pending},
                      {"stored_seq", g.log ? g.log->stored_seq() : 0},
                      {"problems", problems},
                      {"hash", g.log && g.log->is_open() ? sihui::core::hash_hex(sihui::core::state_hash(g.log->replica().view())) : ""}}}};
  } else if (n == "sync") {
    auto a = nlohmann::json::parse(args ? args : "{}", nullptr, false);
    auto v = sihui::web::sync_view_json();
    // The state hash serialises the whole state (8 MB with 100k ops): only when asked for.
    if (a.is_object() && a.contains("hash") && a["hash"] == true && g.log && g.log->is_open())
      v["hash"] = sihui::core::hash_hex(sihui::core::state_hash(g.log->replica().confirmed()));
    out = {{"ok", true}, {"value", v}};
  } else if (n == "op") {
    // What became of an op made here: pending (with its outcome on this device), confirmed (its
    // outcome in the community's log), refused by the server (with the code), or unknown.
    auto a = nlohmann::json::parse(args ? args : "{}", nullptr, false);
    std::string id = a.is_object() && a.contains("op") && a["op"].is_string() ? a["op"].get<std::string>() : "";
    nlohmann::json v = {{"state", "unknown"}};
    if (g.log && g.log->is_open() && !id.empty()) {
      for (const auto& r : g.log->refused())
        if (r.op.id == id) v = {{"state", "refused"}, {"code", r.code}};
      if (v["state"] == "unknown") {
        if (auto o = g.log->replica().outcome(id)) {
          nlohmann::json params = nlohmann::json::object();
          for (const auto& p : o->params) params[p.name] = p.is_text ? nlohmann::json(p.text) : nlohmann::json(p.num);
          v = {{"state", g.log->replica().is_pending(id) ? "pending" : "confirmed"}, {"accepted", o->accepted()},
               {"reason", std::string(o->key())}, {"params", params}};
        }
      }
    }
    out = {{"ok", true}, {"value", v}};
  } else if (n == "map.view") {
    // The grid map's view (centre in metres from the first compound, scale in CSS px per metre)
    // and what is selected on it; tests pan and zoom with real input and read this.
    const sihui::ui::Manage* mg = g.app.manage();
    if (!mg) {
      out = {{"ok", true}, {"value", {{"shown", false}}}};
    } else {
      const auto& v = mg->map_view();
      out = {{"ok", true},
             {"value", {{"shown", mg->map_shown()}, {"fitted", v.fitted()}, {"centre_x", v.centre().x},
                        {"centre_y", v.centre().y}, {"scale", v.scale() / g.dpr}, {"selected", mg->selected()},
                        {"editing", mg->map_editing()}, {"buildings", nlohmann::json::array()}}}};
      // Buildings as drawn, middle in CSS px (tests drag them).
      for (const auto& b : mg->building_marks())
        out["value"]["buildings"].push_back({{"id", b.id}, {"name", b.name}, {"outline", b.outline},
                                             {"x", b.x / g.dpr}, {"y", b.y / g.dpr}});
      // The layout (decision 0029), CSS px: the labels' plates, the zoom buttons' column, the side
      // panel's box and whether it is below the map.
      auto box = [&](const sihui::ui::map::Box& b) {
        return nlohmann::json{{"x", b.min.x / g.dpr}, {"y", b.min.y / g.dpr}, {"w", b.w() / g.dpr}, {"h", b.h() / g.dpr}};
      };
      auto& labels = out["value"]["labels"] = nlohmann::json::array();
      for (const auto& l : mg->map_labels()) {
        auto j = box(l.box);
        j["text"] = l.text;
        labels.push_back(std::move(j));
      }
      out["value"]["controls"] = box(mg->map_controls());
      out["value"]["panel"] = box(mg->map_panel());
      out["value"]["stacked"] = mg->map_stacked();
    }
  } else if (n == "frame.times") {
    // CPU time of the frames drawn since the last ask (build the UI, render, submit GL): benchmarks.
    out = {{"ok", true}, {"value", {{"ms", g.frame_ms}, {"ui_ms", g.frame_ui_ms}}}};
    g.frame_ms.clear();
    g.frame_ui_ms.clear();
  } else if (n == "store.saved") {
    auto a = nlohmann::json::parse(args ? args : "{}", nullptr, false);
    std::uint64_t gen = a.is_object() && a.contains("gen") && a["gen"].is_number_unsigned() ? a["gen"].get<std::uint64_t>() : 0;
    out = {{"ok", true}, {"value", {{"saved", gen > 0 && sihui::platform::storage_is_saved(gen)}}}};
  } else if (n == "text.width") {
    // Width in CSS px of args.text at the current body text size (tests compare it with items).
    auto a = nlohmann::json::parse(args ? args : "{}", nullptr, false);
    std::string text = a.is_object() && a.contains("text") && a["text"].is_string() ? a["text"].get<std::string>() : "";
    const ImGuiStyle& st = ImGui::GetStyle();
    float size = st.FontSizeBase * st.FontScaleMain * st.FontScaleDpi;
    ImFont* font = ImGui::GetIO().Fonts->Fonts.empty() ? nullptr : ImGui::GetIO().Fonts->Fonts[0];
    float w = font ? font->CalcTextSizeA(size, FLT_MAX, 0, text.c_str(), text.c_str() + text.size()).x : 0;
    out = {{"ok", true}, {"value", {{"width", w / g.dpr}, {"padded", (w + st.FramePadding.x * 2) / g.dpr}}}};
  } else if (n == "font.missing") {
    // Which characters of args.text the loaded fonts cannot draw.
    auto a = nlohmann::json::parse(args ? args : "{}", nullptr, false);
    std::string text = a.is_object() && a.contains("text") && a["text"].is_string() ? a["text"].get<std::string>() : "";
    ImFont* font = ImGui::GetIO().Fonts->Fonts.empty() ? nullptr : ImGui::GetIO().Fonts->Fonts[0];
    std::string missing;
    const char* s = text.c_str();
    const char* end = s + text.size();
    while (s < end) {
      unsigned c = 0;
      int len = ImTextCharFromUtf8(&c, s, end);
      if (len <= 0) break;
      if (!font || !font->IsGlyphInFont(static_cast<ImWchar>(c))) missing.append(s, static_cast<size_t>(len));
      s += len;
    }
    out = {{"ok", true}, {"value", {{"missing", missing}}}};
  } else {
    const sihui::core::State* community = g.community ? &g.community->view() : nullptr;
    if (g.log && g.log->is_open() && g.log->replica().view().initialised) community = &g.log->replica().view();
    sihui::QueryContext ctx{&g.settings, &g.catalog, community};
    auto r = sihui::run_query(ctx, n, args ? args : "");
    if (r.ok) out = {{"ok", true}, {"value", r.value}};
    else out = {{"ok", false}, {"error", {{"code", r.error_code}, {"message", r.message}}}};
  }
  g.json_out = out.dump();
  return g.json_out.c_str();
}

}  // extern "C"

// [SECTION] main
int main() {
  using namespace sihui;
  web::g.status.online = web::js_is_online() != 0;
  platform::storage_open();
  if (!glfwInit()) {
    std::fprintf(stderr, "sihui: glfwInit failed\n");
    return 1;
  }
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  web::g.window = glfwCreateWindow(web::g.fb_w, web::g.fb_h, "Sihui", nullptr, nullptr);
  if (!web::g.window) {
    EM_ASM({ if (Module.sihuiFatal) Module.sihuiFatal('webgl2'); });
    return 1;
  }
  glfwMakeContextCurrent(web::g.window);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // layout is fixed; nothing of ImGui's is stored
  io.LogFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  io.ConfigWindowsMoveFromTitleBarOnly = true;
  io.BackendPlatformName = "sihui_web";
  platform::text_input_install();
  ImGui_ImplOpenGL3_Init("#version 300 es");

  web::load_catalogs();
  web::load_schema();
  if (!io.Fonts->AddFontFromFileTTF("/fonts/first.ttf", ui::kBaseFontPx)) {
    std::fprintf(stderr, "sihui: the first font is missing; text will be Latin only\n");
    io.Fonts->AddFontDefault();
  }
  EM_ASM({ if (Module.sihuiStarted) Module.sihuiStarted(); });
  emscripten_set_main_loop(web::frame, 0, false);
  // The browser gives no animation frames to a hidden tab or to a news site's frame scrolled out of
  // view; storage events and sync must not wait for someone to look (see sihui_background_tick).
  EM_ASM({ setInterval(function() { _sihui_background_tick(); }, 500); });
  return 0;
}
