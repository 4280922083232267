// Browser tests for accessibility (issue 9): the off-screen mirror that screen readers read
// (checked through the DevTools Protocol's accessibility tree), activation through it, keyboard-only
// flows with no mouse event at all, contrast measured from screenshots, and the layout at 200% text
// on a phone and a tablet. Every check is generic over what window.sihui.items() lists, so screens
// added later are checked too once they are reachable from SCREENS.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, openApp, settle, items, tr, query, fill, waitFor, createStaff, TABLET, PHONE, newContext } from './lib.mjs';
import { decodePng } from './png.mjs';

const DAY = 86400000;

const act = (page, kind, payload) => page.evaluate(([k, p]) => window.sihui.act(k, p), [kind, payload]);
const syncOf = (page) => page.evaluate(() => window.sihui.sync());
const mirror = (page) => page.evaluate(() => window.sihui.a11y.items());
const settled = (page) => async () => { const s = await syncOf(page); return s.pending === 0 && s.phase === 'sync.phase.idle' && s.stored_seq === s.server_seq ? s : null; };

// [SECTION] the mirror, as a screen reader would use it
// Presses the mirror's element for the item labelled `label` (the default action a screen reader
// performs: a DOM click on that element, no pointer event on the canvas).
async function mirrorPress(page, label, { prefix = false } = {}) {
  await waitFor(`"${label}" in the mirror`, async () => (await mirror(page)).find((i) => (prefix ? i.label.startsWith(label) : i.label === label) && i.role !== 'text'));
  const ok = await page.evaluate(([l, p]) => {
    const it = window.sihui.a11y.items().find((i) => (p ? i.label.startsWith(l) : i.label === l) && i.role !== 'text');
    const el = it && window.sihui.a11y.root.querySelector(`[data-id="${it.id}"]`);
    if (!el) return false;
    el.click();
    return true;
  }, [label, prefix]);
  assert.ok(ok, `no mirror element for "${label}"`);
  await settle(page, 6);
}

// The ARIA role Chromium reports for each item role of the table.
const AX_ROLE = { button: 'button', checkbox: 'checkbox', textbox: 'textbox', slider: 'slider', tab: 'tab',
  status: 'status', canvas: 'image', link: 'link', heading: 'heading' };

async function axNodes(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const prop = (n, k) => { const p = (n.properties || []).find((x) => x.name === k); return p ? p.value.value : undefined; };
    const byId = new Map(nodes.map((n) => [n.nodeId, n]));
    // The nearest ancestor that is not ignored (an unnamed wrapper may sit in between).
    const up = (n) => { let p = byId.get(n.parentId); while (p && p.ignored) p = byId.get(p.parentId); return p; };
    return nodes.filter((n) => !n.ignored).map((n) => ({ role: n.role && n.role.value, name: (n.name && n.name.value) || '',
      disabled: prop(n, 'disabled') === true, selected: prop(n, 'selected') === true,
      parent: (() => { const p = up(n); return p ? { role: p.role && p.role.value, name: (p.name && p.name.value) || '' } : null; })() }));
  } finally {
    await cdp.detach();
  }
}

// The page's copy of the mirror, built from the changes C++ handed over frame by frame, is the
// table as it is (the same items, order, groups, words, states and places).
async function checkMirrorCopy(page, where) {
  const [mine, full] = await page.evaluate(() => [window.sihui.a11y.items(), JSON.parse(Module.UTF8ToString(Module._sihui_mirror_json())).up]);
  const strip = ({ after, ...rest }) => rest;  // eslint-disable-line no-unused-vars
  assert.deepEqual(mine, full.map(strip), `${where}: the mirror's copy differs from the table`);
}

