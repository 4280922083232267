// sw.js: Sihui's service worker. One worker per build: tools/package_web.py writes the build's id and
// file list into the line marked BUILD below, so a new build is a new worker (the bytes differ) and
// the browser installs it in the background (decision 0016).
// [X] precache one whole build in a cache of its own ("sihui-<build>"): index.html, the content-hashed
//     js, wasm and fonts, the icons and manifests; the install fails (and the old build stays) if
//     index.html on the server already belongs to another build, so two builds are never mixed
// [X] navigations answered from the active build's index.html, offline first (the app starts with
//     no network after one visit); the query (?embed=, ?demo=) is the page's business
// [X] hashed files: from the cache, else the network; /api/ and everything unlisted: the network only
// [X] never skips waiting by itself: the page asks (message "sihui-activate") when the person chose
//     to update and nothing is unsaved (shell/sihui-pre.js, src/web/main_web.cpp)
// [X] activate: the caches of other builds are deleted, open pages are claimed
// Changes:
// - 2026-11-26: first version (issue 8).
/* eslint-env serviceworker */
'use strict';
const BUILD = {/* BUILD */};
const CACHE = 'sihui-' + BUILD.build;
const scope = new URL(self.registration.scope);
const url = (p) => new URL(p, scope).href;
const PRECACHE = ['index.html'].concat(BUILD.precache || []);

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // index.html first: it must name this build, or a newer deploy raced this worker.
    const page = await fetch(url('index.html'), { cache: 'reload', credentials: 'same-origin' });
    const text = await page.clone().text();
    if (!page.ok || text.indexOf('"build":"' + BUILD.build + '"') < 0) {
      throw new Error('sihui sw: index.html is not build ' + BUILD.build);
    }
    await Promise.all(PRECACHE.slice(1).map(async (p) => {
      const res = await fetch(url(p), { cache: 'reload', credentials: 'same-origin' });
      if (!res.ok) throw new Error('sihui sw: ' + p + ': HTTP ' + res.status);
      await cache.put(url(p), res);
    }));
    await cache.put(url('index.html'), page);
  })().catch(async (e) => {
    await caches.delete(CACHE);
    throw e;
  }));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('sihui-') && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  const m = event.data || {};
  if (m.type === 'sihui-activate') self.skipWaiting();
  if (m.type === 'sihui-build' && event.source) event.source.postMessage({ type: 'sihui-build', build: BUILD.build });
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const u = new URL(req.url);
  if (u.origin !== scope.origin || !u.pathname.startsWith(scope.pathname)) return;
  const rel = u.pathname.slice(scope.pathname.length);
  if (rel.startsWith('api/')) return;  // the network, always (sync has its own retries)
  if (req.mode === 'navigate' && (rel === '' || rel === 'index.html')) {
    event.respondWith((async () => {
      const cache = await caches.open(CACHE);
      return (await cache.match(url('index.html'))) || fetch(req);
    })());
    return;
  }
  if (PRECACHE.indexOf(rel) < 0) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    return (await cache.match(url(rel))) || fetch(req);
  })());
});
