// Browser test for report photos (decision 0021): a resident files a report OFFLINE with a photo from
// the file chooser and Chinese words; the photo is shrunk (long side 1600 px), named by its SHA-256 and
// kept in the page's own IndexedDB database; back online, the report and the photo reach the server;
// the grid leader's tablet (another browser context) first says the photo is not uploaded yet (its upload
// held back), then shows the report's photo, fetched when the report is shown. A text file or a damaged picture offered as a photo gets a message and changes nothing. Screenshots of the form
// with a photo at phone and tablet sizes, 100% and 200% text, go to build/test-results/.
// The device backup (decision 0028): a photo made offline travels in the exported file to a fresh profile
// and shows there; a tampered photo is refused with the message, and its tile says the phone is offline.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOP, startServer, openApp, settle, findItem, click, tap, tr, items, query, fill, TABLET, PHONE, createStaff, signInStaff,
  setTextScale } from './lib.mjs';

const syncOf = (page) => page.evaluate(() => window.sihui.sync());
const photosOf = (page) => page.evaluate(() => Module.sihuiPhotos.list());

async function waitFor(what, fn, timeout = 20000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function api(url, path, { method = 'GET', body, token, device = 'testdevice' } = {}) {
  const headers = { 'X-Sihui-Device': device };
  if (token) headers.Authorization = 'Bearer ' + token;
  if (body) headers['Content-Type'] = 'application/json';
  const r = await fetch(url + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, json: await r.json() };
}

const push = (url, token, ops) => api(url, '/api/v1/ops', { method: 'POST', token, body: {
  ops: ops.map(([kind, payload]) => ({ id: randomBytes(16).toString('hex'), kind, made_at: Date.now(), payload })) } });

async function typeInto(page, label, text) {
  const f = await findItem(page, label);
  await page.mouse.click(f.x + 20, f.y + f.h / 2);
  await settle(page);
  await page.keyboard.type(text);
  await settle(page);
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

// A press on a photo button opens the file chooser; the test answers it as a person choosing a file.
async function choose(page, key, files, press = click) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), press(page, await tr(page, key))]);
  await chooser.setFiles(files);
}

// A photo as a camera makes it: 2400 x 1800, drawn in the page and encoded as PNG.
async function cameraPicture(page, colour = '#8b5a2b') {
  const b64 = await page.evaluate(async (colour) => {
    const c = new OffscreenCanvas(2400, 1800), g = c.getContext('2d');
    const grad = g.createLinearGradient(0, 0, 2400, 1800);
    grad.addColorStop(0, '#3a7d2c'); grad.addColorStop(1, '#c8e6a0');
    g.fillStyle = grad; g.fillRect(0, 0, 2400, 1800);
    g.fillStyle = colour; g.fillRect(600, 900, 1200, 500);
    const buf = new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let s = ''; for (let i = 0; i < buf.length; i += 8192) s += String.fromCharCode(...buf.subarray(i, i + 8192));
    return btoa(s);
  }, colour);
  return { name: 'IMG_0001.png', mimeType: 'image/png', buffer: Buffer.from(b64, 'base64') };
}

// The first item pred accepts, scrolled (mouse wheel, as a person would) until it is whole above the
// status bar, or as far as the page goes.
async function intoView(page, what, pred) {
  const vp = page.viewportSize();
  await page.mouse.move(vp.width / 2, vp.height / 2);
  let last = null, still = 0;
  return waitFor(what, async () => {
    const it = (await items(page)).find(pred);
    if (it && !it.clipped && it.y + it.h <= vp.height * 0.78) return it;
    still = it && last && Math.abs(it.y - last.y) < 1 ? still + 1 : 0;
    if (it && still >= 3) return it;  // the page goes no further
    last = it;
    await page.mouse.wheel(0, it && it.clipped && it.y < vp.height / 3 ? -80 : 80);  // its top cut off: back up
    await settle(page);
    return null;
  });
}
// The result of an export or import: the app scrolls it into view by itself.
const statusLine = (page, parts) => waitFor(`the status "${parts.join(' … ')}"`, async () =>
  (await items(page)).find((i) => i.role === 'status' && !i.clipped && parts.every((p) => i.label.includes(p)))).catch(async (e) => {
  await page.screenshot({ path: join(TOP, 'build', 'test-results', 'failure-status.png') });
  console.log(JSON.stringify((await items(page)).filter((i) => i.role === 'status')));
  throw e;
});

