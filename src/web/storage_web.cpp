// storage_web: the storage seam in the browser: IDBFS mounted at /sihui.
// [X] mount + first load (FS.syncfs(true)); nothing is flushed before it has finished
// [X] one FS.syncfs(false) at a time; requests while one runs coalesce into one more
// [X] "saved on this device" only when the flush holding the write has completed
// [X] flush on visibilitychange(hidden) and pagehide (called directly: rAF stops when hidden)
// [X] failed flush (quota, closed connection) keeps data in memory and retries every 3 s
// [X] browser without IndexedDB (some private modes): state Failed, app runs from memory
// [X] one writer tab (Web Locks "sihui-writer"); other tabs are read-only, forward their changes
//     over a BroadcastChannel, reload after each of the writer's flushes, and take over when the
//     writer closes (the lock is released with the tab)
// [X] every FS.syncfs of this tab goes through one promise chain: never two at once
// [X] Emscripten 3.1.6's IDBFS never calls back when its write transaction aborts (a quota error
//     aborts at commit; there is no onabort handler and its onerror passes an undefined error):
//     the transaction is watched here and the flush fails with the abort's error instead of
//     hanging; a failed put (quota) that IDBFS swallows with preventDefault() also fails the flush;
//     a 30 s watchdog covers anything else. A connection the browser closes
//     (db.onclose), or any connection after a failed flush, is dropped from IDBFS's cache so the
//     next flush (the 3 s retry) reopens it.
// [X] a read-only tab that was still loading when the writer saved reloads once it has loaded, and
//     says "hello" so the writer tells it to reload (two embeds on one news page start together;
//     the second missed the first's save) (issue 8)
// [X] a sign-in or sign-out in a read-only tab is handed to the writer (main_web: save_account),
//     which saves it and syncs with it; readers take the account from the writer's files
// [X] storage events and sync run from a 500 ms timer when no animation frame comes (hidden tab, an
//     embed scrolled out of view) (main_web: sihui_background_tick)
// [ ] the operation log (issue 4) on top of this seam
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
  // Watch IDBFS's transactions (see the checklist above for why).
  var getDB = IDBFS.getDB;
  IDBFS.getDB = function(name, callback) {
    getDB(name, function(err, db) {
      if (db && !db.sihuiWatched) {
        db.sihuiWatched = true;
        var transaction = db.transaction.bind(db);
        db.transaction = function(stores, mode) {
          var tx = transaction(stores, mode);
          // A failed put or delete (QuotaExceededError) fires "error" on its request; IDBFS calls
          // preventDefault() there, so the transaction commits WITHOUT that file and IDBFS reports
          // success. Count it as a failed flush instead: the file is written again on the retry.
          var objectStore = tx.objectStore.bind(tx);
          tx.objectStore = function(name) {
            var st = objectStore(name);
            ['put', 'delete'].forEach(function(method) {
              var original = st[method].bind(st);
              st[method] = function() {
                var req = original.apply(null, arguments);
                req.addEventListener('error', function() {
                  var e = req.error;
                  if (Module.sihuiOnAbort) Module.sihuiOnAbort(new Error(e ? (e.name || 'Error') + ': ' + e.message : 'IndexedDB write failed'));
                });
                return req;
              };
            });
            return st;
          };
          tx.addEventListener('abort', function() {
            var e = tx.error;
            if (Module.sihuiOnAbort) Module.sihuiOnAbort(e ? new Error((e.name || 'Error') + ': ' + e.message) : new Error('IndexedDB transaction aborted'));
          });
          return tx;
        };
        db.onclose = function() { if (IDBFS.dbs[name] === db) delete IDBFS.dbs[name]; };
      }
      callback(err, db);
    });
  };
  // One FS.syncfs at a time in this tab, whatever asks for it.
  var chain = Promise.resolve();
  Module.sihuiSync = function(populate) {
    var p = chain.then(function() {
      return new Promise(function(resolve) {
        var settled = false;
        function finish(err) {
          if (settled) return;
          settled = true;
          clearTimeout(watchdog);
          Module.sihuiOnAbort = null;
          // After any failure the next attempt opens a fresh connection: a connection the browser
          // closed, or one that threw, is never reused.
          if (err) { for (var name in IDBFS.dbs) delete IDBFS.dbs[name]; }
          resolve(err);
        }
        var watchdog = setTimeout(function() { finish(new Error('IndexedDB did not answer within 30 s')); }, 30000);
        Module.sihuiOnAbort = finish;
        try {
          FS.syncfs(populate, function(err) { finish(err); });
        } catch (e) {
          finish(e);
        }
      });
    });
    chain = p.then(function() {}, function() {});
    return p;
  };
  function errText(e) { return e ? String(e && e.message || e) : ""; }
  function loaded(err, writer) {
    Module.sihuiStorageLoaded = true;
    Module['ccall']('sihui_storage_loaded', null, ['string', 'number'], [errText(err), writer ? 1 : 0]);
  }
  try { FS.mkdir('/sihui'); } catch (e) { /* exists */ }
  try {
    if (typeof indexedDB === 'undefined' || !indexedDB) throw new Error('indexedDB is not available');
    FS.mount(IDBFS, {}, '/sihui');
  } catch (e) {
    loaded(e, false);
    return;
  }
  var channel = typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel('sihui-tabs') : null;
  // One reload at a time (two IDBFS syncs in flight at once can fail); a request that comes while
  // one runs, or a failed one, runs again afterwards, so a reader never stays behind the writer.
  function reloadFromWriter() {
    if (Module.sihuiReloading) { Module.sihuiReloadAgain = true; return; }
    Module.sihuiReloading = true;
    Module.sihuiSync(true).then(function(err) {
      Module.sihuiReloading = false;
      if (!err) Module.sihuiReloadedOnce = true;
      if (!err) Module['ccall']('sihui_post', null, ['string', 'number', 'number', 'string'], ['storage_reloaded', 0, 0, ""]);
      if (err || Module.sihuiReloadAgain) {
        Module.sihuiReloadAgain = false;
        setTimeout(function() { if (!Module.sihuiWriter) reloadFromWriter(); }, err ? 500 : 0);
      }
    });
  }
  Module.sihuiChannel = channel;
  Module.sihuiWriter = false;
  if (channel) {
    channel.onmessage = function(ev) {
      var m = ev.data || {};
      if (m.to === 'writer' && m.kind === 'hello') {
        // A reader has just loaded: whatever this writer saved before that, it should load again.
        if (Module.sihuiWriter && Module.sihuiStorageLoaded) channel.postMessage({to: 'readers'});
      } else if (m.to === 'writer' && Module.sihuiWriter) {
        Module['ccall']('sihui_post', null, ['string', 'number', 'number', 'string'],
                        ['tab_message', 0, 0, JSON.stringify({kind: m.kind, body: m.body})]);
      } else if (m.to === 'readers' && !Module.sihuiWriter && Module.sihuiStorageLoaded) {
        reloadFromWriter();
      } else if (m.to === 'readers' && !Module.sihuiWriter) {
        Module.sihuiMissedReload = true;  // the writer saved while this tab was still loading: reload after
      }
    };
  }
  function becomeWriter(first) {
    Module.sihuiWriter = true;
    if (first) {
      Module.sihuiSync(true).then(function(err) { loaded(err, true); });
    } else {
      Module.sihuiSync(true).then(function(err) {
        Module['ccall']('sihui_became_writer', null, ['string'], [errText(err)]);
      });
    }
    return new Promise(function() {});  // hold the lock as long as this tab lives
  }
  if (!navigator.locks || !navigator.locks.request) {
    becomeWriter(true);  // no Web Locks (old browser): behave as the only tab
    return;
  }
  navigator.locks.request('sihui-writer', {ifAvailable: true}, function(lock) {
    if (lock) return becomeWriter(true);
    Module.sihuiSync(true).then(function(err) {
      loaded(err, false);
      if (Module.sihuiMissedReload && !Module.sihuiWriter) { Module.sihuiMissedReload = false; reloadFromWriter(); }
      if (channel) {
        // Until the writer has answered once, say hello again every 2 s: a hello or an answer sent
        // while the other frame was still starting is lost (two embeds on one page start together).
        channel.postMessage({to: 'writer', kind: 'hello'});
        var hellos = setInterval(function() {
          if (Module.sihuiReloadedOnce || Module.sihuiWriter) clearInterval(hellos);
          else channel.postMessage({to: 'writer', kind: 'hello'});
        }, 2000);
      }
    });
    navigator.locks.request('sihui-writer', function() { return becomeWriter(false); });
    return undefined;
  });
});

