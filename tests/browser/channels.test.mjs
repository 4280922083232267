// Browser test for channels (decision 0024): a resident's phone and another resident's tablet. The first joins 网格群 on the
// 频道 screen; the grid leader (through the API, as their own device would) posts a notice there; the
// member's phone shows it with "1条未读" on the home screen, and opening the channel marks it read. The
// other resident, not a member, sees the post only as "只有频道成员能看到这条通知" — sync never sent them
// its words. Screenshots of the 频道 screen at phone and tablet sizes, 100% and 200% text. A second test:
// staff post a report to 物业群 from its card ("发到频道"), and the op carries only the ids; then they make a
// channel and put a resident in and out of it with the shared person picker.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServer, openApp, settle, findItem, click, tap, tr, items, query, fill, waitFor, createStaff, typeInto,
  setTextScale, findPrefix, signInStaff, TABLET, PHONE } from './lib.mjs';

const syncOf = (page) => page.evaluate(() => window.sihui.sync());

async function api(url, path, { method = 'GET', body, token, device = 'testdevice' } = {}) {
  const headers = { 'X-Sihui-Device': device };
  if (token) headers.Authorization = 'Bearer ' + token;
  if (body) headers['Content-Type'] = 'application/json';
  const r = await fetch(url + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, json: await r.json().catch(() => null) };
}
const push = (url, token, ops, device = 'testdevice') => api(url, '/api/v1/ops', { method: 'POST', token, device, body: {
  ops: ops.map(([kind, payload]) => ({ id: randomBytes(16).toString('hex'), kind, made_at: Date.now(), payload })) } });

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

// The service worker may offer "新版本已就绪" any moment after the first load; its banner pushes the page
// down under a press. "稍后" puts it away, as a person would.
async function noUpdateBanner(page) {
  if ((await query(page, 'status')).update_ready && (await items(page)).some((i) => i.label === '稍后')) await click(page, '稍后');
}

const press = async (page, label) => { await noUpdateBanner(page); return click(page, label); };

const NOTICE = '明天上午停水';
const BODY = '九点到十一点，请提前接水。';

