// What a person does with the app shell (issue 2): see it, click it, type Chinese, change
// settings that survive a reload, read it at 200% on a tablet and a phone, survive bad data.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOP, openApp, settle, items, findItem, click, tr } from './lib.mjs';
import { decodePng, pixelStats } from './png.mjs';

const TABLET = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

async function newContext(browser, viewport = TABLET, extra = {}) {
  return browser.newContext({ viewport, deviceScaleFactor: 1, ...extra });
}

async function status(page) { return page.evaluate(() => window.sihui.status()); }
async function settingsOf(page) { return page.evaluate(() => window.sihui.query('settings')); }
async function waitSaved(page) {
  await page.waitForFunction(() => { const s = window.sihui.status(); return s.storage === 'ready' && s.all_saved && !s.flushing; });
}

// Clicks "larger text" or "smaller text" until the scale is `pct`.
async function setTextScale(page, pct) {
  for (let guard = 0; guard < 30; guard++) {
    const now = (await settingsOf(page)).text_scale;
    if (now === pct) return;
    const key = now < pct ? 'settings.larger' : 'settings.smaller';
    const label = (now < pct ? 'A+  ' : 'A−  ') + await tr(page, key);
    await click(page, label);
  }
  throw new Error('text scale did not reach ' + pct);
}

// Every labelled item lies inside the viewport horizontally, and no two buttons overlap.
async function assertLaidOut(page, where) {
  const vp = page.viewportSize();
  const all = (await items(page)).filter((i) => i.label);
  assert.ok(all.length > 0, `${where}: no labelled items`);
  for (const i of all) {
    assert.ok(i.x >= -0.5 && i.x + i.w <= vp.width + 0.5, `${where}: "${i.label}" sticks out: x=${i.x} w=${i.w}`);
    assert.ok(i.h >= 43.5 || i.clipped || i.role === 'unknown' || i.role === 'heading', `${where}: "${i.label}" is only ${i.h}px tall (touch targets need 44)`);
  }
  const solid = all.filter((i) => !i.clipped).filter((i) => i.role === 'button' || i.role === 'textbox' || i.role === 'checkbox' || i.role === 'slider');
  for (let a = 0; a < solid.length; a++) {
    for (let b = a + 1; b < solid.length; b++) {
      const p = solid[a], q = solid[b];
      const ox = Math.min(p.x + p.w, q.x + q.w) - Math.max(p.x, q.x);
      const oy = Math.min(p.y + p.h, q.y + q.h) - Math.max(p.y, q.y);
      assert.ok(ox <= 1 || oy <= 1, `${where}: "${p.label}" overlaps "${q.label}"`);
    }
  }
}

// Labels drawn by ImGui widgets do not fit when a button is narrower than its text; check the
// text width the app measured against the button (query text.width in CSS px).
async function assertNoClippedText(page, where) {
  const vp = page.viewportSize();
  const all = (await items(page)).filter((i) => i.label && (i.role === 'button' || i.role === 'checkbox'));
  for (const i of all) {
    const w = await page.evaluate((t) => window.sihui.query('text.width', { text: t }).padded, i.label);
    if (i.role === 'button' && i.h < 100 && !i.clipped) assert.ok(w <= i.w + 0.5, `${where}: button text "${i.label}" (${w}px) is wider than its button (${i.w}px)`);
    if (i.role === 'checkbox') assert.ok(i.x + i.w <= vp.width + 0.5, `${where}: checkbox "${i.label}" is cut off`);
  }
}