EM_JS(void, js_storage_flush, (), {
  Module.sihuiFlushes = (Module.sihuiFlushes || 0) + 1;
  Module.sihuiSync(false).then(function(err) {
    if (!err && Module.sihuiChannel) Module.sihuiChannel.postMessage({to: 'readers'});
    Module['ccall']('sihui_flush_done', null, ['string'], [err ? String(err && err.message || err) : ""]);
    // Anyone waiting for "saved on this device" (benchmarks measure an action to this moment).
    var waiting = Module.sihuiAfterFlush || [];
    Module.sihuiAfterFlush = [];
    waiting.forEach(function(f) { try { f(); } catch (e) {} });
  });
});

EM_JS(void, js_send_to_writer, (const char* kind, const char* body), {
  if (Module.sihuiChannel) Module.sihuiChannel.postMessage({to: 'writer', kind: UTF8ToString(kind), body: UTF8ToString(body)});
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
  r.quota_exceeded = r.failures > 0 && (g_last_error.find("Quota") != std::string::npos ||
                                        g_last_error.find("quota") != std::string::npos);
  return r;
}

std::uint64_t storage_wrote() {
  auto gen = g_sched.wrote();
  if (g_state == StorageState::Ready && g_sched.request()) js_storage_flush();
  // No frame of its own: frames share the main thread with the flush's IndexedDB callbacks, so
  // drawing "saving…" would only delay "saved". The frame after the flush shows the result.
  return gen;
}

bool storage_is_saved(std::uint64_t gen) { return g_sched.is_saved(gen); }

void storage_send_to_writer(const std::string& kind, const std::string& body) {
  js_send_to_writer(kind.c_str(), body.c_str());
}

}  // namespace sihui::platform

