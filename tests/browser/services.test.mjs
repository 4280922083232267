// Browser tests for the service supermarket and the moral clinic (issue 7, part 2), in the real app
// against a fresh serve.py. The office builds a small community with sihui.act(); a daughter (proxy
// of an 85-year-old), a student volunteer and a clinic member sign in on their own devices; every
// request, take, confirmation and case goes through real clicks at window.sihui.items() rectangles.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TOP, startServer, openApp, settle, findItem, click, items, tr, TABLET, PHONE, query, fill, findPrefix, clickPrefix,
  goHome, assertLaidOut, setTextScale, eachLayout } from './lib.mjs';
import { newContext, syncOf, act, waitFor, settled, waitSaid, typeInto } from './life.test.mjs';

const ACCOUNTS = [  // login, person, name, password
  ['zhangxia', 'zx', '张霞', 'pw-zhang-2026'],
  ['daughter', 'dtr', '王丽', 'pw-wangli-2026'],
  ['xiaochen', 'vol1', '陈小雨', 'pw-chen-2026'],
  ['liudaye', 'liu', '刘建国', 'pw-liu-2026'],
];

async function signIn(page, login, password) {
  await click(page, await tr(page, 'nav.settings'));
  await click(page, await tr(page, 'account.mode.staff'));
  await typeInto(page, await tr(page, 'account.login'), login);
  await typeInto(page, await tr(page, 'account.password'), password);
  await click(page, await tr(page, 'account.sign_in'));
  await waitFor(page, `${login} to sign in`, async () => (await syncOf(page)).signed_in);
  await goHome(page);
}

// Chinese arrives through the IME bridge: click the field, then insert the text as a keyboard would.
async function typeText(page, label, text, { replace = false } = {}) {
  const f = await findItem(page, label);
  await page.mouse.click(f.x + 20, f.y + f.h / 2);
  await settle(page);
  if (replace) {
    await page.keyboard.press('End');
    for (let i = 0; i < 12; i++) await page.keyboard.press('Backspace');
    await settle(page);
  }
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.insertText', { text });
  await cdp.detach();
  await settle(page);
}