export const tests = {
  async 'first frame is drawn and is not blank'({ browser, url, shot }) {
    const ctx = await newContext(browser);
    const page = await openApp(ctx, url);
    const st = await status(page);
    assert.ok(st.frames >= 1, 'no frame drawn');
    assert.equal(st.storage, 'ready');
    const img = decodePng(await page.screenshot());
    const stats = pixelStats(img);
    assert.ok(stats.colours > 50, `only ${stats.colours} colours: blank or flat`);
    assert.ok(stats.nonBackground > 0.2, `only ${(stats.nonBackground * 100).toFixed(1)}% drawn`);
    // The four gatherings are there, in Chinese, as the first language.
    for (const key of ['home.manage.title', 'home.projects.title', 'home.care.title', 'home.energy.title']) {
      const label = await tr(page, key);
      assert.match(label, /^汇/);
      await findItem(page, label);
    }
    assert.deepEqual(page.sihuiErrors, []);
    await shot(page, 'home-tablet');
    await ctx.close();
  },

  async 'clicking a labelled button with the mouse navigates'({ browser, url, shot }) {
    const ctx = await newContext(browser);
    const page = await openApp(ctx, url);
    await click(page, await tr(page, 'home.care.title'));
    assert.equal((await status(page)).screen, 3);
    await findItem(page, await tr(page, 'nav.back'));
    await shot(page, 'section-care');
    await click(page, await tr(page, 'nav.back'));
    assert.equal((await status(page)).screen, 0);
    // A click that starts on a button but is released elsewhere does nothing.
    const b = await findItem(page, await tr(page, 'home.manage.title'));
    await page.mouse.move(b.x + 10, b.y + 10);
    await page.mouse.down();
    await page.mouse.move(5, 5, { steps: 3 });
    await page.mouse.up();
    await settle(page);
    assert.equal((await status(page)).screen, 0);
    await ctx.close();
  },

  async 'Chinese typed through IME composition arrives whole'({ browser, url, shot }) {
    const ctx = await newContext(browser);
    const page = await openApp(ctx, url);
    await click(page, await tr(page, 'nav.settings'));
    const field = await findItem(page, await tr(page, 'settings.device_name'));
    assert.equal(field.role, 'textbox');
    await page.mouse.click(field.x + 20, field.y + field.h / 2);
    await settle(page);
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'sihui-ime');
    const cdp = await ctx.newCDPSession(page);
    // Pinyin being composed, then the committed characters.
    await cdp.send('Input.imeSetComposition', { text: 'cang', selectionStart: 4, selectionEnd: 4 });
    await cdp.send('Input.imeSetComposition', { text: '仓南', selectionStart: 2, selectionEnd: 2 });
    await cdp.send('Input.insertText', { text: '仓南街' });
    await settle(page);
    await cdp.send('Input.imeSetComposition', { text: 'pingban', selectionStart: 7, selectionEnd: 7 });
    await cdp.send('Input.insertText', { text: '平板' });
    await settle(page);
    // Plain keys too: Latin letters and the space bar (a space, not a key), then Backspace removes one character.
    await page.keyboard.type('A BC');
    await page.keyboard.press('Backspace');
    await settle(page);
    await click(page, await tr(page, 'settings.device_name.save'));
    await waitSaved(page);
    assert.equal((await settingsOf(page)).device_name, '仓南街平板A B');
    await shot(page, 'ime-device-name');
    await ctx.close();
  },

  async 'settings survive a reload'({ browser, url }) {
    const ctx = await newContext(browser);
    const page = await openApp(ctx, url);
    await click(page, await tr(page, 'nav.settings'));
    await setTextScale(page, 130);
    await click(page, 'English');
    await waitSaved(page);
    assert.equal(await tr(page, 'nav.home'), 'Home');
    await page.reload();
    await page.evaluate(() => window.sihui.ready);
    await settle(page);
    const s = await settingsOf(page);
    assert.equal(s.text_scale, 130);
    assert.equal(s.lang, 'en');
    assert.equal((await status(page)).font_px, 26);
    await findItem(page, 'Gathering management');
    // And back, so the labels turn Chinese again.
    await click(page, 'Settings');
    await click(page, '中文');
    await findItem(page, '汇管理', { timeout: 100 }).catch(() => {});
    await ctx.close();
  },

  async 'high contrast changes the page and is remembered'({ browser, url, shot }) {
    const ctx = await newContext(browser);
    const page = await openApp(ctx, url);
    await click(page, await tr(page, 'nav.settings'));
    const label = (await items(page)).find((i) => i.role === 'checkbox');
    assert.ok(label, 'no checkbox');
    assert.equal(label.checked, false);
    await page.mouse.click(label.x + 20, label.y + label.h / 2);
    await settle(page);
    await waitSaved(page);
    const after = (await items(page)).find((i) => i.role === 'checkbox');
    assert.equal(after.checked, true);
    assert.match(after.label, /（已开启）/);  // the state is said in words, not only by colour
    const img = decodePng(await page.screenshot());
    assert.deepEqual(pixelStats(img).background, [255, 255, 255]);
    await shot(page, 'settings-high-contrast');
    await page.reload();
    await page.evaluate(() => window.sihui.ready);
    assert.equal((await settingsOf(page)).high_contrast, true);
    await ctx.close();
  },

  async 'elder mode at 200% fits a tablet and a phone'({ browser, url, shot }) {
    for (const [name, vp] of [['tablet', TABLET], ['phone', PHONE]]) {
      const ctx = await newContext(browser, vp);
      const page = await openApp(ctx, url);
      await click(page, await tr(page, 'nav.settings'));
      await setTextScale(page, 200);
      await waitSaved(page);
      assert.equal((await status(page)).font_px, 40);
      await page.mouse.move(vp.width / 2, vp.height / 2);
      await page.mouse.wheel(0, -5000);
      await settle(page);
      await assertLaidOut(page, `${name} settings`);
      await assertNoClippedText(page, `${name} settings`);
      await shot(page, `elder200-${name}-settings`);
      await page.mouse.wheel(0, 5000);
      await settle(page);
      await assertLaidOut(page, `${name} settings (scrolled)`);
      await shot(page, `elder200-${name}-settings-bottom`);
      await click(page, await tr(page, 'nav.back'));
      await assertLaidOut(page, `${name} home`);
      await assertNoClippedText(page, `${name} home`);
      await shot(page, `elder200-${name}-home`);
      for (const key of ['home.manage.title', 'home.projects.title', 'home.care.title', 'home.energy.title']) {
        const card = await findItem(page, await tr(page, key));
        if (card.y + card.h > vp.height) {
          await page.mouse.move(vp.width / 2, vp.height / 2);
          await page.mouse.wheel(0, card.y + card.h - vp.height + 100);
          await settle(page);
        }
        await click(page, await tr(page, key));
        await assertLaidOut(page, `${name} ${key}`);
        await shot(page, `elder200-${name}-${key.split('.')[1]}`);
        await page.mouse.wheel(0, 5000);
        await settle(page);
        await click(page, await tr(page, 'nav.back'));
      }
      await ctx.close();
    }
  },

  async 'touch: a tap opens, a drag scrolls and does not click, a long press is a right click'({ browser, url, shot }) {
    const ctx = await newContext(browser, PHONE, { hasTouch: true, isMobile: true });
    const page = await openApp(ctx, url);
    const cdp = await ctx.newCDPSession(page);
    const touch = (type, x, y) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
    // Make the page taller than the phone: 200% text, stored as a person would have left it.
    await page.evaluate(() => new Promise((resolve, reject) => {
      FS.writeFile('/sihui/settings.json', '{"version":1,"text_scale":200}');
      FS.syncfs(false, (e) => (e ? reject(e) : resolve()));
    }));
    await page.reload();
    await page.evaluate(() => window.sihui.ready);
    await settle(page);
    const card = await findItem(page, await tr(page, 'home.manage.title'));
    const y0 = card.y;
    // Drag upwards starting on a card: the page scrolls, the card is not opened.
    await touch('touchStart', card.x + 40, card.y + card.h - 10);
    for (let i = 1; i <= 6; i++) await touch('touchMove', card.x + 40, card.y + card.h - 10 - i * 30);
    await touch('touchEnd');
    await settle(page);
    assert.equal((await status(page)).screen, 0, 'the drag opened the card');
    const moved = await findItem(page, await tr(page, 'home.manage.title'));
    assert.ok(moved.y < y0 - 100, `page did not scroll (card y ${y0} -> ${moved.y})`);
    // A tap opens.
    const target = await findItem(page, await tr(page, 'home.projects.title'));
    await page.touchscreen.tap(target.x + target.w / 2, target.y + target.h / 2);
    await settle(page);
    assert.equal((await status(page)).screen, 2);
    await shot(page, 'touch-phone-projects');
    // A long press on the device-name field opens its menu (ImGui's right click).
    await page.touchscreen.tap(5, 5);
    await click(page, await tr(page, 'nav.home'));
    await click(page, await tr(page, 'nav.settings'));
    const field = await findItem(page, await tr(page, 'settings.device_name'));
    await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
    await touch('touchStart', field.x + 30, field.y + field.h / 2);
    await page.waitForTimeout(800);
    await touch('touchEnd');
    await settle(page);
    const clear = await findItem(page, await tr(page, 'settings.device_name.clear'), { scroll: false });
    await shot(page, 'touch-phone-long-press-menu');
    await page.touchscreen.tap(clear.x + clear.w / 2, clear.y + clear.h / 2);
    await settle(page);
    assert.equal((await items(page)).some((i) => i.label === clear.label), false, 'the menu stayed open');
    await ctx.close();
  },

  async 'a damaged settings file: the app opens, keeps what it can, tells the person'({ browser, url, shot }) {
    const ctx = await newContext(browser);
    const page = await openApp(ctx, url);
    // Write a damaged file straight into IndexedDB the way a crash or old bug might leave it.
    await page.evaluate(() => new Promise((resolve, reject) => {
      FS.writeFile('/sihui/settings.json', '{"text_scale": 150, "lang": 7, "high_contrast": "yes"');
      FS.syncfs(false, (e) => (e ? reject(e) : resolve()));
    }));
    await page.reload();
    await page.evaluate(() => window.sihui.ready);
    await settle(page);
    const st = await status(page);
    assert.equal(st.settings_damaged, true);
    assert.equal((await settingsOf(page)).text_scale, 100);  // unreadable JSON: defaults
    await findItem(page, await tr(page, 'notice.dismiss'));
    const kept = await page.evaluate(() => FS.readdir('/sihui').filter((n) => n.startsWith('settings.json.damaged')));
    assert.equal(kept.length, 1, 'the damaged original was not kept aside');
    await shot(page, 'damaged-settings-banner');
    await click(page, await tr(page, 'notice.dismiss'));
    assert.equal((await status(page)).settings_damaged, false);
    assert.deepEqual(page.sihuiErrors.filter((e) => !/settings/.test(e)), []);
    await ctx.close();
  },

  async 'the full font arrives after the first frame and rare characters are drawn'({ browser, url }) {
    const ctx = await newContext(browser);
    const gates = {};
    for (const part of ['common', 'full']) {
      let release;
      const gate = new Promise((r) => { release = r; });
      gates[part] = release;
      await ctx.route(`**/fonts/${part}.*`, async (route) => { await gate; await route.continue(); });
    }
    const page = await openApp(ctx, url);
    const missing = async (t) => (await page.evaluate((x) => window.sihui.query('font.missing', { text: x }), t)).missing;
    // The first frame's font has what the app says, not every common character: 柿枣棉 (level 1,
    // in no translation) come with common.ttf; 堃 (level 2, common in names) and 龘 (level 3) with full.ttf.
    const common = '柿枣棉', rare = '堃龘';
    assert.equal(await missing(common), common);
    assert.equal(await missing(rare), rare);
    assert.equal(await missing('仓南街社区'), '');
    const during = await status(page);
    assert.ok(during.font_percent >= 0 && during.font_percent < 100, `progress ${during.font_percent}`);
    gates.common();
    await page.waitForFunction((t) => window.sihui.query('font.missing', { text: t }).missing === '', common, { timeout: 30000 });
    assert.equal(await missing(rare), rare, 'full.ttf is still held back');
    assert.ok((await status(page)).font_percent < 100);
    gates.full();
    await page.waitForFunction(() => window.sihui.status().font_percent === 100, null, { timeout: 30000 });
    await settle(page);
    assert.equal(await missing(rare), '');
    await ctx.close();
  },

  async 'query API answers and refuses unknown names with a code'({ browser, url }) {
    const ctx = await newContext(browser);
    const page = await openApp(ctx, url);
    assert.equal(await tr(page, 'app.name'), '四汇');
    const err = await page.evaluate(() => { try { window.sihui.query('no.such'); return null; } catch (e) { return e.code; } });
    assert.equal(err, 'unknown_query');
    const it = await items(page);
    for (const i of it) {
      assert.equal(typeof i.label, 'string');
      assert.ok(!i.label.includes('##'), `label with ## suffix: ${i.label}`);
      for (const k of ['id', 'x', 'y', 'w', 'h', 'enabled', 'checked']) assert.ok(k in i, `item lacks ${k}`);
    }
    await ctx.close();
  },
};