const photoItems = async (page) => (await items(page)).filter((i) => i.role === 'image');
async function loadedPhoto(page, n = 1) {
  const want = fill(await tr(page, 'photo.item'), { n });
  return waitFor(`photo ${n} drawn`, async () => (await photoItems(page)).find((i) => i.label === want));
}

async function textScale(page, pct) {
  await page.evaluate((p) => new Promise((resolve, reject) => {
    let s = { version: 1 };
    try { s = JSON.parse(FS.readFile('/sihui/settings.json', { encoding: 'utf8' })); } catch (e) { /* never saved */ }
    s.text_scale = p;
    FS.writeFile('/sihui/settings.json', JSON.stringify(s));
    FS.syncfs(false, (e) => (e ? reject(e) : resolve()));
  }), pct);
  await page.reload();
  await page.evaluate(() => window.sihui.ready);
  await settle(page);
}

// The report form of 种菜毁绿 with one photo, for the screenshots.
async function formWithPhoto(page, picture, press) {
  const home = await tr(page, 'nav.home');
  if ((await items(page)).some((i) => i.label === home)) await press(page, home);
  await press(page, await tr(page, 'home.manage.title'));
  const tab = await tr(page, 'manage.tab.report');
  if ((await items(page)).some((i) => i.label === tab)) await press(page, tab);
  await press(page, await tr(page, 'subtype.planting_on_green'));
  await choose(page, 'photo.files', [picture], press);
  await loadedPhoto(page, 1);
  await findItem(page, await tr(page, 'photo.camera'));  // scrolled below the tile, as a person would
  await settle(page);
}

// The office (张霞, staff) and a community of one compound, building and unit in one grid, pushed to
// SERVER through the API; returns the office's token.
async function smallCommunity(server) {
  const pw = 'pw-zhangxia-2026';
  createStaff(server, 'zhangxia', 'staff1', '张霞', pw);
  const token = (await api(server.url, '/api/v1/login', { method: 'POST', body: { login: 'zhangxia', password: pw, device: 'testdevice' } })).json.token;
  const init = await push(server.url, token, [
    ['community.init', { name: '仓南街社区', admin_name: '张霞' }],
    ['place.compound.add', { id: 'north', name: '北苑小区', point_x: 119150000, point_y: 36700000 }],
    ['place.building.add', { id: 'b3', compound: 'north', name: '3号楼' }],
    ['place.unit.add', { id: 'u1', building: 'b3', name: '1单元' }],
    ['grid.add', { id: 'gn', name: '北苑网格', compounds: ['north'] }]]);
  assert.equal(init.status, 200, JSON.stringify(init.json));
  return { token, pw };
}

