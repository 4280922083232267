// Browser tests for issue 7, part 2 (decision 0019): the check-in code as a QR code (decoded from a
// screenshot with Debian's zbarimg) and check-in at the door by that code while the tablet is offline;
// "订阅日历" with the community's feed and the person's own, which serve.py answers; reminders on the
// home screen and as a browser notification; the grid leader's missed-diner alert; screenshots.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TOP, openApp, settle, findItem, click, items, tr, eachLayout } from './lib.mjs';
import {
  TABLET, PHONE, DAY, newContext, syncOf, act, query, fill, waitFor, settled, findPrefix, clickPrefix, waitSaid,
  typeInto, goHome, setup, assertLaidOut, setTextScale,
} from './life.test.mjs';

// serve.py renders feeds with the native core tool: the release build (./sihui test builds it), else
// the debug one.
const TOOL = ['release', 'native'].map((b) => join(TOP, 'build', b, 'src', 'tools', 'sihui_snapshot')).find(existsSync);
const serverOptions = TOOL ? { extraArgs: ['--snapshot-tool', TOOL] } : {};

// Decodes the QR code in a screenshot of one item's rectangle (plus a margin) with zbarimg.
async function decodeQr(page, item, file) {
  const m = 12;
  await page.screenshot({ path: file, clip: { x: item.x - m, y: item.y - m, width: item.w + 2 * m, height: item.h + 2 * m } });
  const r = spawnSync('zbarimg', ['--quiet', '--raw', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, `zbarimg found no code in ${file}: ${r.stderr}`);
  return r.stdout.trim();
}

// Scrolls (one wheel notch at a time, as a person would) until the labelled square is whole on screen.
async function squareInView(page, label) {
  const vp = page.viewportSize();
  await page.mouse.move(vp.width / 2, vp.height / 2);
  for (let i = 0; i < 60; i++) {
    const it = (await items(page)).find((x) => x.label === label);
    // items() clips rectangles to what is visible: a square cut by the top bar or the status line is
    // not square.
    if (it && it.y >= 0 && it.y + it.h <= vp.height && Math.abs(it.h - it.w) < 2) return it;
    const down = !it || it.y + it.h / 2 > vp.height / 2;
    await page.mouse.wheel(0, down ? 60 : -60);
    await settle(page);
  }
  throw new Error(`"${label}" never came whole into view`);
}

const opened = (page) => page.evaluate(() => (window.Module && Module.sihuiOpened) || []);
const notified = (page) => page.evaluate(() => (window.Module && Module.sihuiNotified) || []);

export const tests = {
  async 'feeds: the check-in QR code decodes with zbarimg; the door takes its letters offline; it syncs later'({ browser, shot, outDir }) {
    const w = await setup(browser, serverOptions);
    try {
      const { office, officeCtx, phone, me } = w;
      await act(phone, 'session.signup', { session: 's16' });
      await waitFor(phone, 'the sign-up to sync', settled(phone));
      await click(phone, await tr(phone, 'class.title'));
      await click(phone, await tr(phone, 'checkin.show_code'));
      const qrLabel = fill(await tr(phone, 'checkin.qr_of'), { name: 'WangLi' });
      // Scroll until the whole square is on screen, wait until its modules are drawn, then decode it.
      await findItem(phone, qrLabel);
      await waitFor(phone, 'the QR code to be drawn', async () => {
        await phone.mouse.move(5, 5 + (Date.now() % 7));
        await settle(phone);
        return (await items(phone)).some((i) => i.label === qrLabel);
      });
      const qrItem = await squareInView(phone, qrLabel);
      const text = await decodeQr(phone, qrItem, join(outDir, 'feeds-qr-phone.png'));
      const m = text.match(/^SIHUI:CHECKIN:s16:([^:]+):([A-Z2-9]{6})$/);
      assert.ok(m, 'the QR code says ' + text);
      assert.equal(m[1], me);
      const code = m[2];
      assert.ok(qrItem.w >= 150, 'the QR code is big enough to scan: ' + qrItem.w);
      await shot(phone, 'feeds-phone-100-checkin-code');
      // At 200% text the code is still whole and still decodes.
      await goHome(phone);
      await click(phone, await tr(phone, 'nav.settings'));
      await setTextScale(phone, 200);
      await goHome(phone);
      await click(phone, await tr(phone, 'class.title'));
      const big = await findItem(phone, qrLabel);
      assert.ok(big.x >= 0 && big.x + big.w <= PHONE.width, 'the QR code fits the phone at 200%');
      const whole = await squareInView(phone, qrLabel);
      assert.equal(await decodeQr(phone, whole, join(outDir, 'feeds-qr-phone-200.png')), text);
      await shot(phone, 'feeds-phone-200-checkin-code');

      // The hall's network is down: the teacher types the six letters (a scanner would type the QR text).
      await officeCtx.setOffline(true);
      await office.evaluate(() => window.dispatchEvent(new Event('offline')));
      await click(office, await tr(office, 'class.title'));
      const name16 = fill(await tr(office, 'class.session_name'), { n: 16 });
      await click(office, `${await tr(office, 'class.roster')} ${name16}`);
      await typeInto(office, await tr(office, 'checkin.field'), 'xx-yy');  // a wrong code first
      await click(office, await tr(office, 'checkin.go'));
      await waitSaid(office, await tr(office, 'checkin.find.unknown'));
      await typeInto(office, await tr(office, 'checkin.field'), code.toLowerCase().slice(0, 3) + ' ' + code.slice(3));
      await click(office, await tr(office, 'checkin.go'));
      await waitSaid(office, fill(await tr(office, 'checkin.find.found'), { name: 'WangLi' }));
      await waitSaid(office, `WangLi · ✓ ${await tr(office, 'class.row.came')}`);
      assert.ok((await syncOf(office)).pending >= 1, 'the check-in waits on the tablet');
      await shot(office, 'feeds-tablet-100-checkin-by-code');
      assert.equal((await query(phone, 'class.roster', { session: 's16' }))[0].attended, false);
      // The same code again says so.
      await typeInto(office, await tr(office, 'checkin.field'), code);
      await click(office, await tr(office, 'checkin.go'));
      await waitSaid(office, fill(await tr(office, 'checkin.find.already'), { name: 'WangLi' }));

      await officeCtx.setOffline(false);
      await office.evaluate(() => window.dispatchEvent(new Event('online')));
      await waitFor(office, 'the check-in to sync', settled(office));
      await waitFor(phone, 'the check-in to arrive', async () => {
        const r = await query(phone, 'class.roster', { session: 's16' });
        return r.length === 1 && r[0].person === me && r[0].attended;
      });
      // The teacher's view of each student across the sessions.
      await goHome(office);
      await click(office, await tr(office, 'class.title'));
      await click(office, await tr(office, 'students.show'));
      await waitSaid(office, fill(await tr(office, 'students.row'), { name: 'WangLi', came: 1, of: 1 }));
      await shot(office, 'feeds-tablet-100-students');
      // The door at 200% text on the tablet.
      await goHome(office);
      await click(office, await tr(office, 'nav.settings'));
      await setTextScale(office, 200);
      await goHome(office);
      await click(office, await tr(office, 'class.title'));
      await click(office, await tr(office, 'students.hide'));
      await clickPrefix(office, `${await tr(office, 'class.roster')} ${name16}`);
      await findItem(office, await tr(office, 'checkin.field'));
      await assertLaidOut(office, 'tablet 200% roster with the code field');
      await shot(office, 'feeds-tablet-200-checkin-by-code');
    } finally {
      await w.close();
    }
  },

  async 'feeds: 订阅日历 gives the community feed and the person\'s own; reminders on the home screen and as a notification'({ browser, shot }) {
    const w = await setup(browser, serverOptions);
    try {
      const { phone, phoneCtx, server } = w;
      // The resident books tomorrow's lunch for the 85-year-old she acts for.
      await act(phone, 'canteen.book', { sitting: 'lunch-1', person: 'e85' });
      await waitFor(phone, 'the booking to sync', settled(phone));
      await goHome(phone);
      const lunch = `${await tr(phone, 'canteen.short')} ${await tr(phone, 'canteen.meal.lunch')} · 李秀英`;
      const said = await waitSaid(phone, lunch);
      assert.ok(said.includes(await tr(phone, 'cal.tomorrow')), said);
      await shot(phone, 'feeds-phone-100-reminder');
      await click(phone, await tr(phone, 'nav.settings'));
      await setTextScale(phone, 200);
      await goHome(phone);
      await waitSaid(phone, lunch);
      await assertLaidOut(phone, 'phone 200% home with a reminder');
      await shot(phone, 'feeds-phone-200-reminder');
      // "知道了" hides it.
      await click(phone, await tr(phone, 'remind.ok'));
      assert.ok(!(await items(phone)).some((i) => i.role === 'status' && i.label.includes(lunch)), 'hidden after 知道了');

      // Notifications: off until turned on in Settings; the browser allows them here.
      assert.deepEqual(await notified(phone), []);
      await phoneCtx.grantPermissions(['notifications'], { origin: server.url });
      await click(phone, await tr(phone, 'nav.settings'));
      const off = fill(await tr(phone, 'settings.contrast.label'), { name: await tr(phone, 'settings.notify'), state: await tr(phone, 'settings.contrast.off') });
      await click(phone, off);
      assert.equal((await query(phone, 'settings')).notify, true);
      await shot(phone, 'feeds-phone-200-settings-notify');
      const shown = await waitFor(phone, 'a notification', async () => { const n = await notified(phone); return n.length ? n : null; });
      assert.equal(shown.length, 1);
      assert.ok(shown[0].body.includes('李秀英'), JSON.stringify(shown));
      assert.equal(shown[0].title, await tr(phone, 'remind.title'));
      await new Promise((r) => setTimeout(r, 2500));  // the reminder loop runs again: no second notification
      assert.equal((await notified(phone)).length, 1);
      await goHome(phone);

      // 订阅日历: the community's feed and her own.
      await click(phone, await tr(phone, 'cal.title'));
      await clickPrefix(phone, await tr(phone, 'feed.button'));
      await waitSaid(phone, server.url + '/api/v1/feeds/all.ics');
      const mine = await waitSaid(phone, server.url + '/api/v1/feeds/p/');
      await shot(phone, 'feeds-phone-200-subscribe-mine');
      const own = await fetch(mine);
      assert.equal(own.status, 200);
      assert.equal(own.headers.get('content-type'), 'text/calendar; charset=utf-8');
      const ics = await own.text();
      assert.ok(ics.startsWith('BEGIN:VCALENDAR'), ics.slice(0, 100));
      assert.ok(ics.includes('SUMMARY:' + `${await tr(phone, 'canteen.short')} ${await tr(phone, 'canteen.meal.lunch')}`), ics);
      assert.ok(!ics.includes('李秀英') && !ics.includes('WangLi'), 'no names in a feed');
      const all = await (await fetch(server.url + '/api/v1/feeds/all.ics')).text();
      assert.ok(all.includes('SUMMARY:面塑公益课 第16期'), all.slice(0, 400));
      // Each link has its own three buttons with the same words; a screen reader reads a button alone, so
      // each one's name says its calendar too: no two enabled buttons of the screen share a name.
      const buttons = (await phone.evaluate(() => window.sihui.a11y.items())).filter((i) => i.role === 'button' && i.enabled);
      const names = buttons.map((i) => i.label);
      assert.deepEqual(names.filter((n, k) => names.indexOf(n) !== k), [], 'buttons with the same name: ' + names.join(' | '));
      const named = async (action, feed) => fill(await tr(phone, 'feed.button_for'), { action: await tr(phone, action), feed: await tr(phone, feed) });
      for (const a of ['feed.open', 'feed.copy', 'feed.download'])
        for (const f of ['feed.all', 'feed.mine']) assert.ok(names.includes(await named(a, f)), `"${await named(a, f)}" in ${names.join(' | ')}`);
      // Download and open buttons hand the links to the page.
      await click(phone, await named('feed.download', 'feed.all'));
      let o = await opened(phone);
      assert.equal(o.at(-1).download, 'sihui-all.ics');
      assert.ok(o.at(-1).url.endsWith('/api/v1/feeds/all.ics'), o.at(-1).url);
      await click(phone, await named('feed.download', 'feed.mine'));
      o = await opened(phone);
      assert.equal(o.at(-1).download, 'sihui-mine.ics');
      assert.equal(o.at(-1).url, mine);
      await click(phone, await named('feed.open', 'feed.all'));
      assert.ok((await opened(phone)).at(-1).url.startsWith('webcal://'), JSON.stringify(await opened(phone)));
    } finally {
      await w.close();
    }
  },

  async 'feeds: the grid leader\'s missed-diner alert, the subscribe panel and the codes at tablet and phone sizes, 100% and 200%'({ browser, url, shot }) {
    await eachLayout(browser, url, async (page, { vp, tag }) => {
      // The demo shows staff views: the canteen alert for every grid.
      const suffix = (await tr(page, 'missed.row')).split('{days}')[1];
      const missed = await findPrefix(page, '', { role: 'status', includes: suffix });
      await page.mouse.move(vp.width / 2, vp.height / 2);
      await page.mouse.wheel(0, missed.y - vp.height / 4);
      await settle(page);
      await assertLaidOut(page, `${tag} home (missed diners)`);
      await shot(page, `feeds-${tag}-home-missed`);
      const rows = (await items(page)).filter((i) => i.role === 'status' && i.label.includes(suffix));
      assert.ok(rows.length >= 1, 'a missed diner is named');
      await goHome(page);
      await click(page, await tr(page, 'cal.title'));
      await clickPrefix(page, await tr(page, 'feed.button'));
      await waitSaid(page, '/api/v1/feeds/all.ics');
      const panel = await findPrefix(page, '', { includes: '/api/v1/feeds/all.ics' });
      await page.mouse.move(vp.width / 2, vp.height / 2);
      await page.mouse.wheel(0, panel.y - vp.height / 3);
      await settle(page);
      await assertLaidOut(page, `${tag} subscribe`);
      await shot(page, `feeds-${tag}-subscribe`);
      await clickPrefix(page, await tr(page, 'feed.button'));  // fold it again
      await goHome(page);
      await click(page, await tr(page, 'class.title'));
      await clickPrefix(page, await tr(page, 'students.show'));
      const st = await findPrefix(page, await tr(page, 'students.hide'));
      await page.mouse.move(vp.width / 2, vp.height / 2);
      await page.mouse.wheel(0, st.y - vp.height / 4);
      await settle(page);
      await assertLaidOut(page, `${tag} students`);
      await shot(page, `feeds-${tag}-students`);
      await clickPrefix(page, await tr(page, 'students.hide'));
      await goHome(page);
    });
  },
};