Object.assign(tests, {
  async 'sharp on a high-DPI screen: canvas in device pixels, items in CSS pixels'({ browser, url }) {
    const ctx = await browser.newContext({ viewport: { width: 800, height: 600 }, deviceScaleFactor: 2 });
    const page = await openApp(ctx, url);
    const size = await page.evaluate(() => { const c = document.getElementById('sihui-canvas'); return [c.width, c.height, c.clientWidth]; });
    assert.deepEqual(size, [1600, 1200, 800]);
    assert.equal((await status(page)).dpr, 2);
    const it = await findItem(page, await tr(page, 'home.energy.title'));
    assert.ok(it.x + it.w <= 800 && it.y + it.h <= 600, 'item rectangles must be CSS pixels');
    await click(page, await tr(page, 'home.energy.title'));
    assert.equal((await status(page)).screen, 4);
    await ctx.close();
  },

  async 'nothing is drawn while nothing changes, and a change is flushed to IndexedDB'({ browser, url }) {
    const ctx = await newContext(browser);
    const page = await openApp(ctx, url, { waitFont: true });
    // The first contact with the server changes the status line ("synced"); after that, sync's
    // polling every half second must not draw anything.
    await page.waitForFunction(() => window.sihui.sync().last_synced_ms > 0, null, { timeout: 30000 });
    await settle(page, 10);
    const f0 = (await status(page)).frames;
    await page.waitForTimeout(1600);  // three polls of the server
    const f1 = (await status(page)).frames;
    assert.equal(f1, f0, `drew ${f1 - f0} frames while idle`);
    const flushes0 = await page.evaluate(() => Module.sihuiFlushes || 0);
    await click(page, await tr(page, 'nav.settings'));
    await click(page, 'A+  ' + await tr(page, 'settings.larger'));
    await waitSaved(page);
    const flushes1 = await page.evaluate(() => Module.sihuiFlushes || 0);
    assert.ok(flushes1 > flushes0, 'no flush after a change');
    // The file really is in IndexedDB: a second page of the same origin reads it.
    const other = await openApp(ctx, url);
    assert.equal((await settingsOf(other)).text_scale, 110);
    await ctx.close();
  },
});