async function setup(browser) {
  const server = await startServer();
  for (const [login, person, name, pw] of ACCOUNTS) {
    const r = spawnSync('/usr/bin/python3', [join(TOP, 'serve.py'), 'admin', 'create-staff', '--data', server.data,
      '--login', login, '--person', person, '--name', name], { input: pw + '\n', encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  const officeCtx = await newContext(browser, TABLET);
  const office = await openApp(officeCtx, server.url);
  await signIn(office, 'zhangxia', 'pw-zhang-2026');
  const today = new Date(Date.now() + 8 * 3600000).getUTCDay() || 7;  // ISO weekday in Shanghai
  const ops = [
    ['community.init', { name: '仓南街社区', admin_name: '张霞' }],
    ['place.compound.add', { id: 'north', name: '北苑小区' }],
    ['place.building.add', { id: 'b3', compound: 'north', name: '3号楼' }],
    ['place.unit.add', { id: 'u1', building: 'b3', name: '1单元' }],
    ['grid.add', { id: 'g1', name: '北苑网格', compounds: ['north'] }],
    ['person.add', { id: 'dtr', name: '王丽', birth_year: 1962, unit: 'u1' }],
    ['person.add', { id: 'e85', name: '李秀英', birth_year: 1935, unit: 'u1' }],
    ['person.add', { id: 'vol1', name: '陈小雨', birth_year: 2003, tags: ['student'] }],
    ['person.add', { id: 'liu', name: '刘建国', birth_year: 1948, unit: 'u1' }],
    ['role.grant', { person: 'vol1', role: 'volunteer' }],
    ['role.grant', { person: 'liu', role: 'clinic' }],
    ['proxy.grant', { elder: 'e85', proxy: 'dtr' }],
    ['service.add', { id: 'groceries', name: '代买菜', money: true, minutes: 60 }],
    ['service.add', { id: 'haircut', name: '理发', minutes: 40 }],
    ['clinic.roster.set', { weekday: today, members: ['liu'] }],
  ];
  for (const [k, p] of ops) assert.ok((await act(office, k, p)).op, k);
  await waitFor(office, 'the office to sync', settled(office));
  const open = async (login, viewport) => {
    const [, , , pw] = ACCOUNTS.find((a) => a[0] === login);
    // Pull nothing before signing in: what a device pulls anonymously stays masked there (names
    // included), as decision 0013 notes.
    const ctx = await newContext(browser, viewport);
    const block = (route) => route.abort();
    await ctx.route('**/api/v1/ops**', block);
    await ctx.route('**/api/v1/snapshot**', block);
    const page = await openApp(ctx, server.url);
    page.sihuiErrors.length = 0;
    await signIn(page, login, pw);
    await ctx.unroute('**/api/v1/ops**', block);
    await ctx.unroute('**/api/v1/snapshot**', block);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await waitFor(page, 'the community to arrive', async () => (await syncOf(page)).stored_seq >= ops.length, 60000);
    await waitFor(page, `${login}'s view to settle`, settled(page));
    return { ctx, page };
  };
  return { server, office, officeCtx, open, close: async () => { await officeCtx.close(); await server.stop(); } };
}

// A screen and two scrolls down it: laid out (assertLaidOut) and photographed at each place.
async function checkScreenDown(page, shot, vp, what, picture) {
  await assertLaidOut(page, what);
  await shot(page, picture);
  for (let i = 1; i <= 2; i++) {
    await page.mouse.move(vp.width / 2, vp.height / 2);
    await page.mouse.wheel(0, vp.height * 0.8);
    await settle(page);
    await assertLaidOut(page, `${what} ${i}`);
    await shot(page, `${picture}-${i}`);
  }
}

export const tests = {
  async 'services: a proxy asks, a volunteer takes it, both confirm the amount, the hours reach the volunteer'({ browser, shot }) {
    const w = await setup(browser);
    const pages = [];
    try {
      const { office } = w;
      // The daughter, on her phone: 请人帮忙 -> for 李秀英 -> 代买菜 -> a note and an estimate -> send.
      const d = await w.open('daughter', PHONE);
      pages.push(d);
      const phone = d.page;
      await click(phone, await tr(phone, 'home.help'));
      await clickPrefix(phone, '李秀英');
      await click(phone, `代买菜 · ${await tr(phone, 'svc.money_mark')}`);
      await typeText(phone, await tr(phone, 'svc.ask.note'), '买两斤鸡蛋');
      await typeText(phone, await tr(phone, 'svc.ask.amount'), 'abc');
      await click(phone, fill(await tr(phone, 'svc.ask.send'), { name: '代买菜' }));
      await waitSaid(phone, (await tr(phone, 'svc.bad_amount')).slice(0, 8));  // bad input: said, nothing sent
      assert.equal((await query(phone, 'services.mine', { person: 'dtr' })).length, 0);
      await typeText(phone, await tr(phone, 'svc.ask.amount'), '30', { replace: true });
      await click(phone, fill(await tr(phone, 'svc.ask.send'), { name: '代买菜' }));
      await waitSaid(phone, await tr(phone, 'life.ok.service.request'));
      const mine = await query(phone, 'services.mine', { person: 'dtr' });
      assert.equal(mine.length, 1);
      assert.equal(mine[0].for, 'e85');
      assert.equal(mine[0].status, 'open');
      await shot(phone, 'services-phone-asked');
      await waitFor(phone, 'the request to sync', settled(phone));

      // The volunteer, on her phone: the home screen shows the open request; she takes it.
      const v = await w.open('xiaochen', PHONE);
      pages.push(v);
      const vol = v.page;
      await waitSaid(vol, fill(await tr(vol, 'svc.my_hours'), { n: 0, h: '0.0' }));
      await findPrefix(vol, '代买菜 · ', { role: 'status' });
      await shot(vol, 'services-phone-volunteer-home');
      await clickPrefix(vol, fill(await tr(vol, 'home.vol.go'), { n: 1 }));
      await clickPrefix(vol, await tr(vol, 'svc.take'));
      await waitSaid(vol, await tr(vol, 'life.ok.service.take'));
      await typeText(vol, await tr(vol, 'svc.spent'), '28.5');
      await clickPrefix(vol, await tr(vol, 'svc.done'));
      await waitSaid(vol, await tr(vol, 'life.ok.service.done'));
      await shot(vol, 'services-phone-volunteer-done');
      await waitFor(vol, 'the errand to sync', settled(vol));

      // The daughter sees what was spent; a different amount is refused in words; the same one confirms.
      await goHome(phone);
      await waitSaid(phone, fill(await tr(phone, 'home.svc_confirm'), { n: 1 }), 45000);
      await click(phone, await tr(phone, 'home.svc_open'));
      await waitSaid(phone, '28.50');
      await typeText(phone, await tr(phone, 'svc.check_amount'), '25', { replace: true });
      await clickPrefix(phone, await tr(phone, 'svc.confirm'));
      const refused = await waitSaid(phone, fill(await tr(phone, 'life.result.refused'), { what: '' }));
      assert.ok(refused.includes('28.5') || refused.includes('2850'), refused);
      await shot(phone, 'services-phone-amount-mismatch');
      await typeText(phone, await tr(phone, 'svc.check_amount'), '28.50', { replace: true });
      await clickPrefix(phone, await tr(phone, 'svc.confirm'));
      await waitSaid(phone, fill(await tr(phone, 'svc.st.confirmed_money'), { name: '陈小雨', yuan: '28.50' }).slice(0, 10));
      await shot(phone, 'services-phone-confirmed');
      await waitFor(phone, 'the confirmation to sync', settled(phone));

      // Everyone's replica agrees: both amounts recorded, an hour on the volunteer's ledger.
      await waitFor(office, 'the office to see it confirmed', async () =>
        (await query(office, 'services.mine', { person: 'dtr' }))[0]?.status === 'confirmed');
      const r = (await query(office, 'services.mine', { person: 'dtr' }))[0];
      assert.equal(r.volunteer, 'vol1');
      assert.equal(r.volunteer_fen, 2850);
      assert.equal(r.elder_fen, 2850);
      const stats = await query(office, 'volunteer.stats', { person: 'vol1' });
      assert.equal(stats.minutes, 60);
      assert.equal(stats.services, 1);
      assert.equal(stats.rank, 1);
      assert.equal(stats.thanks[0].person, 'vol1');
      // The volunteer's screen thanks her.
      await waitFor(vol, 'the volunteer to hear of it', async () => (await query(vol, 'volunteer.stats', { person: 'vol1' })).minutes === 60);
      await goHome(vol);
      await waitSaid(vol, fill(await tr(vol, 'svc.my_hours'), { n: 1, h: '1.0' }));
    } finally {
      for (const p of pages) await p.ctx.close();
      await w.close();
    }
  },

  async 'clinic: a member logs a case; the committee sees the count and the rate, never a name'({ browser, shot }) {
    const w = await setup(browser);
    const pages = [];
    try {
      const { office } = w;
      const k = await w.open('liudaye', TABLET);
      pages.push(k);
      const clinic = k.page;
      // His home opens on the clinic hat: today's duty names him.
      await waitSaid(clinic, await tr(clinic, 'home.clinic.you'));
      await shot(clinic, 'clinic-tablet-member-home');
      await click(clinic, await tr(clinic, 'home.clinic.go'));
      await click(clinic, await tr(clinic, 'clinic.new'));
      await click(clinic, await tr(clinic, 'clinic.cat.leak'));
      await click(clinic, await tr(clinic, 'clinic.new.save'));  // nothing written yet: refused in words
      await waitSaid(clinic, (await tr(clinic, 'clinic.need_complaint')).slice(0, 6));
      await typeText(clinic, await tr(clinic, 'clinic.parties'), '王家、李家');
      await typeText(clinic, await tr(clinic, 'clinic.complaint'), '楼上漏水到楼下');
      await click(clinic, await tr(clinic, 'clinic.new.save'));
      await waitSaid(clinic, await tr(clinic, 'life.ok.clinic.case.open'));
      await waitSaid(clinic, await tr(clinic, 'clinic_outcome.open'));
      // A sitting, then the case is closed as resolved.
      await clickPrefix(clinic, await tr(clinic, 'clinic.record'));
      await typeText(clinic, await tr(clinic, 'clinic.diagnosis.field'), '防水层老化');
      await typeText(clinic, await tr(clinic, 'clinic.prescription.field'), '两户分摊维修');
      await click(clinic, await tr(clinic, 'clinic.add_session'));
      await waitSaid(clinic, await tr(clinic, 'life.ok.clinic.case.session'));
      await click(clinic, (await tr(clinic, 'clinic.close_as')) + (await tr(clinic, 'clinic_outcome.resolved')));
      await waitSaid(clinic, await tr(clinic, 'life.ok.clinic.case.close'));
      await shot(clinic, 'clinic-tablet-case-logged');
      await waitFor(clinic, 'the case to sync', settled(clinic));

      // The committee: staff home, then the clinic page: counts and the rate, no names, no log.
      await waitFor(office, 'the case to reach the office', async () => (await query(office, 'clinic.summary')).closed === 1);
      await goHome(office);
      await click(office, await tr(office, 'clinic.title'));
      const totals = fill(await tr(office, 'clinic.totals'), { months: 12, opened: 1, closed: 1, resolved: 1, open: 0 });
      await waitSaid(office, totals);
      await waitSaid(office, await tr(office, 'clinic.log.members_only'));
      const labels = (await items(office)).map((i) => i.label).join('|');
      for (const secret of ['王家', '李家', '楼上漏水', '防水层', '两户分摊']) assert.ok(!labels.includes(secret), secret);
      // Even the office's replica holds the case masked (sync's redaction), the outcome readable.
      const s = await query(office, 'clinic.summary');
      assert.equal(s.resolution_permille, 1000);
      assert.equal(s.months.at(-1).opened, 1);
      await shot(office, 'clinic-tablet-committee');
      await assertLaidOut(office, 'clinic committee');
    } finally {
      for (const p of pages) await p.ctx.close();
      await w.close();
    }
  },

  async 'services and clinic: the screens at tablet and phone sizes, 100% and 200% text, fit and are looked at'({ browser, url, shot }) {
    await eachLayout(browser, url, async (page, { vp, tag }) => {
      await settle(page);
      for (const hat of ['volunteer', 'staff', 'clinic', 'resident']) {
        await page.mouse.move(vp.width / 2, vp.height / 2);
        await page.mouse.wheel(0, -20000);  // the switch is above the panels (the staff panel has a 道德门诊 button too)
        await settle(page);
        await clickPrefix(page, await tr(page, `hat.${hat}`));
        await page.mouse.wheel(0, -20000);
        await settle(page);
        await assertLaidOut(page, `${tag} home ${hat}`);
        await shot(page, `services-${tag}-home-${hat}`);
        if (hat !== 'resident') {
          await page.mouse.move(vp.width / 2, vp.height / 2);
          await page.mouse.wheel(0, vp.height * 0.5);
          await settle(page);
          await shot(page, `services-${tag}-home-${hat}-2`);
        }
      }
      await page.mouse.wheel(0, -20000);
      await settle(page);
      await click(page, await tr(page, 'home.help'));
      await checkScreenDown(page, shot, vp, `${tag} services`, `services-${tag}-supermarket`);
      await goHome(page);
      await click(page, await tr(page, 'home.energy.title'));
      await click(page, await tr(page, 'clinic.title'));
      await checkScreenDown(page, shot, vp, `${tag} clinic`, `services-${tag}-clinic`);
      await goHome(page);
    });
  },
};
