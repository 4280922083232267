// Browser tests for the grid map and problem reports (issue 6, first part): a resident files a
// report in three taps while offline and it reaches the grid leader's tablet when back online;
// the leader moves it along the status chain with the list's buttons; the map pans and zooms
// with the mouse wheel, a mouse drag and a touch drag. Screenshots at tablet and phone sizes,
// 100% and 200% text, go to build/test-results/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TOP, startServer, openApp, settle, findItem, click, tap, tr, items, query, fill, TABLET, PHONE } from './lib.mjs';

async function newContext(browser, viewport = TABLET, extra = {}) {
  return browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN', ...extra });
}

function createStaff(server, login, person, name, password) {
  const r = spawnSync('/usr/bin/python3', [join(TOP, 'serve.py'), 'admin', 'create-staff', '--data', server.data,
    '--login', login, '--person', person, '--name', name], { input: password + '\n', encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

async function api(url, path, { method = 'GET', body, token, device = 'testdevice' } = {}) {
  const headers = { 'X-Sihui-Device': device };
  if (token) headers.Authorization = 'Bearer ' + token;
  if (body) headers['Content-Type'] = 'application/json';
  const r = await fetch(url + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, json: await r.json() };
}

const syncOf = (page) => page.evaluate(() => window.sihui.sync());
// Pages whose sync state a timed-out wait prints (the chain test's office, leader and phone).
const watched = [];
const act = (page, kind, payload) => page.evaluate(([k, p]) => window.sihui.act(k, p), [kind, payload]);
const settled = (page) => async () => { const s = await syncOf(page); return s.pending === 0 && s.phase === 'sync.phase.idle' && s.stored_seq === s.server_seq ? s : null; };

async function waitFor(what, fn, timeout = 30000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the pages' sync: ${JSON.stringify(await Promise.all(watched.map((p) => syncOf(p).catch((e) => String(e)))))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function typeInto(page, label, text) {
  const f = await findItem(page, label);
  await page.mouse.click(f.x + 20, f.y + f.h / 2);
  await settle(page);
  await page.keyboard.type(text);
  await settle(page);
}

async function signInStaff(page, login, password) {
  await click(page, await tr(page, 'nav.settings'));
  await click(page, await tr(page, 'account.mode.staff'));
  await typeInto(page, await tr(page, 'account.login'), login);
  await typeInto(page, await tr(page, 'account.password'), password);
  await click(page, await tr(page, 'account.sign_in'));
  await waitFor('staff sign-in', async () => (await syncOf(page)).signed_in);
}

async function register(page, name, phone, year) {
  await click(page, await tr(page, 'nav.settings'));
  await typeInto(page, await tr(page, 'account.name'), name);
  await typeInto(page, await tr(page, 'account.phone'), phone);
  await typeInto(page, await tr(page, 'account.birth_year'), year);
  const combo = await findItem(page, await tr(page, 'account.unit.choose'));
  await page.mouse.click(combo.x + combo.w / 2, combo.y + combo.h / 2);
  await settle(page);
  await click(page, '北苑小区 3号楼 1单元');
  await click(page, await tr(page, 'account.register'));
  return waitFor('registration', async () => { const s = await syncOf(page); return s.signed_in && s.person ? s : null; });
}

// The first line of each card of the report list, in the order the mirror holds them (drawing order).
async function cardTitles(page) {
  const all = await page.evaluate(() => window.sihui.a11y.items());
  const cards = new Set(all.filter((i) => i.role === 'listitem').map((i) => i.id));
  const seen = new Set(), out = [];
  for (const i of all) {
    if (!cards.has(i.parent) || i.role !== 'text' || seen.has(i.parent)) continue;
    seen.add(i.parent);
    out.push(i.label);
  }
  return out;
}
const openReport = async (page, id) => (await query(page, 'reports.open', {})).find((r) => r.report === id);

// Sets the text size as a person would have left it, and reloads.
async function textScale(page, pct) {
  await page.evaluate((p) => new Promise((resolve, reject) => {
    let s = { version: 1 };
    try { s = JSON.parse(FS.readFile('/sihui/settings.json', { encoding: 'utf8' })); } catch (e) { /* never saved yet */ }
    s.text_scale = p;
    FS.writeFile('/sihui/settings.json', JSON.stringify(s));
    FS.syncfs(false, (e) => (e ? reject(e) : resolve()));
  }), pct);
  await page.reload();
  await page.evaluate(() => window.sihui.ready);
  await settle(page);
}

// No item of the last frame is cut off at the page's right edge.
async function noneCutOff(page, what) {
  const vp = page.viewportSize();
  for (const it of await page.evaluate(() => window.sihui.items())) {
    if (it.role === 'unknown' || !it.label) continue;
    assert.ok(it.x >= -1 && it.x + it.w <= vp.width + 1, `${what}: "${it.label}" is cut off (${it.x}+${it.w} > ${vp.width})`);
  }
}

// Scrolls the page (the wheel on its scroll bar, right of the map and its panel) until the map's
// zoom buttons show whole: at 200% text the map starts below the fold.
async function scrollToMap(page) {
  const vp = page.viewportSize();
  const fit = await tr(page, 'map.fit');
  await page.mouse.move(vp.width - 40, vp.height / 2);
  return waitFor('the map in view', async () => {
    const it = (await items(page)).find((i) => i.label === fit);
    if (it && !it.clipped && it.y + it.h <= vp.height) return it;
    await page.mouse.wheel(0, 100);
    await settle(page);
    return null;
  });
}

// The map's layout (decision 0029): no map label under a zoom button, the buttons 44 px targets,
// and each of `lines` (the side panel's words, as the accessibility mirror has them) inside the
// panel and not squeezed: at least 8 characters wide, or its whole text on one line.
async function mapLaidOut(page, what, lines = []) {
  const v = await query(page, 'map.view', {});
  const glyph = (await query(page, 'text.width', { text: '网' })).width;
  const keys = ['map.zoom_in', 'map.zoom_out', 'map.fit'];
  const names = await Promise.all(keys.map((k) => tr(page, k)));
  const buttons = (await items(page)).filter((i) => names.includes(i.label));
  assert.equal(buttons.length, 3, `${what}: the zoom buttons`);
  for (const b of buttons) {
    assert.ok(b.h >= 43.5 && b.w >= 43.5, `${what}: "${b.label}" is ${b.w}x${b.h}`);
    for (const l of v.labels) {
      const ox = Math.min(b.x + b.w, l.x + l.w) - Math.max(b.x, l.x), oy = Math.min(b.y + b.h, l.y + l.h) - Math.max(b.y, l.y);
      assert.ok(ox <= 0 || oy <= 0, `${what}: "${b.label}" covers the label "${l.text}"`);
    }
  }
  if (!v.stacked) assert.ok(v.panel.w >= 12 * glyph, `${what}: the panel beside the map is ${v.panel.w} px (${glyph} px a character)`);
  const mirror = await page.evaluate(() => window.sihui.a11y.items());
  for (const text of lines) {
    const it = mirror.find((i) => i.label === text);
    assert.ok(it, `${what}: "${text}" in the side panel`);
    const natural = (await query(page, 'text.width', { text })).width;
    assert.ok(it.w >= Math.min(8 * glyph, natural) - 2, `${what}: "${text}" squeezed to ${it.w} px`);
    assert.ok(it.x >= v.panel.x - 1 && it.x + it.w <= v.panel.x + v.panel.w + 1, `${what}: "${text}" outside the panel`);
  }
  return v;
}

export const tests = {
  async 'reports: a resident files in three taps offline; the grid leader receives it and walks the chain'({ browser, shot }) {
    const server = await startServer();
    try {
      createStaff(server, 'zhangxia', 'staff1', '张霞', 'pw-zhangxia-2026');
      const officeCtx = await newContext(browser);
      const office = await openApp(officeCtx, server.url);
      await signInStaff(office, 'zhangxia', 'pw-zhangxia-2026');
      await act(office, 'community.init', { name: '仓南街社区', admin_name: '张霞' });
      await act(office, 'place.compound.add', { id: 'north', name: '北苑小区', point_x: 119150000, point_y: 36700000 });
      await act(office, 'place.compound.add', { id: 'south', name: '南苑小区', point_x: 119152000, point_y: 36697000 });
      await act(office, 'place.building.add', { id: 'b3', compound: 'north', name: '3号楼' });
      await act(office, 'place.building.add', { id: 'b5', compound: 'north', name: '5号楼' });
      await act(office, 'place.building.add', { id: 's1', compound: 'south', name: '1号楼' });
      await act(office, 'place.unit.add', { id: 'u1', building: 'b3', name: '1单元' });
      await act(office, 'grid.add', { id: 'gn', name: '北苑网格', compounds: ['north'] });
      await act(office, 'grid.add', { id: 'gs', name: '南苑网格', compounds: ['south'] });
      const s0 = await waitFor('the office to sync', settled(office));
      const seq0 = s0.stored_seq;

      // The grid leader's tablet and the resident's phone register; the office verifies both.
      const leaderCtx = await newContext(browser);
      const leader = await openApp(leaderCtx, server.url);
      await waitFor('the community on the tablet', async () => (await syncOf(leader)).stored_seq >= seq0);
      const lreg = await register(leader, 'Wang', '13800000009', '1968');
      const phoneCtx = await newContext(browser, PHONE, { hasTouch: true, isMobile: true });
      const phone = await openApp(phoneCtx, server.url);
      watched.splice(0, watched.length, office, leader, phone);
      await waitFor('the community on the phone', async () => (await syncOf(phone)).stored_seq >= seq0);
      const preg = await register(phone, 'Li', '13800000001', '1940');
      const token = (await api(server.url, '/api/v1/login', { method: 'POST', body: { login: 'zhangxia', password: 'pw-zhangxia-2026', device: 'testdevice' } })).json.token;
      const regs = (await api(server.url, '/api/v1/registrations', { token })).json;
      for (const r of regs.registrations || regs) assert.equal((await api(server.url, `/api/v1/registrations/${r.id}/verify`, { method: 'POST', body: {}, token })).status, 200);
      await waitFor('the verifications on the office', async () => (await syncOf(office)).stored_seq >= seq0 + 2);
      await act(office, 'grid.set_leader', { grid: 'gn', person: lreg.person });
      const s1 = await waitFor('the office to sync the leader', settled(office));
      for (const p of [leader, phone]) await waitFor('the head', async () => (await syncOf(p)).stored_seq >= s1.stored_seq);

      // Offline, from the home screen: 汇管理, 种菜毁绿, 发送 — three taps.
      await phoneCtx.setOffline(true);
      await click(phone, await tr(phone, 'nav.home'));
      await tap(phone, await tr(phone, 'home.manage.title'));
      await tap(phone, await tr(phone, 'subtype.planting_on_green'));
      await typeInto(phone, await tr(phone, 'report.form.describe'), 'lawn');
      await shot(phone, 'reports-phone-form');
      await tap(phone, await tr(phone, 'report.send'));
      const pending = (await query(phone, 'store.status', {})).pending;
      assert.equal(pending.length, 1, 'the report is saved on the phone');
      const mine = (await query(phone, 'reports.open', {})).filter((r) => r.subtype === 'planting_on_green');
      assert.equal(mine.length, 1);
      const rid = mine[0].report;
      assert.equal(mine[0].status, 'registered');
      assert.equal(mine[0].grid, 'gn', 'routed to the grid of the resident\'s compound');
      assert.equal((await query(phone, 'op', { op: pending[0] })).state, 'pending');
      await shot(phone, 'reports-phone-sent-offline');
      assert.equal(await openReport(leader, rid), undefined, 'not on the tablet while the phone is offline');

      // Online again: it goes out and reaches the leader's tablet.
      await phoneCtx.setOffline(false);
      await phone.evaluate(() => window.dispatchEvent(new Event('online')));
      await waitFor('the report to be confirmed', async () => (await query(phone, 'op', { op: pending[0] })).state === 'confirmed');
      await waitFor('the report on the tablet', async () => openReport(leader, rid));

      // The same problem again from the same phone: the form offers to join the open report instead
      // of filing a second one; joining adds a "me too" comment to it, and no new report appears.
      await click(phone, await tr(phone, 'nav.home'));
      await tap(phone, await tr(phone, 'home.manage.title'));
      await tap(phone, await tr(phone, 'subtype.planting_on_green'));
      const similar = await tr(phone, 'report.similar.one');
      const offer = await findItem(phone, similar);  // scrolls down to it, as a person would
      assert.equal(offer.role, 'status', 'the similar open report is offered in words');
      await shot(phone, 'reports-phone-similar-offer');
      const joinsBefore = (await query(phone, 'store.status', {})).pending.length;
      await tap(phone, await tr(phone, 'report.similar.join'));
      const joinOps = (await query(phone, 'store.status', {})).pending;
      assert.equal(joinOps.length, joinsBefore + 1, 'joining made one op');
      const joinOp = await waitFor('the join to be judged', async () => {
        const x = await query(phone, 'op', { op: joinOps[joinOps.length - 1] });
        return x && x.accepted !== undefined ? x : null;
      });
      assert.equal(joinOp.accepted, true, JSON.stringify(joinOp));
      assert.equal((await query(phone, 'reports.open', {})).filter((r) => r.subtype === 'planting_on_green').length, 1,
        'no second report was filed');
      await findItem(phone, fill(await tr(phone, 'report.sent.joined'), { what: await tr(phone, 'subtype.planting_on_green'),
        place: '北苑小区 3号楼 1单元' }));
      await shot(phone, 'reports-phone-joined');

      // The leader's list: the report at the top, then each step by its button.
      await click(leader, await tr(leader, 'nav.home'));
      await click(leader, await tr(leader, 'home.manage.title'));
      await click(leader, await tr(leader, 'manage.tab.list'));
      await shot(leader, 'reports-tablet-list');
      const steps = [['action.accept', 'accepted'], ['action.handle', 'handled'], ['action.review', 'reviewed']];
      for (const [key, status] of steps) {
        await click(leader, await tr(leader, key));
        await waitFor(`the report to be ${status}`, async () => (await openReport(leader, rid))?.status === status);
      }
      await click(leader, await tr(leader, 'action.close'));
      await waitFor('the report to be closed', async () => (await openReport(leader, rid)) === undefined);
      await shot(leader, 'reports-tablet-list-closed');
      // The resident's phone learns it was closed.
      await waitFor('the close on the phone', async () => (await openReport(phone, rid)) === undefined, 30000);
      await shot(phone, 'reports-phone-closed');

      // The reducer decides: the resident may not accept a report; the refusal has a reason key.
      // The device's reducer judges it at once; then the server either refuses the push (the resident's
      // role may not send that kind) or, had it passed, the community's log would hold it refused.
      const r = await act(phone, 'report.accept', { report: rid });
      assert.equal(r.accepted, false, JSON.stringify(r));
      assert.match(r.reason, /^reason\.(op\.role|report\.not_your_grid)$/);
      const o = await waitFor('the server to judge the refused op', async () => {
        const x = await query(phone, 'op', { op: r.op });
        return x && (x.state === 'refused' || x.state === 'confirmed') ? x : null;
      });
      if (o.state === 'refused') assert.equal(o.code, 'op.kind_forbidden', JSON.stringify(o));
      else assert.equal(o.accepted, false, JSON.stringify(o));
      assert.equal((await syncOf(phone)).pending, 0, 'nothing of the refused op is left pending');
      assert.ok(preg.person);

      // The office files for a caller: staff have no home here, so the place is chosen with buttons
      // (compound, building, unit); it is routed by the place. The caller's name and phone are personal
      // fields of the report: the office sees them on the card, an anonymous pull gets masks.
      await click(office, await tr(office, 'nav.home'));
      await click(office, await tr(office, 'home.manage.title'));
      await click(office, await tr(office, 'subtype.streetlight_out'));
      await findItem(office, await tr(office, 'report.place.which_compound'));
      await click(office, '南苑小区');
      await click(office, '1号楼');
      await click(office, await tr(office, 'report.place.whole_building'));
      await findItem(office, fill(await tr(office, 'report.form.place_chosen'), { place: '南苑小区 1号楼' }));
      await typeInto(office, await tr(office, 'report.form.describe'), 'dark since Monday');
      await typeInto(office, await tr(office, 'report.form.caller_name'), 'Zhao');
      await typeInto(office, await tr(office, 'report.form.caller_phone'), '13700000009');
      await shot(office, 'reports-tablet-walk-in');
      await click(office, await tr(office, 'report.send'));
      const walkIn = await waitFor('the walk-in report', async () =>
        (await query(office, 'reports.open', {})).find((r) => r.subtype === 'streetlight_out'));
      assert.equal(walkIn.building, 's1');
      assert.equal(walkIn.grid, 'gs', 'routed by the chosen place');
      assert.equal(walkIn.description, 'dark since Monday');
      await click(office, await tr(office, 'manage.tab.list'));
      await findItem(office, fill(await tr(office, 'report.caller'), { who: 'Zhao 13700000009' }));
      await shot(office, 'reports-tablet-walk-in-card');
      await waitFor('the walk-in report on the server', settled(office));
      const pub = (await api(server.url, '/api/v1/ops?after=0')).json.ops.find((o) => o.kind === 'report.file' && o.payload.id === walkIn.report);
      assert.deepEqual([pub.payload.caller_name, pub.payload.caller_phone], ['•••', '•••']);
      // The resident reports a problem away from home: 换个地方, 5号楼 of their own compound.
      await click(phone, await tr(phone, 'nav.home'));
      await tap(phone, await tr(phone, 'home.manage.title'));
      await tap(phone, await tr(phone, 'subtype.broken_lift'));
      await tap(phone, await tr(phone, 'report.place.change'));
      await tap(phone, '5号楼');
      await tap(phone, await tr(phone, 'report.place.whole_building'));
      await shot(phone, 'reports-phone-other-place');
      await tap(phone, await tr(phone, 'report.send'));
      const away = await waitFor('the report away from home', async () =>
        (await query(phone, 'reports.open', {})).find((r) => r.subtype === 'broken_lift'));
      assert.equal(away.building, 'b5');
      assert.equal(away.unit, '');
      assert.equal(away.grid, 'gn');
      // The office's list, open since the walk-in, keeps its sorted rows between frames (decision 0030):
      // the new report arriving rebuilds them, and the cards stand in the core's order, most urgent first.
      await waitFor('the new report on the office', async () => openReport(office, away.report));
      const want = [];
      for (const r of await query(office, 'reports.open', {})) want.push(`${await tr(office, 'category.' + r.category)} · ${await tr(office, 'subtype.' + r.subtype)}`);
      assert.equal(want.length, 2, JSON.stringify(want));
      await waitFor('the list in the core\'s order', async () => {
        await office.mouse.move(5, 5 + (Date.now() % 7));  // a frame
        const got = await cardTitles(office);
        return JSON.stringify(got) === JSON.stringify(want) ? got : null;
      });

      // Screens at 200% text: nothing cut off.
      await textScale(leader, 200);
      await click(leader, await tr(leader, 'home.manage.title'));
      await click(leader, await tr(leader, 'manage.tab.map'));
      await noneCutOff(leader, 'tablet map 200%');
      await shot(leader, 'reports-tablet-map-200');
      // 5号楼 chosen by the search: at 200% text the panel stays beside the map, readable (0029).
      await typeInto(leader, await tr(leader, 'map.search'), '北苑 5');
      await click(leader, '北苑小区 5号楼');
      await waitFor('5号楼 chosen', async () => (await query(leader, 'map.view', {})).selected === 'building:b5');
      const leaderLine = (await tr(leader, 'role.grid_leader')) + '：Wang';
      await scrollToMap(leader);
      await waitFor('the panel', async () => (await leader.evaluate(() => window.sihui.a11y.items())).some((i) => i.label === leaderLine));
      const laid = await mapLaidOut(leader, 'tablet map 200%', ['北苑小区 5号楼', leaderLine]);
      assert.equal(laid.stacked, false, 'beside the map on a tablet at 200%');
      await shot(leader, 'reports-tablet-map-200-building');
      await textScale(phone, 200);
      await tap(phone, await tr(phone, 'home.manage.title'));
      await noneCutOff(phone, 'phone report 200%');
      await shot(phone, 'reports-phone-report-200');
      // The office's walk-in form (the caller's fields) at 200% text, on the tablet and at phone width.
      await textScale(office, 200);
      await click(office, await tr(office, 'home.manage.title'));
      await click(office, await tr(office, 'subtype.streetlight_out'));
      await findItem(office, await tr(office, 'report.form.caller_phone'));
      await noneCutOff(office, 'tablet walk-in form 200%');
      await shot(office, 'reports-tablet-walk-in-200');
      await office.setViewportSize(PHONE);
      await settle(office);
      await findItem(office, await tr(office, 'report.form.caller_phone'));
      await noneCutOff(office, 'phone walk-in form 200%');
      await shot(office, 'reports-phone-walk-in-200');
      for (const c of [phoneCtx, leaderCtx, officeCtx]) await c.close();
    } finally {
      await server.stop();
    }
  },

  async 'reports: the map pans and zooms with the wheel, a mouse drag, a touch drag and double tap'({ browser, url, shot }) {
    for (const [vp, name] of [[TABLET, 'tablet'], [PHONE, 'phone']]) {
      const ctx = await newContext(browser, vp, { hasTouch: true });
      const page = await openApp(ctx, url + '/?demo=1');
      await waitFor('the demo', async () => (await page.evaluate(() => window.sihui.status())).demo);
      await click(page, await tr(page, 'home.manage.title'));
      await click(page, await tr(page, 'manage.tab.map'));
      const map = await findItem(page, await tr(page, 'map.label'));
      assert.equal(map.role, 'canvas');
      const v0 = await query(page, 'map.view', {});
      assert.equal(v0.shown, true);
      assert.equal(v0.fitted, true);
      await shot(page, `reports-${name}-map-100`);
      // The wheel zooms in about the pointer.
      const cx = map.x + map.w / 2, cy = map.y + map.h / 2;
      await page.mouse.move(cx, cy);
      await page.mouse.wheel(0, -300);
      await settle(page);
      const v1 = await query(page, 'map.view', {});
      assert.ok(v1.scale > v0.scale * 1.2, `wheel did not zoom: ${v0.scale} -> ${v1.scale}`);
      // The page itself did not scroll away under the wheel.
      const mapAfter = await findItem(page, await tr(page, 'map.label'));
      assert.equal(Math.round(mapAfter.y), Math.round(map.y));
      // A mouse drag to the right moves the map's centre west (smaller x).
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      for (let i = 1; i <= 5; i++) await page.mouse.move(cx + i * 20, cy + i * 10);
      await page.mouse.up();
      await settle(page);
      const v2 = await query(page, 'map.view', {});
      assert.ok(v2.centre_x < v1.centre_x - 50 / v1.scale, `drag did not pan: ${v1.centre_x} -> ${v2.centre_x}`);
      assert.ok(v2.centre_y > v1.centre_y, 'dragging down moves the view north');
      assert.equal(v2.scale, v1.scale);
      // A touch drag pans too (and does not scroll the page).
      const cdp = await ctx.newCDPSession(page);
      const touch = (type, x, y) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
      await touch('touchStart', cx, cy);
      for (let i = 1; i <= 6; i++) await touch('touchMove', cx - i * 20, cy);
      await touch('touchEnd');
      await settle(page);
      const v3 = await query(page, 'map.view', {});
      // A 120 px drag: at least a quarter of it must move the map (a loaded machine may merge the first
      // moves into the frame that starts the drag), and the page must not scroll (below).
      assert.ok(v3.centre_x > v2.centre_x + 30 / v2.scale, `touch drag did not pan: ${v2.centre_x} -> ${v3.centre_x}`);
      const mapTouch = await findItem(page, await tr(page, 'map.label'));
      assert.equal(Math.round(mapTouch.y), Math.round(map.y), 'the touch drag scrolled the page');
      // Two fingers spreading apart zoom in about their midpoint; the page does not scroll, nothing is
      // selected; then pinching them together zooms out again.
      const pinch = async (from, to) => {
        const pts = (d) => [{ x: cx - d, y: cy, id: 1 }, { x: cx + d, y: cy, id: 2 }];
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: pts(from) });
        for (let i = 1; i <= 6; i++) {
          await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: pts(from + (to - from) * i / 6) });
          await settle(page, 1);
        }
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
        await settle(page);
      };
      const vp0 = await query(page, 'map.view', {});
      await pinch(40, 120);
      const vp1 = await query(page, 'map.view', {});
      assert.ok(vp1.scale > vp0.scale * 2, `pinch out did not zoom in: ${vp0.scale} -> ${vp1.scale}`);
      assert.ok(Math.abs(vp1.centre_x - vp0.centre_x) < 30 / vp0.scale, `pinch moved the centre: ${vp0.centre_x} -> ${vp1.centre_x}`);
      assert.equal(vp1.selected, vp0.selected, 'a pinch selects nothing');
      assert.equal(Math.round((await findItem(page, await tr(page, 'map.label'))).y), Math.round(map.y), 'the pinch scrolled the page');
      await pinch(120, 40);
      const vp2 = await query(page, 'map.view', {});
      assert.ok(vp2.scale < vp1.scale / 2, `pinch in did not zoom out: ${vp1.scale} -> ${vp2.scale}`);
      // The zoom buttons (pointed at first: a click that lands in the same frame as the move off
      // the map is lost, see the report of issue 6); then a double click zooms in; 全图 fits again.
      const mapButton = async (key) => {
        const b = await findItem(page, await tr(page, key));
        await page.mouse.move(b.x + b.w / 2, b.y + b.h / 2);
        await settle(page);
        await click(page, await tr(page, key));
      };
      await mapButton('map.zoom_out');
      const v5 = await query(page, 'map.view', {});
      assert.ok(v5.scale < v3.scale, `zoom out: ${v3.scale} -> ${v5.scale}`);
      await page.mouse.dblclick(cx, cy);
      await settle(page);
      const v4 = await query(page, 'map.view', {});
      assert.ok(v4.scale > v5.scale * 1.5, `double click did not zoom: ${v5.scale} -> ${v4.scale}`);
      await page.mouse.move(cx, cy + 5);  // (a first click right after a double click is lost: see the report)
      await settle(page);
      await mapButton('map.fit');
      const v6 = await query(page, 'map.view', {});
      assert.ok(Math.abs(v6.scale - v0.scale) < 1e-9);
      // Pins closer than a pin merge: the whole map's words have one item per "+n", not one per
      // report, and pressing one zooms in 2x about it (decision 0014, session 4).
      const [pre, post] = (await tr(page, 'map.a11y.more')).split('{n}');
      const words = await page.evaluate(() => window.sihui.a11y.items());
      const more = words.filter((i) => i.label.startsWith(pre) && i.label.endsWith(post));
      assert.ok(more.length > 0 && more.length < 40, `"+n" items on the whole map: ${more.length}`);
      // Pressed in the mirror (as a screen reader would): the map zooms in 2x.
      const pressed = await page.evaluate((id) => {
        const el = window.sihui.a11y.root.querySelector(`[data-id="${id}"]`);
        if (el) el.click();
        return !!el;
      }, more[0].id);
      assert.ok(pressed, 'no mirror element for "+n"');
      await settle(page, 6);
      const v7 = await query(page, 'map.view', {});
      assert.ok(Math.abs(v7.scale - v6.scale * 2) < 1e-6 * v6.scale, `"+n" did not zoom in 2x: ${v6.scale} -> ${v7.scale}`);
      await mapButton('map.fit');
      // Zoomed in, a tap on the middle of a compound selects something there.
      await mapButton('map.zoom_in');
      await mapButton('map.zoom_in');
      await shot(page, `reports-${name}-map-zoomed`);
      await page.mouse.click(cx, cy);
      await settle(page);
      await shot(page, `reports-${name}-map-tapped`);
      await noneCutOff(page, `${name} map`);
      await mapLaidOut(page, `${name} map zoomed`);
      // The search box: "曙光 5" finds 曙光小区 5号楼; its button flies the map there and selects it.
      await mapButton('map.fit');
      const before = await query(page, 'map.view', {});
      await typeInto(page, await tr(page, 'map.search'), '曙光 5');
      await shot(page, `reports-${name}-map-search-typed`);
      const hit = await findItem(page, '曙光小区 5号楼');
      assert.equal(hit.role, 'button');
      await shot(page, `reports-${name}-map-search`);
      await page.mouse.move(hit.x + hit.w / 2, hit.y + hit.h / 2);
      await settle(page);
      await click(page, '曙光小区 5号楼');
      const flown = await query(page, 'map.view', {});
      assert.match(flown.selected, /^building:/, JSON.stringify(flown));
      assert.ok(flown.scale > before.scale * 2, `did not zoom to the building: ${before.scale} -> ${flown.scale}`);
      assert.ok(Math.hypot(flown.centre_x - before.centre_x, flown.centre_y - before.centre_y) > 1, 'did not move');
      await shot(page, `reports-${name}-map-found`);
      await mapLaidOut(page, `${name} map at 5号楼`);
      const at5 = await query(page, 'map.view', {});
      if (!at5.stacked) {
        // 5号楼's name dragged under the zoom buttons' column: it moves left of them, still shown.
        const l = at5.labels.find((x) => x.text === '5号楼'), c = at5.controls;
        const from = [l.x + l.w / 2, l.y + l.h / 2], to = [c.x + c.w / 2, c.y + c.h / 2];
        await page.mouse.move(...from);
        await page.mouse.down();
        for (let i = 1; i <= 5; i++) {
          await page.mouse.move(from[0] + ((to[0] - from[0]) * i) / 5, from[1] + ((to[1] - from[1]) * i) / 5);
          await settle(page, 2);
        }
        await page.mouse.up();
        await settle(page);
        const under = await mapLaidOut(page, `${name} map, 5号楼 under the buttons`);
        assert.ok(under.labels.some((x) => x.text === '5号楼'), `5号楼 still named: ${JSON.stringify(under.labels)}`);
        await shot(page, `reports-${name}-map-label-beside-buttons`);
      }
      // A resident's search never lists people (nobody is staff in the demo's public view? the demo
      // shows staff views, so only check that nonsense finds nothing and says so).
      await typeInto(page, await tr(page, 'map.search'), 'zzzz');
      await findItem(page, await tr(page, 'map.search.none'));
      await ctx.close();
    }
  },
};