// Groups, disabled in words and the map in words (decision 0020), through the accessibility tree.
async function checkGroups(page, name, seen) {
  const ax = await axNodes(page);
  const unavailable = await tr(page, 'a11y.disabled');
  for (const n of ax.filter((x) => x.disabled && ['button', 'checkbox', 'tab'].includes(x.role))) {
    assert.ok(n.name.endsWith(unavailable), `${name}: disabled "${n.name}" does not say ${unavailable}`);
    seen.disabled++;
  }
  if (['reports', 'map', 'list', 'stats'].includes(name)) {
    const tabs = ax.filter((x) => x.role === 'tab');
    assert.ok(tabs.length >= 3 && tabs.every((t) => t.parent && t.parent.role === 'tablist'), `${name}: tabs not in a tab list`);
    const want = await tr(page, `manage.tab.${name === 'reports' ? 'report' : name}`);
    assert.deepEqual(tabs.filter((t) => t.selected).map((t) => t.name), [want], `${name}: the selected tab`);
  }
  const items = ax.filter((x) => x.role === 'listitem');
  assert.ok(items.every((i) => i.parent && i.parent.role === 'list'), `${name}: a list item outside a list`);
  seen.listitems += items.length;
  if (name === 'map') {
    const label = await tr(page, 'map.a11y.places');
    const places = ax.filter((x) => x.role === 'button' && x.parent && x.parent.role === 'group' && x.parent.name === label);
    assert.ok(places.length > 3, `map: only ${places.length} places in words`);
    // A building, pressed in the mirror, is selected as a tap on it would.
    const building = places.find((p) => /号楼/.test(p.name));
    assert.ok(building, `map: no building among ${places.map((p) => p.name).join(' | ')}`);
    await mirrorPress(page, building.name);
    await waitFor('the building selected', async () => ((await query(page, 'map.view')).selected || '').startsWith('building:'));
    seen.map = true;
  }
}

// Every item of the last frame with a role appears in the accessibility tree with its role and
// its words, and the words are in the current language (not a text of the other language).
async function checkAxTree(page, where, otherLang) {
  const ax = await axNodes(page);
  const list = (await items(page)).filter((i) => i.role !== 'unknown');
  assert.ok(list.length > 0, `${where}: no items`);
  for (const it of list) {
    assert.ok(it.label.trim().length > 0, `${where}: an item of role ${it.role} has no words`);
    const want = AX_ROLE[it.role];
    assert.ok(want, `${where}: unknown role ${it.role}`);
    const name = it.label.replace(/\s+/g, ' ').trim();  // accessible names collapse white space
    // A disabled item says so in words as well ("保存，不可用").
    const hit = ax.find((n) => n.role === want && (n.name === name || (!it.enabled && n.name.startsWith(name + (where.startsWith('en') ? ', ' : '，')))));
    assert.ok(hit, `${where}: "${it.label}" (${it.role}) is not in the accessibility tree as ${want}`);
    assert.ok(!otherLang.has(it.label.replace(/^✓ /, '')), `${where}: "${it.label}" is in the other language`);
  }
  return list.length;
}

// All texts of a language (to recognise words left in the other one).
async function catalogTexts(page, lang) {
  return new Set(await page.evaluate((l) => {
    const keys = window.sihui.query('i18n.keys', { lang: l });
    return keys.map((k) => window.sihui.query('tr', { key: k, lang: l }).text);
  }, lang));
}

// [SECTION] screens
// How to reach each main screen from home: the words to press, as translation keys.
const SCREENS = [
  ['home', []],
  ['settings', ['nav.settings']],
  ['reports', ['home.manage.title', 'manage.tab.report']],
  ['map', ['home.manage.title', 'manage.tab.map']],
  ['list', ['home.manage.title', 'manage.tab.list']],
  ['stats', ['home.manage.title', 'manage.tab.stats']],
  ['calendar', ['home.care.title', 'cal.title']],
  ['canteen', ['home.projects.title', 'canteen.title']],
  ['classes', ['home.care.title', 'class.title']],
];

async function goHome(page) {
  for (let i = 0; i < 5; i++) {
    if ((await query(page, 'status')).screen === 0) return;
    await page.keyboard.press('Escape');
    await settle(page, 4);
  }
  const home = await tr(page, 'nav.home');
  if ((await mirror(page)).some((i) => i.label === home)) await mirrorPress(page, home);
  assert.equal((await query(page, 'status')).screen, 0, 'back home');
}

async function visit(page, path) {
  await goHome(page);
  for (const key of path) await mirrorPress(page, await tr(page, key));
  await settle(page, 6);
}

// [SECTION] pixels
function luminance([r, g, b]) {
  const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}
