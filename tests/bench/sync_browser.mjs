// Sync figures measured in headless Chromium against a real serve.py (issue 5):
//   sync.bootstrap_ms_100k, sync.bootstrap_bytes_100k: a new phone (fresh profile) opening Sihui
//     against a community with 100k ops of history, until it holds the server's head; bytes are the
//     API responses' bytes on the wire (the app's own files are measured by the web bench);
//   sync.visible_ms: an op made on one online device until another online device holds it;
//   sync.backlog_10k_s: a tablet's 10,000 ops made offline, from reconnecting until all confirmed.
// The 100k-op community is the demo generator's log (sihui_snapshot --demo), put straight into the
// server's SQLite (tests/bench/seed_log.py) so authors are kept. Writes docs/benchmarks.md's
// "sync-browser" section. Usage: node tests/bench/sync_browser.mjs
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { TOP, startServer, launch, openApp, settle, findItem, click, tr } from '../browser/lib.mjs';

const TOOL = join(TOP, 'build', 'release', 'src', 'tools', 'sihui_snapshot');
const PY = '/usr/bin/python3';
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]; };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, fn, timeout = 120000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('bench: timed out waiting for ' + what);
    await sleep(20);
  }
}

const syncOf = (page) => page.evaluate(() => window.sihui.sync());

async function signIn(page, login, password) {
  await click(page, await tr(page, 'nav.settings'));
  await click(page, await tr(page, 'account.mode.staff'));
  for (const [key, text] of [['account.login', login], ['account.password', password]]) {
    const f = await findItem(page, await tr(page, key));
    await page.mouse.click(f.x + 20, f.y + f.h / 2);
    await settle(page);
    await page.keyboard.type(text);
  }
  await click(page, await tr(page, 'account.sign_in'));
  await waitFor('sign-in', async () => (await syncOf(page)).signed_in);
}

if (!existsSync(TOOL)) throw new Error(`bench: ${TOOL} is missing (./sihui bench builds it)`);
const data = mkdtempSync(join(tmpdir(), 'sihui-syncbench-'));
execSync(`${TOOL} --demo 100000 | ${PY} ${join(TOP, 'tests', 'bench', 'seed_log.py')} --data ${data}`, { stdio: ['ignore', 'ignore', 'inherit'] });
// The demo's office account acts as the demo's staff person.
const made = spawnSync(PY, [join(TOP, 'serve.py'), 'admin', 'create-staff', '--data', data, '--login', 'zhangxia',
  '--person', 'staff-zx', '--name', '张霞'], { input: 'bench-password-1\n', encoding: 'utf8' });
