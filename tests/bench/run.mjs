// ./sihui bench [AREA]: measures, prints "name value unit" lines, and rewrites the area's
// section of docs/benchmarks.md with the figures, the machine and the date.
// Areas: web (first-frame bytes and time), core (reducer throughput, native and wasm), store (saves),
// life (frame time of the calendar's month view and of a 500-person class roster), pwa (start with no
// network from the service worker's cache; the embed's bytes before its first frame),
// a11y (the accessibility mirror's cost per frame and its DOM writes when nothing changed),
// grid (the grid map's frame time with the demo community plus 5,000 open reports, and the time from a
// report's send to its appearing on the grid leader's online tablet).
import { execFileSync, execSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { TOP, startServer, launch, openApp, click, findItem, settle, tr } from '../browser/lib.mjs';
import { startProxy, waitFor } from '../browser/pwa.test.mjs';

const areas = { web: benchWeb, core: benchCore, store: benchStore, life: benchLife, pwa: benchPwa, a11y: benchA11y, grid: benchGrid };
const wanted = process.argv[2] ? [process.argv[2]] : Object.keys(areas);
for (const a of wanted) if (!areas[a]) { console.error(`bench: no area "${a}"; areas: ${Object.keys(areas).join(', ')}`); process.exit(2); }

function median(xs) { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; }
function kb(n) { return (n / 1024).toFixed(1); }
function fileSize(p) { return existsSync(p) ? statSync(p).size : 0; }

function machine() {
  const c = cpus();
  return `${c.length} × ${c[0] ? c[0].model.trim() : 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}`;
}

async function benchWeb() {
  const dist = join(TOP, 'build', 'web', 'dist');
  const build = JSON.parse(readFileSync(join(dist, 'build.json'), 'utf8'));
  const parts = [['html', 'index.html'], ['js', build.files['sihui.js']], ['wasm', build.files['sihui.wasm']], ['first font', build.files['fonts/first.ttf']]];
  const rows = parts.map(([what, f]) => ({ what, raw: fileSize(join(dist, f)), gz: fileSize(join(dist, f + '.gz')) || fileSize(join(dist, f)), br: fileSize(join(dist, f + '.br')) || fileSize(join(dist, f)) }));
  const total = rows.reduce((a, r) => ({ raw: a.raw + r.raw, gz: a.gz + r.gz, br: a.br + r.br }), { raw: 0, gz: 0, br: 0 });
  const full = ['fonts/common.ttf', 'fonts/full.ttf', 'fonts/fallback.ttf'].map((n) => ({ raw: fileSize(join(dist, build.files[n])), br: fileSize(join(dist, build.files[n] + '.br')) }));

  const server = await startServer();
  const browser = await launch();
  const firsts = [], readies = [], transferred = [];
  try {
    for (let i = 0; i < 10; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await ctx.newPage();
      let bytes = 0;
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Network.enable');
      cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
      await page.goto(server.url);
      await page.waitForFunction(() => window.sihui && window.sihui.readyMs, null, { timeout: 30000 });
      const t = await page.evaluate(() => [window.sihui.firstFrameMs, window.sihui.readyMs]);
      firsts.push(t[0]);
      readies.push(t[1]);
      transferred.push(bytes);
      await ctx.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const figures = [
    ['web.first_frame_bytes_gz', total.gz, 'bytes'],
    ['web.first_frame_bytes_br', total.br, 'bytes'],
    ['web.first_frame_bytes_raw', total.raw, 'bytes'],
    ['web.first_frame_ms', median(firsts), 'ms'],
    ['web.ready_ms', median(readies), 'ms'],
  ];
  const md = [
    `Goal: at most 800 KB compressed for the first frame, first frame within 1 s (headless Chromium, loopback, cold cache, median of 10).`,
    '',
    '| part | raw KB | gzip KB | brotli KB |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.what} | ${kb(r.raw)} | ${kb(r.gz)} | ${kb(r.br)} |`),
    `| **first frame total** | ${kb(total.raw)} | ${kb(total.gz)} | ${kb(total.br)} |`,
    `| common, full and fallback fonts, fetched after the first frame | ${kb(full.reduce((a, f) => a + f.raw, 0))} | – | ${kb(full.reduce((a, f) => a + f.br, 0))} |`,
    '',
    `| figure | value |`,
    `|---|---|`,
    `| web.first_frame_ms (median of 10; min ${Math.min(...firsts).toFixed(0)}, max ${Math.max(...firsts).toFixed(0)}) | ${median(firsts).toFixed(0)} ms |`,
    `| web.ready_ms (storage loaded, home screen shown) | ${median(readies).toFixed(0)} ms |`,
    `| bytes on the wire per cold load until ready (median) | ${kb(median(transferred))} KB |`,
  ];
  return { figures, md };
}

async function benchCore() {
  const native = join(TOP, 'build', 'release', 'tests', 'bench', 'core_bench');
  const wasm = join(TOP, 'build', 'web', 'tests', 'bench', 'core_bench.js');
  if (!existsSync(native)) return { figures: [], md: ['No core benchmark built (tests/bench/core_bench.cpp is not there yet).'] };
  const parse = (out) => Object.fromEntries(out.split('\n').map((l) => l.trim().split(/\s+/)).filter((p) => p.length === 3 && p[0].startsWith('core.')).map((p) => [p[0], [Number(p[1]), p[2]]]));
  const n = parse(execFileSync(native, { encoding: 'utf8', maxBuffer: 1 << 26 }));
  const figures = Object.entries(n).map(([k, [v, u]]) => [k, v, u]);
  let w = null;
  if (existsSync(wasm)) {
    w = parse(execFileSync('node', ['--no-experimental-fetch', wasm], { encoding: 'utf8', maxBuffer: 1 << 26 }));
    const key = 'core.decode_apply_ops_per_s';
    if (n[key] && w[key]) figures.push(['core.wasm_vs_native', n[key][0] / w[key][0], 'x']);
  }
  const md = ['| figure | native | wasm (Node) | unit |', '|---|---|---|---|',
    ...Object.entries(n).map(([k, [v, u]]) => `| ${k} | ${fmt(v)} | ${w && w[k] ? fmt(w[k][0]) : '–'} | ${u} |`)];
  const ratio = figures.find((f) => f[0] === 'core.wasm_vs_native');
  if (ratio) md.push('', `core.wasm_vs_native (native decode+apply rate over wasm rate): ${ratio[1].toFixed(2)}x`);
  return { figures, md };
}

function pct(xs, p) { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; }

// Saves in the browser: the time from sihui.act() to "saved on this device" (the IndexedDB flush
// holding the op has completed), with N confirmed ops already stored (imported from a file that
// store_bench --export wrote), and start-up with 100k stored. PouchDB 9 (IndexedDB adapter) stores
// the same op records one by one in the same browser as the yardstick.
async function benchStore() {
  const storeBench = join(TOP, 'build', 'release', 'tests', 'bench', 'store_bench');
  const figures = [], md = [];
  const native = existsSync(storeBench) ? execFileSync(storeBench, { encoding: 'utf8', maxBuffer: 1 << 26 }) : '';
  for (const line of native.split('\n')) {
    const p = line.trim().split(/\s+/);
    if (p.length === 3 && p[0].startsWith('store.')) figures.push([p[0], Number(p[1]), p[2]]);
  }
  const dir = join(TOP, 'build', 'bench');
  mkdirSync(dir, { recursive: true });
  const sizes = [1000, 10000, 100000];
  for (const n of sizes) {
    const f = join(dir, `export-${n}.json`);
    // Made again whenever store_bench is newer: a file from an older build claims the state hash of
    // that build's reducer, and importing it into today's app is (rightly) refused.
    if (!existsSync(f) || statSync(f).mtimeMs < statSync(storeBench).mtimeMs) execFileSync(storeBench, ['--export', String(n), f]);
  }
  const SAVES = 60;
  const server = await startServer();
  const browser = await launch();
  const rows = [];
  let readyEmpty = [], ready100k = [], sample = null;
  try {
    for (const n of [0, ...sizes]) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await ctx.newPage();
      await page.goto(server.url);
      await page.waitForFunction(() => window.sihui && window.sihui.readyMs, null, { timeout: 60000 });
      if (n > 0) {
        const text = readFileSync(join(dir, `export-${n}.json`), 'utf8');
        await page.evaluate((t) => window.sihui.importText(t), text);
        await page.waitForFunction(() => window.sihui.status().all_saved, null, { timeout: 120000 });
      }
      const times = await page.evaluate(async (saves) => {
        const waitSaved = (gen) => new Promise((resolve) => {
          const check = () => (window.sihui.query('store.saved', { gen }).saved ? resolve() : (Module.sihuiAfterFlush = Module.sihuiAfterFlush || []).push(check));
          check();
        });
        const out = [];
        for (let i = 0; i < saves; i++) {
          const t0 = performance.now();
          const r = window.sihui.act('report.comment', { report: 'r-' + i, text: '三号楼二单元楼道灯不亮，已经三天了。' });
          await waitSaved(r.gen);
          out.push(performance.now() - t0);
          await new Promise((r2) => setTimeout(r2, 20));  // a person does not save 60 times a second
        }
        return out;
      }, SAVES);
      if (!sample) sample = await page.evaluate(() => window.sihui.exportAll());
      rows.push({ n, p50: median(times), p95: pct(times, 0.95) });
      if (n === 0 || n === 100000) {
        for (let k = 0; k < 3; k++) {
          await page.reload();
          await page.waitForFunction(() => window.sihui && window.sihui.readyMs, null, { timeout: 60000 });
          (n === 0 ? readyEmpty : ready100k).push(await page.evaluate(() => window.sihui.readyMs));
        }
      }
      await ctx.close();
    }
    // PouchDB: the same op records, one put at a time, with 1k and 100k records already there.
    const pouch = await benchPouch(browser, JSON.parse(sample));
    for (const r of rows) {
      if (r.n === 1000) figures.push(['store.save_p95_ms_1k', r.p95, 'ms']);
      if (r.n === 100000) figures.push(['store.save_p95_ms_100k', r.p95, 'ms']);
    }
    const extra = median(ready100k) - median(readyEmpty);
    figures.push(['store.startup_extra_ms_100k', extra, 'ms']);
    const ours1k = rows.find((r) => r.n === 1000).p50;
    figures.push(['store.save_vs_pouchdb', ours1k / pouch[0].p50, 'x']);
    md.push('Browser (headless Chromium, IDBFS): time from `sihui.act()` to "saved on this device", ' + SAVES + ' saves each.', '',
      '| ops already stored | median | 95th percentile |', '|---|---|---|',
      ...rows.map((r) => `| ${r.n.toLocaleString('en-US')} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms |`), '',
      `Start-up to ready: empty store ${median(readyEmpty).toFixed(0)} ms, 100k ops stored ${median(ready100k).toFixed(0)} ms (median of 3): **+${extra.toFixed(0)} ms** (goal: under 300 ms more).`, '',
      'PouchDB 9.0.0, `indexeddb` adapter, one `put` per record, same records, same browser:', '',
      '| records already stored | median | 95th percentile |', '|---|---|---|',
      ...pouch.map((r) => `| ${r.n.toLocaleString('en-US')} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms |`), '',
      `store.save_vs_pouchdb (our median save with 1k stored over PouchDB's): ${(ours1k / pouch[0].p50).toFixed(2)}x`, '',
      'Native (`store_bench`, fsync on, this VM\'s disk): ' + figures.filter((f) => f[0].startsWith('store.native')).map((f) => `${f[0]} ${fmt(f[1])} ${f[2]}`).join('; ') + '.');
  } finally {
    await browser.close();
    await server.stop();
  }
  return { figures, md };
}

async function benchPouch(browser, exported) {
  const dist = join(TOP, 'node_modules', 'pouchdb', 'dist');
  const page = '<!doctype html><script src="pouchdb.min.js"></script><script src="pouchdb.indexeddb.min.js"></script>';
  const srv = createServer((req, res) => {
    const name = req.url.split('?')[0].replace(/^\//, '');
    if (name === '' || name === 'index.html') { res.writeHead(200, { 'Content-Type': 'text/html' }); return res.end(page); }
    if (!/^pouchdb[.a-z]*\.js$/.test(name)) { res.writeHead(404); return res.end(); }
    res.writeHead(200, { 'Content-Type': 'text/javascript' });
    res.end(readFileSync(join(dist, name)));
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${srv.address().port}/`;
  const records = (exported.pending || exported.ops || []).slice(0, 1).concat([]);
  const template = records[0] || { kind: 'report.comment', payload: { report: 'r-1', text: '三号楼二单元楼道灯不亮，已经三天了。' } };
  const out = [];
  try {
    for (const n of [1000, 100000]) {
      const ctx = await browser.newContext();
      const p = await ctx.newPage();
      await p.goto(url);
      const r = await p.evaluate(async ([count, tpl]) => {
        const db = new PouchDB('bench', { adapter: 'indexeddb' });
        for (let i = 0; i < count; i += 1000) {
          const docs = [];
          for (let k = i; k < Math.min(count, i + 1000); k++) docs.push({ ...tpl, _id: 'op-' + String(k).padStart(8, '0') });
          await db.bulkDocs(docs);
        }
        const t = [];
        for (let i = 0; i < 60; i++) {
          const t0 = performance.now();
          await db.put({ ...tpl, _id: 'new-' + i });
          t.push(performance.now() - t0);
          await new Promise((res) => setTimeout(res, 20));
        }
        return t;
      }, [n, template]);
      out.push({ n, p50: median(r), p95: pct(r, 0.95) });
      await ctx.close();
    }
  } finally {
    srv.close();
  }
  return out;
}

// Frame time (CPU ms from building the UI to submitting its draw calls, query frame.times) while the
// mouse sweeps over the screen: every move draws frames. The month view on the demo community
// (3,000 residents, a year of recurring events and daily lunches), and a class roster of 500
// people in a community built through sihui.act() by a signed-in teacher.
async function benchLife() {
  const server = await startServer();
  const browser = await launch();
  const results = {};
  const sweep = async (page, what) => {
    const vp = page.viewportSize();
    await page.evaluate(() => window.sihui.query('frame.times'));
    for (let i = 0; i < 150; i++) {
      await page.mouse.move(40 + (i * 37) % (vp.width - 80), 200 + (i * 53) % (vp.height - 300));
      if (i % 10 === 9) await settle(page, 2);
    }
    await settle(page);
    const t = await page.evaluate(() => window.sihui.query('frame.times'));
    results[what] = { n: t.ms.length, p50: median(t.ui_ms), p95: pct(t.ui_ms, 0.95), max: Math.max(...t.ui_ms),
      all50: median(t.ms), all95: pct(t.ms, 0.95) };
  };
  try {
    // The month view, on a tablet.
    let ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    let page = await openApp(ctx, server.url + '/?demo=1');
    await page.waitForFunction(() => window.sihui.status().demo === true, null, { timeout: 120000 });
    await sweep(page, 'home (for comparison)');
    await click(page, await tr(page, 'cal.title'));
    await click(page, await tr(page, 'cal.view.month'));
    await sweep(page, 'month');
    await ctx.close();

    // A 500-person roster: the teacher signs in, builds the community and signs 500 people up.
    const r = spawnSync('/usr/bin/python3', [join(TOP, 'serve.py'), 'admin', 'create-staff', '--data', server.data,
      '--login', 'meng', '--person', 'meng', '--name', '孟祥祥'], { input: 'bench-password-1\n', encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    page = await openApp(ctx, server.url);
    await click(page, await tr(page, 'nav.settings'));
    await click(page, await tr(page, 'account.mode.staff'));
    for (const [key, text] of [['account.login', 'meng'], ['account.password', 'bench-password-1']]) {
      const f = await findItem(page, await tr(page, key));
      await page.mouse.click(f.x + 20, f.y + f.h / 2);
      await settle(page);
      await page.keyboard.type(text);
    }
    await click(page, await tr(page, 'account.sign_in'));
    await page.waitForFunction(() => window.sihui.sync().signed_in, null, { timeout: 30000 });
    await page.evaluate(() => {
      const act = (k, p) => window.sihui.act(k, p);
      act('community.init', { name: '仓南街社区', admin_name: '孟祥祥' });
      act('place.compound.add', { id: 'c', name: '北苑小区' });
      act('place.building.add', { id: 'b', compound: 'c', name: '3号楼' });
      act('place.unit.add', { id: 'u', building: 'b', name: '1单元' });
      act('role.grant', { person: 'meng', role: 'teacher' });
      act('course.add', { id: 'mianshu', title: '面塑公益课', teacher: 'meng' });
      act('session.add', { id: 's', course: 'mianshu', number: 16, starts_at: Date.now() + 10 * 86400000, duration_min: 120, seats: 500 });
      const family = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗', given = '秀兰建国丽华志强桂英明军红梅玉珍海燕';
      for (let i = 0; i < 500; i++) {
        const name = family[i % 20] + given[(i * 7) % 16] + given[(i * 3 + 1) % 16];
        act('person.add', { id: 'p' + i, name, birth_year: 1940 + (i % 60), unit: 'u' });
        act('session.signup', { session: 's', person: 'p' + i });
      }
    });
    await page.waitForFunction(() => window.sihui.query('class.seats', { session: 's' }).taken === 500, null, { timeout: 60000 });
    await click(page, await tr(page, 'nav.home'));
    await click(page, await tr(page, 'class.title'));
    await click(page, `${await tr(page, 'class.roster')} ${(await tr(page, 'class.session_name')).replace('{n}', '16')}`);
    await sweep(page, 'roster');
    // Scrolled half-way down the roster, too.
    await page.mouse.move(640, 500);
    for (let i = 0; i < 40; i++) await page.mouse.wheel(0, 400);
    await settle(page);
    await sweep(page, 'roster_scrolled');
    await ctx.close();
  } finally {
    await browser.close();
    await server.stop();
  }
  const roster = Math.max(results.roster.p95, results.roster_scrolled.p95);
  const figures = [
    ['life.month_frame_ms_p95', results.month.p95, 'ms'],
    ['life.roster_frame_ms_p95', roster, 'ms'],
  ];
  const md = ['Goal: under 4 ms of CPU per frame. Headless Chromium, SwiftShader WebGL, 1280×800, 100% text; frames drawn while the mouse sweeps the screen. ' +
    '"UI" = building the frame (ImGui NewFrame to Render: the screens\' own work, the figure); "with GL" adds the OpenGL backend submitting the draw data, ' +
    'which on this machine is dominated by WebGL calls that wait on SwiftShader (compare the home screen).', '',
    '| screen | frames | UI median | UI 95th pct | UI max | with GL median | with GL 95th pct |', '|---|---|---|---|---|---|---|',
    ...Object.entries(results).map(([k, v]) => `| ${k} | ${v.n} | ${v.p50.toFixed(2)} ms | ${v.p95.toFixed(2)} ms | ${v.max.toFixed(2)} ms | ${v.all50.toFixed(2)} ms | ${v.all95.toFixed(2)} ms |`), '',
    `life.month_frame_ms_p95 ${results.month.p95.toFixed(2)} ms; life.roster_frame_ms_p95 ${roster.toFixed(2)} ms (the worse of top and scrolled).`];
  return { figures, md };
}

// The offline app: after one visit (the service worker has precached the build), the network is cut
// (a proxy in front of serve.py drops every connection; the browser is set offline) and the page is
// reloaded 10 times: time from navigation to the first frame, all from the cache. The embed: what a
// news page's iframe transfers before its first frame (gzip sizes of the files, and bytes on the wire).
async function benchPwa() {
  const dist = join(TOP, 'build', 'web', 'dist');
  const build = JSON.parse(readFileSync(join(dist, 'build.json'), 'utf8'));
  const gz = (f) => fileSize(join(dist, f + '.gz')) || fileSize(join(dist, f));
  const br = (f) => fileSize(join(dist, f + '.br')) || fileSize(join(dist, f));
  const parts = [['embed.js', 'embed.js'], ['html', 'index.html'], ['js', build.files['sihui.js']], ['wasm', build.files['sihui.wasm']],
    ['first font', build.files['fonts/first.ttf']]];
  const embedGz = parts.reduce((a, [, f]) => a + gz(f), 0), embedBr = parts.reduce((a, [, f]) => a + br(f), 0);
  let appUrl = '';
  const news = createServer((req, res) => {  // the news site, on its own port, allowed to frame the app
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><meta charset="utf-8"><div style="width:320px"><script src="${appUrl}/embed.js" data-view="calendar"></script></div>`);
  });
  await new Promise((r) => news.listen(0, '127.0.0.1', r));
  const server = await startServer({ extraArgs: ['--embed-origin', `http://127.0.0.1:${news.address().port}`] });
  appUrl = server.url;
  const net = await startProxy(server.url);
  const browser = await launch();
  const firsts = [], readies = [], online = [];
  let wire = 0, embedFirst = 0;
  try {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await openApp(ctx, net.url);
    await waitFor('the service worker', () => page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      return !!(reg && reg.active && reg.active.state === 'activated' && (await caches.keys()).includes('sihui-' + window.sihui.build));
    }), 60000);
    for (let i = 0; i < 5; i++) {  // online, the worker serving from its cache, for comparison
      await page.reload();
      await page.waitForFunction(() => window.sihui && window.sihui.readyMs, null, { timeout: 30000 });
      online.push(await page.evaluate(() => window.sihui.firstFrameMs));
    }
    net.set('down');
    await ctx.setOffline(true);
    for (let i = 0; i < 10; i++) {
      await page.reload();
      await page.waitForFunction(() => window.sihui && window.sihui.readyMs, null, { timeout: 30000 });
      const t = await page.evaluate(() => [window.sihui.firstFrameMs, window.sihui.readyMs]);
      firsts.push(t[0]);
      readies.push(t[1]);
    }
    await ctx.close();

    // The embed on a news page of another origin, cold.
    const ctx2 = await browser.newContext({ viewport: { width: 320, height: 700 } });
    const p2 = await ctx2.newPage();
    const cdp = await ctx2.newCDPSession(p2);
    await cdp.send('Network.enable');
    // What comes before the first frame: not the full fonts (fetched after it) nor sync's API calls.
    let bytes = 0;
    const urls = new Map();
    cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
    cdp.on('Network.loadingFinished', (e) => {
      if (!/\/fonts\/(common|full|fallback)\.|\/api\//.test(urls.get(e.requestId) || '')) bytes += e.encodedDataLength;
    });
    await p2.goto(`http://127.0.0.1:${news.address().port}/`);
    const el = await p2.locator('iframe').first().elementHandle();
    const f = await el.contentFrame();
    await f.waitForFunction(() => window.sihui && window.sihui.firstFrameMs, null, { timeout: 30000 });
    wire = bytes;
    embedFirst = await f.evaluate(() => window.sihui.firstFrameMs);
    await ctx2.close();
  } finally {
    news.close();
    await browser.close();
    await net.close();
    await server.stop();
  }
  const figures = [
    ['pwa.offline_first_frame_ms', median(firsts), 'ms'],
    ['pwa.offline_ready_ms', median(readies), 'ms'],
    ['embed.first_frame_bytes_gz', embedGz, 'bytes'],
    ['embed.first_frame_bytes_br', embedBr, 'bytes'],
  ];
  const md = [
    'Goals: the app starts with no network, from the service worker\'s cache, to its first frame in under 500 ms (headless Chromium); ' +
    'the embed transfers under 800 KB compressed before its first frame.', '',
    '| figure | value |', '|---|---|',
    `| pwa.offline_first_frame_ms (median of 10 reloads with no network; min ${Math.min(...firsts).toFixed(0)}, max ${Math.max(...firsts).toFixed(0)}) | ${median(firsts).toFixed(0)} ms |`,
    `| pwa.offline_ready_ms (storage loaded, screen shown) | ${median(readies).toFixed(0)} ms |`,
    `| first frame online, served by the worker's cache (median of 5) | ${median(online).toFixed(0)} ms |`,
    `| embed.first_frame_bytes_gz (${parts.map(([w]) => w).join(' + ')}) | ${kb(embedGz)} KB |`,
    `| the same with brotli (what Chromium is sent) | ${kb(embedBr)} KB |`,
    `| bytes on the wire for a news page with the calendar embed, cold (brotli; without the common and full fonts and sync, which come after the first frame) | ${kb(wire)} KB |`,
    `| the embed's first frame after its iframe started (cold, loopback) | ${embedFirst.toFixed(0)} ms |`,
    '', 'The embed loads the same wasm, JS and first font as the app (one build, one cache rule); its budget is the web first frame\'s plus embed.js.',
  ];
  return { figures, md };
}

// The accessibility mirror (shell/sihui-a11y.js + the item table's change check in C++): ms per
// drawn frame when nothing changed (frames drawn on request, the table the same) and when the
// screen changed (a new screen through the mirror, scrolling), and DOM writes per idle frame.
// Two clocks: wall-clock (performance.now() in the page) and the main thread's CPU time, from a
// Chrome trace in which each call of the mirror is its own event (an EventDispatch of a private
// element, whose thread time is recorded). On this shared 2-core machine a frame often waits for a
// core, so wall-clock figures mostly measure the load; the CPU time is the mirror's own work.
const MIRROR_TRACED = () => {
  const orig = Module.sihuiMirror;
  const el = document.createElement('i');
  let args = null, last = '';
  el.addEventListener('mirrorchange', () => orig.apply(null, args));
  el.addEventListener('mirroridle', () => orig.apply(null, args));
  // A change as the mirror counts one: the table's generation, the focus or editing moved.
  Module.sihuiMirror = function (...a) {
    args = a;
    const key = a[0] + ',' + a[1] + ',' + !!a[2];
    el.dispatchEvent(new Event(key !== last ? 'mirrorchange' : 'mirroridle'));
    last = key;
  };
};
// Thread time (ms) of each traced mirror call of that kind, in order.
function mirrorCpu(traceBuf, type) {
  const events = JSON.parse(traceBuf.toString()).traceEvents;
  return events.filter((e) => e.ph === 'X' && e.name === 'EventDispatch' && e.args && e.args.data && e.args.data.type === type)
    .sort((a, b) => a.ts - b.ts).map((e) => (e.tdur || 0) / 1000);
}
const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline'];
// The grid map's UI part (NewFrame to Render) run inside a DOM event of its own (main_web.cpp:
// sihui_trace_ui, build_ui), so that a Chrome trace records its thread time; uiCpu reads it (ms).
const UI_TRACED = () => {
  if (!Module._sihui_trace_ui) return;  // an older build (SIHUI_BENCH_ROOT): wall clock only
  const el = document.createElement('i');
  el.addEventListener('sihuiui', () => Module._sihui_build_ui());
  Module.sihuiUiTraced = () => el.dispatchEvent(new Event('sihuiui'));
  Module._sihui_trace_ui(1);
};
// (An older build without sihui_trace_ui, SIHUI_BENCH_ROOT: no events, NaN.)
function uiCpu(traceBuf) { const ms = mirrorCpu(traceBuf, 'sihuiui'); return ms.length ? ms : [NaN]; }

async function benchA11y() {
  const server = await startServer();
  const browser = await launch();
  const load0 = loadavg()[0];
  const out = {};
  try {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    const page = await openApp(ctx, server.url + '/?demo=1');
    await page.waitForFunction(() => window.sihui.status().demo === true, null, { timeout: 120000 });
    await settle(page, 10);
    await page.evaluate(MIRROR_TRACED);
    out.idleCpu = [];
    const idleRun = async () => {
      await page.evaluate(() => window.sihui.a11y.stats(true));
      await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      await page.evaluate(() => new Promise((resolve) => {
        let n = 0;
        const step = () => { if (++n > 300) return resolve(); Module._sihui_wake(); requestAnimationFrame(step); };
        step();
      }));
      await settle(page, 6);
      out.idleCpu.push(...mirrorCpu(await browser.stopTracing(), 'mirroridle'));
      return page.evaluate(() => window.sihui.a11y.stats(true));
    };
    const press = (label) => page.evaluate((l) => {
      const it = window.sihui.a11y.items().find((i) => i.label === l && i.role !== 'text');
      window.sihui.a11y.root.querySelector(`[data-id="${it.id}"]`).click();
    }, label);
    let idle = await idleRun();
    out.home_idle = idle;
    // The whole mirror of each screen built from nothing, 15 times (the median is robust against a
    // loaded machine's pauses, which the per-frame figures below are not).
    out.rebuild = [];
    const rebuildRun = async () => {
      const runs = await page.evaluate(() => Array.from({ length: 15 }, () => window.sihui.a11y.rebuild()));
      out.rebuild.push(...runs);
      await settle(page, 2);
    };
    // Screen changes: home -> each hub/screen -> home, and scrolling the calendar.
    await page.evaluate(() => window.sihui.a11y.stats(true));
    await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    const keys = ['home.manage.title', 'home.projects.title', 'home.care.title', 'nav.settings'];
    for (let round = 0; round < 3; round++) {
      for (const k of keys) {
        await press(await tr(page, k));
        await settle(page, 6);
        if (round === 0) await rebuildRun();  // not counted as frames
        await press(await tr(page, 'nav.home'));
        await settle(page, 6);
      }
    }
    await press(await tr(page, 'home.care.title'));  // the calendar is in 汇关爱
    await settle(page, 6);
    await press(await tr(page, 'cal.title'));
    await settle(page, 6);
    await page.mouse.move(640, 400);
    for (let i = 0; i < 40; i++) { await page.mouse.wheel(0, i < 20 ? 120 : -120); await settle(page, 2); }
    const change = await page.evaluate(() => window.sihui.a11y.stats(true));
    out.changeCpu = mirrorCpu(await browser.stopTracing(), 'mirrorchange');
    const calIdle = await idleRun();
    out.change = change;
    out.calendar_idle = calIdle;
    out.mirror_size = await page.evaluate(() => window.sihui.a11y.root.childElementCount);
    await ctx.close();
  } finally {
    await browser.close();
    await server.stop();
  }
  const idleMs = [...out.home_idle.idleMs, ...out.calendar_idle.idleMs];
  const idleFrames = out.home_idle.idleFrames + out.calendar_idle.idleFrames;
  const idleWrites = out.home_idle.idleDomWrites + out.calendar_idle.idleDomWrites;
  const ch = out.change.changeMs;
  const rb = out.rebuild.map((r) => r.ms);
  const rbWrites = out.rebuild.length ? out.rebuild.reduce((a, r) => a + r.writes, 0) / out.rebuild.length : 0;
  const chCpu = out.changeCpu, idleCpu = out.idleCpu;
  console.log(`a11y change frames CPU: median ${median(chCpu).toFixed(3)}, p95 ${pct(chCpu, 0.95).toFixed(3)}, max ${Math.max(...chCpu).toFixed(3)} ms; ` +
    `wall: median ${median(ch).toFixed(3)}, p95 ${pct(ch, 0.95).toFixed(3)}, max ${Math.max(...ch).toFixed(3)} ms; ${out.change.changeDomWrites} DOM writes in ${out.change.changeFrames} frames`);
  const slowest = (out.change.frames || []).slice().sort((a, b) => b[0] - a[0]).slice(0, 5)
    .map(([ms, cpp, read, w, bytes]) => `${ms.toFixed(1)} (${cpp.toFixed(1)} + ${read.toFixed(1)} + ${Math.max(0, ms - cpp - read).toFixed(1)}; ${w} writes; ${(bytes / 1024).toFixed(1)} KB)`).join(', ');
  console.log(`a11y slowest change frames: ${slowest}`);
  const row = (xs) => `${median(xs).toFixed(3)} ms | ${pct(xs, 0.95).toFixed(3)} ms | ${Math.max(...xs).toFixed(3)} ms`;
  const figures = [
    ['a11y.mirror_idle_ms', pct(idleCpu, 0.95), 'ms'],
    ['a11y.mirror_change_ms', pct(chCpu, 0.95), 'ms'],
    ['a11y.mirror_idle_wall_ms', pct(idleMs, 0.95), 'ms'],
    ['a11y.mirror_change_wall_ms', pct(ch, 0.95), 'ms'],
    ['a11y.mirror_rebuild_ms', median(rb), 'ms'],
    ['a11y.dom_updates_idle', idleFrames ? idleWrites / idleFrames : 0, 'writes/frame'],
  ];
  const md = ['Goals: under 0.5 ms per frame when nothing changed, under 2 ms on a screen change, no DOM write when nothing changed. ' +
    'Headless Chromium, demo community (about 3,000 residents), 1280×800, 100% text. The time is the item table\'s change check in C++ ' +
    'plus the mirror\'s changes (worked out in C++ against the last frame handed over, by item id, as compact JSON) applied to the DOM in JavaScript, per drawn frame; ' +
    `"idle" frames are drawn on request with nothing changed, "change" frames are screen changes through the mirror and scrolling. Load average at the start: ${load0.toFixed(2)}.`, '',
    '| frames | clock | count | median | 95th pct | max | DOM writes |', '|---|---|---|---|---|---|---|',
    `| idle (home, calendar) | CPU | ${idleCpu.length} | ${row(idleCpu)} | ${idleWrites} in ${idleFrames} frames |`,
    `| change (screens, scrolling) | CPU | ${chCpu.length} | ${row(chCpu)} | ${out.change.changeDomWrites} in ${out.change.changeFrames} frames |`,
    `| idle (home, calendar) | wall | ${idleMs.length} | ${row(idleMs)} | |`,
    `| change (screens, scrolling) | wall | ${ch.length} | ${row(ch)} | |`,
    `| a screen's whole mirror rebuilt (home, 汇管理, 汇项目, 汇关爱, settings; 15 times each) | wall | ${rb.length} | ${median(rb).toFixed(3)} ms | ${pct(rb, 0.95).toFixed(3)} ms | ${Math.max(...rb).toFixed(3)} ms | ${rbWrites.toFixed(0)} per rebuild |`, '',
    'CPU: the main thread\'s CPU time in each call of the mirror (Chrome trace, thread time); the goal figures are these. Wall: performance.now() around the same calls; ' +
    'on a machine shared by several builds (load average above) a frame that does 0.5 ms of work often waits several ms for a core, so the wall-clock tail measures the load. ' +
    'The rebuild row repeats the largest change a screen switch can make (everything dropped and built again) and its median is the work itself.', '',
    `Of the change frames' total ${ch.reduce((a, b) => a + b, 0).toFixed(1)} ms: C++ change check ${out.change.cppMs.toFixed(1)} ms, ` +
    `working out the changes and reading them (${((out.change.bytes || 0) / 1024).toFixed(1)} KB of JSON in all) ${out.change.readMs.toFixed(1)} ms, the rest applying them to the DOM; DOM focus, moved on the next animation frame, took ${out.change.focusMs.toFixed(1)} ms more in all. ` +
    `Mirror elements on the calendar: ${out.mirror_size}. Chromium rounds performance.now() to 0.1 ms here.`, '',
    `The five slowest change frames (ms in all: C++ check + working out and reading the changes + the rest in the DOM; DOM writes; KB of changes): ${slowest}.`, '',
    `a11y.mirror_idle_ms ${pct(idleCpu, 0.95).toFixed(3)} ms (CPU, 95th pct); a11y.mirror_change_ms ${pct(chCpu, 0.95).toFixed(3)} ms (CPU, 95th pct); ` +
    `a11y.mirror_idle_wall_ms ${pct(idleMs, 0.95).toFixed(3)} ms, a11y.mirror_change_wall_ms ${pct(ch, 0.95).toFixed(3)} ms (wall clock, 95th pct); ` +
    `a11y.dom_updates_idle ${(idleFrames ? idleWrites / idleFrames : 0).toFixed(2)} per frame; a11y.mirror_rebuild_ms ${median(rb).toFixed(3)} ms (median).`];
  return { figures, md };
}

// Issue 6's figures. The community is the demo generator's whole log (3,000 residents, two and a half years,
// its own ~2,000 reports mostly closed) put straight into the server's SQLite (seed_log.py, authors kept),
// plus 5,000 open reports spread over every unit (a third with a map point near their compound), filed by
// the office. The grid leader of the first grid gets an account (create-staff on the demo's person) and a
// tablet; the office files from a second tablet.
// grid.map_frame_ms_p95: the main thread's CPU ms per frame of the UI part (NewFrame to Render, from a
// Chrome trace, see UI_TRACED) on the leader's map tab while the mouse sweeps it at three zoom levels
// (fitted, x4, x16) and drags it; 95th percentile of all. grid.map_frame_wall_ms_p95: the same frames'
// wall clock (query frame.times), which on a busy machine includes waiting for a core.
// grid.report_visible_ms: from the office's act('report.file') (the "send") until the leader's list query
// (reports.open, what the list screen draws from on its next frame) has the new report; median of 10.
async function benchGrid() {
  const TOOL = join(TOP, 'build', 'release', 'src', 'tools', 'sihui_snapshot');
  if (!existsSync(TOOL)) throw new Error(`bench: ${TOOL} is missing (./sihui bench grid builds it)`);
  const PY = '/usr/bin/python3';
  const data = mkdtempSync(join(tmpdir(), 'sihui-gridbench-'));
  const demo = execFileSync(TOOL, ['--demo', '100000000'], { maxBuffer: 1 << 30, encoding: 'utf8' }).trim().split('\n').map((l) => JSON.parse(l));
  const units = [], buildingOf = new Map(), compoundOf = new Map(), points = new Map(), gridOf = new Map(), leaders = [];
  for (const o of demo) {
    const p = o.payload;
    if (o.kind === 'place.compound.add' && p.point_x) points.set(p.id, [p.point_x, p.point_y]);
    if (o.kind === 'place.building.add') compoundOf.set(p.id, p.compound);
    if (o.kind === 'place.unit.add') { units.push(p.id); buildingOf.set(p.id, p.building); }
    if (o.kind === 'grid.add') for (const c of p.compounds || []) gridOf.set(c, p.id);
    if (o.kind === 'grid.set_leader') leaders.push([p.grid, p.person]);
  }
  const last = demo[demo.length - 1].made_at;
  const subtypes = JSON.parse(execFileSync(TOOL, ['--schema', join(TOP, 'assets', 'schema', 'ops.json'), '--open311', 'services',
    '--lang', 'zh-CN', '--words', join(TOP, 'assets', 'lang')], { encoding: 'utf8' })).map((s) => s.keywords.split(','));
  const words = ['楼道堆物', '路灯不亮', '草地种菜', '飞线充电', '车辆乱停', '下水道堵了', '噪音扰民', '墙皮脱落'];
  const extra = [];
  const nReports = Number(process.env.SIHUI_GRID_REPORTS ?? 5000);  // for comparison runs (the figure is 5,000)
  for (let i = 0; i < nReports; i++) {
    const unit = units[(i * 7919) % units.length];
    const [category, subtype] = subtypes[i % subtypes.length];
    const payload = { id: `bench-r${i}`, category, subtype, unit, description: `${words[i % words.length]} ${i}`, priority: 1 + (i % 3) };
    const c = points.get(compoundOf.get(buildingOf.get(unit)));
    if (c && i % 3 === 0) { payload.point_x = c[0] + ((i * 37) % 401) - 200; payload.point_y = c[1] + ((i * 53) % 401) - 200; }
    extra.push({ id: randomBytes(16).toString('hex'), kind: 'report.file', author: 'staff-zx', device: 'bench', made_at: last + 60000 + i * 1000, payload });
  }
  const log = [...demo, ...extra].map((o) => JSON.stringify(o)).join('\n') + '\n';
  execSync(`${PY} ${join(TOP, 'tests', 'bench', 'seed_log.py')} --data ${data}`, { input: log, stdio: ['pipe', 'ignore', 'inherit'] });
  const [grid, leader] = leaders[0];
  for (const [login, person, name] of [['zhangxia', 'staff-zx', '张霞'], ['leader', leader, '网格长']]) {
    const r = spawnSync(PY, [join(TOP, 'serve.py'), 'admin', 'create-staff', '--data', data, '--login', login, '--person', person,
      '--name', name], { input: 'bench-password-1\n', encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  }
  const leaderUnits = units.filter((u) => gridOf.get(compoundOf.get(buildingOf.get(u))) === grid);
  // Snapshots are made at start-up (as a real server has them), so the tablets start from one.
  // SIHUI_BENCH_ROOT: serve another build's dist (comparison runs, e.g. main's build against a branch's).
  const server = await startServer({ data, root: process.env.SIHUI_BENCH_ROOT, extraArgs: ['--snapshot-every', '100000'] });
  const head = demo.length + extra.length;
  const t0 = Date.now();
  for (;;) {
    if ((await fetch(server.url + '/api/v1/snapshot')).status === 200) break;
    if (Date.now() - t0 > 600000) throw new Error('bench: no snapshot after 10 minutes');
    await new Promise((r) => setTimeout(r, 500));
  }
  const browser = await launch();
  const sync = (page) => page.evaluate(() => window.sihui.sync());
  const until = async (what, fn, timeout = 300000) => {
    const end = Date.now() + timeout;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > end) throw new Error('bench: timed out waiting for ' + what);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const signIn = async (page, login) => {
    await click(page, await tr(page, 'nav.settings'));
    await click(page, await tr(page, 'account.mode.staff'));
    for (const [key, text] of [['account.login', login], ['account.password', 'bench-password-1']]) {
      const f = await findItem(page, await tr(page, key));
      await page.mouse.click(f.x + 20, f.y + f.h / 2);
      await settle(page);
      await page.keyboard.type(text);
    }
    await click(page, await tr(page, 'account.sign_in'));
    await until('sign-in', async () => (await sync(page)).signed_in);
    let last = null;
    try {
      await until('the head', async () => { const s = last = await sync(page); return s.stored_seq >= head && s.phase === 'sync.phase.idle'; }, 600000);
    } catch (e) { throw new Error(`${e.message} ${head}: ${JSON.stringify(last)}`); }
  };
  const levels = {};
  let visible = [], held = [];
  try {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale: 'zh-CN' });
    const page = await openApp(ctx, server.url);
    await signIn(page, 'leader');
    await click(page, await tr(page, 'nav.home'));
    await click(page, await tr(page, 'home.manage.title'));
    await click(page, await tr(page, 'manage.tab.map'));
    const map = await findItem(page, await tr(page, 'map.label'));
    const cx = map.x + map.w / 2, cy = map.y + map.h / 2;
    await page.evaluate(UI_TRACED);
    const sweep = async (what) => {
      await page.evaluate(() => window.sihui.query('frame.times'));
      await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      for (let i = 0; i < 120; i++) {
        await page.mouse.move(map.x + 20 + (i * 37) % (map.w - 40), map.y + 20 + (i * 53) % (map.h - 40));
        if (i % 10 === 9) await settle(page, 2);
      }
      await settle(page);
      const t = await page.evaluate(() => window.sihui.query('frame.times'));
      const cpu = uiCpu(await browser.stopTracing());
      levels[what] = { ui: t.ui_ms, all: t.ms, cpu, scale: (await page.evaluate(() => window.sihui.query('map.view', {}))).scale };
    };
    await sweep('fitted');
    for (const [what, clicks] of [['x4', 4], ['x16', 4]]) {
      await page.mouse.move(cx, cy);
      for (let i = 0; i < clicks; i++) { await page.mouse.wheel(0, -300); await settle(page, 2); }
      await sweep(what);
    }
    // Dragging (panning) at the closest level: every frame moves every label and pin.
    await page.evaluate(() => window.sihui.query('frame.times'));
    await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 0; i < 80; i++) await page.mouse.move(cx + 200 * Math.sin(i / 8), cy + 150 * Math.cos(i / 11), { steps: 1 });
    await page.mouse.up();
    await settle(page);
    const d = await page.evaluate(() => window.sihui.query('frame.times'));
    const dcpu = uiCpu(await browser.stopTracing());
    levels['x16, dragging'] = { ui: d.ui_ms, all: d.ms, cpu: dcpu, scale: (await page.evaluate(() => window.sihui.query('map.view', {}))).scale };
    await page.evaluate(() => Module._sihui_trace_ui && Module._sihui_trace_ui(0));
    // The leader's list, the screen where a new report shows first.
    await click(page, await tr(page, 'manage.tab.list'));
    const officeCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale: 'zh-CN' });
    const office = await openApp(officeCtx, server.url);
    await signIn(office, 'zhangxia');
    for (let i = 0; i < 10; i++) {
      const text = `测量${i}号 楼道灯坏了`;
      const before = (await sync(page)).stored_seq;
      const t = Date.now();
      const rid = `bench-vis-${i}-${Date.now()}`;
      const res = await office.evaluate(([id, u, w]) => window.sihui.act('report.file', { id,
        category: 'repair', subtype: 'streetlight_out', unit: u, description: w }), [rid, leaderUnits[i % leaderUnits.length], text]);
      if (!res || !res.accepted) throw new Error('bench: the report was not saved: ' + JSON.stringify(res));
      // Held: the leader's store has the op (cheap to poll); visible: the list's query (what the list draws
      // from on the next frame) has the report.
      await until('the leader to hold it', async () => (await sync(page)).stored_seq > before, 30000);
      held.push(Date.now() - t);
      await until('the leader to list it', async () => page.evaluate((id) => window.sihui.query('reports.open', {}).some((r) => r.report === id), rid), 30000);
      visible.push(Date.now() - t);
      await new Promise((r) => setTimeout(r, 150 + (97 * i) % 400));  // not in step with the leader's polling
    }
    await officeCtx.close();
    await ctx.close();
  } finally {
    await browser.close();
    await server.stop();
  }
  if (process.env.SIHUI_BENCH_DUMP) writeFileSync(process.env.SIHUI_BENCH_DUMP, JSON.stringify(levels));
  const allUi = Object.values(levels).flatMap((v) => v.ui);
  const allCpu = Object.values(levels).flatMap((v) => v.cpu);
  const p95 = pct(allCpu, 0.95), wallP95 = pct(allUi, 0.95);
  console.log(`grid UI wall clock: median ${median(allUi).toFixed(2)}, p95 ${wallP95.toFixed(2)} ms; CPU: median ${median(allCpu).toFixed(2)}, p95 ${p95.toFixed(2)} ms (${allCpu.length} traced of ${allUi.length} frames)`);
  const figures = [['grid.map_frame_ms_p95', p95, 'ms'], ['grid.map_frame_wall_ms_p95', wallP95, 'ms'], ['grid.report_visible_ms', median(visible), 'ms']];
  const md = [`The demo community (${demo.length.toLocaleString('en-US')} ops, ${units.length} units) plus ${nReports.toLocaleString('en-US')} open reports; the leader of grid ${grid} on a 1280×800 tablet ` +
    '(headless Chromium, SwiftShader WebGL, 100% text, Chinese). "UI" = building the frame (ImGui NewFrame to Render). "CPU" = the main thread\'s CPU time of it ' +
    '(Chrome trace: the UI part runs inside a DOM event, whose thread time is recorded; the figure); "wall" = performance.now() around the same part, ' +
    'which on a busy machine also counts the time the thread waits for a core; "with GL" adds submitting the draw data to WebGL (wall). ' +
    'Until 2026-11-27 the figure grid.map_frame_ms_p95 was the wall clock; it is the CPU time since (decision 0014, revision of session 5), and the wall clock is grid.map_frame_wall_ms_p95.', '',
    '| map | frames | scale (px/m) | UI CPU median | UI CPU 95th pct | UI wall median | UI wall 95th pct | UI wall max | with GL median | with GL 95th pct |', '|---|---|---|---|---|---|---|---|---|---|',
    ...Object.entries(levels).map(([k, v]) => `| ${k} | ${v.ui.length} | ${v.scale.toFixed(3)} | ${median(v.cpu).toFixed(2)} ms | ${pct(v.cpu, 0.95).toFixed(2)} ms | ${median(v.ui).toFixed(2)} ms | ${pct(v.ui, 0.95).toFixed(2)} ms | ${Math.max(...v.ui).toFixed(2)} ms | ${median(v.all).toFixed(2)} ms | ${pct(v.all, 0.95).toFixed(2)} ms |`), '',
    '| figure | value | goal |', '|---|---|---|',
    `| grid.map_frame_ms_p95 (UI CPU time, all ${allCpu.length} frames above; median ${median(allCpu).toFixed(2)} ms) | ${p95.toFixed(2)} ms | < 4 ms |`,
    `| grid.map_frame_wall_ms_p95 (UI wall clock, the same frames; median ${median(allUi).toFixed(2)} ms) | ${wallP95.toFixed(2)} ms | — |`,
    `| grid.report_visible_ms (office act → the leader's reports.open query has it; median of 10, p95 ${pct(visible, 0.95)} ms; in the leader's store after ${median(held)} ms median) | ${median(visible)} ms | < 1,000 ms |`];
  return { figures, md };
}

function fmt(v) { return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : Number(v.toFixed(2)).toString(); }

function updateDoc(area, md) {
  const path = join(TOP, 'docs', 'benchmarks.md');
  let doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n\nWritten by `./sihui bench [AREA]`; each area\'s section is replaced by its latest run.\n';
  const start = `<!-- bench:${area}:start -->`, end = `<!-- bench:${area}:end -->`;
  const when = new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const block = `${start}\n## ${area}\n\nMeasured ${when} on ${machine()}; load average ${loadavg()[0].toFixed(1)} at the end.\n\n${md.join('\n')}\n${end}`;
  const i = doc.indexOf(start), j = doc.indexOf(end);
  doc = i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : doc.trimEnd() + '\n\n' + block + '\n';
  writeFileSync(path, doc);
}

for (const a of wanted) {
  const { figures, md } = await areas[a]();
  for (const [k, v, u] of figures) console.log(`${k} ${Number.isInteger(v) ? v : v.toFixed(2)} ${u}`);
  updateDoc(a, md);
}
