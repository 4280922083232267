// Browser tests for sync (issue 5): the real app in separate Chromium profiles against a fresh
// serve.py. Staff sign in through the settings screen with real keys and clicks; residents register
// through the same screen; ops are made with sihui.act (the same save path as the screens).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TOP, startServer, openApp, settle, findItem, click, tr } from './lib.mjs';

async function newContext(browser, viewport = { width: 1280, height: 800 }) {
  return browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN' });
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

async function waitFor(page, what, fn, timeout = 30000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await syncOf(page))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// Types into a labelled text field with real clicks and keys.
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
  await waitFor(page, 'staff sign-in', async () => (await syncOf(page)).signed_in);
}

async function act(page, kind, payload) { return page.evaluate(([k, p]) => window.sihui.act(k, p), [kind, payload]); }
async function opOf(page, id) { return page.evaluate((op) => window.sihui.query('op', { op }), id); }
const settled = (page) => async () => { const s = await syncOf(page); return s.pending === 0 && s.phase === 'sync.phase.idle' && s.stored_seq === s.server_seq ? s : null; };

// A resident registers through the settings screen: name, phone, year, and the unit from the list.
async function register(page, name, phone, year) {
  await click(page, await tr(page, 'nav.settings'));
  await typeInto(page, await tr(page, 'account.name'), name);
  await typeInto(page, await tr(page, 'account.phone'), phone);
  await typeInto(page, await tr(page, 'account.birth_year'), year);
  const choose = await tr(page, 'account.unit.choose');
  const combo = await findItem(page, choose);
  await page.mouse.click(combo.x + combo.w / 2, combo.y + combo.h / 2);
  await settle(page);
  await click(page, '北苑小区 3号楼 1单元');
  await click(page, await tr(page, 'account.register'));
  return waitFor(page, 'registration', async () => { const s = await syncOf(page); return s.signed_in && s.person ? s : null; });
}

