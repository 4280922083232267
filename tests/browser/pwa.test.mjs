// Browser tests for the offline app and the embed (issue 8, decision 0016). A small HTTP proxy in front
// of serve.py is "the network": cutting it (with context.setOffline for navigator.onLine) leaves the
// page and its service worker with no server at all, while serve.py keeps its data. The news site is a
// tiny page served from other loopback ports.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { TOP, CHROMIUM_ARGS, startServer, openApp, settle, findItem, click, items, tr } from './lib.mjs';

const TABLET = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const DIST = join(TOP, 'build', 'web', 'dist');
const PASSWORD = 'pw-meng-2026';

const query = (page, name, args) => page.evaluate(([n, a]) => window.sihui.query(n, a), [name, args]);
const act = (page, kind, payload) => page.evaluate(([k, p]) => window.sihui.act(k, p), [kind, payload]);
const fill = (text, args) => Object.entries(args).reduce((t, [k, v]) => t.split(`{${k}}`).join(String(v)), text);
const hex32 = () => [...Array(32)].map(() => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');

export async function waitFor(what, fn, timeout = 30000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

// "The network" between the browser and serve.py: up, down (every connection dropped), or noapi
// (static files pass, /api/ is dropped: the server's sync is unreachable while a new build can load).
export async function startProxy(target) {
  const t = new URL(target);
  let mode = 'up';
  const sockets = new Set();
  const srv = createServer((req, res) => {
    if (mode === 'down' || (mode === 'noapi' && req.url.startsWith('/api/'))) { req.socket.destroy(); return; }
    const up = httpRequest({ host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  srv.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${srv.address().port}`,
    set(m) { mode = m; if (m !== 'up') for (const s of sockets) s.destroy(); },
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); srv.close(r); }),
  };
}

// A news site page on its own loopback port: some text and the embed tags.
async function newsSite(html) {
  const srv = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(html());
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${srv.address().port}`, close: () => new Promise((r) => srv.close(r)) };
}

// A staff account on the server and a small community pushed through the API (as the office's tablet would).
async function community(server, { login = 'mengxx', person = 'meng' } = {}) {
  const r = spawnSync('/usr/bin/python3', [join(TOP, 'serve.py'), 'admin', 'create-staff', '--data', server.data,
    '--login', login, '--person', person, '--name', '孟祥祥'], { input: PASSWORD + '\n', encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const api = await apiAs(server.url, login);
  const DAY = 86400000, now = Date.now();
  const sessionAt = Math.floor((now + 8 * 3600000) / DAY) * DAY - 8 * 3600000 + 3 * DAY + 9 * 3600000;
  const ops = [
    ['community.init', { name: '仓南街社区', admin_name: '孟祥祥' }],
    ['place.compound.add', { id: 'north', name: '北苑小区' }],
    ['place.building.add', { id: 'b3', compound: 'north', name: '3号楼' }],
    ['place.unit.add', { id: 'u1', building: 'b3', name: '1单元' }],
    ['role.grant', { person, role: 'teacher' }],
    ['course.add', { id: 'mianshu', title: '面塑公益课', teacher: person, description: '非遗面塑体验' }],
    ['session.add', { id: 's16', course: 'mianshu', number: 16, starts_at: sessionAt, duration_min: 120, seats: 12,
      place: '非遗体验馆', theme: '孔子像' }],
    ['event.add', { id: 'ev-opera', title: '社区戏曲晚会', starts_at: sessionAt + DAY, duration_min: 90, place: '文化广场', category: 'festival' }],
  ];
  for (const [kind, payload] of ops) await api.push(kind, payload);
  return api;
}

async function apiAs(url, login) {
  const device = 'testdev' + Math.floor(Math.random() * 1e6);
  const res = await fetch(url + '/api/v1/login', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Sihui-Device': device },
    body: JSON.stringify({ login, password: PASSWORD, device }) });
  const token = (await res.json()).token;
  assert.ok(token, 'staff login');
  const headers = { Authorization: 'Bearer ' + token, 'X-Sihui-Device': device, 'Content-Type': 'application/json' };
  return {
    async push(kind, payload) {
      const r2 = await fetch(url + '/api/v1/ops', { method: 'POST', headers,
        body: JSON.stringify({ ops: [{ id: hex32(), kind, made_at: Date.now(), payload }] }) });
      assert.equal(r2.status, 200, `${kind}: ${await r2.text()}`);
    },
    async ops() {
      const r2 = await fetch(url + '/api/v1/ops?after=0&limit=5000', { headers });
      const doc = await r2.json();
      return (doc.ops || []).map((o) => (typeof o === 'string' ? JSON.parse(o) : o));
    },
  };
}

async function signInStaff(page, login = 'mengxx') {
  await click(page, await tr(page, 'account.mode.staff'));
  for (const [key, text] of [['account.login', login], ['account.password', PASSWORD]]) {
    const f = await findItem(page, await tr(page, key));
    await page.mouse.click(f.x + 20, f.y + f.h / 2);
    await settle(page);
    await page.keyboard.type(text);
  }
  await settle(page);
  await click(page, await tr(page, 'account.sign_in'));
  await waitFor('staff sign-in', async () => (await query(page, 'sync')).signed_in);
}

async function workerActive(page) {
  return waitFor('the service worker to precache the build and activate', () => page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    return !!(reg && reg.active && reg.active.state === 'activated' && navigator.serviceWorker.controller &&
      (await caches.keys()).includes('sihui-' + window.sihui.build));
  }), 60000);
}

const synced = (page) => async () => { const s = await query(page, 'sync'); return s.pending === 0 && s.phase === 'sync.phase.idle' ? s : null; };

// The files of the page's build it loaded (names with a content hash), from the resource timings.
async function loadedHashed(page) {
  return page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname.slice(1))
    .filter((p) => /[.-][0-9a-f]{8,64}\.[a-z0-9]+$/.test(p)));
}

function makeBuild(stamp) {
  const out = mkdtempSync(join(tmpdir(), 'sihui-build-'));
  const r = spawnSync('/usr/bin/python3', [join(TOP, 'tools', 'package_web.py'), '--wasm-dir', join(TOP, 'build', 'web'),
    '--fonts', join(TOP, 'build', 'fonts'), '--out', join(out, 'dist'), '--stamp', stamp], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return join(out, 'dist');
}

function deploy(from, root) {  // what an admin does: the folder's contents replaced by the new build
  for (const f of readdirSync(root)) rmSync(join(root, f), { recursive: true, force: true });
  cpSync(from, root, { recursive: true });
}

async function clickInFrame(page, frameEl, frame, label) {
  // A frame scrolled out of view gets no animation frames (nothing is drawn there, so its items are
  // a frame old): bring it into view first, as a reader scrolling to it would.
  const top = await frameEl.evaluate((el) => el.getBoundingClientRect().top);
  if (top > 700 || top < -10) {
    await frameEl.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY));
    await settle(page, 2);
  }
  const it = await waitFor(`"${label}" in the embed`, async () => (await frame.evaluate(() => window.sihui.items())).find((i) => i.label === label && i.enabled)).catch(async (e) => {
    throw new Error(e.message + ': ' + JSON.stringify(await frame.evaluate(() => [window.sihui.items().map((i) => i.label), window.sihui.status(), window.sihui.sync()])));
  });
  await frameEl.evaluate((el, y) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY + y - 200), it.y);
  await settle(page, 2);
  const box = await frameEl.boundingBox();
  await page.mouse.click(box.x + it.x + it.w / 2, box.y + it.y + it.h / 2);
  await new Promise((r) => setTimeout(r, 100));
  await frame.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return it;
}