Object.assign(tests, {
  async 'the status line says when the device is offline'({ browser, url }) {
    const ctx = await newContext(browser);
    const page = await openApp(ctx, url);
    assert.equal((await status(page)).online, true);
    await ctx.setOffline(true);
    await page.waitForFunction(() => window.sihui.status().online === false);
    await settle(page);
    await ctx.setOffline(false);
    await page.waitForFunction(() => window.sihui.status().online === true);
    await ctx.close();
  },

  async 'without IndexedDB the app still opens and says changes will not be kept'({ browser, url, shot }) {
    const ctx = await newContext(browser);
    await ctx.addInitScript(() => { Object.defineProperty(window, 'indexedDB', { value: undefined }); });
    const page = await openApp(ctx, url);
    assert.equal((await status(page)).storage, 'failed');
    await click(page, await tr(page, 'nav.settings'));
    await click(page, 'A+  ' + await tr(page, 'settings.larger'));
    assert.equal((await settingsOf(page)).text_scale, 110);  // works for this visit
    await shot(page, 'storage-failed');
    assert.deepEqual(page.sihuiErrors, []);
    await ctx.close();
  },
});

Object.assign(tests, {
  async 'every text the app can show is in the first-frame font'({ browser, url }) {
    const ctx = await newContext(browser);
    await ctx.route('**/fonts/full.*', () => {});  // the full font never arrives
    await ctx.route('**/fonts/fallback.*', () => {});
    const page = await openApp(ctx, url);
    const missing = await page.evaluate(() => {
      let all = '';
      for (const lang of ['zh-CN', 'en']) {
        for (const key of window.sihui.query('i18n.keys', { lang })) all += window.sihui.query('tr', { key, lang }).text;
      }
      return window.sihui.query('font.missing', { text: all }).missing;
    });
    assert.equal(missing, '', `characters without a glyph before the full font: ${missing}`);
    for (const screen of ['nav.settings', 'nav.home']) {
      await click(page, await tr(page, screen));
      const labels = (await items(page)).map((i) => i.label).join('');
      assert.equal((await page.evaluate((t) => window.sihui.query('font.missing', { text: t }), labels)).missing, '');
    }
    await ctx.close();
  },
});