using namespace sihui::platform;

extern "C" {

// Called by JS: the first load finished (error text empty on success); writer = this tab holds the lock.
EMSCRIPTEN_KEEPALIVE void sihui_storage_loaded(const char* error, int writer) {
  if (error && *error) {
    g_state = StorageState::Failed;
    g_last_error = error;
  } else if (!writer) {
    g_state = StorageState::ReadOnly;
  } else {
    g_state = StorageState::Ready;
    g_sched.loaded();
    if (g_sched.start_if_needed()) js_storage_flush();
  }
  sihui::web::event_queue().push_back({"storage_loaded", 0, 0, error ? error : ""});
  sihui::web::wake();
}

// The writer tab closed and this one holds the lock now: its files were just reloaded.
EMSCRIPTEN_KEEPALIVE void sihui_became_writer(const char* error) {
  if (error && *error) g_last_error = error;
  g_state = StorageState::Ready;
  g_sched.loaded();
  if (g_sched.start_if_needed()) js_storage_flush();
  sihui::web::event_queue().push_back({"became_writer", 0, 0, error ? error : ""});
  sihui::web::wake();
}

EMSCRIPTEN_KEEPALIVE void sihui_flush_done(const char* error) {
  bool ok = !(error && *error);
  if (!ok) g_last_error = error;
  if (g_sched.finished(ok)) js_storage_flush();
  if (!ok) js_storage_retry_later(3000);
  sihui::web::wake(1);  // one frame says "saved" (or why not)
}

EMSCRIPTEN_KEEPALIVE void sihui_flush_retry() {
  if (g_state == StorageState::Ready && g_sched.start_if_needed()) js_storage_flush();
}

// visibilitychange / pagehide: start a flush now if anything is unsaved (rAF may never run again).
EMSCRIPTEN_KEEPALIVE void sihui_flush_now() {
  if (g_state == StorageState::Ready && g_sched.start_if_needed()) js_storage_flush();
}

}  // extern "C"
