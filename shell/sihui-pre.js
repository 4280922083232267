// sihui-pre.js: the page side of Sihui, included with emcc --pre-js.
// [X] window.sihui: ready, items(), query(name, args), status() — the automation contract
// [X] canvas sizing in device pixels (sharp on high-DPI screens), ResizeObserver
// [X] pointer (mouse, touch, pen), wheel and keyboard input forwarded to the core loop
// [X] hidden <input> text bridge: IME composition, phone keyboards, paste (see text_input_web.cpp)
// [X] first font fetched before the first frame; common, full and fallback fonts after, with progress
// [X] online/offline, storage estimate and persist, flush on visibilitychange/pagehide
// [X] a 1 s timer for sync (src/sync runs from sihui_tick; HTTP through net_web.cpp)
// [X] offline app: registers web/sw.js (not in the embed), tells the core when a new build is
//     waiting ("update_ready"), activates it only when the core asks (Module.sihuiApplyUpdate),
//     checks for a new build when the network returns and every 30 min; persistent storage is
//     asked at start when installed (display-mode standalone) (decision 0016)
// [X] embed (?embed=calendar|classes|class:ID|event:ID): the page's height goes to the parent
//     (postMessage "sihui:size"), the wheel and vertical touch drags scroll the news page
// Changes:
// - 2026-11-26: first version (issue 2).
// - 2026-11-26: service worker, update offer, embed mode (issue 8).
/* global Module, FS */
(function () {
  'use strict';
  var B = window.SIHUI_BUILD || { files: {} };
  var canvas = document.getElementById('sihui-canvas');
  var params = new URLSearchParams(location.search);
  var embed = params.get('embed') || '';
  Module.sihuiParams = { embed: embed, lang: params.get('lang') || '', theme: params.get('theme') || '' };
  var ime = document.getElementById('sihui-ime');
  Module.canvas = canvas;

  function file(name) { return (B.files && B.files[name]) || name; }
  Module.locateFile = function (path) { return file(path); };

  // [SECTION] window.sihui
  var resolveReady;
  var api = {
    ready: new Promise(function (r) { resolveReady = r; }),
    items: function () { return JSON.parse(Module.UTF8ToString(Module._sihui_items_json())); },
    query: function (name, args) {
      var out = JSON.parse(Module.UTF8ToString(Module.ccall('sihui_query_json', 'number', ['string', 'string'],
        [String(name), JSON.stringify(args === undefined ? {} : args)])));
      if (!out.ok) { var e = new Error(out.error.message); e.code = out.error.code; throw e; }
      return out.value;
    },
    status: function () { return api.query('status'); },
    // Backup: the whole device store as one JSON text (its "photos" empty: the Settings button adds the
    // device's photos, decision 0028), and importing such a text (merged by op id; photos stored after).
    exportAll: function () { return Module.UTF8ToString(Module._sihui_export_all()); },
    importText: function (text) {
      // Through a file, not ccall's 'string' (that copies onto the wasm stack: megabytes overflow it).
      FS.writeFile('/tmp/sihui-import-api.json', String(text));
      var out = JSON.parse(Module.UTF8ToString(Module.ccall('sihui_import_file', 'number', ['string'], ['/tmp/sihui-import-api.json'])));
      if (!out.ok) { var e = new Error(out.error.message); e.code = out.error.code; throw e; }
      return out.value;
    },
    // Makes and saves an op of this device: {op, gen}; "saved on this device" once
    // query('store.saved', {gen}).saved is true (the IndexedDB flush holding it has completed).
    act: function (kind, payload) {
      var out = JSON.parse(Module.UTF8ToString(Module.ccall('sihui_act', 'number', ['string', 'string'],
        [String(kind), JSON.stringify(payload === undefined ? {} : payload)])));
      if (!out.ok) { var e = new Error(out.error.message); e.code = out.error.code; throw e; }
      return out.value;
    },
    sync: function () { return api.query('sync'); },
    httpLog: function () { return (Module.sihuiHttpLog || []).slice(); },
    build: B.build || null,
    embed: embed || null,
  };
  window.sihui = api;
  // Milliseconds since navigation: the first frame drawn, and ready (storage loaded, UI shown).
  Module.sihuiFirstFrame = function () { api.firstFrameMs = performance.now(); };
  Module.sihuiResolveReady = function () {
    api.readyMs = performance.now();
    document.documentElement.classList.add('sihui-ready');
    var l = document.getElementById('sihui-loading');
    if (l) l.remove();
    resolveReady();
    // The manifest in the person's language (what an install shows as the app's name).
    try {
      var link = document.getElementById('sihui-manifest');
      if (link && api.query('settings').lang === 'en') link.href = 'manifest.en.webmanifest';
    } catch (e) { /* no settings yet */ }
    registerWorker();  // after the first load: the precache does not compete with it
  };

  function post(kind, a, b, text) {
    if (!Module.calledRun) { (Module.sihuiEarly = Module.sihuiEarly || []).push([kind, a, b, text]); return; }
    Module.ccall('sihui_post', null, ['string', 'number', 'number', 'string'], [kind, a || 0, b || 0, text || '']);
  }
  Module.sihuiStarted = function () {
    (Module.sihuiEarly || []).forEach(function (e) { post(e[0], e[1], e[2], e[3]); });
    Module.sihuiEarly = [];
    resize();
    bindInput();
  };

  // [SECTION] progress before the first frame (plain DOM: the canvas cannot draw yet)
  function loadingText(t) { var el = document.getElementById('sihui-loading-text'); if (el) el.textContent = t; }
  function loadingBar(f) { var el = document.getElementById('sihui-loading-bar'); if (el) el.value = f; }
  Module.sihuiFatal = function (what) {
    var msg = what === 'webgl2'
      ? '这个浏览器不支持 WebGL2，四汇无法显示。请换用新版的浏览器。 (This browser lacks WebGL2.)'
      : '四汇加载失败，请检查网络后刷新页面。 (Sihui could not load; check the network and reload.)';
    loadingText(msg);
  };

  // [SECTION] fonts
  function fetchWithProgress(url, total, onProgress) {
    return fetch(url).then(function (res) {
      if (!res.ok) throw new Error(url + ': HTTP ' + res.status);
      if (!res.body || !res.body.getReader) return res.arrayBuffer();
      var reader = res.body.getReader(), chunks = [], got = 0;
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) {
            var out = new Uint8Array(got), off = 0;
            chunks.forEach(function (c) { out.set(c, off); off += c.length; });
            return out.buffer;
          }
          chunks.push(r.value); got += r.value.length;
          if (total) onProgress(Math.min(1, got / total));
          return pump();
        });
      }
      return pump();
    });
  }
  var firstFont = fetchWithProgress(file('fonts/first.ttf'), B.sizes && B.sizes['fonts/first.ttf'],
    function (f) { loadingBar(f); });
  Module.preRun = Module.preRun || [];
  if (typeof Module.preRun === 'function') Module.preRun = [Module.preRun];
  Module.preRun.push(function () {
    Module.addRunDependency('sihui-first-font');
    firstFont.then(function (buf) {
      try { FS.mkdir('/fonts'); } catch (e) {}
      FS.writeFile('/fonts/first.ttf', new Uint8Array(buf));
    }).catch(function (e) {
      console.error('sihui: first font', e);
      Module.sihuiFatal('font');
    }).then(function () { Module.removeRunDependency('sihui-first-font'); });
  });
  Module.sihuiLoadFullFont = function () {
    var names = ['fonts/common.ttf', 'fonts/full.ttf', 'fonts/fallback.ttf'];
    var sizes = names.map(function (n) { return (B.sizes && B.sizes[n]) || 0; });
    var total = sizes.reduce(function (a, b) { return a + b; }, 0), done = 0;
    post('font_progress', 0);
    var chain = Promise.resolve();
    names.forEach(function (n, i) {
      chain = chain.then(function () {
        return fetchWithProgress(file(n), sizes[i], function (f) {
          post('font_progress', Math.floor(100 * (done + f * sizes[i]) / Math.max(1, total)));
        }).then(function (buf) {
          done += sizes[i];
          var path = '/fonts/' + n.split('/').pop();
          FS.writeFile(path, new Uint8Array(buf));
          post('font_ready', 0, 0, path);
        });
      });
    });
    chain.then(function () { post('font_done'); })
      .catch(function (e) { console.error('sihui: full font', e); post('font_failed'); });
  };

  // [SECTION] backup import: a file chooser, read with progress, handed to the core through MEMFS
  Module.sihuiChooseImport = function () {
    var input = document.createElement('input');
    input.type = 'file';
    input.accept = '.json,application/json';
    input.style.display = 'none';
    input.addEventListener('change', function () {
      var f = input.files && input.files[0];
      input.remove();
      if (!f) return;
      var reader = new FileReader();
      reader.onprogress = function (e) { if (e.lengthComputable) post('import_progress', Math.floor(100 * e.loaded / e.total)); };
      reader.onerror = function () { post('import_failed'); };
      reader.onload = function () {
        try {
          FS.writeFile('/tmp/sihui-import.json', new Uint8Array(reader.result));
          post('import_ready', 0, 0, '/tmp/sihui-import.json');
        } catch (e) { post('import_failed'); }
      };
      post('import_progress', 0);
      reader.readAsArrayBuffer(f);
    });
    document.body.appendChild(input);
    input.click();
  };

  // A GeoJSON file for the grid map's import (map_edit.cpp): its bytes go to C++ through a file in
  // MEMFS; a file over max_bytes is refused here, unread, so a huge file never fills the memory.
  Module.sihuiChooseGeoJson = function (maxBytes) {
    var input = document.createElement('input');
    input.type = 'file';
    input.accept = '.geojson,.json,application/geo+json,application/json';
    input.style.display = 'none';
    input.addEventListener('change', function () {
      var f = input.files && input.files[0];
      input.remove();
      if (!f) return;
      if (f.size > maxBytes) { post('geojson_too_big'); return; }
      var reader = new FileReader();
      reader.onerror = function () { post('geojson_failed'); };
      reader.onload = function () {
        try {
          FS.writeFile('/tmp/sihui-geojson.json', new Uint8Array(reader.result));
          post('geojson_ready', 0, 0, '/tmp/sihui-geojson.json');
        } catch (e) { post('geojson_failed'); }
      };
      reader.readAsArrayBuffer(f);
    });
    document.body.appendChild(input);
    input.click();
  };

  // [SECTION] storage helpers
  Module.sihuiEstimate = function () {
    if (!navigator.storage || !navigator.storage.estimate) return;
    navigator.storage.estimate().then(function (e) { post('estimate', e.usage || 0, e.quota || 0); })
      .catch(function () {});
    // Sync runs on this timer too, so it goes on while the page is hidden (no animation frames then).
    setInterval(function () { Module._sihui_tick(); }, 1000);
  };
  Module.sihuiPersist = function () {
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
  };
  function flushNow() { if (Module.calledRun && Module._sihui_flush_now) Module._sihui_flush_now(); }
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') flushNow();
    else post('visible', 1);
  });
  window.addEventListener('pagehide', flushNow);
  window.addEventListener('online', function () { post('online', 1); });
  window.addEventListener('offline', function () { post('online', 0); });

  // [SECTION] offline app: the service worker and the update offer
  var updating = false;
  var replaced = false;  // another tab activated a newer build
  var controlled = !!(navigator.serviceWorker && navigator.serviceWorker.controller);  // loaded under a worker
  function registerWorker() {
    if (embed || !('serviceWorker' in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker.register('sw.js', { scope: './', updateViaCache: 'none' }).then(function (reg) {
      api.worker = reg;
      var offered = false;
      function offer() {
        // A waiting worker with this page controlled by an older one: a new build is ready.
        if (reg.waiting && navigator.serviceWorker.controller && !offered) {
          offered = true;
          post('update_ready', 1);
        }
      }
      function watch(w) {
        if (w) w.addEventListener('statechange', function () { if (w.state === 'installed') offer(); });
      }
      offer();
      watch(reg.installing);
      reg.addEventListener('updatefound', function () { watch(reg.installing); });
      var check = function () { if (navigator.onLine) reg.update().catch(function () {}); };
      // Look for a new build now; resolves true once one is installed and waiting (tests, "check now").
      api.checkUpdate = function () {
        return reg.update().then(function () {
          var w = reg.installing;
          if (!w) { offer(); return !!reg.waiting; }
          return new Promise(function (resolve) {
            w.addEventListener('statechange', function () {
              if (w.state === 'installed') { offer(); resolve(true); }
              if (w.state === 'redundant') resolve(false);
            });
          });
        });
      };
      setInterval(check, 30 * 60 * 1000);
      window.addEventListener('online', check);
      document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'visible') check(); });
    }).catch(function (e) { console.warn('sihui: service worker', e); });
    navigator.serviceWorker.addEventListener('controllerchange', function () {
      if (updating) { location.reload(); return; }
      // The first worker taking a page that loaded without one (a first visit) is this build's own.
      if (!controlled) { controlled = true; return; }
      // Another tab applied the new build: its worker now serves this page too, and the files of
      // this page's build are gone from the cache. Offer the same banner; pressing it reloads.
      if (!replaced) { replaced = true; post('update_ready', 1); }
    });
  }
  // The core calls this when the person chose to update and nothing is unsaved.
  Module.sihuiApplyUpdate = function () {
    var reg = api.worker;
    if (replaced && (!reg || !reg.waiting)) { location.reload(); return 1; }
    if (!reg || !reg.waiting) return 0;
    updating = true;
    reg.waiting.postMessage({ type: 'sihui-activate' });
    return 1;
  };
  var installed = window.matchMedia && window.matchMedia('(display-mode: standalone)').matches;
  if (installed || navigator.standalone) Module.sihuiPersist();
  window.addEventListener('appinstalled', function () { Module.sihuiPersist(); });

  // [SECTION] embed: the height of the content goes to the page that frames it
  var lastHeight = 0;
  Module.sihuiEmbedHeight = function (h) {
    h = Math.ceil(h);
    if (!embed || window.parent === window || Math.abs(h - lastHeight) < 1) return;
    lastHeight = h;
    api.embedHeight = h;
    window.parent.postMessage({ type: 'sihui:size', height: h, view: embed }, '*');
  };
  Module.sihuiOpenFull = function () {
    window.open(new URL('./', location.href).href + (Module.sihuiParams.lang ? '?lang=' + Module.sihuiParams.lang : ''), '_blank', 'noopener');
  };

  // [SECTION] size
  function resize() {
    var dpr = window.devicePixelRatio || 1;
    var w = window.innerWidth, h = window.innerHeight;
    canvas.style.width = w + 'px';
    canvas.style.height = h + 'px';
    canvas.width = Math.max(1, Math.round(w * dpr));
    canvas.height = Math.max(1, Math.round(h * dpr));
    if (Module.calledRun) Module._sihui_resize(w, h, dpr);
  }
  window.addEventListener('resize', resize);
  if (window.visualViewport) window.visualViewport.addEventListener('resize', resize);

  // [SECTION] input
  function bindInput() {
    function pos(e) { var r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; }
    var kinds = { pointerdown: 0, pointermove: 1, pointerup: 2, pointercancel: 3 };
    Object.keys(kinds).forEach(function (type) {
      canvas.addEventListener(type, function (e) {
        var p = pos(e), touch = e.pointerType === 'touch' || e.pointerType === 'pen' ? 1 : 0;
        if (type === 'pointerdown') {
          e.preventDefault();  // keep focus where it is (the text bridge), no text selection
          try { canvas.setPointerCapture(e.pointerId); } catch (x) {}
        }
        Module._sihui_pointer(kinds[type], p[0], p[1], e.button, touch, e.pointerId | 0);
        // iOS shows a keyboard only for focus() inside the tap itself.
        if (type === 'pointerup' && touch && Module._sihui_hit_textbox(p[0], p[1])) {
          ime.focus({ preventScroll: true });
        }
      });
    });
    canvas.addEventListener('pointerleave', function (e) {
      if (e.pointerType === 'mouse') Module._sihui_pointer(3, 0, 0, 0, 0, e.pointerId | 0);
    });
    canvas.addEventListener('contextmenu', function (e) { e.preventDefault(); });
    canvas.addEventListener('wheel', function (e) {
      if (embed) return;  // the embed is as tall as its content: the wheel scrolls the news page
      e.preventDefault();
      var k = e.deltaMode === 1 ? 1 : e.deltaMode === 2 ? 10 : 1 / 100;
      Module._sihui_wheel(-e.deltaX * k, -e.deltaY * k);
    }, { passive: false });

    function mods(e) { return (e.ctrlKey ? 1 : 0) | (e.shiftKey ? 2 : 0) | (e.altKey ? 4 : 0) | (e.metaKey ? 8 : 0); }
    function sendKey(e, down) {
      Module.ccall('sihui_key', null, ['string', 'number', 'number'], [e.code || '', down ? 1 : 0, mods(e)]);
    }
    var handled = { Tab: 1, Enter: 1, NumpadEnter: 1, Backspace: 1, Delete: 1, Escape: 1, Space: 1,
      ArrowLeft: 1, ArrowRight: 1, ArrowUp: 1, ArrowDown: 1, Home: 1, End: 1, PageUp: 1, PageDown: 1 };
    window.addEventListener('keydown', function (e) {
      if (e.target === ime) return;
      sendKey(e, true);
      if (handled[e.code]) e.preventDefault();
    });
    window.addEventListener('keyup', function (e) { if (e.target !== ime) sendKey(e, false); });
    window.addEventListener('focus', function () { Module._sihui_focus(1); });
    window.addEventListener('blur', function () { Module._sihui_focus(0); });

    // The text bridge: typed and composed text arrives in the input, goes to ImGui, is cleared.
    var composing = false;
    function commit() {
      var v = ime.value;
      if (v) { ime.value = ''; Module.ccall('sihui_text', null, ['string'], [v]); }
    }
    ime.addEventListener('compositionstart', function () { composing = true; });
    ime.addEventListener('compositionend', function () { composing = false; commit(); });
    ime.addEventListener('input', function (e) { if (!composing && !e.isComposing) commit(); });
    ime.addEventListener('keydown', function (e) {
      if (composing || e.isComposing || e.keyCode === 229) return;  // the IME owns these keys
      var combo = (e.ctrlKey || e.metaKey) && e.code !== 'KeyV';
      // In a text field the space bar types a space (the input event carries it): not a key.
      if ((handled[e.code] && e.code !== 'Space') || combo) {
        sendKey(e, true);
        e.preventDefault();
      }
    });
    ime.addEventListener('keyup', function (e) {
      if (composing || e.isComposing) return;
      sendKey(e, false);
    });
  }
})();
