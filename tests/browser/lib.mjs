// Shared helpers for browser tests and benchmarks: start serve.py, launch Debian's Chromium
// through playwright-core, and act on Sihui's canvas through window.sihui.items().
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const TOP = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--headless=new', '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
  '--use-gl=angle', '--ignore-gpu-blocklist', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
  '--disable-default-apps', '--disable-extensions',
];

// Starts serve.py on a free port with its own data folder; resolves {url, stop}.
export function startServer({ root, data = mkdtempSync(join(tmpdir(), 'sihui-data-')), extraArgs = [] } = {}) {
  const args = [join(TOP, 'serve.py'), '--port', '0', '--data', data, '--quiet', ...extraArgs];
  if (root) args.push('--root', root);
  const proc = spawn('/usr/bin/python3', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('serve.py did not start: ' + out)), 15000);
    const onData = (d) => {
      out += d.toString();
      const m = out.match(/running at (http:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1].replace(/\/$/, ''),
          data,
          stop: () => new Promise((r) => { proc.once('exit', r); proc.kill('SIGTERM'); }).then(() => rmSync(data, { recursive: true, force: true })),
        });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`serve.py exited ${code}: ${out}`)); });
  });
}

export async function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}

// Opens Sihui and waits until window.sihui.ready has resolved.
export async function openApp(context, url, { waitFont = false } = {}) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`); });
  page.sihuiErrors = errors;
  await page.goto(url);
  await page.waitForFunction(() => window.sihui && window.sihui.ready, null, { timeout: 30000 });
  await page.evaluate(() => window.sihui.ready);
  if (waitFont) await page.waitForFunction(() => window.sihui.status().font_percent === 100, null, { timeout: 60000 });
  await settle(page);
  return page;
}

// Waits until two animation frames have passed and the app drew nothing new in between.
export async function settle(page, frames = 4) {
  await page.evaluate((n) => new Promise((resolve) => {
    let left = n;
    const step = () => (--left <= 0 ? resolve() : requestAnimationFrame(step));
    requestAnimationFrame(step);
  }), frames);
}

export async function items(page) { return page.evaluate(() => window.sihui.items()); }

// Finds a labelled item of the last frame. If it is not on screen, scrolls the page (mouse
// wheel over the middle) from the top down until it appears, as a person would.
export async function findItem(page, label, { timeout = 5000, scroll = true } = {}) {
  const find = async () => (await items(page)).find((i) => i.label === label);
  let hit = await find();
  if (hit) return hit;
  await settle(page, 2);
  if ((hit = await find())) return hit;
  if (scroll) {
    const vp = page.viewportSize();
    await page.mouse.move(vp.width / 2, vp.height / 2);
    await page.mouse.wheel(0, -20000);
    await settle(page);
    let before = '', still = 0;
    for (let i = 0; i < 120; i++) {
      if ((hit = await find())) return hit;
      const now = JSON.stringify((await items(page)).map((x) => [x.label, Math.round(x.y)]));
      // The bottom: nothing moved for several notches (a long paragraph at 200% text can fill the
      // screen with no item on it, so one still notch is not enough).
      if (now === before && ++still >= 6) break;
      if (now !== before) still = 0;
      before = now;
      await page.mouse.wheel(0, 100);  // one wheel notch
      await settle(page);
    }
  }
  const end = Date.now() + timeout;
  for (;;) {
    if ((hit = await find())) return hit;
    if (Date.now() > end) {
      await page.screenshot({ path: join(TOP, 'build', 'test-results', 'failure-find.png') }).catch(() => {});
      throw new Error(`no item labelled "${label}"; have: ${(await items(page)).map((i) => i.label).filter(Boolean).join(' | ')}`);
    }
    await settle(page, 2);
  }
}

// Clicks the centre of a labelled item with real mouse events.
export async function click(page, label) {
  const it = await findItem(page, label);
  if (!it.enabled) throw new Error(`item "${label}" is disabled`);
  await page.mouse.click(it.x + it.w / 2, it.y + it.h / 2);
  await settle(page);
  return it;
}

export async function tap(page, label) {
  const it = await findItem(page, label);
  await page.touchscreen.tap(it.x + it.w / 2, it.y + it.h / 2);
  await settle(page);
  return it;
}

export async function tr(page, key) { return page.evaluate((k) => window.sihui.query('tr', { key: k }).text, key); }