Object.assign(tests, {
  async 'demo mode: wasm replays the demo community to the same state hash as gcc and clang'({ browser, url, shot }) {
    const pinned = readFileSync(join(TOP, 'tests', 'core', 'demo_test.cpp'), 'utf8').match(/state_hash\(s\)\) == "([0-9a-f]{16})"/)[1];
    const ctx = await newContext(browser);
    const page = await openApp(ctx, url + '/?demo=1');
    await page.waitForFunction(() => window.sihui.status().demo === true, null, { timeout: 60000 });
    await settle(page);
    const h = await page.evaluate(() => window.sihui.query('community.hash'));
    assert.equal(h.hash, pinned);
    const sum = await page.evaluate(() => window.sihui.query('community.summary'));
    assert.ok(sum.persons > 2700 && sum.persons < 3400, `persons ${sum.persons}`);
    const cal = await page.evaluate(() => window.sihui.query('calendar', { from: '2020-08-01', to: '2020-08-31' }));
    assert.ok(Array.isArray(cal) ? cal.length > 0 : Object.keys(cal).length > 0, 'no calendar occurrences in August 2020');
    await shot(page, 'demo-home');
    await ctx.close();
  },
});

Object.assign(tests, {
  async 'two tabs: one writes, the other hands its changes over and takes over when the first closes'({ browser, url, shot }) {
    const ctx = await newContext(browser);
    const a = await openApp(ctx, url);
    assert.equal((await status(a)).storage, 'ready');
    const b = await openApp(ctx, url);
    assert.equal((await status(b)).storage, 'readonly');
    await settle(b);
    // A change in the read-only tab reaches the writer, is saved, and comes back.
    await click(b, await tr(b, 'nav.settings'));
    await shot(b, 'two-tabs-readonly');
    await click(b, 'A+  ' + await tr(b, 'settings.larger'));
    await b.waitForFunction(() => window.sihui.status().handed_over === false, null, { timeout: 10000 });
    await a.waitForFunction(() => window.sihui.query('settings').text_scale === 110, null, { timeout: 10000 });
    await waitSaved(a);
    // A change in the writer shows up in the read-only tab.
    await click(a, await tr(a, 'nav.settings'));
    const hc = (await items(a)).find((i) => i.role === 'checkbox');
    await a.mouse.click(hc.x + 20, hc.y + hc.h / 2);
    await waitSaved(a);
    await b.waitForFunction(() => window.sihui.query('settings').high_contrast === true, null, { timeout: 10000 });
    // The writer closes: the other tab takes over and saves on its own.
    await a.close();
    await b.waitForFunction(() => window.sihui.status().storage === 'ready', null, { timeout: 10000 });
    await click(b, 'A+  ' + await tr(b, 'settings.larger'));
    await waitSaved(b);
    const c = await openApp(ctx, url);
    assert.equal((await status(c)).storage, 'readonly');
    const s = await settingsOf(c);
    assert.equal(s.text_scale, 120);
    assert.equal(s.high_contrast, true);
    await ctx.close();
  },
});

