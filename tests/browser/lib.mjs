// Shared helpers for browser tests and benchmarks: start serve.py, launch Debian's Chromium
// through playwright-core, and act on Sihui's canvas through window.sihui.items().
import { spawn, spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
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

// SIHUI_TRACE=1: each line says how long since the previous one, so a slow step stands out.
let lastTrace = Date.now();
export function trace(text) {
  if (!process.env.SIHUI_TRACE) return;
  const now = Date.now();
  console.log(`  +${String(now - lastTrace).padStart(5)} ms  ${text}`);
  lastTrace = now;
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
  trace(`opened ${url}`);
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
    // As a person would: on down from here first (the next field of a form is below the last one),
    // then from the top.
    const vp = page.viewportSize();
    await page.mouse.move(vp.width / 2, vp.height / 2);
    for (const fromTop of [false, true]) {
      if (fromTop) {
        await page.mouse.wheel(0, -20000);
        await settle(page);
      }
      let before = '', still = 0;
      for (let i = 0; i < 120; i++) {
        const all = await items(page);
        if ((hit = all.find((x) => x.label === label))) {
          trace(`scrolled ${i} notches${fromTop ? ' from the top' : ''} to find "${label}"`);
          return hit;
        }
        const now = JSON.stringify(all.map((x) => [x.label, Math.round(x.y)]));
        // The bottom: nothing moved for several notches (a long paragraph at 200% text can fill the
        // screen with no item on it, so one still notch is not enough).
        if (now === before && ++still >= 6) break;
        if (now !== before) still = 0;
        before = now;
        await page.mouse.wheel(0, 100);  // one wheel notch; the next frame scrolls, the one after lists
        await settle(page, 2);
      }
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
// The item where it stays: a screen may still be settling (a card above it changing its words after a
// sync), so the rectangle is read again until two reads a frame apart agree, then pressed.
async function steadyItem(page, label) {
  let it = await findItem(page, label);
  for (let i = 0; i < 8; i++) {
    await settle(page, 2);
    const again = await findItem(page, label);
    const same = Math.abs(again.x - it.x) < 1 && Math.abs(again.y - it.y) < 1 && Math.abs(again.h - it.h) < 1;
    it = again;
    if (same) break;
  }
  return it;
}

export async function click(page, label) {
  const it = await steadyItem(page, label);
  if (!it.enabled) throw new Error(`item "${label}" is disabled`);
  await page.mouse.click(it.x + it.w / 2, it.y + it.h / 2);
  await settleUnlessNavigated(page);
  trace(`clicked "${label}"`);
  return it;
}

// After a press: a press may reload the page (an update), which ends the wait for frames.
async function settleUnlessNavigated(page) {
  try {
    await settle(page);
  } catch (e) {
    if (!/Execution context was destroyed|navigation/.test(String(e && e.message))) throw e;
  }
}

export async function tap(page, label) {
  const it = await steadyItem(page, label);
  await page.touchscreen.tap(it.x + it.w / 2, it.y + it.h / 2);
  await settle(page);
  trace(`tapped "${label}"`);
  return it;
}

export async function tr(page, key) { return page.evaluate((k) => window.sihui.query('tr', { key: k }).text, key); }

// [SECTION] Shared by the feature tests (life, stats, ...)
export const TABLET = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const newContext = (browser, viewport = TABLET) => browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN' });

export const query = (page, name, args) => page.evaluate(([n, a]) => window.sihui.query(n, a), [name, args]);

export const fill = (text, args) => Object.entries(args).reduce((t, [k, v]) => t.split(`{${k}}`).join(String(v)), text);

// The first item whose label starts with prefix (scrolling down the page until it shows).
export async function findPrefix(page, prefix, { role, includes } = {}) {
  const vp = page.viewportSize();
  const match = async () => (await items(page)).find((i) => i.label.startsWith(prefix) && (!role || i.role === role) &&
    (!includes || i.label.includes(includes)));
  let hit = await match();
  if (hit) return hit;
  await page.mouse.move(vp.width / 2, vp.height / 2);
  await page.mouse.wheel(0, -20000);
  await settle(page);
  // Pages may hold more than a screen of words with nothing to tap: stop only after several
  // wheel notches changed nothing.
  let before = '', same = 0;
  for (let i = 0; i < 120 && same < 6; i++) {
    if ((hit = await match())) return hit;
    const now = JSON.stringify((await items(page)).map((x) => [x.label, Math.round(x.y)]));
    same = now === before ? same + 1 : 0;
    before = now;
    await page.mouse.wheel(0, 150);
    await settle(page);
  }
  throw new Error(`no item starting "${prefix}"; have: ${(await items(page)).map((i) => i.label).filter(Boolean).join(' | ')}`);
}
export async function clickPrefix(page, prefix) {
  const it = await findPrefix(page, prefix);
  await page.mouse.click(it.x + it.w / 2, it.y + it.h / 2);
  await settle(page);
  return it;
}

export async function goHome(page) {
  const home = (await items(page)).find((i) => i.label === '首页');
  if (home) await click(page, '首页');
}

// Every labelled item inside the viewport horizontally, 44 px targets, no two controls overlapping.
export async function assertLaidOut(page, where) {
  const vp = page.viewportSize();
  const all = (await items(page)).filter((i) => i.label);
  for (const i of all) {
    assert.ok(i.x >= -0.5 && i.x + i.w <= vp.width + 0.5, `${where}: "${i.label}" sticks out: x=${i.x} w=${i.w}`);
    if (['button', 'checkbox', 'textbox'].includes(i.role) && !i.clipped) assert.ok(i.h >= 43.5, `${where}: "${i.label}" is only ${i.h}px tall`);
  }
  const solid = all.filter((i) => !i.clipped && ['button', 'textbox', 'checkbox', 'slider'].includes(i.role));
  for (let a = 0; a < solid.length; a++) {
    for (let b = a + 1; b < solid.length; b++) {
      const p = solid[a], q = solid[b];
      const ox = Math.min(p.x + p.w, q.x + q.w) - Math.max(p.x, q.x);
      const oy = Math.min(p.y + p.h, q.y + q.h) - Math.max(p.y, q.y);
      assert.ok(ox <= 1 || oy <= 1, `${where}: "${p.label}" overlaps "${q.label}"`);
    }
  }
}

export async function setTextScale(page, pct) {
  for (let guard = 0; guard < 30; guard++) {
    const now = (await query(page, 'settings')).text_scale;
    if (now === pct) return;
    const key = now < pct ? 'settings.larger' : 'settings.smaller';
    await click(page, (now < pct ? 'A+  ' : 'A−  ') + await tr(page, key));
  }
  throw new Error('text scale did not reach ' + pct);
}

// The demo community at tablet and phone sizes, each at 100% and then 200% text: fn(page, { vpName,
// vp, scale, tag }) runs four times, starting on the home screen; tag is e.g. "phone-200".
export async function eachLayout(browser, url, fn) {
  for (const [vpName, vp] of [['tablet', TABLET], ['phone', PHONE]]) {
    const ctx = await newContext(browser, vp);
    try {
      const page = await openApp(ctx, url + '/?demo=1');
      await page.waitForFunction(() => window.sihui.status().demo === true, null, { timeout: 90000 });
      for (const scale of [100, 200]) {
        if (scale !== 100) {
          await click(page, await tr(page, 'nav.settings'));
          await setTextScale(page, scale);
          await goHome(page);
        }
        await fn(page, { vpName, vp, scale, tag: `${vpName}-${scale}` });
      }
    } finally {
      await ctx.close();
    }
  }
}

// Polls fn until it returns something truthy (that value), or throws after timeout ms.
export async function waitFor(what, fn, timeout = 30000) {
  const t0 = Date.now(), end = t0 + timeout;
  for (;;) {
    const v = await fn();
    if (v) {
      trace(`waited ${Date.now() - t0} ms for ${what}`);
      return v;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

// A staff account on the server's data (serve.py admin create-staff), as the office would make it.
export function createStaff(server, login, person, name, password) {
  const r = spawnSync('/usr/bin/python3', [join(TOP, 'serve.py'), 'admin', 'create-staff', '--data', server.data,
    '--login', login, '--person', person, '--name', name], { input: password + '\n', encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

// Clicks a text field by its label and types into it, as a person would.
export async function typeInto(page, label, text) {
  const f = await findItem(page, label);
  await page.mouse.click(f.x + 20, f.y + f.h / 2);
  await settle(page);
  await page.keyboard.type(text);
  await settle(page);
}

// Signs in with a staff account through the settings screen.
export async function signInStaff(page, login, password) {
  await click(page, await tr(page, 'nav.settings'));
  await click(page, await tr(page, 'account.mode.staff'));
  await typeInto(page, await tr(page, 'account.login'), login);
  await typeInto(page, await tr(page, 'account.password'), password);
  await click(page, await tr(page, 'account.sign_in'));
  await waitFor('staff sign-in', async () => (await page.evaluate(() => window.sihui.sync())).signed_in);
}