async function typeInFrame(page, frameEl, frame, label, text) {
  const it = await clickInFrame(page, frameEl, frame, label);
  await page.keyboard.type(text);
  return it;
}

async function setTextScale(page, pct) {
  await click(page, await tr(page, 'nav.settings'));
  for (let guard = 0; guard < 20 && (await query(page, 'settings')).text_scale < pct; guard++) {
    await click(page, 'A+  ' + await tr(page, 'settings.larger'));
  }
  await click(page, await tr(page, 'nav.home'));
}

export const tests = {
  async 'pwa: after one visit the app starts with no network; a report and a class sign-up made offline reach the server when it returns'({ browser, shot }) {
    const server = await startServer();
    const net = await startProxy(server.url);
    const api = await community(server);
    const ctx = await browser.newContext({ viewport: TABLET, deviceScaleFactor: 1, locale: 'zh-CN' });
    try {
      let page = await openApp(ctx, net.url);
      await click(page, await tr(page, 'nav.settings'));
      await signInStaff(page);
      await waitFor('the community', async () => (await query(page, 'sync')).stored_seq >= 8);
      await workerActive(page);
      const build = await page.evaluate(() => window.sihui.build);

      // No network at all: the proxy drops every connection, the browser says offline.
      net.set('down');
      await ctx.setOffline(true);
      await page.reload();
      await page.waitForFunction(() => window.sihui && window.sihui.readyMs, null, { timeout: 30000 });
      await page.evaluate(() => window.sihui.ready);
      await settle(page);
      assert.equal(await page.evaluate(() => window.sihui.build), build);
      assert.equal((await query(page, 'status')).online, false);
      assert.ok((await query(page, 'store.status')).open, 'the device store opened offline');
      await shot(page, 'pwa-offline-start');

      // A report (the path the screens use) and a class sign-up through the class page, offline.
      const report = await act(page, 'report.file', { id: 'r-offline-1', category: 'repair', subtype: 'streetlight_out',
        compound: 'north', building: 'b3', description: '3号楼门口的路灯不亮了。' });
      await waitFor('the report to be saved on the device', () => query(page, 'store.saved', { gen: report.gen }).then((s) => s.saved));
      const classTitle = await tr(page, 'class.title');
      if (!(await items(page)).some((i) => i.label === classTitle)) await click(page, await tr(page, 'home.projects.title'));
      await click(page, classTitle);
      const name16 = fill(await tr(page, 'class.session_name'), { n: 16 });
      await click(page, `${await tr(page, 'class.signup')} ${name16}`);
      await click(page, await tr(page, 'class.only_me'));
      await waitFor('both saved, pending', async () => {
        const st = await query(page, 'status');
        return st.all_saved && (await query(page, 'sync')).pending === 2;
      });
      const pending = (await query(page, 'store.status')).pending;
      assert.equal(pending.length, 2);
      await shot(page, 'pwa-offline-saved');
      const seats = await query(page, 'class.seats', { session: 's16', person: 'meng' });
      assert.equal(seats.status, 'enrolled', JSON.stringify(seats) + JSON.stringify(await Promise.all(pending.map((op) => query(page, 'op', { op })))));
      await shot(page, 'pwa-offline-saved');

      // The network returns: nothing to click, both go out.
      net.set('up');
      await ctx.setOffline(false);
      await waitFor('the pending ops to reach the server', synced(page), 60000);
      for (const id of pending) assert.equal((await query(page, 'op', { op: id })).state, 'confirmed', id);
      const onServer = await api.ops();
      assert.ok(onServer.some((o) => o.kind === 'report.file' && o.payload.id === 'r-offline-1'), 'the report is on the server');
      assert.ok(onServer.some((o) => o.kind === 'session.signup' && o.payload.session === 's16'), 'the sign-up is on the server');
      assert.deepEqual(page.sihuiErrors.filter((e) => !/ERR_INTERNET_DISCONNECTED|ERR_EMPTY_RESPONSE|ERR_CONNECTION|Failed to fetch|net::/.test(e)), []);

    } finally {
      await ctx.close();
      await net.close();
      await server.stop();
    }
  },

  async 'pwa: Chromium finds the app installable (manifest, icons, service worker), read through the DevTools Protocol'({ url }) {
    // A profile on disk: test contexts are incognito, where Chromium never offers to install.
    const dir = mkdtempSync(join(tmpdir(), 'sihui-profile-'));
    const ctx = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true,
      viewport: TABLET, locale: 'zh-CN' });
    try {
      const page = await openApp(ctx, url);
      await workerActive(page);
      const cdp = await ctx.newCDPSession(page);
      const inst = await cdp.send('Page.getInstallabilityErrors');
      assert.deepEqual(inst.installabilityErrors, [], JSON.stringify(inst));
      const m = await cdp.send('Page.getAppManifest');
      assert.deepEqual(m.errors, [], JSON.stringify(m.errors));
      const manifest = JSON.parse(m.data);
      assert.equal(manifest.short_name, '四汇');
      assert.equal(manifest.display, 'standalone');
      assert.equal(manifest.lang, 'zh-CN');
      assert.ok(manifest.icons.some((i) => i.sizes === '512x512' && i.purpose === 'maskable'));
      for (const icon of manifest.icons) {
        const res = await fetch(new URL(icon.src, url + '/').href);
        assert.equal(res.status, 200, icon.src);
        assert.equal(res.headers.get('content-type'), 'image/png');
      }
      assert.equal((await (await fetch(url + '/manifest.en.webmanifest')).json()).short_name, 'Sihui');
    } finally {
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },

  async 'pwa: a new build deployed while the tablet holds unsent ops is offered, waits for a form, loses nothing, never mixes builds'({ browser, shot }) {
    const root = mkdtempSync(join(tmpdir(), 'sihui-root-'));
    deploy(DIST, root);
    const buildA = JSON.parse(readFileSync(join(root, 'build.json'), 'utf8'));
    const server = await startServer({ root });
    const net = await startProxy(server.url);
    const api = await community(server);
    const ctx = await browser.newContext({ viewport: TABLET, deviceScaleFactor: 1, locale: 'zh-CN' });
    let distB = null;
    try {
      const page = await openApp(ctx, net.url);
      await click(page, await tr(page, 'nav.settings'));
      await signInStaff(page);
      await click(page, await tr(page, 'nav.home'));
      await waitFor('the community', async () => (await query(page, 'sync')).stored_seq >= 8);
      await workerActive(page);
      assert.equal(await page.evaluate(() => window.sihui.build), buildA.build);
      // A second tab of the same build (read-only: the first one writes).
      const other = await openApp(ctx, net.url);
      assert.equal(await other.evaluate(() => window.sihui.build), buildA.build);
      await page.bringToFront();  // a tab in the background gets no animation frames

      // The server cannot be reached for sync: two reports wait on the tablet, saved.
      net.set('noapi');
      const ids = [];
      for (const n of [1, 2]) {
        const r = await act(page, 'report.file', { id: `r-upd-${n}`, category: 'repair', subtype: 'broken_lift', description: `电梯坏了 ${n}` });
        ids.push(r.op);
        await waitFor('saved', () => query(page, 'store.saved', { gen: r.gen }).then((s) => s.saved));
      }
      assert.equal((await query(page, 'sync')).pending, 2);

      // A new build is deployed; the tablet finds it in the background and offers it.
      distB = makeBuild('pwa-test-' + Date.now());
      deploy(distB, root);
      const buildB = JSON.parse(readFileSync(join(root, 'build.json'), 'utf8'));
      assert.notEqual(buildB.build, buildA.build);
      assert.notEqual(buildB.files['sihui.js'], buildA.files['sihui.js']);
      assert.ok(await page.evaluate(() => window.sihui.checkUpdate()), 'a new worker is waiting');
      await waitFor('the update offer', async () => (await query(page, 'status')).update_ready);
      await settle(page);
      const ready = await tr(page, 'update.ready');
      assert.ok((await items(page)).some((i) => i.role === 'status' && i.label === ready), 'the banner says a new version is ready');
      assert.equal(await page.evaluate(() => window.sihui.build), buildA.build, 'the page still runs its own build');

      // A form with typed input: the update waits and says why.
      await click(page, await tr(page, 'nav.settings'));
      const nameField = await findItem(page, await tr(page, 'settings.device_name'));
      await page.mouse.click(nameField.x + 20, nameField.y + nameField.h / 2);
      await page.keyboard.type('前台平板');
      await settle(page);
      assert.equal((await query(page, 'status')).unsaved_input, true);
      await page.mouse.wheel(0, -20000);
      await settle(page);
      const apply = await findItem(page, await tr(page, 'update.apply'));
      assert.equal(apply.enabled, false, 'no update while a form holds typed input');
      const waitForm = await tr(page, 'update.wait_form');
      assert.ok((await items(page)).some((i) => i.role === 'status' && i.label === waitForm), 'the banner says why');
      await shot(page, 'pwa-update-waits-for-form');
      await click(page, await tr(page, 'settings.device_name.save'));
      await waitFor('the name saved', async () => (await query(page, 'status')).all_saved && !(await query(page, 'status')).unsaved_input);
      assert.equal((await query(page, 'sync')).pending, 2, 'the reports still wait for the server');

      // Update now: the page reloads into build B, the two reports still on the tablet.
      await click(page, await tr(page, 'update.apply'));
      await page.waitForFunction((b) => window.sihui && window.sihui.build === b && window.sihui.readyMs, buildB.build, { timeout: 30000 });
      await page.evaluate(() => window.sihui.ready);
      const afterIds = (await query(page, 'store.status')).pending;
      for (const id of ids) assert.ok(afterIds.includes(id) || (await query(page, 'op', { op: id })).state === 'confirmed', `op ${id} kept`);
      const namesB = new Set(Object.values(buildB.files));
      const loaded = await loadedHashed(page);
      assert.ok(loaded.length >= 3, loaded.join());
      for (const f of loaded) assert.ok(namesB.has(f), `build B's page loaded ${f}, not a file of build B`);
      assert.equal(await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('sihui-')).join()), 'sihui-' + buildB.build);
      assert.equal((await query(page, 'settings')).device_name, '前台平板');

      // The second tab still runs build A, whose files the new worker no longer keeps: it offers
      // the update too, and pressing it brings that tab onto build B.
      await waitFor('the other tab to offer the new build', async () => (await query(other, 'status')).update_ready);
      await other.bringToFront();
      await settle(other);
      await click(other, await tr(other, 'update.apply'));
      await other.waitForFunction((b) => window.sihui && window.sihui.build === b && window.sihui.readyMs, buildB.build, { timeout: 30000 });
      await page.bringToFront();

      // The server returns: the reports go out by themselves.
      net.set('up');
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await waitFor('the reports to reach the server', synced(page), 60000);
      const onServer = await api.ops();
      for (const n of [1, 2]) assert.ok(onServer.some((o) => o.kind === 'report.file' && o.payload.id === `r-upd-${n}`), `report ${n}`);
    } finally {
      await ctx.close();
      await net.close();
      await server.stop();
      rmSync(root, { recursive: true, force: true });
      if (distB) rmSync(join(distB, '..'), { recursive: true, force: true });
    }
  },

  async 'pwa: the news site embeds the calendar and a class; it renders, resizes, a sign-up reaches the server; other sites cannot frame it'({ browser, shot }) {
    let appUrl = '';
    const page320 = (view, width) => `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>仓南街社区新闻</title>
      <body style="margin:0;font:16px sans-serif"><main style="max-width:${width}px;margin:0 auto">
      <h1 style="font-size:20px;margin:8px">仓南街社区新闻</h1><p style="margin:8px">本周社区活动和面塑课报名。</p>
      ${view.map((v) => `<script src="${appUrl}/embed.js" data-view="${v}" data-lang="zh-CN"></script><p style="margin:8px">——</p>`).join('\n')}
      </main></body></html>`;
    let layout = { views: ['calendar', 'class:s16'], width: 320 };
    const news = await newsSite(() => page320(layout.views, layout.width));
    const stranger = await newsSite(() => page320(['calendar'], 320));
    const server = await startServer({ extraArgs: ['--embed-origin', news.url] });
    appUrl = server.url;
    const api = await community(server);
    const r = spawnSync('/usr/bin/python3', [join(TOP, 'serve.py'), 'admin', 'create-staff', '--data', server.data,
      '--login', 'wangli', '--person', 'p-wang', '--name', '王丽'], { input: PASSWORD + '\n', encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    await api.push('person.add', { id: 'p-wang', name: '王丽', birth_year: 1968, unit: 'u1' });
    const ctx = await browser.newContext({ viewport: { width: 320, height: 700 }, deviceScaleFactor: 1, locale: 'zh-CN' });
    try {
      const page = await ctx.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(news.url);
      const frames = page.locator('iframe.sihui-embed');
      await waitFor('two embeds', async () => (await frames.count()) === 2);
      const calEl = await frames.nth(0).elementHandle();
      const classEl = await frames.nth(1).elementHandle();
      const cal = await calEl.contentFrame();
      const klass = await classEl.contentFrame();
      for (const f of [cal, klass]) {
        // Polled by time: a frame out of view gets no animation frames (Playwright's default polling).
        await f.waitForFunction(() => window.sihui && window.sihui.readyMs, null, { timeout: 30000, polling: 100 });
        await f.waitForFunction(() => window.sihui.sync().stored_seq >= 9, null, { timeout: 30000, polling: 100 }).catch(async (e) => {
          throw new Error(e.message + JSON.stringify(await Promise.all([cal, klass].map((x) => x.evaluate(() => [window.sihui.status(), window.sihui.sync(), window.sihui.query('store.status')])))));
        });
      }
      // Each frame is as tall as its content and as wide as the column.
      for (const [el, f] of [[calEl, cal], [classEl, klass]]) {
        await waitFor('the frame to take its content height', async () => {
          const h = await f.evaluate(() => window.sihui.embedHeight || 0);
          const box = await el.boundingBox();
          return h > 200 && Math.abs(box.height - h) <= 1;
        });
        const box = await el.boundingBox();
        assert.equal(Math.round(box.width), 320);
        const its = await f.evaluate(() => window.sihui.items());
        for (const i of its.filter((x) => x.label)) assert.ok(i.x >= -0.5 && i.x + i.w <= 320.5, `"${i.label}" sticks out of 320 px`);
        for (const i of its.filter((x) => x.role === 'button' && !x.clipped)) assert.ok(i.h >= 43.5, `"${i.label}" is only ${i.h}px tall`);
      }
      await page.screenshot({ path: join(TOP, 'build', 'test-results', 'pwa-embed-320.png'), fullPage: true });
      const calItems = await cal.evaluate(() => window.sihui.items());
      const listLabel = await cal.evaluate(() => window.sihui.query('tr', { key: 'cal.view.list' }).text);
      assert.ok(calItems.some((i) => i.label === '✓ ' + listLabel), 'the calendar, as a list: ' + calItems.map((i) => i.label).join(' | '));
      const entries = await cal.evaluate(() => window.sihui.query('life.entries', { from: Date.now(), to: Date.now() + 8 * 86400000 }));
      assert.ok(JSON.stringify(entries).includes('社区戏曲晚会'), 'the event is in the embed\'s calendar');
      const openFull = await cal.evaluate(() => window.sihui.query('tr', { key: 'embed.open_full' }).text);
      assert.ok((await cal.evaluate(() => window.sihui.items())).some((i) => i.label.startsWith(openFull)), 'a link to the full app');
      await page.screenshot({ path: join(TOP, 'build', 'test-results', 'pwa-embed-320.png'), fullPage: true });

      // Sign up from the news page: register or sign in inside the embed, then 报名 → 只报我自己.
      const name16 = await klass.evaluate(() => window.sihui.query('tr', { key: 'class.session_name' }).text.replace('{n}', '16'));
      const trk = (k) => klass.evaluate((key) => window.sihui.query('tr', { key }).text, k);
      const before = (await classEl.boundingBox()).height;
      await clickInFrame(page, classEl, klass, await trk('embed.sign_in'));
      await clickInFrame(page, classEl, klass, await trk('account.mode.staff'));
      await typeInFrame(page, classEl, klass, await trk('account.login'), 'wangli');
      await typeInFrame(page, classEl, klass, await trk('account.password'), PASSWORD);
      await clickInFrame(page, classEl, klass, await trk('account.sign_in'));
      await waitFor('sign-in in the embed', () => klass.evaluate(() => window.sihui.sync().signed_in));
      await waitFor('the frame to resize to the account form', async () => Math.abs((await classEl.boundingBox()).height - before) > 20);
      await clickInFrame(page, classEl, klass, await trk('embed.back'));
      await waitFor('王丽 known in the embed', () => klass.evaluate(() => window.sihui.query('community.summary').persons >= 2));
      await clickInFrame(page, classEl, klass, `${await trk('class.signup')} ${name16}`);
      await clickInFrame(page, classEl, klass, await trk('class.only_me'));
      await waitFor('the sign-up to reach the server', async () => (await api.ops()).some((o) => o.kind === 'session.signup' && o.payload.session === 's16'), 60000).catch(async (e) => {
        throw new Error(e.message + JSON.stringify(await Promise.all([cal, klass].map((x) => x.evaluate(() => [window.sihui.status(), window.sihui.sync(), window.sihui.query('store.status'), window.sihui.items().map((i) => i.label)])))));
      });
      await page.screenshot({ path: join(TOP, 'build', 'test-results', 'pwa-embed-320-signed-up.png'), fullPage: true });
      assert.deepEqual(errors, []);

      // 390 px wide, for a look.
      layout = { views: ['class:s16'], width: 390 };
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(news.url);
      const one = await (await page.locator('iframe.sihui-embed').first().elementHandle()).contentFrame();
      await one.waitForFunction(() => window.sihui && window.sihui.readyMs && window.sihui.embedHeight > 0, null, { timeout: 30000 });
      await settle(page);
      await page.screenshot({ path: join(TOP, 'build', 'test-results', 'pwa-embed-390.png'), fullPage: true });

      // A site not on the --embed-origin list: the browser refuses to show the app in its frame.
      const p2 = await ctx.newPage();
      const refused = [];
      p2.on('console', (m) => { if (/frame-ancestors/.test(m.text())) refused.push(m.text()); });
      await p2.goto(stranger.url);
      const el2 = await p2.locator('iframe.sihui-embed').first().elementHandle();
      await waitFor('the browser to refuse the frame', async () => refused.length > 0, 15000);
      const f2 = await el2.contentFrame();
      const hasApp = f2 ? await f2.evaluate(() => !!window.sihui).catch(() => false) : false;
      assert.equal(hasApp, false, 'the app must not run inside a page from another site');
    } finally {
      await ctx.close();
      await news.close();
      await stranger.close();
      await server.stop();
    }
  },

  async 'pwa: signing in in a read-only tab signs in the writer tab; what that tab does goes out under the account'({ browser }) {
    const server = await startServer();
    const api = await community(server);
    const ctx = await browser.newContext({ viewport: TABLET, deviceScaleFactor: 1, locale: 'zh-CN' });
    try {
      const a = await openApp(ctx, server.url);
      const b = await openApp(ctx, server.url);
      assert.equal((await b.evaluate(() => window.sihui.status())).storage, 'readonly');
      await click(b, await tr(b, 'nav.settings'));
      await signInStaff(b);
      // The writer tab (the one that syncs) took the account over and saved it; the reader keeps it.
      await waitFor('the writer tab to be signed in', async () => (await query(a, 'sync')).person === 'meng');
      const op = await b.evaluate(() => window.sihui.act('report.comment', { report: 'r-tabs', text: '两个页面，一个账号' }));
      await waitFor('the comment to reach the server under the account', async () =>
        (await api.ops()).some((o) => o.id === op.op && o.author === 'meng'));
      await waitFor('the reader to still be signed in after the writer saved', async () => {
        const [s, w] = [await query(b, 'sync'), await query(a, 'sync')];
        return s.signed_in && s.person === 'meng' && s.pending === 0 && s.stored_seq === w.stored_seq && w.pending === 0;
      });
    } finally {
      await ctx.close();
      await server.stop();
    }
  },

  async 'pwa: an embed that may not keep data works online only, says so and links to the full app'({ browser }) {
    let appUrl = '';
    const news = await newsSite(() => `<!doctype html><meta charset="utf-8"><body style="margin:0"><div style="width:320px">
      <script src="${appUrl}/embed.js" data-view="calendar"></script></div>`);
    const server = await startServer({ extraArgs: ['--embed-origin', news.url] });
    appUrl = server.url;
    await community(server);
    const ctx = await browser.newContext({ viewport: { width: 320, height: 700 }, deviceScaleFactor: 1, locale: 'zh-CN' });
    // Like a browser that gives third-party frames no storage: no IndexedDB inside the frame.
    await ctx.addInitScript(() => { if (window.top !== window) Object.defineProperty(window, 'indexedDB', { value: undefined }); });
    try {
      const page = await ctx.newPage();
      await page.goto(news.url);
      const el = await page.locator('iframe.sihui-embed').first().elementHandle();
      const f = await el.contentFrame();
      await f.waitForFunction(() => window.sihui && window.sihui.readyMs, null, { timeout: 30000 });
      assert.equal(await f.evaluate(() => window.sihui.status().storage), 'failed');
      // Online: the community still arrives from the server, into memory.
      await f.waitForFunction(() => window.sihui.sync().stored_seq >= 8, null, { timeout: 30000 });
      const words = await f.evaluate(() => window.sihui.query('tr', { key: 'embed.online_only' }).text);
      await f.waitForFunction((w) => window.sihui.items().some((i) => i.role === 'status' && i.label === w), words);
      const open = await f.evaluate(() => window.sihui.query('tr', { key: 'embed.open_full' }).text);
      assert.ok((await f.evaluate(() => window.sihui.items())).filter((i) => i.label.startsWith(open)).length >= 1);
      await page.screenshot({ path: join(TOP, 'build', 'test-results', 'pwa-embed-online-only.png'), fullPage: true });
    } finally {
      await ctx.close();
      await news.close();
      await server.stop();
    }
  },

  async 'pwa: the update banner at phone and tablet sizes with 200% text'({ browser, url, shot }) {
    for (const [vpName, viewport] of [['phone', PHONE], ['tablet', TABLET]]) {
      const ctx = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN' });
      const page = await openApp(ctx, url);
      await setTextScale(page, 200);
      // The offer as the service worker makes it (the real flow is the test above).
      await page.evaluate(() => Module.ccall('sihui_post', null, ['string', 'number', 'number', 'string'], ['update_ready', 1, 0, '']));
      await settle(page);
      const apply = await findItem(page, await tr(page, 'update.apply'));
      const later = await findItem(page, await tr(page, 'update.later'));
      for (const b of [apply, later]) {
        assert.ok(b.x >= 0 && b.x + b.w <= viewport.width + 0.5, `${vpName}: "${b.label}" sticks out`);
        assert.ok(b.h >= 43.5, `${vpName}: "${b.label}" is ${b.h}px tall`);
      }
      assert.equal(apply.enabled, true);
      await shot(page, `pwa-update-banner-${vpName}-200`);
      await click(page, await tr(page, 'update.later'));
      assert.ok(!(await items(page)).some((i) => i.label === apply.label), 'later hides the banner');
      await ctx.close();
    }
  },
};