export const tests = {
  async 'sync: two offline residents take the last seat; both converge and the later one is wait-listed'({ browser, shot }) {
    const server = await startServer();
    try {
      createStaff(server, 'zhangxia', 'staff1', '张霞', 'pw-zhangxia-2026');
      // The office: sign in on a tablet, set up the community and a class with one seat.
      const officeCtx = await newContext(browser);
      const office = await openApp(officeCtx, server.url);
      await signInStaff(office, 'zhangxia', 'pw-zhangxia-2026');
      await act(office, 'community.init', { name: '仓南街社区', admin_name: '张霞' });
      await act(office, 'place.compound.add', { id: 'north', name: '北苑小区' });
      await act(office, 'place.building.add', { id: 'b3', compound: 'north', name: '3号楼' });
      await act(office, 'place.unit.add', { id: 'u1', building: 'b3', name: '1单元' });
      await act(office, 'role.grant', { person: 'staff1', role: 'teacher' });
      await act(office, 'course.add', { id: 'mianshu', title: '面塑', teacher: 'staff1' });
      await act(office, 'session.add', { id: 's16', course: 'mianshu', number: 16, starts_at: Date.parse('2026-12-05T01:00:00Z'),
        duration_min: 90, seats: 1, open_to: ['resident'] });
      const s0 = await waitFor(office, 'the office to sync', settled(office));
      assert.equal(s0.stored_seq, 7);
      // The sign-in survives a reload (the token is kept on the device), and so does the community
      // once the device says everything is saved (records pulled but not yet flushed to IndexedDB
      // are simply pulled again).
      await office.waitForFunction(() => window.sihui.status().all_saved, null, { timeout: 30000 });
      await office.reload();
      await office.waitForFunction(() => window.sihui && window.sihui.ready, null, { timeout: 30000 });
      await office.evaluate(() => window.sihui.ready);
      const again = await syncOf(office);
      assert.equal(again.signed_in, true);
      assert.equal(again.person, 'staff1');
      assert.equal(again.stored_seq, 7);
      assert.equal(again.pending, 0);
      await shot(office, 'sync-office-settings');

      // Two residents register on their own phones; the office verifies both.
      const phones = [];
      for (const [name, phone] of [['王秀兰', '13800000001'], ['李建国', '13800000002']]) {
        const ctx = await newContext(browser, { width: 390, height: 844 });
        const page = await openApp(ctx, server.url);
        await waitFor(page, 'the community to arrive', async () => (await syncOf(page)).stored_seq >= 7);
        phones.push({ ctx, page, reg: await register(page, name === '王秀兰' ? 'Wang' : 'Li', phone, '1950') });
      }
      await shot(phones[0].page, 'sync-resident-registered');
      const token = (await api(server.url, '/api/v1/login', { method: 'POST', body: { login: 'zhangxia', password: 'pw-zhangxia-2026', device: 'testdevice' } })).json.token;
      const regs = (await api(server.url, '/api/v1/registrations', { token })).json;
      const list = regs.registrations || regs;
      assert.equal(list.length, 2);
      for (const r of list) assert.equal((await api(server.url, `/api/v1/registrations/${r.id}/verify`, { method: 'POST', body: {}, token })).status, 200);
      for (const p of phones) await waitFor(p.page, 'the person.add to arrive', async () => (await syncOf(p.page)).stored_seq >= 9);

      // Both go offline and sign up for the last seat; each sees it as theirs while offline.
      const ids = [];
      for (const p of phones) {
        await p.ctx.setOffline(true);
        const r = await act(p.page, 'session.signup', { session: 's16' });
        ids.push(r.op);
        const o = await opOf(p.page, r.op);
        assert.equal(o.state, 'pending');
        assert.equal(o.accepted, true);
        assert.equal(o.reason, '');
      }
      // The first to reconnect gets the seat; the second is wait-listed and told so.
      await phones[0].ctx.setOffline(false);
      await phones[0].page.evaluate(() => window.dispatchEvent(new Event('online')));
      await waitFor(phones[0].page, 'the first sign-up to confirm', async () => (await opOf(phones[0].page, ids[0])).state === 'confirmed');
      await phones[1].ctx.setOffline(false);
      await phones[1].page.evaluate(() => window.dispatchEvent(new Event('online')));
      await waitFor(phones[1].page, 'the second sign-up to confirm', async () => (await opOf(phones[1].page, ids[1])).state === 'confirmed');
      const first = await opOf(phones[0].page, ids[0]);
      const second = await opOf(phones[1].page, ids[1]);
      assert.equal(first.reason, '');
      assert.equal(second.reason, 'reason.class.full_waitlisted');
      assert.equal(second.params.position, 1);
      // Everyone ends with the same state.
      const all = [office, ...phones.map((p) => p.page)];
      const states = [];
      for (const pg of all) states.push(await waitFor(pg, 'settling', settled(pg)));
      const head = Math.max(...states.map((s) => s.server_seq));
      for (const pg of all) await waitFor(pg, 'the head', async () => { const s = await syncOf(pg); return s.stored_seq === head ? s : null; });
      // The same roster and the same counts everywhere (each device's hash differs only by what
      // redaction hides from it: other people's names).
      const seen = new Set();
      for (const pg of all) {
        const seats = await pg.evaluate(() => window.sihui.query('class.seats', { session: 's16' }));
        const sum = await pg.evaluate(() => window.sihui.query('community.summary'));
        seen.add(JSON.stringify([seats.taken, seats.free, seats.waitlist, sum.persons, sum.sessions, sum.last_seq, sum.ops_applied]));
        assert.equal(seats.taken, 1);
        assert.equal(seats.waitlist, 1);
      }
      assert.equal(seen.size, 1, 'every device holds the same roster: ' + [...seen].join(' / '));
      const mine = await phones[1].page.evaluate((p) => window.sihui.query('class.seats', { session: 's16', person: p }), phones[1].reg.person);
      assert.equal(mine.status, 'waitlisted');
      assert.equal(mine.position, 1);
      const theirs = await phones[0].page.evaluate((p) => window.sihui.query('class.seats', { session: 's16', person: p }), phones[0].reg.person);
      assert.equal(theirs.status, 'enrolled');
      // The status line says it in words.
      await shot(phones[1].page, 'sync-resident-after');
      for (const p of phones) await p.ctx.close();
      await officeCtx.close();
    } finally {
      await server.stop();
    }
  },

  async 'sync: a new phone starts from the server snapshot and holds the replay of the same log'({ browser }) {
    const server = await startServer({ extraArgs: ['--snapshot-every', '6'] });
    try {
      createStaff(server, 'zhangxia', 'staff1', '张霞', 'pw-zhangxia-2026');
      const officeCtx = await newContext(browser);
      const office = await openApp(officeCtx, server.url);
      await signInStaff(office, 'zhangxia', 'pw-zhangxia-2026');
      await act(office, 'community.init', { name: '仓南街社区', admin_name: '张霞' });
      await act(office, 'place.compound.add', { id: 'north', name: '北苑小区' });
      await act(office, 'place.building.add', { id: 'b3', compound: 'north', name: '3号楼' });
      await act(office, 'place.unit.add', { id: 'u1', building: 'b3', name: '1单元' });
      await act(office, 'person.add', { id: 'p1', name: '王秀兰', phone: '13900000001', birth_year: 1940, unit: 'u1' });
      await act(office, 'person.add', { id: 'p2', name: '李建国', phone: '13900000002', birth_year: 1948, unit: 'u1' });
      await waitFor(office, 'the office to sync', settled(office));
      await waitFor(office, 'the snapshot', async () => (await fetch(server.url + '/api/v1/snapshot')).status === 200);
      await act(office, 'person.add', { id: 'p3', name: '赵敏', phone: '13900000003', birth_year: 1950, unit: 'u1' });
      const head = (await waitFor(office, 'the office to sync', settled(office))).stored_seq;
      // A phone that never saw this community: snapshot first, then only the op after it.
      const phoneCtx = await newContext(browser, { width: 390, height: 844 });
      const phone = await openApp(phoneCtx, server.url);
      const s = await waitFor(phone, 'the phone at the head', async () => { const v = await syncOf(phone); return v.stored_seq === head ? v : null; });
      assert.equal(s.snapshot_seq, 6);
      // Its state is the replay of the log as an anonymous reader pulls it (names masked), made by
      // the same core natively.
      const pulled = (await api(server.url, '/api/v1/ops?after=0&limit=1000')).json.ops;
      assert.equal(pulled.length, head);
      const tool = spawnSync(join(TOP, 'build', 'release', 'src', 'tools', 'sihui_snapshot'),
        ['--schema', join(TOP, 'assets', 'schema', 'ops.json')], { input: pulled.map((o) => JSON.stringify(o) + '\n').join('') });
      assert.equal(tool.status, 0, String(tool.stderr));
      const want = JSON.parse(tool.stdout.toString().split('\n')[0]).hash;
      const got = await phone.evaluate(() => window.sihui.query('sync', { hash: true }).hash);
      assert.equal(got, want);
      assert.equal(JSON.stringify(pulled).includes('王秀兰'), false);
      const sum = await phone.evaluate(() => window.sihui.query('community.summary'));
      assert.equal(sum.persons, 4);  // the admin and three residents
      await phoneCtx.close();
      await officeCtx.close();
    } finally {
      await server.stop();
    }
  },

  async 'sync: a wrong password is refused in words and nothing changes'({ browser }) {
    const server = await startServer();
    try {
      createStaff(server, 'liwei', 'staff2', '李伟', 'right-password-1');
      const ctx = await newContext(browser);
      const page = await openApp(ctx, server.url);
      await click(page, await tr(page, 'nav.settings'));
      await click(page, await tr(page, 'account.mode.staff'));
      await typeInto(page, await tr(page, 'account.login'), 'liwei');
      await typeInto(page, await tr(page, 'account.password'), 'wrong-password');
      await click(page, await tr(page, 'account.sign_in'));
      const msg = await tr(page, 'auth.bad_credentials');
      await waitFor(page, 'the refusal', async () => (await syncOf(page)).account_message === msg);
      assert.equal((await syncOf(page)).signed_in, false);
      await findItem(page, await tr(page, 'account.sign_in'));
      await ctx.close();
    } finally {
      await server.stop();
    }
  },
};