export const tests = {
  async 'channels: a resident joins 网格群 and reads the grid leader\'s notice; a non-member gets no words'({ browser, shot }) {
    const server = await startServer();
    try {
      const pw = 'pw-zhangxia-2026';
      createStaff(server, 'zhangxia', 'staff1', '张霞', pw);
      const token = (await api(server.url, '/api/v1/login', { method: 'POST', body: { login: 'zhangxia', password: pw, device: 'testdevice' } })).json.token;
      const init = await push(server.url, token, [
        ['community.init', { name: '仓南街社区', admin_name: '张霞' }],
        ['place.compound.add', { id: 'north', name: '北苑小区' }],
        ['place.building.add', { id: 'b3', compound: 'north', name: '3号楼' }],
        ['place.unit.add', { id: 'u1', building: 'b3', name: '1单元' }],
        ['grid.add', { id: 'gn', name: '北苑网格', compounds: ['north'] }],
        ['channel.add', { id: 'grid', name: '网格群', about: '网格长、网格员和居民：发现问题马上说' }],
        ['channel.add', { id: 'party', name: '网格党员群', about: '由社区安排', assigned: true }]]);
      assert.equal(init.status, 200, JSON.stringify(init.json));
      // The grid leader: registered and verified, made leader, in 网格群 (their own device, through the API).
      const reg = await api(server.url, '/api/v1/register', { method: 'POST', body: { name: '王网格长', phone: '13800000009', birth_year: 1968, unit: 'u1', device: 'leaderdev' } });
      assert.equal(reg.status, 200, JSON.stringify(reg.json));
      assert.equal((await api(server.url, `/api/v1/registrations/${reg.json.registration}/verify`, { method: 'POST', body: {}, token })).status, 200);
      assert.equal((await push(server.url, token, [['grid.set_leader', { grid: 'gn', person: reg.json.person }]])).status, 200);
      assert.equal((await push(server.url, reg.json.token, [['channel.join', { channel: 'grid' }]], 'leaderdev')).status, 200);

      const memberCtx = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, locale: 'zh-CN', hasTouch: true, isMobile: true });
      const otherCtx = await browser.newContext({ viewport: TABLET, deviceScaleFactor: 1, locale: 'zh-CN' });
      const [member, other] = await Promise.all([openApp(memberCtx, server.url), openApp(otherCtx, server.url)]);
      for (const p of [member, other]) await waitFor('the community', async () => (await syncOf(p)).stored_seq >= 7);
      await Promise.all([register(member, 'Li', '13800000001', '1948'), register(other, 'Zhao', '13800000002', '1950')]);
      const regs = (await api(server.url, '/api/v1/registrations', { token })).json;
      for (const r of regs.registrations || regs)
        if (r.status !== 'verified') await api(server.url, `/api/v1/registrations/${r.id}/verify`, { method: 'POST', body: {}, token });
      // Both phones learn they are verified, with their person in the community (the verify's person.add).
      for (const p of [member, other])
        await waitFor('verified', async () => { const s = await syncOf(p); return s.stored_seq >= 12 && s.pending === 0; });

      // The member joins 网格群 on the 频道 screen; 网格党员群 offers no join button (staff assign it).
      await press(member, await tr(member, 'nav.home'));
      const title = await tr(member, 'chan.title');
      const homeButton = await waitFor('the 频道 button', async () => (await items(member)).find((i) => i.label.startsWith(title + ' · ')));
      assert.equal(homeButton.label, title + ' · ' + await tr(member, 'chan.no_unread'));
      await press(member, homeButton.label);
      await findItem(member, await tr(member, 'chan.assigned'));
      await press(member, await tr(member, 'chan.join'));
      const joined = '网格群 · ' + await tr(member, 'chan.no_unread');
      await waitFor('网格群 among my channels', async () => (await items(member)).some((i) => i.label === joined));
      const me = (await syncOf(member)).person;
      await waitFor('the join on the server', async () => {
        const ops = (await api(server.url, '/api/v1/ops?after=0', { token })).json.ops;
        return ops.some((o) => o.kind === 'channel.join' && o.author === me);
      });

      // The grid leader posts; the member's home screen says 1条未读, the channel shows the words.
      assert.equal((await push(server.url, reg.json.token, [['channel.post', { channel: 'grid', title: NOTICE, text: BODY }]], 'leaderdev')).status, 200);
      await press(member, await tr(member, 'nav.back'));
      const unread = title + ' · ' + fill(await tr(member, 'chan.unread'), { n: 1 });
      try {
        await waitFor('1条未读 on the home screen', async () => (await items(member)).some((i) => i.label === unread));
      } catch (e) {
        console.log('DEBUG', JSON.stringify(await syncOf(member)), (await items(member)).map((i) => i.label).join(' | '));
        await shot(member, 'channels-debug');
        throw e;
      }
      await press(member, unread);
      await press(member, '网格群 · ' + fill(await tr(member, 'chan.unread'), { n: 1 }));
      await findItem(member, NOTICE);
      await findItem(member, BODY);
      await waitFor('the read mark sent', async () => (await syncOf(member)).pending === 0);
      assert.equal((await query(member, 'channel.posts', { channel: 'grid' }))[0].title, NOTICE);
      await shot(member, 'channels-phone-100');

      // The non-member: the post is there (the count adds up) but its words never reached this tablet.
      await press(other, await tr(other, 'nav.home'));
      await waitFor('the post on the tablet', async () => (await items(other)).some((i) => i.label.startsWith(title + ' · ')));
      await press(other, (await items(other)).find((i) => i.label.startsWith(title + ' · ')).label);
      await press(other, '网格群');
      await findItem(other, await tr(other, 'chan.masked'));
      const labels = (await items(other)).map((i) => i.label).join(' | ');
      assert.ok(!labels.includes(NOTICE) && !labels.includes(BODY), 'no words of the notice: ' + labels);
      const held = await query(other, 'channel.posts', { channel: 'grid' });
      assert.equal(held.length, 1, 'the post counts');
      assert.ok(!JSON.stringify(held).includes(NOTICE) && !JSON.stringify(held).includes(BODY), 'its words are not on this tablet');
      await shot(other, 'channels-tablet-100');

      // The member posts a notice of their own from the form.
      await press(member, await tr(member, 'chan.write'));
      await typeInto(member, await tr(member, 'chan.post_title'), 'Lamp');
      await press(member, await tr(member, 'chan.send'));
      await findItem(member, 'Lamp');
      await waitFor('the post confirmed', async () => (await syncOf(member)).pending === 0);
      assert.deepEqual((await query(member, 'channel.posts', { channel: 'grid' })).map((p) => [p.title, p.by]), [['Lamp', me], [NOTICE, reg.json.person]]);

      // Screenshots at 200% text: the list on the tablet, the channel on the phone.
      for (const p of [other, member]) {
        await press(p, await tr(p, 'nav.home'));
        await press(p, await tr(p, 'nav.settings'));
        await setTextScale(p, 200);
        await press(p, await tr(p, 'nav.home'));
        await press(p, (await findPrefix(p, title + ' · ')).label);
      }
      await shot(other, 'channels-tablet-200-list');
      await press(member, (await findPrefix(member, '网格群')).label);
      await findItem(member, NOTICE);
      await shot(member, 'channels-phone-200');
      await memberCtx.close();
      await otherCtx.close();
    } finally {
      await server.stop();
    }
  },

  async 'channels: staff post a report to a channel from its card (发到频道), make a channel and choose its members'({ browser, shot }) {
    const server = await startServer();
    try {
      const pw = 'pw-zhangxia-2026';
      createStaff(server, 'zhangxia', 'staff1', '张霞', pw);
      const token = (await api(server.url, '/api/v1/login', { method: 'POST', body: { login: 'zhangxia', password: pw, device: 'testdevice' } })).json.token;
      assert.equal((await push(server.url, token, [
        ['community.init', { name: '仓南街社区', admin_name: '张霞' }],
        ['place.compound.add', { id: 'north', name: '北苑小区' }],
        ['grid.add', { id: 'gn', name: '北苑网格', compounds: ['north'] }],
        ['channel.add', { id: 'grid', name: '网格群' }],
        ['channel.add', { id: 'property', name: '物业群' }],
        ['report.file', { id: 'r1', category: 'dispute', subtype: 'planting_on_green', compound: 'north', description: '楼前绿地种菜' }]])).status, 200);
      const ctx = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, locale: 'zh-CN' });
      const page = await openApp(ctx, server.url);
      await signInStaff(page, 'zhangxia', pw);
      await waitFor('the community', async () => (await syncOf(page)).stored_seq >= 6);
      for (const key of ['nav.home', 'home.manage.title', 'manage.tab.list', 'chan.share']) await press(page, await tr(page, key));
      await findItem(page, await tr(page, 'chan.share.close'));  // the button now closes the channel buttons below it
      await findItem(page, '物业群');
      await shot(page, 'channels-share-phone');
      await press(page, '物业群');
      const posts = await waitFor('the post', async () => { const p = await query(page, 'channel.posts', { channel: 'property' }); return p.length ? p : null; });
      assert.deepEqual(posts.map((p) => [p.report, p.by]), [['r1', 'staff1']]);
      await waitFor('confirmed', async () => (await syncOf(page)).pending === 0);
      const pulled = (await api(server.url, '/api/v1/ops?after=0', { token })).json.ops.filter((o) => o.kind === 'channel.post');
      assert.deepEqual(pulled.map((o) => o.payload), [{ channel: 'property', report: 'r1' }]);

      // Staff make a channel on the 频道 screen (decision 0026): a name is needed; then its members
      // panel opens, the shared person picker puts 李秀英 in, and 移出 takes her out again.
      // (added now: this device pulled the earlier ops before signing in, with names masked)
      assert.equal((await push(server.url, token, [['person.add', { id: 'p9', name: '李秀英', birth_year: 1950 }]])).status, 200);
      await waitFor('李秀英 on the device', async () => (await syncOf(page)).stored_seq >= 8);
      await press(page, await tr(page, 'nav.home'));
      await press(page, (await findPrefix(page, await tr(page, 'chan.title') + ' · ')).label);
      await press(page, '+ ' + await tr(page, 'chan.new'));
      await press(page, await tr(page, 'chan.new.make'));
      await findItem(page, await tr(page, 'chan.new.need_name'));
      await typeInto(page, await tr(page, 'chan.new.name'), '3号楼住户群');
      await shot(page, 'channels-new-phone');
      await press(page, await tr(page, 'chan.new.make'));
      const none = fill(await tr(page, 'chan.members'), { n: 0 });
      await findItem(page, none);  // the new channel is open with its members panel
      await typeInto(page, await tr(page, 'picker.search'), '李');
      await press(page, '+ ' + fill(await tr(page, 'chan.members.add'), { name: '李秀英' }));
      const removeLabel = '✕ ' + fill(await tr(page, 'chan.members.remove'), { name: '李秀英' });
      await findItem(page, removeLabel);
      await shot(page, 'channels-members-phone');
      await press(page, removeLabel);
      await waitFor('李秀英 out', async () => (await items(page)).some((i) => i.label === none));
      await waitFor('confirmed', async () => (await syncOf(page)).pending === 0);
      const made = (await api(server.url, '/api/v1/ops?after=0', { token })).json.ops.filter((o) => o.kind.startsWith('channel.') && o.kind !== 'channel.post');
      const ch = made.find((o) => o.kind === 'channel.add' && o.payload.name === '3号楼住户群');
      assert.ok(ch, 'the channel was made');
      assert.deepEqual([ch.payload.members_only, ch.payload.assigned], [true, false]);
      assert.deepEqual(made.filter((o) => o.payload.channel === ch.payload.id).map((o) => [o.kind, o.payload.person]),
        [['channel.join', 'p9'], ['channel.leave', 'p9']]);
      await ctx.close();
    } finally {
      await server.stop();
    }
  },
};