if (made.status !== 0) throw new Error(made.stderr);
const server = await startServer({ data, extraArgs: ['--snapshot-every', '100000'] });
const browser = await launch();
const figures = [];
const md = [];
const loadAtStart = loadavg()[0].toFixed(1);
try {
  // The snapshots are made at start-up (100k ops, public and staff classes).
  const t0 = Date.now();
  await waitFor('the snapshot', async () => (await fetch(server.url + '/api/v1/snapshot')).status === 200, 300000);
  const snapMade = Date.now() - t0;
  const head = (await (await fetch(server.url + '/api/v1/ops?after=99999&limit=1')).json()).last_seq;

  // 1. A new phone against 100k ops: median of 3 fresh profiles.
  const boots = [], bytes = [];
  for (let i = 0; i < 3; i++) {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    const urls = new Map();
    let apiBytes = 0;
    cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
    cdp.on('Network.loadingFinished', (e) => { if ((urls.get(e.requestId) || '').includes('/api/')) apiBytes += e.encodedDataLength; });
    const start = Date.now();
    await page.goto(server.url);
    await page.waitForFunction(() => window.sihui && window.sihui.ready, null, { timeout: 60000 });
    await page.evaluate(() => window.sihui.ready);
    await waitFor('the head', async () => { const s = await syncOf(page); return s.stored_seq >= head && s.phase === 'sync.phase.idle'; });
    boots.push(Date.now() - start);
    bytes.push(apiBytes);
    if (process.env.SIHUI_BENCH_TRACE) {
      const t = await page.evaluate(() => ({ first: window.sihui.firstFrameMs, ready: window.sihui.readyMs, now: performance.now(), log: window.sihui.httpLog() }));
      console.log(`boot ${i}: first frame ${Math.round(t.first)} ready ${Math.round(t.ready)} done ${Math.round(t.now)} ms; ` +
        t.log.map((r) => `${r.method} ${r.path} at ${Math.round(r.at)} took ${Math.round(r.ms)} ms down ${r.down}`).join('; '));
    }
    const s = await syncOf(page);
    if (i === 0 && s.stored_seq < head) throw new Error('bench: the phone did not reach the head');
    await ctx.close();
  }
  figures.push(['sync.bootstrap_ms_100k', median(boots), 'ms'], ['sync.bootstrap_bytes_100k', median(bytes), 'bytes']);

  // 2. Visible elsewhere: the office tablet makes an op, a phone (anonymous) sees it.
  const officeCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const office = await openApp(officeCtx, server.url);
  await signIn(office, 'zhangxia', 'bench-password-1');
  await waitFor('the office at the head', async () => { const s = await syncOf(office); return s.stored_seq >= head && s.pending === 0; });
  const phoneCtx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const phone = await openApp(phoneCtx, server.url);
  await waitFor('the phone at the head', async () => (await syncOf(phone)).stored_seq >= head);
  const visible = [];
  for (let i = 0; i < 12; i++) {
    const before = (await syncOf(phone)).stored_seq;
    const t = Date.now();
    await office.evaluate((n) => window.sihui.act('report.file', { id: 'bench-vis-' + n + '-' + Date.now(), category: 'repair', subtype: 'leak', description: '楼道灯坏了' }), i);
    await waitFor('the phone to hold it', async () => (await syncOf(phone)).stored_seq > before, 30000);
    visible.push(Date.now() - t);
    await sleep(150 + 97 * i % 400);  // not in step with the phone's polling
  }
  figures.push(['sync.visible_ms', median(visible), 'ms'], ['sync.visible_ms_p95', pct(visible, 0.95), 'ms']);
  await phoneCtx.close();

  // 3. A tablet's 10,000-op offline backlog.
  await officeCtx.setOffline(true);
  await office.evaluate(() => window.dispatchEvent(new Event('offline')));
  const made10k = await office.evaluate(() => {
    const t = performance.now();
    for (let i = 0; i < 10000; i++) window.sihui.act('report.file', { id: 'bench-bl-' + i, category: 'repair', subtype: 'leak', description: '离线登记 ' + i });
    return performance.now() - t;
  });
  await waitFor('10k pending', async () => (await syncOf(office)).pending === 10000);
  const tb = Date.now();
  await officeCtx.setOffline(false);
  await office.evaluate(() => window.dispatchEvent(new Event('online')));
  const timeline = [];
  await waitFor('the backlog to drain', async () => {
    const s = await syncOf(office);
    if (process.env.SIHUI_BENCH_TRACE) timeline.push(`${Date.now() - tb} ms: pending ${s.pending} pushed ${s.pushed} pulled ${s.pulled} seq ${s.stored_seq}/${s.server_seq} ${s.phase}`);
    return s.pending === 0 && s.stored_seq >= s.server_seq;
  }, 600000);
  if (timeline.length) {
    console.log(timeline.filter((_, k) => k % 5 === 0).join('\n'));
    const log = await office.evaluate(() => window.sihui.httpLog());
    console.log(log.slice(-40).map((r) => `${Math.round(r.at)} ${r.method} ${r.path} ${r.status} ${Math.round(r.ms)} ms up ${r.up} down ${r.down}`).join('\n'));
  }
  const backlog = (Date.now() - tb) / 1000;
  figures.push(['sync.backlog_10k_s', backlog, 's']);
  await officeCtx.close();

  const kbs = (n) => (n / 1024).toFixed(0) + ' KB';
  md.push('Headless Chromium against one serve.py (SQLite) on loopback. The community: the demo generator\'s first 100,000 ops (authors kept), snapshots made at start-up (' + (snapMade / 1000).toFixed(1) + ' s for both classes).', '',
    '| figure | value | goal |', '|---|---|---|',
    `| sync.bootstrap_ms_100k (new phone, navigation to holding the head; median of 3: ${boots.join(', ')} ms) | ${median(boots)} ms | < 2,000 ms |`,
    `| sync.bootstrap_bytes_100k (API bytes on the wire beyond the app's files; ${bytes.map(kbs).join(', ')}) | ${kbs(median(bytes))} | < 1 MB |`,
    `| sync.visible_ms (an op on the tablet until the phone holds it; median of 12, p95 ${pct(visible, 0.95)} ms) | ${median(visible)} ms | < 1,000 ms |`,
    `| sync.backlog_10k_s (10,000 offline ops from reconnecting until all confirmed; making them took ${(made10k / 1000).toFixed(1)} s) | ${backlog.toFixed(1)} s | < 5 s |`, '');
} finally {
  await browser.close();
  await server.stop();
  rmSync(data, { recursive: true, force: true });
}
for (const [k, v, u] of figures) console.log(`${k} ${Number.isInteger(v) ? v : v.toFixed(2)} ${u}`);
const path = join(TOP, 'docs', 'benchmarks.md');
let doc = readFileSync(path, 'utf8');
const start = '<!-- bench:sync-browser:start -->', end = '<!-- bench:sync-browser:end -->';
const c = cpus();
const when = new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
const block = `${start}\n## sync (browser)\n\nMeasured ${when} on ${c.length} × ${c[0].model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}; load average ${loadAtStart} at the start (other builds were running).\n\n${md.join('\n')}\n${end}`;
const i = doc.indexOf(start), j = doc.indexOf(end);
doc = i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : doc.trimEnd() + '\n\n' + block + '\n';
writeFileSync(path, doc);