Object.assign(tests, {
  async 'a full disk: the change stays in memory, the person is told, saving resumes when there is room'({ browser, url, shot }) {
    const ctx = await newContext(browser);
    // Chromium applies a quota override to IndexedDB connections opened after it: set it first.
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    const origin = new URL(url).origin;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 });
    await page.goto(url);
    await page.waitForFunction(() => window.sihui && window.sihui.ready);
    await page.evaluate(() => window.sihui.ready);
    await settle(page);
    await click(page, await tr(page, 'nav.settings'));
    // Enough new data that IndexedDB must grow: random characters (IndexedDB compresses what
    // repeats, and small rewrites fit in space it already holds).
    const ops = await page.evaluate(() => {
      const ids = [];
      const rnd = new Uint16Array(300);
      for (let i = 0; i < 200; i++) {
        crypto.getRandomValues(rnd);
        const text = Array.from(rnd, (v) => String.fromCharCode(0x4e00 + (v % 0x5000))).join('');
        ids.push(window.sihui.act('report.comment', { report: 'r-' + i, text }).op);
      }
      return ids;
    });
    await click(page, 'A+  ' + await tr(page, 'settings.larger'));
    await page.waitForFunction(() => window.sihui.status().save_failures > 0, null, { timeout: 15000 });
    assert.equal((await status(page)).quota_exceeded, true);
    assert.equal((await settingsOf(page)).text_scale, 110);  // kept in memory, still shown
    await settle(page);
    await shot(page, 'quota-exceeded');
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });  // room again
    await page.waitForFunction(() => { const s = window.sihui.status(); return s.all_saved && s.save_failures === 0; }, null, { timeout: 15000 });
    await page.reload();
    await page.evaluate(() => window.sihui.ready);
    const kept = new Set((await page.evaluate(() => window.sihui.query('store.status'))).pending);
    assert.ok(ops.every((id) => kept.has(id)), 'ops made while the disk was full were lost');
    await page.reload();
    await page.evaluate(() => window.sihui.ready);
    assert.equal((await settingsOf(page)).text_scale, 110);
    await ctx.close();
  },
});