export const tests = {
  async 'photos: a resident files offline with a photo; it reaches the server and the grid leader sees it'({ browser, shot }) {
    const server = await startServer();
    try {
      const { token } = await smallCommunity(server);

      const leaderCtx = await browser.newContext({ viewport: TABLET, deviceScaleFactor: 1, locale: 'zh-CN' });
      const phoneCtx = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, locale: 'zh-CN', hasTouch: true, isMobile: true });
      const [leader, phone] = await Promise.all([openApp(leaderCtx, server.url), openApp(phoneCtx, server.url)]);
      for (const p of [leader, phone]) await waitFor('the community', async () => (await syncOf(p)).stored_seq >= 5);
      const [lreg] = await Promise.all([register(leader, 'Wang', '13800000009', '1968'), register(phone, 'Li', '13800000001', '1940')]);
      const regs = (await api(server.url, '/api/v1/registrations', { token })).json;
      for (const r of regs.registrations || regs) assert.equal((await api(server.url, `/api/v1/registrations/${r.id}/verify`, { method: 'POST', body: {}, token })).status, 200);
      assert.equal((await push(server.url, token, [['grid.set_leader', { grid: 'gn', person: lreg.person }]])).status, 200);
      for (const p of [leader, phone]) await waitFor('the verified head', async () => { const s = await syncOf(p); return s.stored_seq >= 8; });

      // Offline, the form of 种菜毁绿 with Chinese words.
      await phoneCtx.setOffline(true);
      await click(phone, await tr(phone, 'nav.home'));
      await tap(phone, await tr(phone, 'home.manage.title'));
      await tap(phone, await tr(phone, 'subtype.planting_on_green'));
      await typeInto(phone, await tr(phone, 'report.form.describe'), '草地上种了菜');
      const opsBefore = (await query(phone, 'store.status', {})).pending.length;

      // A text file is not a photo: a message, and nothing changes.
      await choose(phone, 'photo.files', [{ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('不是照片') }], tap);
      const refusal = await findItem(phone, await tr(phone, 'photo.error.not_image'));
      assert.equal(refusal.role, 'status');
      assert.equal((await photoItems(phone)).length, 0, 'no photo on the form');
      assert.equal((await photosOf(phone)).length, 0, 'nothing stored');
      assert.equal((await query(phone, 'store.status', {})).pending.length, opsBefore, 'no op made');
      // A damaged picture (JPEG by its name and type, not by its bytes): its own message, nothing stored.
      await choose(phone, 'photo.files', [{ name: 'IMG_0002.jpg', mimeType: 'image/jpeg', buffer: Buffer.from([0xff, 0xd8, 0xff, 0, 1, 2, 3]) }], tap);
      await findItem(phone, await tr(phone, 'photo.error.undecodable'));
      assert.equal((await photoItems(phone)).length + (await photosOf(phone)).length, 0, 'nothing on the form or stored');

      // The camera's picture: shrunk to 1600 x 1200, JPEG, named by its SHA-256, waiting for upload.
      const picture = await cameraPicture(phone);
      await choose(phone, 'photo.camera', [picture], tap);
      const tile = await loadedPhoto(phone, 1);
      assert.ok(tile.w >= 40 && tile.h >= 40, 'a visible tile');
      const stored = await photosOf(phone);
      assert.equal(stored.length, 1);
      assert.deepEqual([stored[0].w, stored[0].h, stored[0].pending], [1600, 1200, true]);
      assert.match(stored[0].name, /^[0-9a-f]{64}$/);
      assert.equal(await phone.evaluate(() => Module.sihuiPhotoPicks.at(-1).camera), true, 'the camera was asked for');
      await findItem(phone, await tr(phone, 'photo.remove'));
      await shot(phone, 'photos-phone-form');

      await tap(phone, await tr(phone, 'report.send'));
      const pending = (await query(phone, 'store.status', {})).pending;
      assert.equal(pending.length, opsBefore + 1, 'the report is saved on the phone');
      const mine = (await query(phone, 'reports.open', {})).find((r) => r.subtype === 'planting_on_green');
      assert.equal(mine.description, '草地上种了菜');
      const photoFile = join(server.data, 'photos', stored[0].name.slice(0, 2), stored[0].name);
      assert.equal(existsSync(photoFile), false, 'nothing reached the server while offline');

      // Online: the op goes out; the photo's upload is held back for a while (the server answers 503), so
      // the grid leader sees the report before its photo: the tile says it is not uploaded yet.
      await phone.route('**/api/v1/photos/**', (route) => route.fulfill({ status: 503, body: '' }));
      await phoneCtx.setOffline(false);
      await phone.evaluate(() => window.dispatchEvent(new Event('online')));
      await waitFor('the report to be confirmed', async () => (await query(phone, 'op', { op: pending.at(-1) })).state === 'confirmed');
      await waitFor('the report on the tablet', async () => (await query(leader, 'reports.open', {})).find((r) => r.report === mine.report));
      await click(leader, await tr(leader, 'nav.home'));
      await click(leader, await tr(leader, 'home.manage.title'));
      await click(leader, await tr(leader, 'manage.tab.list'));
      const notYet = fill(await tr(leader, 'photo.item'), { n: 1 }) + ' · ' + await tr(leader, 'photo.not_uploaded');
      await waitFor('the tile to say the photo is not uploaded yet', async () => (await photoItems(leader)).find((i) => i.label === notYet));
      await shot(leader, 'photos-tablet-not-uploaded');
      await leader.setViewportSize(PHONE);  // the same tile at phone width (smaller: three lines)
      await intoView(leader, 'the tile at phone width', (i) => i.label === notYet);
      await shot(leader, 'photos-phone-not-uploaded');
      await leader.setViewportSize(TABLET);
      await settle(leader);
      assert.equal(existsSync(photoFile), false, 'the upload was held back');
      await phone.unroute('**/api/v1/photos/**');
      await waitFor('the photo on the server', async () => existsSync(photoFile));
      const bytes = readFileSync(photoFile);
      assert.equal(createHash('sha256').update(bytes).digest('hex'), stored[0].name, 'stored under its hash');
      assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
      await waitFor('the upload marked done', async () => (await photosOf(phone))[0].pending === false);

      // The grid leader's tablet: the tile asks again by itself; the photo is fetched from the server and drawn.
      const seen = await loadedPhoto(leader, 1);
      assert.equal(seen.role, 'image');
      const got = await photosOf(leader);
      assert.deepEqual(got.map((p) => [p.name, p.pending]), [[stored[0].name, false]], 'kept on the tablet, not to upload');
      await shot(leader, 'photos-tablet-list');

      // The leader accepts it, adds a photo of the repair to the "done" step and marks it done: the card
      // then shows the report's photo and the step's, and the step's photo reaches the server too.
      const statusOf = async (p) => (await query(p, 'reports.open', {})).find((r) => r.report === mine.report)?.status;
      await click(leader, await tr(leader, 'action.accept'));
      await waitFor('accepted', async () => (await statusOf(leader)) === 'accepted');
      await choose(leader, 'photo.note', [await cameraPicture(leader, '#555555')]);
      const first = fill(await tr(leader, 'photo.item'), { n: 1 });
      await waitFor('the step photo on the card', async () => (await photoItems(leader)).filter((i) => i.label === first).length === 2);
      await shot(leader, 'photos-tablet-step-photo');
      await click(leader, await tr(leader, 'action.handle'));
      await waitFor('handled', async () => (await statusOf(leader)) === 'handled');
      await loadedPhoto(leader, 2);
      await shot(leader, 'photos-tablet-handled');
      const proof = (await photosOf(leader)).find((p) => p.name !== stored[0].name);
      assert.ok(proof, 'the step photo is kept on the tablet');
      await waitFor('the step photo on the server', async () => existsSync(join(server.data, 'photos', proof.name.slice(0, 2), proof.name)));

      // Screenshots of the form with a photo: phone and tablet, 100% and 200% text.
      await formWithPhoto(leader, picture, click);
      await shot(leader, 'photos-tablet-form');
      await textScale(leader, 200);
      await formWithPhoto(leader, picture, click);
      await shot(leader, 'photos-tablet-form-200');
      await textScale(phone, 200);
      await formWithPhoto(phone, picture, tap);
      await shot(phone, 'photos-phone-form-200');
      // Removed from the form: the tile goes; the stored photo stays (the report sent earlier shows it).
      await tap(phone, await tr(phone, 'photo.remove'));
      await waitFor('the tile gone', async () => (await photoItems(phone)).length === 0);
      assert.deepEqual((await photosOf(phone)).map((p) => p.name), [stored[0].name]);
      for (const c of [phoneCtx, leaderCtx]) await c.close();
    } finally {
      await server.stop();
    }
  },

  async 'photos: the device backup carries a photo made offline to a fresh profile; a tampered photo is refused'({ browser, shot }) {
    const server = await startServer();
    try {
      const { token, pw } = await smallCommunity(server);
      const aCtx = await browser.newContext({ viewport: TABLET, deviceScaleFactor: 1, locale: 'zh-CN', acceptDownloads: true });
      const bCtx = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, locale: 'zh-CN' });
      const [a, b] = await Promise.all([openApp(aCtx, server.url), openApp(bCtx, server.url)]);
      await Promise.all([signInStaff(a, 'zhangxia', pw), signInStaff(b, 'zhangxia', pw)]);
      for (const p of [a, b]) await waitFor('the community', async () => (await syncOf(p)).stored_seq >= 5);

      // The office tablet, offline: a report of 种菜毁绿 for 北苑小区 3号楼 with a photo.
      await aCtx.setOffline(true);
      await click(a, await tr(a, 'nav.home'));
      await click(a, await tr(a, 'home.manage.title'));
      await click(a, await tr(a, 'subtype.planting_on_green'));
      await click(a, '北苑小区');
      await click(a, '3号楼');
      await click(a, await tr(a, 'report.place.whole_building'));
      await choose(a, 'photo.files', [await cameraPicture(a)]);
      await loadedPhoto(a, 1);
      await click(a, await tr(a, 'report.send'));
      const [made] = await photosOf(a);
      assert.equal(made.pending, true, 'not uploaded: the tablet is offline');
      await waitFor('the report', async () => (await query(a, 'reports.open', {})).find((r) => r.subtype === 'planting_on_green'));

      // Export through the button: the file holds the photo, base64, under its SHA-256.
      await click(a, await tr(a, 'nav.home'));
      await click(a, await tr(a, 'nav.settings'));
      const [download] = await Promise.all([a.waitForEvent('download'), click(a, await tr(a, 'backup.export'))]);
      const file = join(TOP, 'build', 'test-results', 'backup-photos.json');
      await download.saveAs(file);
      const text = readFileSync(file, 'utf8'), doc = JSON.parse(text);
      assert.equal(doc.version, 2);
      assert.deepEqual(doc.photos.map((p) => [p.name, p.pending]), [[made.name, true]]);
      const bytes = Buffer.from(doc.photos[0].data, 'base64');
      assert.equal(createHash('sha256').update(bytes).digest('hex'), made.name);
      const exported = (await tr(a, 'backup.exported')).split('{ops}')[0];
      await statusLine(a, [exported]);
      await shot(a, 'backup-photos-exported-tablet');
      await aCtx.close();

      // A fresh phone profile of the same office, offline, 200% text. A malformed photo list: refused, nothing changes.
      await bCtx.setOffline(true);
      await setTextScale(b, 200);
      const status0 = await query(b, 'store.status', {});
      const refused = await b.evaluate((t) => {
        const d = JSON.parse(t);
        d.photos[0].name = 'IMG_0001.jpg';
        try { window.sihui.importText(JSON.stringify(d)); return null; } catch (e) { return e.code; }
      }, text);
      assert.equal(refused, 'store.import.bad_photos');
      assert.equal((await query(b, 'store.status', {})).hash, status0.hash, 'nothing changed');
      assert.deepEqual(await photosOf(b), []);

      // A tampered photo (one byte changed): its ops come in, the photo does not; the message says so.
      bytes[200] ^= 1;
      const tampered = JSON.stringify({ ...doc, photos: [{ ...doc.photos[0], data: bytes.toString('base64') }] });
      const importFile = async (name, body) => {
        const [chooser] = await Promise.all([b.waitForEvent('filechooser'), click(b, await tr(b, 'backup.import'))]);
        await chooser.setFiles([{ name, mimeType: 'application/json', buffer: Buffer.from(body) }]);
      };
      await importFile('tampered.json', tampered);
      const bad = await statusLine(b, [fill(await tr(b, 'backup.photos_in'), { kept: 0 }), fill(await tr(b, 'backup.photos_bad'), { bad: 1 }),
        fill(await tr(b, 'backup.photos_missing'), { missing: 1 })]);
      await shot(b, 'backup-photos-tampered-phone-200');
      assert.ok(!bad.clipped && bad.y >= 0 && bad.y + bad.h <= PHONE.height, 'the message is on screen: ' + JSON.stringify(bad));
      assert.deepEqual(await photosOf(b), [], 'the tampered photo is not stored');
      assert.equal((await query(b, 'store.status', {})).pending.length, status0.pending.length + 1, 'the report came in');
      await click(b, await tr(b, 'nav.home'));
      await click(b, await tr(b, 'home.manage.title'));
      await click(b, await tr(b, 'manage.tab.list'));
      // Not here and the phone is offline: the tile says so (online, it would ask the server).
      const notHere = fill(await tr(b, 'photo.item'), { n: 1 }) + ' · ' + await tr(b, 'photo.offline');
      await findItem(b, notHere);
      await intoView(b, 'the tile', (i) => i.label === notHere);
      await shot(b, 'backup-photos-not-here-phone-200');

      // The good file: the photo comes in and the report's tile shows it.
      await click(b, await tr(b, 'nav.home'));
      await click(b, await tr(b, 'nav.settings'));
      await importFile('backup.json', text);
      const good = await statusLine(b, [fill(await tr(b, 'backup.photos_in'), { kept: 1 }), await tr(b, 'backup.photos_all_here')]);
      assert.ok(!good.clipped && good.y >= 0 && good.y + good.h <= PHONE.height, 'the message is on screen');
      await shot(b, 'backup-photos-imported-phone-200');
      assert.deepEqual((await photosOf(b)).map((p) => [p.name, p.pending]), [[made.name, true]], 'stored, to upload');
      assert.equal((await query(b, 'store.status', {})).pending.length, status0.pending.length + 1, 'nothing twice');
      await click(b, await tr(b, 'nav.home'));
      await click(b, await tr(b, 'home.manage.title'));
      await click(b, await tr(b, 'manage.tab.list'));
      const shown = fill(await tr(b, 'photo.item'), { n: 1 });
      await findItem(b, shown, { timeout: 15000 });
      await intoView(b, 'the tile', (i) => i.label === shown);
      await shot(b, 'backup-photos-shown-phone-200');
      await bCtx.close();
    } finally {
      await server.stop();
    }
  },
};
