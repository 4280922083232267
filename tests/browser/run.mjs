// Browser tests: the real app in headless Chromium, driven through real input events at the
// rectangles window.sihui.items() reports. Screenshots go to build/test-results/ for people to
// look at. Usage: node tests/browser/run.mjs [name-filter]
//
// Most of a browser test's time is waiting (for frames, the server, sync polls), not computing, so
// the tests run in SIHUI_BROWSER_JOBS worker processes (default 2), each with its own Chromium and
// its own shared serve.py; tests are independent (each makes its own contexts and servers). The
// parent hands tests out one at a time, longest first (tests/browser/durations.json, rewritten by
// `--record-durations`), and prints each result whole.
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOP, startServer, launch } from './lib.mjs';
import { tests as appTests } from './app.test.mjs';
import { tests as syncTests } from './sync.test.mjs';
import { tests as reportTests } from './reports.test.mjs';
import { tests as lifeTests } from './life.test.mjs';
import { tests as statsTests } from './stats.test.mjs';
import { tests as pwaTests } from './pwa.test.mjs';
import { tests as feedsTests } from './feeds.test.mjs';
import { tests as servicesTests } from './services.test.mjs';
import { tests as a11yTests } from './a11y.test.mjs';
import { tests as photosTests } from './photos.test.mjs';
import { tests as mapeditTests } from './mapedit.test.mjs';
import { tests as channelsTests } from './channels.test.mjs';

const tests = { ...appTests, ...syncTests, ...reportTests, ...lifeTests, ...statsTests, ...pwaTests, ...feedsTests, ...servicesTests, ...a11yTests, ...photosTests, ...mapeditTests, ...channelsTests };

// Tests of a known, open bug: listed with the bug, skipped by default so main stays green, run with
// SIHUI_RUN_KNOWN_BROKEN=1. Each entry names the issue where the bug is recorded.
const KNOWN_BROKEN = {
};
const outDir = join(TOP, 'build', 'test-results');
mkdirSync(outDir, { recursive: true });
const HERE = dirname(fileURLToPath(import.meta.url));
const DURATIONS = join(HERE, 'durations.json');

// Runs the named tests one by one with one browser and one shared server; `report` gets each result.
async function runTests(next, report) {
  const server = await startServer();
  const browser = await launch();
  try {
    for (let name = await next(); name; name = await next()) {
      const started = Date.now();
      const ctx = { browser, url: server.url, server, outDir, shot: (page, n) => page.screenshot({ path: join(outDir, n + '.png') }) };
      try {
        await tests[name](ctx);
        report({ name, ok: true, ms: Date.now() - started });
      } catch (e) {
        report({ name, ok: false, ms: Date.now() - started, error: String(e && e.stack || e) });
      }
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

if (process.argv[2] === '--worker') {
  // A worker: asks the parent for a test, runs it, sends the result, until told there is none left.
  const waiting = [];
  process.on('message', (m) => { if (m && 'next' in m) waiting.shift()(m.next); });
  const next = () => new Promise((resolve) => { waiting.push(resolve); process.send({ want: true }); });
  await runTests(next, (r) => process.send({ result: r }));
  process.exit(0);
}

const args = process.argv.slice(2);
const record = args.includes('--record-durations');
const filter = args.filter((a) => !a.startsWith('--'))[0] || '';
let known = {};
try { known = JSON.parse(readFileSync(DURATIONS, 'utf8')); } catch { /* none yet: declared order */ }
let skipped = 0;
const queue = [];
for (const name of Object.keys(tests)) {
  if (filter && !name.includes(filter)) continue;
  if (KNOWN_BROKEN[name] && !process.env.SIHUI_RUN_KNOWN_BROKEN) {  // said, never hidden: see the reason
    skipped++;
    console.log(`SKIP ${name}: ${KNOWN_BROKEN[name]} (SIHUI_RUN_KNOWN_BROKEN=1 runs it)`);
    continue;
  }
  queue.push(name);
}
queue.sort((a, b) => (known[b] || 0) - (known[a] || 0));  // stable: unknown ones keep their order, last

const jobs = Math.max(1, Math.min(queue.length, Number(process.env.SIHUI_BROWSER_JOBS) || Math.min(2, availableParallelism())));
let failed = 0, passed = 0;
const took = {};
const t0 = Date.now();
const say = (r) => {
  took[r.name] = r.ms;
  if (r.ok) { passed++; console.log(`ok   ${r.name} (${r.ms} ms)`); } else { failed++; console.log(`FAIL ${r.name}: ${r.error}`); }
};

if (jobs === 1) {
  await runTests(async () => queue.shift(), say);
} else {
  const self = fileURLToPath(import.meta.url);
  await Promise.all(Array.from({ length: jobs }, () => new Promise((resolve) => {
    const start = () => {
      let current = null;
      const w = fork(self, ['--worker'], { stdio: 'inherit' });
      w.on('message', (m) => {
        if (m.result) { say(m.result); current = null; }
        if (m.want) { current = queue.shift() || null; w.send({ next: current }); }
      });
      w.on('exit', (code) => {
        if (current) {  // the worker died inside a test: that test failed; the others go on in a new worker
          say({ name: current, ok: false, ms: 0, error: `the test's worker process ended (exit code ${code})` });
          if (queue.length) { start(); return; }
        } else if (code !== 0) {
          failed++;
          console.log(`FAIL a browser test worker ended with exit code ${code}`);
        }
        resolve();
      });
    };
    start();
  })));
}
if (record) writeFileSync(DURATIONS, JSON.stringify({ ...known, ...took }, Object.keys({ ...known, ...took }).sort(), 1) + '\n');
console.log(`browser tests: ${passed} passed, ${failed} failed, ${skipped} skipped as known broken in ${((Date.now() - t0) / 1000).toFixed(1)} s ` +
  `(${jobs} at a time); screenshots in ${outDir}`);
process.exit(failed ? 1 : 0);