Object.assign(tests, {
  async 'ops shown as saved survive a tab killed at any moment (random timing, 8 rounds)'({ browser, url }) {
    const ctx = await newContext(browser);
    let page = await openApp(ctx, url);
    const shownSaved = new Set();
    let made = 0;
    for (let round = 0; round < 8; round++) {
      await page.evaluate(() => {
        window.__gens = [];
        window.__acked = [];
        window.__timer = setInterval(() => {
          const r = window.sihui.act('report.comment', { report: 'r-1', text: '三号楼二单元的楼道灯不亮了' });
          window.__gens.push([r.gen, r.op]);
          window.__gens = window.__gens.filter(([g, op]) => {
            if (!window.sihui.query('store.saved', { gen: g }).saved) return true;
            window.__acked.push(op);
            return false;
          });
        }, 4);
      });
      await page.waitForTimeout(40 + Math.floor(Math.random() * 400));
      const [acked, total] = await page.evaluate(() => [window.__acked.slice(), window.__acked.length + window.__gens.length]);
      made += total;
      acked.forEach((op) => shownSaved.add(op));
      const cdp = await ctx.newCDPSession(page);
      const crashed = new Promise((r) => { page.once('crash', r); setTimeout(r, 5000); });
      cdp.send('Page.crash').catch(() => {});  // the renderer dies: no unload handlers, no goodbye
      await crashed;
      await page.close().catch(() => {});
      page = await openApp(ctx, url);
      const st = await page.evaluate(() => window.sihui.query('store.status'));
      assert.equal(st.open, true, `store did not open: ${st.error}`);
      const kept = new Set(st.pending);
      for (const op of shownSaved) assert.ok(kept.has(op), `round ${round}: op ${op} was shown as saved and is gone`);
    }
    console.log(`     ${shownSaved.size} of ${made} ops were shown as saved before a kill; all were there after reopening`);
    assert.ok(shownSaved.size >= 8, `only ${shownSaved.size} of ${made} ops were acknowledged: the test did not exercise saving`);
    await ctx.close();
  },

  async 'an op made in a read-only tab is saved by the writer tab'({ browser, url }) {
    const ctx = await newContext(browser);
    const a = await openApp(ctx, url);
    const b = await openApp(ctx, url);
    assert.equal((await status(b)).storage, 'readonly');
    const r = await b.evaluate(() => window.sihui.act('report.comment', { report: 'r-9', text: '两个页面' }));
    assert.equal(r.handed_over, true);
    await a.waitForFunction((id) => window.sihui.query('store.status').pending.includes(id), r.op, { timeout: 10000 });
    await waitSaved(a);
    await b.waitForFunction((id) => window.sihui.query('store.status').pending.includes(id), r.op, { timeout: 10000 });
    await ctx.close();
  },

  async 'malformed ops are refused with a code and change nothing'({ browser, url }) {
    const ctx = await newContext(browser);
    const page = await openApp(ctx, url);
    const before = await page.evaluate(() => window.sihui.query('store.status'));
    const codes = await page.evaluate(() => [['no.such.kind', {}], ['report.comment', 'not an object'], ['report.comment', { text: 5 }]].map(([k, p]) => {
      try { window.sihui.act(k, p); return null; } catch (e) { return e.code; }
    }));
    assert.deepEqual(codes, ['unknown_kind', 'bad_payload', 'invalid_payload']);
    const after = await page.evaluate(() => window.sihui.query('store.status'));
    assert.deepEqual(after.pending, before.pending);
    await ctx.close();
  },
});

