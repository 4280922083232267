// net_web: platform/net.h with fetch(). The answer's bytes are copied into the wasm heap and handed
// to sihui_http_done(), which queues an "http" event (bodies can be megabytes: never via the stack).
#include <emscripten.h>

#include <string>

#include "platform/net.h"
#include "web/event_queue.h"

namespace {
EM_JS(void, js_http_send, (double id, const char* method, const char* path, const char* body, const char* token,
                           const char* device, int timeout_ms), {
  var m = UTF8ToString(method), p = UTF8ToString(path), b = UTF8ToString(body);
  var t = UTF8ToString(token), d = UTF8ToString(device);
  var headers = {'X-Sihui-Device': d};
  if (t) headers['Authorization'] = 'Bearer ' + t;
  if (m !== 'GET') headers['Content-Type'] = 'application/json';
  var ctrl = typeof AbortController !== 'undefined' ? new AbortController() : null;
  var timer = ctrl ? setTimeout(function() { ctrl.abort(); }, timeout_ms) : 0;
  var t0 = performance.now();
  var done = function(status, bytes) {
    if (timer) clearTimeout(timer);
    // The last 200 requests' timings, for benchmarks and for looking at a slow sync by hand.
    var log = Module.sihuiHttpLog || (Module.sihuiHttpLog = []);
    log.push({path: p.split('?')[0], method: m, status: status, ms: performance.now() - t0, up: b.length,
              down: bytes ? bytes.length : 0, at: t0});
    if (log.length > 200) log.shift();
    var n = bytes ? bytes.length : 0;
    var ptr = _malloc(n + 1);
    if (n) HEAPU8.set(bytes, ptr);
    HEAPU8[ptr + n] = 0;
    _sihui_http_done(id, status, ptr, n);
    _free(ptr);
  };
  fetch(p, {method: m, headers: headers, body: m === 'GET' ? undefined : b, cache: 'no-store',
            credentials: 'same-origin', signal: ctrl ? ctrl.signal : undefined})
    .then(function(r) {
      return r.arrayBuffer().then(function(buf) { done(r.status, new Uint8Array(buf)); });
    })
    .catch(function() { done(0, null); });
});
}  // namespace

namespace sihui::platform {
void http_send(const HttpCall& c) {
  js_http_send(static_cast<double>(c.id), c.method.c_str(), c.path.c_str(), c.body.c_str(), c.token.c_str(),
               c.device.c_str(), c.timeout_ms);
}
}  // namespace sihui::platform

extern "C" {
EMSCRIPTEN_KEEPALIVE void sihui_http_done(double id, int status, const char* body, int len) {
  // No wake() here: every animation frame drains the queue even when it draws nothing, and the
  // shell redraws only when what the answer changed is visible (a long sync would otherwise draw
  // three frames per request).
  sihui::web::event_queue().push_back(
      sihui::web::Event{"http", id, static_cast<double>(status), std::string(body, static_cast<std::size_t>(len))});
}
}
