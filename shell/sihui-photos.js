// sihui-photos.js: report photos in the page (decision 0021), included with emcc --pre-js; the C++ side is
// src/web/photos_web.cpp (platform/photos.h). Results go to the core as events (sihui_post), never directly.
// [X] pick from the camera (capture=environment) or files; refuse what is not an image, too big, undecodable
// [X] shrink: createImageBitmap + OffscreenCanvas (a <canvas> where missing), long side <= 1600 px, JPEG 0.85
// [X] name = SHA-256 of the stored bytes (crypto.subtle: loopback and https are secure contexts)
// [X] IndexedDB database "sihui-photos" of its own (IDBFS loads every file of its mount at start-up);
//     records {name, blob, w, h, size, at, pending: 1 until uploaded}, read one at a time when shown
// [X] textures: an ImageBitmap of at most 512 px drawn into a WebGL texture registered in GL.textures
// [X] upload: PUT /api/v1/photos/<name>, one at a time, pending ones only; GET when a shown photo is missing
// [X] backup file (decision 0028): exportFile appends every stored photo as {"name","data" (base64),"pending"}
//     after the core's text, built as Blob parts (never one big string), with progress; stage/commit keep an
//     import's good photos (the core checked them against their names) until its ops are written
// Changes:
// - 2026-11-27: first version (issue 6, photos).
// - 2026-11-27: photos in the device's backup file (decision 0028).
// - 2026-11-27: photo_missing says why (no account, offline, not uploaded yet, server, damaged);
//   photo_fetching when the server is asked (decision 0030).
(function () {
  var MAX_SIDE = 1600, QUALITY = 0.85, MAX_INPUT = 40 * 1024 * 1024, MAX_STORED = 4 * 1024 * 1024, THUMB = 512;
  var DB_NAME = 'sihui-photos', STORE = 'photos';
  var dbPromise = null, textures = {}, uploading = false, uploadDirty = true, nextUpload = 0;

  function post(kind, a, b, text) {
    Module.ccall('sihui_post', null, ['string', 'number', 'number', 'string'], [kind, a || 0, b || 0, text || '']);
  }
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (ok, fail) {
        var r = indexedDB.open(DB_NAME, 1);
        r.onupgradeneeded = function () {
          var s = r.result.createObjectStore(STORE, { keyPath: 'name' });
          s.createIndex('pending', 'pending');  // only records that still have `pending` are in it
        };
        r.onsuccess = function () { ok(r.result); };
        r.onerror = function () { dbPromise = null; fail(r.error); };
      });
    }
    return dbPromise;
  }
  // One transaction; `fn(store, set)` makes requests and calls set(value) for the result.
  function tx(mode, fn) {
    return db().then(function (d) {
      return new Promise(function (ok, fail) {
        var t = d.transaction(STORE, mode), result;
        fn(t.objectStore(STORE), function (v) { result = v; });
        t.oncomplete = function () { ok(result); };
        t.onerror = t.onabort = function () { fail(t.error || new Error('transaction failed')); };
      });
    });
  }
  function getRecord(name) {
    return tx('readonly', function (s, set) { var r = s.get(name); r.onsuccess = function () { set(r.result); }; });
  }
  function hex(buf) {
    var b = new Uint8Array(buf), s = '';
    for (var i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
    return s;
  }
  function isImageBytes(b) {
    return (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) || (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47);
  }
  function encode(bmp, w, h, quality) {
    var canvas, ctx;
    if (typeof OffscreenCanvas !== 'undefined') canvas = new OffscreenCanvas(w, h);
    else { canvas = document.createElement('canvas'); canvas.width = w; canvas.height = h; }
    ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';  // a transparent PNG gets a white background in JPEG
    ctx.fillRect(0, 0, w, h);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bmp, 0, 0, w, h);
    if (canvas.convertToBlob) return canvas.convertToBlob({ type: 'image/jpeg', quality: quality });
    return new Promise(function (ok) { canvas.toBlob(ok, 'image/jpeg', quality); });
  }
  function Refusal(key) { this.key = key; }

  // One chosen file: shrunk, named and stored, or refused with a reason the person can read.
  function addFile(f) {
    if (f.type && !/^image\//.test(f.type)) return Promise.reject(new Refusal('photo.error.not_image'));
    if (f.size > MAX_INPUT) return Promise.reject(new Refusal('photo.error.too_large'));
    var w, h, blob;
    return createImageBitmap(f, { imageOrientation: 'from-image' })
      .catch(function () { throw new Refusal(f.type ? 'photo.error.undecodable' : 'photo.error.not_image'); })
      .then(function (bmp) {
        var scale = Math.min(1, MAX_SIDE / Math.max(bmp.width, bmp.height));
        w = Math.max(1, Math.round(bmp.width * scale));
        h = Math.max(1, Math.round(bmp.height * scale));
        return encode(bmp, w, h, QUALITY).then(function (b) {
          if (b && b.size > MAX_STORED) return encode(bmp, w, h, 0.6);
          return b;
        }).finally(function () { bmp.close(); });
      })
      .then(function (b) {
        if (!b) throw new Refusal('photo.error.undecodable');
        if (b.size > MAX_STORED) throw new Refusal('photo.error.too_large');
        blob = b;
        return b.arrayBuffer();
      })
      .then(function (buf) { return crypto.subtle.digest('SHA-256', buf); })
      .then(function (digest) {
        var name = hex(digest);
        return tx('readwrite', function (s) {
          var r = s.get(name);
          r.onsuccess = function () {
            if (!r.result) s.put({ name: name, blob: blob, w: w, h: h, size: blob.size, at: Date.now(), pending: 1 });
          };
        }).then(function () {
          uploadDirty = true;
          nextUpload = 0;
          post('photo_added', w, h, name);
        });
      });
  }
  function refusalKey(e) {
    if (e instanceof Refusal) return e.key;
    if (e && (e.name === 'QuotaExceededError' || /quota/i.test(String(e.message || '')))) return 'photo.error.quota';
    return 'photo.error.save';
  }

  function pick(camera, room) {
    var input = document.createElement('input');
    input.type = 'file';
    input.accept = 'image/*';
    if (camera) input.setAttribute('capture', 'environment');
    else input.multiple = room > 1;
    input.style.display = 'none';
    input.addEventListener('change', function () {
      var files = Array.prototype.slice.call(input.files || [], 0, Math.max(1, room));
      input.remove();
      if (!files.length) return;
      var left = files.length, lastError = '';
      post('photo_busy', left);
      files.reduce(function (chain, f) {
        return chain.then(function () { return addFile(f); })
          .catch(function (e) { lastError = refusalKey(e); })
          .then(function () { left--; post('photo_busy', left); });
      }, Promise.resolve()).then(function () { if (lastError) post('photo_error', 0, 0, lastError); });
    });
    document.body.appendChild(input);
    input.click();
    (Module.sihuiPhotoPicks = Module.sihuiPhotoPicks || []).push({ camera: camera, room: room });
  }

  // Removed from a form before sending: forget it unless it already went to the server.
  function discard(name) {
    tx('readwrite', function (s) {
      var r = s.get(name);
      r.onsuccess = function () { if (r.result && r.result.pending) s.delete(name); };
    }).catch(function () {});
  }

  // Why a photo is not shown (photo_missing's b; PhotoWhy in src/ui/app.h): what the tile says.
  var WHY = { noAccount: 1, offline: 2, notUploaded: 3, server: 4, damaged: 5 };

  // The record's blob, or the server's copy (checked against its name and kept) when this device lacks it.
  function blobOf(name, token, device) {
    return getRecord(name).then(function (rec) {
      if (rec) return rec.blob;
      if (!token) throw { retry: true, why: WHY.noAccount };
      if (!navigator.onLine) throw { retry: true, why: WHY.offline };
      post('photo_fetching', 0, 0, name);
      return fetch('/api/v1/photos/' + name, { headers: { 'Authorization': 'Bearer ' + token, 'X-Sihui-Device': device },
        credentials: 'same-origin' })
        .catch(function () { throw { retry: true, why: navigator.onLine ? WHY.server : WHY.offline }; })
        .then(function (r) {
          // 404: the server has no such photo for this reader yet (its owner's device has not uploaded it).
          if (!r.ok) throw { retry: r.status === 404 || r.status >= 500 || r.status === 401, why: r.status === 404 ? WHY.notUploaded : WHY.server };
          return r.arrayBuffer();
        })
        .then(function (buf) {
          return crypto.subtle.digest('SHA-256', buf).then(function (d) {
            if (hex(d) !== name || !isImageBytes(new Uint8Array(buf, 0, Math.min(8, buf.byteLength)))) throw { retry: false, why: WHY.damaged };
            var blob = new Blob([buf], { type: 'image/jpeg' });
            return tx('readwrite', function (s) { s.put({ name: name, blob: blob, w: 0, h: 0, size: buf.byteLength, at: Date.now() }); })
              .catch(function () {})  // full storage: show it anyway, fetch again next time
              .then(function () { return blob; });
          });
        });
    });
  }

  function load(name, token, device) {
    if (textures[name]) return;
    var entry = textures[name] = { id: 0, gone: false };
    blobOf(name, token, device)
      .then(function (blob) { return createImageBitmap(blob).catch(function () { throw { retry: false, why: WHY.damaged }; }); })
      .then(function (full) {
        var s = Math.min(1, THUMB / Math.max(full.width, full.height));
        var w = Math.max(1, Math.round(full.width * s)), h = Math.max(1, Math.round(full.height * s));
        return createImageBitmap(full, { resizeWidth: w, resizeHeight: h, resizeQuality: 'medium' })
          .finally(function () { full.close(); });
      })
      .then(function (bmp) {
        if (entry.gone || typeof GLctx === 'undefined' || !GLctx) { bmp.close(); return; }
        var gl = GLctx, t = gl.createTexture();
        var was = gl.getParameter(gl.TEXTURE_BINDING_2D);
        gl.bindTexture(gl.TEXTURE_2D, t);
        gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
        gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
        gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
        gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
        gl.pixelStorei(gl.UNPACK_ALIGNMENT, 4);
        gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, bmp);
        gl.bindTexture(gl.TEXTURE_2D, was);
        var id = GL.getNewId(GL.textures);
        t.name = id;
        GL.textures[id] = t;
        entry.id = id;
        post('photo_ready', id, bmp.width * 65536 + bmp.height, name);
        bmp.close();
      })
      .catch(function (e) {
        delete textures[name];
        post('photo_missing', e && e.retry ? 1 : 0, (e && e.why) || 0, name);  // 0: no reason known (a storage error)
      });
  }

  function free(name) {
    var entry = textures[name];
    if (!entry) return;
    delete textures[name];
    entry.gone = true;
    if (entry.id && GL.textures[entry.id]) {
      GLctx.deleteTexture(GL.textures[entry.id]);
      GL.textures[entry.id] = null;
    }
  }

  // Photos made here and not on the server yet, one PUT at a time; called every second by the core.
  function upload(token, device) {
    if (uploading || !token || !uploadDirty || Date.now() < nextUpload || !navigator.onLine) return;
    uploading = true;
    var failed = false;
    tx('readonly', function (s, set) {
      var r = s.index('pending').getAllKeys();
      r.onsuccess = function () { set(r.result || []); };
    }).then(function (names) {
      return names.reduce(function (chain, name) {
        return chain.then(function () {
          if (failed) return;
          return getRecord(name).then(function (rec) {
            if (!rec || !rec.pending) return;
            var t0 = performance.now();
            return fetch('/api/v1/photos/' + name, { method: 'PUT', body: rec.blob, credentials: 'same-origin',
              headers: { 'Authorization': 'Bearer ' + token, 'X-Sihui-Device': device, 'Content-Type': 'image/jpeg' } })
              .then(function (r) {
                var log = Module.sihuiHttpLog || (Module.sihuiHttpLog = []);
                log.push({ path: '/api/v1/photos/', method: 'PUT', status: r.status, ms: performance.now() - t0, up: rec.size, down: 0, at: t0 });
                if (log.length > 200) log.shift();
                // Stored (201), already there (200), or refused for good (413, 415, 422): not pending any more.
                if (r.ok || r.status === 413 || r.status === 415 || r.status === 422) {
                  return tx('readwrite', function (s) { delete rec.pending; if (!r.ok) rec.refused = r.status; s.put(rec); });
                }
                failed = true;
              }, function () { failed = true; });
          });
        });
      }, Promise.resolve());
    }).catch(function () { failed = true; }).then(function () {
      uploading = false;
      if (failed) nextUpload = Date.now() + 5000;
      else uploadDirty = false;
    });
  }
  // The stored photos, for tests and for looking by hand: [{name, w, h, size, pending}].
  function list() {
    return tx('readonly', function (s, set) {
      var out = [];
      var r = s.openCursor();
      r.onsuccess = function () {
        var c = r.result;
        if (!c) return set(out);
        out.push({ name: c.value.name, w: c.value.w, h: c.value.h, size: c.value.size, pending: !!c.value.pending });
        c.continue();
      };
    });
  }

  // [SECTION] The device's backup file (decision 0028)
  // head: the core's export text as bytes, ending in "photos":[]} (export_photos.h); every stored photo is
  // appended as an entry in the same form as store::export_photo_entry, then the file is downloaded.
  function exportFile(fileName, head) {
    var parts = [head.subarray(0, head.length - 2)], count = 0, done = 0, total = 0;
    var dataUrl = function (blob) {
      return new Promise(function (ok, fail) {
        var r = new FileReader();
        r.onload = function () { ok(String(r.result)); };
        r.onerror = function () { fail(r.error); };
        r.readAsDataURL(blob);
      });
    };
    post('export_progress', 0);
    tx('readonly', function (s, set) {
      var out = [], r = s.openCursor();  // records hold Blob handles: nothing is read yet
      r.onsuccess = function () {
        var c = r.result;
        if (!c) return set(out);
        if (c.value.blob) out.push({ name: c.value.name, blob: c.value.blob, pending: !!c.value.pending });
        c.continue();
      };
    }).catch(function () { return []; }).then(function (recs) {  // no photo database: the records still go out
      recs.forEach(function (rec) { total += rec.blob.size; });
      return recs.reduce(function (chain, rec) {
        return chain.then(function () { return dataUrl(rec.blob).catch(function () { return null; }); }).then(function (url) {
          done += rec.blob.size;
          if (!url) return;  // unreadable (the browser lost its bytes): left out, the rest goes on
          var entry = (count ? ',' : '') + '{"name":"' + rec.name + '","data":"' + url.slice(url.indexOf(',') + 1) +
            (rec.pending ? '","pending":true}' : '"}');
          parts.push(new Blob([entry]));  // a Blob part: the browser may keep it out of the JS heap
          count++;
          post('export_progress', total ? Math.min(99, Math.floor(100 * done / total)) : 99);
        });
      }, Promise.resolve());
    }).then(function () {
      parts.push(']}');
      var file = new Blob(parts, { type: 'application/json' });
      var a = document.createElement('a');
      a.href = URL.createObjectURL(file);
      a.download = fileName;
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      post('export_done', count, file.size);
    }).catch(function () { post('export_failed'); });
  }

  var staged = [];
  function stage(name, bytes, pending) {
    var png = bytes[0] === 0x89 && bytes[1] === 0x50;
    staged.push({ name: name, blob: new Blob([bytes], { type: png ? 'image/png' : 'image/jpeg' }), size: bytes.length, pending: pending });
    return 1;
  }
  function unstage() { staged = []; }
  // Stores the staged photos this device lacks (one transaction each: a full disk fails only the rest), then
  // counts the referenced names it still lacks; the answer goes to the core as one event.
  function commit(referenced) {
    var list = staged, failed = 0, newPending = false;
    staged = [];
    list.reduce(function (chain, ph) {
      return chain.then(function () {
        return tx('readwrite', function (s) {
          var r = s.get(ph.name);
          r.onsuccess = function () {
            if (r.result) return;
            var rec = { name: ph.name, blob: ph.blob, w: 0, h: 0, size: ph.size, at: Date.now() };
            if (ph.pending) { rec.pending = 1; newPending = true; }
            s.put(rec);
          };
        }).catch(function () { failed++; });
      });
    }, Promise.resolve()).then(function () {
      return tx('readonly', function (s, set) { var r = s.getAllKeys(); r.onsuccess = function () { set(r.result || []); }; });
    }).then(function (keys) {
      var have = {};
      keys.forEach(function (k) { have[k] = 1; });
      if (newPending) { uploadDirty = true; nextUpload = 0; }
      post('backup_photos_done', failed, referenced.filter(function (n) { return !have[n]; }).length);
    }, function () { post('backup_photos_done', failed + list.length, referenced.length); });
  }

  Module.sihuiPhotos = { pick: pick, discard: discard, load: load, free: free, upload: upload, list: list,
                         exportFile: exportFile, stage: stage, unstage: unstage, commit: commit,
                         textures: function () { return Object.keys(textures).length; } };
})();