Object.assign(tests, {
  async 'backup: export through the button, import into a fresh profile through the file chooser, same state'({ browser, url, shot }) {
    const ctxA = await newContext(browser, TABLET, { acceptDownloads: true });
    const a = await openApp(ctxA, url);
    await a.evaluate(() => {
      for (let i = 0; i < 25; i++) window.sihui.act('report.comment', { report: 'r-' + i, text: '第' + i + '条：北区车棚的灯坏了' });
    });
    await waitSaved(a);
    const want = await a.evaluate(() => window.sihui.query('store.status'));
    assert.equal(want.pending.length, 25);
    await click(a, await tr(a, 'nav.settings'));
    const downloadP = a.waitForEvent('download');
    await click(a, await tr(a, 'backup.export'));
    const download = await downloadP;
    assert.match(download.suggestedFilename(), /^sihui-backup-.*\.json$/);
    const file = join(TOP, 'build', 'test-results', 'backup-export.json');
    await download.saveAs(file);
    await settle(a);
    await shot(a, 'backup-exported');
    await ctxA.close();

    const ctxB = await newContext(browser);
    const b = await openApp(ctxB, url);
    assert.equal((await b.evaluate(() => window.sihui.query('store.status'))).pending.length, 0);
    await click(b, await tr(b, 'nav.settings'));
    const chooserP = b.waitForEvent('filechooser');
    await click(b, await tr(b, 'backup.import'));
    await (await chooserP).setFiles(file);
    await b.waitForFunction((n) => window.sihui.query('store.status').pending.length === n, want.pending.length, { timeout: 15000 });
    await waitSaved(b);
    const got = await b.evaluate(() => window.sihui.query('store.status'));
    assert.equal(got.hash, want.hash);
    assert.deepEqual([...got.pending].sort(), [...want.pending].sort());
    await settle(b);
    await shot(b, 'backup-imported');
    // Importing the same file again adds nothing; a foreign file is refused and changes nothing.
    const text = readFileSync(file, 'utf8');
    const again = await b.evaluate((t) => window.sihui.importText(t), text);
    assert.equal(again.confirmed_added + again.pending_added, 0);
    const refused = await b.evaluate(() => { try { window.sihui.importText('{"hello": "world"}'); return null; } catch (e) { return e.code; } });
    assert.match(refused, /^store\.import\./);
    assert.equal((await b.evaluate(() => window.sihui.query('store.status'))).hash, want.hash);
    await ctxB.close();
  },
});

Object.assign(tests, {
  async 'a dead IndexedDB connection is reopened and the save goes through'({ browser, url }) {
    const ctx = await newContext(browser);
    const page = await openApp(ctx, url);
    const r = await page.evaluate(() => {
      for (const name in IDBFS.dbs) IDBFS.dbs[name].close();  // as if the browser had dropped it
      return window.sihui.act('report.comment', { report: 'r-1', text: '连接断了也不能丢' });
    });
    await page.waitForFunction((gen) => window.sihui.query('store.saved', { gen }).saved, r.gen, { timeout: 15000 });
    assert.ok((await status(page)).save_failures === 0);
    await page.reload();
    await page.evaluate(() => window.sihui.ready);
    assert.ok((await page.evaluate(() => window.sihui.query('store.status'))).pending.includes(r.op));
    await ctx.close();
  },

  async 'a damaged record in IndexedDB: the app opens, keeps the rest, sets the damage aside and says so'({ browser, url, shot }) {
    const ctx = await newContext(browser);
    const page = await openApp(ctx, url);
    const ids = await page.evaluate(() => {
      const out = [];
      for (let i = 0; i < 5; i++) out.push(window.sihui.act('report.comment', { report: 'r-' + i, text: '第' + i + '条' }).op);
      return out;
    });
    await waitSaved(page);
    // Flip bytes in the middle of the stored outbox, as a failing disk might.
    await page.evaluate(() => new Promise((resolve, reject) => {
      const path = '/sihui/log/outbox.log';
      const bytes = FS.readFile(path);
      const text = new TextDecoder().decode(bytes);
      const lines = text.split('\n');
      lines[3] = lines[3].replace(/第2条/, '第X条');  // the checksum no longer matches this line
      FS.writeFile(path, lines.join('\n'));
      FS.syncfs(false, (e) => (e ? reject(e) : resolve()));
    }));
    await page.reload();
    await page.evaluate(() => window.sihui.ready);
    await settle(page);
    const st = await page.evaluate(() => window.sihui.query('store.status'));
    assert.equal(st.open, true);
    assert.ok(st.problems.length >= 1, 'no problem reported');
    assert.ok(st.problems.every((p) => p.code.startsWith('store.')));
    const kept = ids.filter((id) => st.pending.includes(id));
    assert.ok(kept.length >= 4, `only ${kept.length} of 5 ops kept`);
    await findItem(page, await tr(page, 'notice.dismiss'));
    await shot(page, 'store-damaged-banner');
    assert.deepEqual(page.sihuiErrors.filter((e) => !/store|outbox/.test(e)), []);
    await ctx.close();
  },
});
