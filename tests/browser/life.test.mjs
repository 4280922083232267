// Browser tests for the community-life screens (issue 7): the calendar, the dough-figurine class and
// the canteen, in the real app against a fresh serve.py. The office builds a small community with
// sihui.act(); a resident registers on a phone through the settings screen; everything the resident
// and the teacher do goes through real clicks at the rectangles of window.sihui.items(). Its sync
// helpers are exported for services.test.mjs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TOP, startServer, openApp, settle, findItem, click, items, tr, TABLET, PHONE, query, fill, findPrefix, clickPrefix,
  goHome, assertLaidOut, setTextScale, newContext, eachLayout, trace } from './lib.mjs';

export const DAY = 86400000;

export const syncOf = (page) => page.evaluate(() => window.sihui.sync());
export const act = (page, kind, payload) => page.evaluate(([k, p]) => window.sihui.act(k, p), [kind, payload]);
// Shared with feeds.test.mjs and services.test.mjs, which import them from here.
export { TABLET, PHONE, newContext, query, fill, findPrefix, clickPrefix, goHome, assertLaidOut, setTextScale } from './lib.mjs';

export async function waitFor(page, what, fn, timeout = 30000) {
  const t0 = Date.now(), end = t0 + timeout;
  for (;;) {
    const v = await fn();
    if (v) {
      trace(`waited ${Date.now() - t0} ms for ${what}`);
      return v;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await syncOf(page))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
export const settled = (page) => async () => { const s = await syncOf(page); return s.pending === 0 && s.phase === 'sync.phase.idle' && s.stored_seq === s.server_seq ? s : null; };

// Waits until a status item (words on screen) contains text; returns its label.
export async function waitSaid(page, text, timeout = 30000) {
  const end = Date.now() + timeout;
  for (let round = 0; ; round++) {
    const hit = (await items(page)).find((i) => i.role === 'status' && i.label.includes(text));
    if (hit) return hit.label;
    if (round % 10 === 9) {  // it may be said further down the page: look there, as a person would
      try { return (await findPrefix(page, '', { role: 'status', includes: text })).label; } catch { /* not yet */ }
    }
    if (Date.now() > end) {
      throw new Error(`nothing on screen says "${text}"; status items: ${(await items(page)).filter((i) => i.role === 'status').map((i) => i.label).join(' | ')}`);
    }
    await settle(page, 2);
    await page.mouse.move(5, 5 + (Date.now() % 7));  // a frame: sync results arrive between frames
    await new Promise((r) => setTimeout(r, 150));
  }
}

export async function typeInto(page, label, text) {
  const f = await findItem(page, label);
  await page.mouse.click(f.x + 20, f.y + f.h / 2);
  await settle(page);
  await page.keyboard.type(text);
  await settle(page);
}

// The office (a staff tablet), a community with a 3-seat session 16 in ten days and tomorrow's lunch,
// two other families, two elders; a resident registered on a phone, verified, put in household h1
// with two family members, and named proxy of both elders.
export async function setup(browser, serverOptions = {}) {
  const server = await startServer(serverOptions);
  const r = spawnSync('/usr/bin/python3', [join(TOP, 'serve.py'), 'admin', 'create-staff', '--data', server.data,
    '--login', 'mengxx', '--person', 'meng', '--name', '孟祥祥'], { input: 'pw-meng-2026\n', encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const officeCtx = await newContext(browser, TABLET);
  const office = await openApp(officeCtx, server.url);
  await click(office, await tr(office, 'nav.settings'));
  await click(office, await tr(office, 'account.mode.staff'));
  await typeInto(office, await tr(office, 'account.login'), 'mengxx');
  await typeInto(office, await tr(office, 'account.password'), 'pw-meng-2026');
  await click(office, await tr(office, 'account.sign_in'));
  await waitFor(office, 'staff sign-in', async () => (await syncOf(office)).signed_in);
  await goHome(office);

  const now = Date.now();
  const sessionAt = Math.floor((now + 8 * 3600000) / DAY) * DAY - 8 * 3600000 + 10 * DAY + 9 * 3600000;  // 09:00 Shanghai, in 10 days
  const lunchAt = Math.floor((now + 8 * 3600000) / DAY) * DAY - 8 * 3600000 + DAY + 11.5 * 3600000;   // 11:30 tomorrow
  const year = new Date(lunchAt + 8 * 3600000).getUTCFullYear();
  const ops = [
    ['community.init', { name: '仓南街社区', admin_name: '孟祥祥' }],
    ['place.compound.add', { id: 'north', name: '北苑小区' }],
    ['place.building.add', { id: 'b3', compound: 'north', name: '3号楼' }],
    ['place.unit.add', { id: 'u1', building: 'b3', name: '1单元' }],
    ['household.add', { id: 'h1', unit: 'u1', label: '301' }],
    ['household.add', { id: 'h2', unit: 'u1', label: '302' }],
    ['role.grant', { person: 'meng', role: 'teacher' }],
    ['course.add', { id: 'mianshu', title: '面塑公益课', teacher: 'meng', description: '非遗面塑体验' }],
    ['session.add', { id: 's16', course: 'mianshu', number: 16, starts_at: sessionAt, duration_min: 120, seats: 3,
      place: '非遗体验馆', theme: '孔子像', open_to: ['resident', 'teen'] }],
    ['canteen.sitting.add', { id: 'lunch-1', starts_at: lunchAt, meal: 'lunch', seats: 40 }],
    ['person.add', { id: 'x1', name: '赵大伟', birth_year: 1975, unit: 'u1', household: 'h2' }],
    ['person.add', { id: 'x2', name: '赵丽', birth_year: 1977, unit: 'u1', household: 'h2' }],
    ['person.add', { id: 'x3', name: '赵小龙', birth_year: 2013, unit: 'u1', household: 'h2' }],
  ];
  for (const [k, p] of ops) assert.ok((await act(office, k, p)).op, k);
  await waitFor(office, 'the office to sync', settled(office));

  // The resident registers on a phone; the office verifies.
  const phoneCtx = await newContext(browser, PHONE);
  const phone = await openApp(phoneCtx, server.url);
  await waitFor(phone, 'the community to arrive', async () => (await syncOf(phone)).stored_seq >= ops.length);
  await click(phone, await tr(phone, 'nav.settings'));
  await typeInto(phone, await tr(phone, 'account.name'), 'WangLi');
  await typeInto(phone, await tr(phone, 'account.phone'), '13800000001');
  await typeInto(phone, await tr(phone, 'account.birth_year'), '1970');
  const combo = await findItem(phone, await tr(phone, 'account.unit.choose'));
  await phone.mouse.click(combo.x + combo.w / 2, combo.y + combo.h / 2);
  await settle(phone);
  await click(phone, '北苑小区 3号楼 1单元');
  await click(phone, await tr(phone, 'account.register'));
  await waitFor(phone, 'registration', async () => { const s = await syncOf(phone); return s.signed_in && s.person ? s : null; });
  const login = await fetch(server.url + '/api/v1/login', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Sihui-Device': 'testdevice' },
    body: JSON.stringify({ login: 'mengxx', password: 'pw-meng-2026', device: 'testdevice' }) });
  const token = (await login.json()).token;
  const auth = { Authorization: 'Bearer ' + token, 'X-Sihui-Device': 'testdevice', 'Content-Type': 'application/json' };
  const regs = await (await fetch(server.url + '/api/v1/registrations', { headers: auth })).json();
  const list = regs.registrations || regs;
  assert.equal(list.length, 1);
  assert.equal((await fetch(`${server.url}/api/v1/registrations/${list[0].id}/verify`, { method: 'POST', headers: auth, body: '{}' })).status, 200);
  const me = await waitFor(phone, 'verification', async () => { const s = await syncOf(phone); return s.verified && s.person ? s.person : null; }, 75000);  // the phone asks the server when its person.add arrives (else every 30 s)
  // The family and the proxies, while the phone is offline, so it pulls them together with the
  // proxy grants and may read its family's names.
  await phoneCtx.setOffline(true);
  await waitFor(office, 'the resident to reach the office', async () => (await query(office, 'community.summary')).persons >= 5);
  for (const [k, p] of [
    ['person.update', { person: me, household: 'h1' }],
    ['person.add', { id: 'e85', name: '李秀英', birth_year: year - 85, unit: 'u1' }],
    ['person.add', { id: 'e79', name: '周桂兰', birth_year: year - 79, unit: 'u1' }],
    ['person.add', { id: 'f1', name: '张建华', birth_year: 1968, unit: 'u1', household: 'h1' }],
    ['person.add', { id: 'f2', name: '张小雨', birth_year: year - 12, unit: 'u1', household: 'h1' }],
    ['proxy.grant', { elder: 'f1', proxy: me }],
    ['proxy.grant', { elder: 'f2', proxy: me }],
    ['proxy.grant', { elder: 'e85', proxy: me }],
    ['proxy.grant', { elder: 'e79', proxy: me }],
  ]) await act(office, k, p);
  await waitFor(office, 'the office to sync', settled(office));
  await phoneCtx.setOffline(false);
  await phone.evaluate(() => window.dispatchEvent(new Event('online')));
  await waitFor(phone, 'the family to arrive', settled(phone));
  await goHome(phone);
  return { server, office, officeCtx, phone, phoneCtx, me, year,
    close: async () => { await phoneCtx.close(); await officeCtx.close(); await server.stop(); } };
}

export const tests = {
  async 'life: a family of three signs up for a full session, is wait-listed together, a cancellation promotes them'({ browser, shot }) {
    const w = await setup(browser);
    try {
      const { office, phone, me } = w;
      // Another family takes all three seats.
      await act(office, 'session.signup', { session: 's16', person: 'x1', group: ['x2', 'x3'] });
      await waitFor(office, 'the office to sync', settled(office));
      await waitFor(phone, 'the full session to arrive', async () => (await query(phone, 'class.seats', { session: 's16' })).free === 0);

      // The resident: 面塑课, 报名, tick the two family members, sign up three together.
      await click(phone, await tr(phone, 'class.title'));
      const name16 = fill(await tr(phone, 'class.session_name'), { n: 16 });
      await click(phone, `${await tr(phone, 'class.signup')} ${name16}`);
      await shot(phone, 'life-phone-signup-panel');
      await clickPrefix(phone, '张建华 · ');
      await clickPrefix(phone, '张小雨 · ');
      await click(phone, fill(await tr(phone, 'class.signup_group'), { n: 3 }));
      const waiting = await waitSaid(phone, fill(await tr(phone, 'class.status.waiting'), { pos: 1, names: '' }));
      assert.ok(waiting.includes('张建华') && waiting.includes('张小雨'), waiting);
      for (const p of [me, 'f1', 'f2']) {
        const s = await query(phone, 'class.seats', { session: 's16', person: p });
        assert.equal(s.status, 'waitlisted', p);
        assert.equal(s.position, 1, p);
      }
      await waitFor(phone, 'the sign-up to sync', settled(phone));
      await waitFor(office, 'the office to see the wait list', async () => (await query(office, 'class.seats', { session: 's16' })).waitlist === 3);
      await shot(phone, 'life-phone-waitlisted');

      // The other family cancels (one op per person); the resident's family is promoted and told.
      for (const p of ['x1', 'x2', 'x3']) await act(office, 'session.cancel', { session: 's16', person: p });
      await waitFor(office, 'the office to sync', settled(office));
      const good = await waitSaid(phone, fill(await tr(phone, 'life.promoted'), { name: '', what: '' }).slice(0, 4));
      assert.ok(good.includes(name16), good);
      await waitSaid(phone, fill(await tr(phone, 'class.status.enrolled'), { names: '' }));
      assert.equal((await query(phone, 'class.seats', { session: 's16', person: 'f2' })).status, 'enrolled');
      await shot(phone, 'life-phone-promoted');
      // Home shows the sign-up.
      await goHome(phone);
      await shot(phone, 'life-phone-home-signed-in');
    } finally {
      await w.close();
    }
  },

  async 'life: the teacher checks a person in at the door offline; it syncs later'({ browser, shot }) {
    const w = await setup(browser);
    try {
      const { office, officeCtx, phone, me } = w;
      // Two taps for oneself: 报名, then 只报我自己.
      await click(phone, await tr(phone, 'class.title'));
      const name16 = fill(await tr(phone, 'class.session_name'), { n: 16 });
      await click(phone, `${await tr(phone, 'class.signup')} ${name16}`);
      await click(phone, await tr(phone, 'class.only_me'));
      await waitSaid(phone, fill(await tr(phone, 'class.status.enrolled'), { names: 'WangLi' }));
      await waitFor(phone, 'the sign-up to sync', settled(phone));
      await waitFor(office, 'the sign-up to reach the office', async () => (await query(office, 'class.seats', { session: 's16' })).taken === 1);

      // The hall's network is down: the teacher checks her in from the roster.
      await officeCtx.setOffline(true);
      await office.evaluate(() => window.dispatchEvent(new Event('offline')));
      await click(office, await tr(office, 'class.title'));
      await click(office, `${await tr(office, 'class.roster')} ${name16}`);
      await click(office, fill(await tr(office, 'class.checkin_for'), { name: 'WangLi' }));
      await waitSaid(office, `WangLi · ✓ ${await tr(office, 'class.row.came')}`);
      const s = await syncOf(office);
      assert.ok(s.pending >= 1, 'the check-in waits on the tablet: ' + JSON.stringify(s));
      const checkin = fill(await tr(office, 'class.checkin_for'), { name: 'WangLi' });
      assert.ok(!(await items(office)).some((i) => i.label === checkin), 'no check-in button once checked in');
      await shot(office, 'life-tablet-roster-offline');
      assert.equal((await query(phone, 'class.roster', { session: 's16' }))[0].attended, false);

      // Back online: it goes out, and the phone sees it.
      await officeCtx.setOffline(false);
      await office.evaluate(() => window.dispatchEvent(new Event('online')));
      await waitFor(office, 'the check-in to sync', settled(office));
      await waitFor(phone, 'the check-in to arrive', async () => {
        const r = await query(phone, 'class.roster', { session: 's16' });
        return r.length === 1 && r[0].person === me && r[0].attended;
      });
    } finally {
      await w.close();
    }
  },

  async 'life: a proxy books the canteen for an 85-year-old and is refused for a 79-year-old, the reason in words'({ browser, shot }) {
    const w = await setup(browser);
    try {
      const { phone } = w;
      await click(phone, await tr(phone, 'home.eat'));
      await clickPrefix(phone, '李秀英 · 85');
      await clickPrefix(phone, fill(await tr(phone, 'canteen.book_for'), { name: '李秀英' }));
      await waitSaid(phone, '✓ ' + fill(await tr(phone, 'canteen.booked_for'), { name: '李秀英' }));
      await shot(phone, 'life-phone-canteen-booked');
      await clickPrefix(phone, '周桂兰 · 79');
      await clickPrefix(phone, fill(await tr(phone, 'canteen.book_for'), { name: '周桂兰' }));
      const reason = fill(await tr(phone, 'reason.canteen.under_80'), { age: 79 });
      const said = await waitSaid(phone, reason);
      assert.ok(said.includes('周桂兰'), said);
      await shot(phone, 'life-phone-canteen-refused');
      await waitFor(phone, 'the bookings to sync', settled(phone));
      const sittings = await query(phone, 'canteen.sittings', { from: Date.now() - DAY, to: Date.now() + 3 * DAY });
      assert.equal(sittings[0].booked, 1);
      // The booking is on the home screen.
      await goHome(phone);
      const plans = await query(phone, 'person.plans', { person: w.me });
      assert.equal(plans.length, 1);
      assert.equal(plans[0].person, 'e85');
    } finally {
      await w.close();
    }
  },

  async 'life: the screens at tablet and phone sizes, 100% and 200% text, fit and are looked at'({ browser, url, shot }) {
    await eachLayout(browser, url, async (page, { vp, tag }) => {
      await settle(page);
      await assertLaidOut(page, `${tag} home`);
      await shot(page, `life-${tag}-home`);
      await click(page, await tr(page, 'cal.title'));
      for (const [view, key] of [['list', 'cal.view.list'], ['week', 'cal.view.week'], ['month', 'cal.view.month']]) {
        const label = await tr(page, key);
        const it = (await items(page)).find((i) => i.label === label || i.label === '✓ ' + label);
        await page.mouse.click(it.x + it.w / 2, it.y + it.h / 2);
        await settle(page);
        await assertLaidOut(page, `${tag} calendar ${view}`);
        await shot(page, `life-${tag}-calendar-${view}`);
        await page.mouse.move(vp.width / 2, vp.height / 2);
        await page.mouse.wheel(0, vp.height * 0.6);
        await settle(page);
        await assertLaidOut(page, `${tag} calendar ${view} (scrolled)`);
        await shot(page, `life-${tag}-calendar-${view}-2`);
        await page.mouse.wheel(0, -20000);
        await settle(page);
      }
      await goHome(page);
      await click(page, await tr(page, 'class.title'));
      await assertLaidOut(page, `${tag} classes`);
      await shot(page, `life-${tag}-classes`);
      await page.mouse.move(vp.width / 2, vp.height / 2);
      await page.mouse.wheel(0, vp.height * 0.6);
      await settle(page);
      await shot(page, `life-${tag}-classes-2`);
      await clickPrefix(page, `${await tr(page, 'class.roster')} ${fill(await tr(page, 'class.session_name'), { n: 15 })}`);
      await assertLaidOut(page, `${tag} roster`);
      await shot(page, `life-${tag}-roster`);
      await goHome(page);
      await click(page, await tr(page, 'home.eat'));
      await assertLaidOut(page, `${tag} canteen`);
      await shot(page, `life-${tag}-canteen`);
      await page.mouse.move(vp.width / 2, vp.height / 2);
      await page.mouse.wheel(0, 20000);
      await settle(page);
      await shot(page, `life-${tag}-canteen-kitchen`);
      await goHome(page);
    });
  },
};