const ratio = (a, b) => { const x = luminance(a), y = luminance(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };

// Text against its background inside a rectangle: the commonest colour is the background, the
// pixel that differs most from it is the text's colour (the core of a glyph, not its anti-aliased edge).
function textContrast(img, r) {
  const inset = Math.min(8, r.h / 4);
  const x0 = Math.max(0, Math.floor(r.x + inset)), x1 = Math.min(img.width, Math.ceil(r.x + r.w - inset));
  const y0 = Math.max(0, Math.floor(r.y + inset / 2)), y1 = Math.min(img.height, Math.ceil(r.y + r.h - inset / 2));
  const counts = new Map();
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
    const i = (y * img.width + x) * 4;
    const k = (img.data[i] << 16) | (img.data[i + 1] << 8) | img.data[i + 2];
    counts.set(k, (counts.get(k) || 0) + 1);
  }
  let bgKey = 0, top = 0;
  for (const [k, v] of counts) if (v > top) { top = v; bgKey = k; }
  const bg = [bgKey >> 16, (bgKey >> 8) & 255, bgKey & 255];
  let best = 1, fg = bg;
  for (const [k, v] of counts) {
    if (v < 3) continue;  // a stray pixel is not text
    const c = [k >> 16, (k >> 8) & 255, k & 255];
    const q = ratio(bg, c);
    if (q > best) { best = q; fg = c; }
  }
  return { ratio: best, bg, fg, colours: counts.size };
}

async function setSettings(page, fields) {
  await page.evaluate((f) => new Promise((resolve, reject) => {
    let s = { version: 1 };
    try { s = JSON.parse(FS.readFile('/sihui/settings.json', { encoding: 'utf8' })); } catch (e) { /* never saved yet */ }
    Object.assign(s, f);
    FS.writeFile('/sihui/settings.json', JSON.stringify(s));
    FS.syncfs(false, (e) => (e ? reject(e) : resolve()));
  }), fields);
  const url = page.url();
  await page.goto(url);
  await page.waitForFunction(() => window.sihui && window.sihui.ready, null, { timeout: 30000 });
  await page.evaluate(() => window.sihui.ready);
  await settle(page, 6);
}

// [SECTION] keyboard only
// Counts every mouse, pointer and touch event the page receives (a keyboard-only flow has none).
const COUNT_POINTER = () => {
  window.__pointerEvents = 0;
  for (const t of ['mousedown', 'mouseup', 'click', 'pointerdown', 'pointerup', 'touchstart', 'wheel']) {
    window.addEventListener(t, (e) => { if (e.isTrusted) window.__pointerEvents++; }, true);
  }
};

// Presses Tab until the keyboard is on the item whose words match, then returns it.
async function tabTo(page, match, { max = 80, backwards = false } = {}) {
  const test = typeof match === 'string' ? (l) => l === match : match;
  for (let i = 0; i < max; i++) {
    const hit = await page.evaluate(() => {
      const id = window.sihui.a11y.focused();
      return window.sihui.a11y.items().find((x) => x.id === id) || null;
    });
    if (hit && test(hit.label)) return hit;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    await settle(page, 3);
  }
  throw new Error(`Tab never reached ${match}; items: ${(await mirror(page)).filter((x) => x.focusable).map((x) => x.label).join(' | ')}`);
}

// One keyboard step of a flow: Tab to the item whose words match, then press `key` on it (Enter,
// Space, an arrow) or, with `type`, type those words into it; then let the screen settle.
async function keyStep(page, match, { key = 'Enter', type, backwards = false } = {}) {
  const it = await tabTo(page, match, { backwards });
  if (type !== undefined) {
    await page.keyboard.type(type);
    await settle(page, 3);
  } else {
    await page.keyboard.press(key);
    await settle(page, 6);
    await checkFocusInStep(page, it.label);
  }
  return it;
}

// After a step: no element of a gone item is left in the mirror (the one that held focus leaves a
// frame later), and DOM focus, when in the mirror, is on ImGui's keyboard item.
async function checkFocusInStep(page, where) {
  // A step's answer may arrive after the step's frames (a sign-in waits for the server): a screen
  // change then is at most a frame old, and its focused element is due to leave on the next frame.
  // So up to three frames are given for the gone items to leave.
  const dom = await page.evaluate(() => new Promise((resolve) => {
    const root = window.sihui.a11y.root;
    let left = 3;
    const look = () => {
      const a = document.activeElement, stale = root.querySelectorAll('*:not([data-id])').length;
      if (stale && --left > 0) { requestAnimationFrame(look); return; }
      resolve({ stale, focused: window.sihui.a11y.focused(),
        active: a && root.contains(a) ? Number(a.getAttribute('data-id')) : -1 });
    };
    look();
  }));
  assert.equal(dom.stale, 0, `after "${where}": an element of a gone item is left in the mirror`);
  if (dom.active >= 0) assert.equal(dom.active, dom.focused, `after "${where}": DOM focus is not on ImGui's keyboard item`);
}

