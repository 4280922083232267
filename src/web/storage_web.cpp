// storage_web: the storage seam in the browser: IDBFS mounted at /sihui.
// [X] mount + first load (FS.syncfs(true)); nothing is flushed before it has finished
// [X] one FS.syncfs(false) at a time; requests while one runs coalesce into one more
// [X] "saved on this device" only when the flush holding the write has completed
// [X] flush on visibilitychange(hidden) and pagehide (called directly: rAF stops when hidden)
// [X] failed flush (quota, closed connection) keeps data in memory and retries every 3 s
// [X] browser without IndexedDB (some private modes): state Failed, app runs from memory
// [ ] Web Locks single-writer tab, storage.persist() at first important save (issue 4)
// Changes:
// - 2026-11-26: first version (issue 2).
#include <emscripten.h>

#include "platform/storage.h"
#include "store/flush_scheduler.h"
#include "web/event_queue.h"

namespace sihui::platform {

namespace {
store::FlushScheduler g_sched;
StorageState g_state = StorageState::Loading;
std::string g_last_error;
bool g_opened = false;
}  // namespace

EM_JS(void, js_storage_mount, (), {
  var ok = true;
  try {
    FS.mkdir('/sihui');
  } catch (e) { /* exists */ }
  try {
    if (typeof indexedDB === 'undefined') throw new Error('indexedDB is not available');
    FS.mount(IDBFS, {}, '/sihui');
  } catch (e) {
    ok = false;
    Module['ccall']('sihui_storage_loaded', null, ['string'], [String(e && e.message || e)]);
  }
  if (!ok) return;
  FS.syncfs(true, function(err) {
    Module.sihuiStorageLoaded = true;
    Module['ccall']('sihui_storage_loaded', null, ['string'], [err ? String(err && err.message || err) : ""]);
  });
});

EM_JS(void, js_storage_flush, (), {
  Module.sihuiFlushes = (Module.sihuiFlushes || 0) + 1;
  FS.syncfs(false, function(err) {
    Module['ccall']('sihui_flush_done', null, ['string'], [err ? String(err && err.message || err) : ""]);
  });
});

EM_JS(void, js_storage_retry_later, (int ms), {
  setTimeout(function() { _sihui_flush_retry(); }, ms);
});

void storage_open() {
  if (g_opened) return;
  g_opened = true;
  js_storage_mount();
}

std::string storage_root() { return "/sihui"; }

StorageReport storage_report() {
  StorageReport r;
  r.state = g_state;
  r.flushing = g_sched.in_flight();
  r.all_saved = g_sched.all_saved();
  r.failures = g_sched.consecutive_failures();
  r.last_error = g_last_error;
  return r;
}

std::uint64_t storage_wrote() {
  auto gen = g_sched.wrote();
  if (g_state == StorageState::Ready && g_sched.request()) js_storage_flush();
  web::wake();
  return gen;
}

bool storage_is_saved(std::uint64_t gen) { return g_sched.is_saved(gen); }

}  // namespace sihui::platform

using namespace sihui::platform;

extern "C" {

// Called by JS: the first load finished (error text empty on success).
EMSCRIPTEN_KEEPALIVE void sihui_storage_loaded(const char* error) {
  if (error && *error) {
    g_state = StorageState::Failed;
    g_last_error = error;
  } else {
    g_state = StorageState::Ready;
    g_sched.loaded();
    if (g_sched.start_if_needed()) js_storage_flush();
  }
  sihui::web::event_queue().push_back({"storage_loaded", 0, 0, error ? error : ""});
  sihui::web::wake();
}

EMSCRIPTEN_KEEPALIVE void sihui_flush_done(const char* error) {
  bool ok = !(error && *error);
  if (!ok) g_last_error = error;
  if (g_sched.finished(ok)) js_storage_flush();
  if (!ok) js_storage_retry_later(3000);
  sihui::web::wake();
}

EMSCRIPTEN_KEEPALIVE void sihui_flush_retry() {
  if (g_state == StorageState::Ready && g_sched.start_if_needed()) js_storage_flush();
}

// visibilitychange / pagehide: start a flush now if anything is unsaved (rAF may never run again).
EMSCRIPTEN_KEEPALIVE void sihui_flush_now() {
  if (g_state == StorageState::Ready && g_sched.start_if_needed()) js_storage_flush();
}

}  // extern "C"