export const tests = {
  async 'a11y: every item of every main screen is in the accessibility tree, named in the current language'({ browser, url, shot }) {
    for (const lang of ['zh-CN', 'en']) {
      const ctx = await newContext(browser);
      const page = await openApp(ctx, url + '/?demo=1');
      try {
        await waitFor('the demo', async () => (await query(page, 'status')).demo);
        if (lang === 'en') await setSettings(page, { lang: 'en' });
        await waitFor('the demo', async () => (await query(page, 'status')).demo);
        const other = await catalogTexts(page, lang === 'en' ? 'zh-CN' : 'en');
        const mine = await catalogTexts(page, lang);
        for (const t of mine) other.delete(t);  // the same in both languages ("{pct}%", "中文")
        let n = 0;
        const seen = { disabled: 0, listitems: 0, map: false };
        for (const [name, path] of SCREENS) {
          await visit(page, path);
          n += await checkAxTree(page, `${lang} ${name}`, other);
          await checkMirrorCopy(page, `${lang} ${name}`);
          if (lang === 'zh-CN') await checkGroups(page, name, seen);
        }
        assert.ok(n > 60, `only ${n} items checked`);
        if (lang === 'zh-CN') {
          assert.ok(seen.disabled > 0, 'no disabled item met (the settings screen has one at 100% text)');
          assert.ok(seen.listitems >= 2, `only ${seen.listitems} cards in lists`);  // the demo's calendar and classes
          assert.ok(seen.map, 'the map was checked');
          await checkMirrorCopy(page, 'after the map');
        }
        // The mirror holds the words of the page too (paragraphs and headings), in drawing order.
        const words = (await mirror(page)).filter((i) => i.role === 'text' || i.role === 'heading');
        assert.ok(words.length > 0, 'paragraphs are in the mirror');
        // Nothing changed, nothing written: the mirror is diffed, not rebuilt.
        await page.evaluate(() => window.sihui.a11y.stats(true));
        for (let i = 0; i < 20; i++) await page.evaluate(() => Module._sihui_wake());
        await settle(page, 10);
        const st = await page.evaluate(() => window.sihui.a11y.stats());
        assert.ok(st.idleFrames > 0, 'frames were drawn');
        assert.equal(st.idleDomWrites, 0, 'no DOM write while nothing changed');
      } finally {
        await ctx.close();
      }
    }
  },

  async 'a11y: pressing an element of the mirror does what clicking the item does'({ browser, url }) {
    const ctx = await newContext(browser);
    const page = await openApp(ctx, url);
    try {
      // Each home card: by the mirror, then by the mouse; the same screen and the same items.
      const cards = ['home.manage.title', 'home.projects.title', 'home.care.title', 'home.energy.title', 'nav.settings'];
      for (const key of cards) {
        const label = await tr(page, key);
        await goHome(page);
        await mirrorPress(page, label);
        const byMirror = { screen: (await query(page, 'status')).screen, labels: (await items(page)).map((i) => i.label).join('|') };
        await goHome(page);
        const it = (await items(page)).find((i) => i.label === label);
        await page.mouse.click(it.x + it.w / 2, it.y + it.h / 2);
        await settle(page, 6);
        const byMouse = { screen: (await query(page, 'status')).screen, labels: (await items(page)).map((i) => i.label).join('|') };
        assert.notEqual(byMirror.screen, 0, `${label} leaves home`);
        assert.deepEqual(byMirror, byMouse, label);
      }
      // A check box: the high-contrast switch, on by the mirror, off by the mouse.
      await visit(page, ['nav.settings']);
      const hcName = await tr(page, 'settings.contrast');
      await mirrorPress(page, hcName, { prefix: true });
      assert.equal((await query(page, 'settings')).high_contrast, true);
      const el = await page.evaluate((n) => {
        const it = window.sihui.a11y.items().find((i) => i.label.startsWith(n) && i.role === 'checkbox');
        return window.sihui.a11y.root.querySelector(`[data-id="${it.id}"]`).getAttribute('aria-checked');
      }, hcName);
      assert.equal(el, 'true', 'the mirror says it is checked');
      const hc = (await items(page)).find((i) => i.label.startsWith(hcName));
      await page.mouse.click(hc.x + 20, hc.y + hc.h / 2);
      await settle(page, 6);
      assert.equal((await query(page, 'settings')).high_contrast, false);
      // A screen reader moving its focus moves ImGui's keyboard focus (and the ring) there.
      const target = (await mirror(page)).find((i) => i.role === 'button' && i.visible && i.enabled);
      await page.evaluate((id) => window.sihui.a11y.root.querySelector(`[data-id="${id}"]`).focus(), target.id);
      await settle(page, 6);
      assert.equal(await page.evaluate(() => window.sihui.a11y.focused()), target.id);
    } finally {
      await ctx.close();
    }
  },

  async 'a11y: keyboard only — skip link, Tab order, Escape back, the focus ring, voice reading'({ browser, url, shot }) {
    for (const [tag, vp] of [['phone', PHONE], ['tablet', TABLET]]) {
      const ctx = await newContext(browser, vp);
      await ctx.addInitScript(COUNT_POINTER);
      // Speech is recorded, not played (no audio device here).
      await ctx.addInitScript(() => {
        window.__spoken = [];
        const fake = { speak: (u) => window.__spoken.push({ text: u.text, lang: u.lang, rate: u.rate }), cancel() {}, getVoices: () => [] };
        Object.defineProperty(window, 'speechSynthesis', { value: fake, configurable: true });
      });
      const page = await openApp(ctx, url);
      try {
        await setSettings(page, { text_scale: 200 });
        // The first Tab shows the skip link; Enter on it lands on the page's first content item.
        await page.keyboard.press('Tab');
        await settle(page);
        const skip = await page.evaluate(() => ({ focused: document.activeElement && document.activeElement.id, text: document.activeElement.textContent, left: document.activeElement.getBoundingClientRect().left }));
        assert.equal(skip.focused, 'sihui-skip');
        assert.equal(skip.text, await tr(page, 'a11y.skip'));
        assert.ok(skip.left >= 0, 'the skip link is shown when focused');
        await shot(page, `a11y-${tag}-200-skip-link`);
        await page.keyboard.press('Enter');
        await settle(page, 6);
        const first = await page.evaluate(() => window.sihui.a11y.items().find((x) => x.id === window.sihui.a11y.focused()));
        const navLabel = await tr(page, 'nav.settings');
        const content = (await mirror(page)).filter((i) => i.focusable && i.enabled && i.label !== navLabel && ['button', 'checkbox', 'textbox', 'slider', 'link'].includes(i.role));
        assert.equal(first.label, content[0].label, 'skipped past the top bar to the first content item');
        await shot(page, `a11y-${tag}-200-focus-ring`);
        // The ring is drawn: pixels around the focused card changed colour to the ring's.
        // Settings by Tab; the voice-reading switch by Space.
        await keyStep(page, await tr(page, 'home.settings.button'));
        assert.equal((await query(page, 'status')).screen, 5, 'settings by Enter');
        const voiceName = await tr(page, 'settings.voice');
        await keyStep(page, (l) => l.startsWith(voiceName), { key: 'Space' });
        assert.equal((await query(page, 'settings')).voice_reading, true, 'voice reading on by Space');
        await tabTo(page, await tr(page, 'settings.voice.rate'));
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('ArrowRight');
        await settle(page, 6);
        await page.keyboard.press('Tab');  // leave the slider: the rate is saved
        await settle(page, 6);
        const rate = (await query(page, 'settings')).voice_rate;
        assert.ok(rate > 100, `faster by the arrow keys: ${rate}`);
        // The focused item is said, in Mandarin, at the chosen rate.
        await tabTo(page, (l) => l.startsWith(voiceName), { backwards: true });
        await settle(page, 4);
        const said = await page.evaluate(() => window.__spoken.slice(-1)[0]);
        assert.ok(said && said.text.startsWith(voiceName), `said: ${JSON.stringify(said)}`);
        assert.equal(said.lang, 'zh-CN');
        assert.ok(Math.abs(said.rate - rate / 100) < 1e-6);
        await page.evaluate(() => window.scrollTo(0, 0));
        await shot(page, `a11y-${tag}-200-voice-setting`);
        // Escape goes back home.
        await page.keyboard.press('Escape');
        await settle(page, 6);
        assert.equal((await query(page, 'status')).screen, 0, 'Escape: back home');
        assert.equal(await page.evaluate(() => window.__pointerEvents), 0, 'no mouse, pointer or touch event');
      } finally {
        await ctx.close();
      }
    }
  },

  async 'a11y: voice reading says the words a finger taps, in the interface language'({ browser, url }) {
    const ctx = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, locale: 'zh-CN', hasTouch: true, isMobile: true });
    await ctx.addInitScript(() => {
      window.__spoken = [];
      const fake = { speak: (u) => window.__spoken.push({ text: u.text, lang: u.lang, rate: u.rate }), cancel() {}, getVoices: () => [] };
      Object.defineProperty(window, 'speechSynthesis', { value: fake, configurable: true });
    });
    const page = await openApp(ctx, url);
    try {
      for (const lang of ['zh-CN', 'en']) {
        await setSettings(page, { voice_reading: true, voice_rate: 80, lang });
        const para = (await mirror(page)).find((i) => i.role === 'text' && i.visible && !i.clipped);
        assert.ok(para, 'a paragraph on the home screen');
        await page.touchscreen.tap(para.x + 10, para.y + Math.min(10, para.h / 2));
        await settle(page, 4);
        const said = await page.evaluate(() => window.__spoken.slice(-1)[0]);
        assert.ok(said, 'something was said');
        assert.equal(said.text, para.label);
        assert.equal(said.lang, lang === 'en' ? 'en-US' : 'zh-CN');
        assert.ok(Math.abs(said.rate - 0.8) < 1e-6);
      }
      // Off: nothing more is said.
      await setSettings(page, { voice_reading: false });
      const n = await page.evaluate(() => window.__spoken.length);
      const para = (await mirror(page)).find((i) => i.role === 'text' && i.visible && !i.clipped);
      await page.touchscreen.tap(para.x + 10, para.y + 10);
      await settle(page, 4);
      assert.equal(await page.evaluate(() => window.__spoken.length), n, 'silent when off');
    } finally {
      await ctx.close();
    }
  },

  async 'a11y: a report, a class sign-up and a canteen booking by keyboard alone'({ browser, shot }) {
    const server = await startServer();
    const ctx = await newContext(browser, TABLET);
    await ctx.addInitScript(COUNT_POINTER);
    try {
      createStaff(server, 'mengxx', 'meng', '孟祥祥', 'pw-meng-2026');
      const page = await openApp(ctx, server.url);
      // Sign in: Settings, the staff form, two fields, the button — Tab, typing and Enter.
      await keyStep(page, await tr(page, 'nav.settings'));
      await keyStep(page, await tr(page, 'account.mode.staff'));
      await keyStep(page, await tr(page, 'account.login'), { type: 'mengxx' });
      await keyStep(page, await tr(page, 'account.password'), { type: 'pw-meng-2026' });
      await keyStep(page, await tr(page, 'account.sign_in'));
      await waitFor('staff sign-in', async () => (await syncOf(page)).signed_in);
      // The community (ops through the JS API, not the screen).
      const now = Date.now();
      const sessionAt = Math.floor((now + 8 * 3600000) / DAY) * DAY - 8 * 3600000 + 10 * DAY + 9 * 3600000;
      const lunchAt = Math.floor((now + 8 * 3600000) / DAY) * DAY - 8 * 3600000 + DAY + 11.5 * 3600000;
      const year = new Date(lunchAt + 8 * 3600000).getUTCFullYear();
      for (const [k, p] of [
        ['community.init', { name: '仓南街社区', admin_name: '孟祥祥' }],
        ['place.compound.add', { id: 'north', name: '北苑小区', point_x: 119150000, point_y: 36700000 }],
        ['place.building.add', { id: 'b3', compound: 'north', name: '3号楼' }],
        ['place.unit.add', { id: 'u1', building: 'b3', name: '1单元' }],
        ['grid.add', { id: 'gn', name: '北苑网格', compounds: ['north'] }],
        ['person.update', { person: 'meng', unit: 'u1', birth_year: 1975 }],
        ['course.add', { id: 'mianshu', title: '面塑公益课', teacher: 'meng', description: '非遗面塑体验' }],
        ['session.add', { id: 's16', course: 'mianshu', number: 16, starts_at: sessionAt, duration_min: 120, seats: 3, place: '非遗体验馆', theme: '孔子像' }],
        ['canteen.sitting.add', { id: 'lunch-1', starts_at: lunchAt, meal: 'lunch', seats: 40 }],
        ['person.add', { id: 'e85', name: '李秀英', birth_year: year - 85, unit: 'u1' }],
        ['proxy.grant', { elder: 'e85', proxy: 'meng' }],
      ]) assert.ok((await act(page, k, p)).op, k);
      await waitFor('the office to sync', settled(page), 60000);
      await page.keyboard.press('Escape');
      await settle(page, 6);
      assert.equal((await query(page, 'status')).screen, 0);

      // 1. A report: 汇管理, a common kind, a description, 发送.
      await keyStep(page, await tr(page, 'home.manage.title'));
      await keyStep(page, await tr(page, 'subtype.planting_on_green'));
      await keyStep(page, await tr(page, 'report.form.describe'), { type: 'lawn' });
      await tabTo(page, await tr(page, 'report.send'));
      await shot(page, 'a11y-keyboard-report');
      await page.keyboard.press('Enter');
      await settle(page, 6);
      const mine = await waitFor('the report', async () => (await query(page, 'reports.open', {})).find((r) => r.subtype === 'planting_on_green'));
      assert.equal(mine.status, 'registered');
      await page.keyboard.press('Escape');
      await settle(page, 6);

      // 2. A class sign-up: 汇关爱, 面塑课, 报名, only me.
      await keyStep(page, await tr(page, 'home.care.title'));
      await keyStep(page, await tr(page, 'class.title'));
      const name16 = fill(await tr(page, 'class.session_name'), { n: 16 });
      await keyStep(page, `${await tr(page, 'class.signup')} ${name16}`);
      await keyStep(page, await tr(page, 'class.only_me'), { key: 'Space' });
      await waitFor('the sign-up', async () => (await query(page, 'class.seats', { session: 's16', person: 'meng' })).status === 'enrolled');
      await shot(page, 'a11y-keyboard-class');
      for (let i = 0; i < 3 && (await query(page, 'status')).screen !== 0; i++) { await page.keyboard.press('Escape'); await settle(page, 6); }

      // 3. The canteen for the 85-year-old the staff member is proxy of.
      await keyStep(page, await tr(page, 'home.projects.title'));
      await keyStep(page, await tr(page, 'canteen.title'));
      await keyStep(page, (l) => l.startsWith('李秀英 · 85'));
      const bookFor = fill(await tr(page, 'canteen.book_for'), { name: '李秀英' });
      await keyStep(page, (l) => l.startsWith(bookFor));
      const booked = fill(await tr(page, 'canteen.booked_for'), { name: '李秀英' });
      await waitFor('the booking', async () => (await mirror(page)).some((i) => i.label.includes(booked)));
      await shot(page, 'a11y-keyboard-canteen');
      assert.equal(await page.evaluate(() => window.__pointerEvents), 0, 'no mouse, pointer or touch event');
    } finally {
      await ctx.close();
      await server.stop();
    }
  },

  async 'a11y: contrast of text from screenshots, 4.5:1 (7:1 in high contrast)'({ browser, url, outDir }) {
    const ctx = await newContext(browser);
    const page = await openApp(ctx, url + '/?demo=1');
    try {
      await waitFor('the demo', async () => (await query(page, 'status')).demo);
      for (const hc of [false, true]) {
        await setSettings(page, { high_contrast: hc });
        await waitFor('the demo', async () => (await query(page, 'status')).demo);
        const need = hc ? 7 : 4.5;
        let checked = 0;
        const worst = [];
        for (const [name, path] of SCREENS) {
          if (name === 'map') continue;  // a drawing, not text: its labels are checked as items elsewhere
          await visit(page, path);
          const img = decodePng(await page.screenshot({ path: join(outDir, `a11y-contrast-${hc ? 'hc' : 'normal'}-${name}.png`) }));
          const list = (await mirror(page)).filter((i) => i.visible && !i.clipped && i.w > 8 && i.h > 8 &&
            ['button', 'checkbox', 'tab', 'status', 'text', 'heading'].includes(i.role));
          for (const it of list) {
            const c = textContrast(img, it);
            if (c.colours < 2) continue;  // nothing drawn there (an empty line)
            checked++;
            if (c.ratio < need) worst.push(`${name}: "${it.label}" ${c.ratio.toFixed(2)}:1 (${c.fg} on ${c.bg})`);
          }
        }
        assert.ok(checked > 40, `only ${checked} texts measured`);
        assert.deepEqual(worst, [], `${hc ? 'high contrast' : 'normal'}: text below ${need}:1`);
      }
    } finally {
      await ctx.close();
    }
  },

  async 'a11y: at 200% text on a phone and a tablet, every item inside the page or a scroll area, none overlapping'({ browser, url, shot }) {
    for (const [tag, vp] of [['phone', PHONE], ['tablet', TABLET]]) {
      const ctx = await newContext(browser, vp);
      const page = await openApp(ctx, url + '/?demo=1');
      try {
        await setSettings(page, { text_scale: 200 });
        await waitFor('the demo', async () => (await query(page, 'status')).demo);
        for (const [name, path] of SCREENS) {
          await visit(page, path);
          const list = (await items(page)).filter((i) => i.label && i.role !== 'unknown');
          for (const i of list) {
            assert.ok(i.x >= -0.5 && i.x + i.w <= vp.width + 0.5 && i.y >= -0.5 && i.y + i.h <= vp.height + 0.5,
              `${tag} ${name}: "${i.label}" is outside the page (${i.x},${i.y} ${i.w}x${i.h})`);
          }
          // Anything the page holds below the fold is reachable: the mirror lists it (scrolled out),
          // and it is inside the page's width.
          for (const i of (await mirror(page)).filter((x) => !x.visible && x.focusable)) {
            assert.ok(i.x >= -0.5 && i.x + i.w <= vp.width + 0.5, `${tag} ${name}: "${i.label}" is outside the page's width`);
          }
          const solid = list.filter((i) => !i.clipped && ['button', 'textbox', 'checkbox', 'slider', 'tab', 'canvas'].includes(i.role));
          for (let a = 0; a < solid.length; a++) {
            for (let b = a + 1; b < solid.length; b++) {
              const p = solid[a], q = solid[b];
              if (p.role === 'canvas' || q.role === 'canvas') {
                // Buttons on the map (zoom) sit over it by design; anything else may not.
                continue;
              }
              const ox = Math.min(p.x + p.w, q.x + q.w) - Math.max(p.x, q.x);
              const oy = Math.min(p.y + p.h, q.y + q.h) - Math.max(p.y, q.y);
              assert.ok(ox <= 1 || oy <= 1, `${tag} ${name}: "${p.label}" overlaps "${q.label}"`);
            }
          }
          // Line spacing at least 1.3, paragraph spacing at least 1.3 times the line spacing (MIIT
          // elder-friendly rules): paragraphs in a row, measured from where the mirror has them.
          const fontPx = (await query(page, 'status')).font_px;
          const words = (await mirror(page)).filter((i) => i.visible && !i.clipped && (i.role === 'text' || i.role === 'status'));
          for (let k = 0; k + 1 < words.length; k++) {
            const p = words[k], q = words[k + 1];
            const lines = Math.max(1, Math.round(p.h / (fontPx * 1.5)));
            const lineH = p.h / lines;
            assert.ok(lineH >= 1.3 * fontPx - 0.5, `${tag} ${name}: "${p.label}" has line spacing ${(lineH / fontPx).toFixed(2)}`);
            if (Math.abs(p.x - q.x) > 1 || q.y < p.y + p.h - 0.5) continue;  // not the next paragraph below
            const gap = q.y - (p.y + p.h);
            assert.ok(gap + lineH >= 1.3 * lineH - 0.5, `${tag} ${name}: "${p.label}" and "${q.label}" are ${gap.toFixed(1)} px apart`);
          }
          await shot(page, `a11y-${tag}-200-${name}`);
        }
      } finally {
        await ctx.close();
      }
    }
  },
};
