// Browser test for editing the grid map (issue 6, decision 0022): a staff tablet, offline, refuses a
// malformed GeoJSON file with a message and no change, imports a small OpenStreetMap-like file
// (tests/fixtures/osm-small.geojson) after its preview, moves one of the new buildings by dragging
// it, undoes and redoes the move, and exports the map; the downloaded file parses and carries the
// moved coordinates; undoes the move and the import (its places removed), redoes it, removes a
// chosen building after a confirmation in words and undoes that; removes an empty unit (one with a
// household is refused in words) and moves a compound into another grid, undone and redone. Screenshots of edit mode at tablet and phone sizes, 100% and 200% text.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOP, startServer, openApp, settle, click, findItem, tr, query, fill, waitFor, createStaff, signInStaff,
  setTextScale, typeInto, TABLET, PHONE } from './lib.mjs';

const act = (page, kind, payload) => page.evaluate(([k, p]) => window.sihui.act(k, p), [kind, payload]);
const mapView = (page) => query(page, 'map.view', {});
const pending = async (page) => (await query(page, 'store.status', {})).pending.length;
const outlineOf = async (page, name) => (await mapView(page)).buildings.find((b) => b.name === name && b.outline)?.outline;
const parse = (outline) => outline.split(';').map((p) => p.split(',').map(Number));

// The map's side panel scrolls on its own (the wheel over the map zooms the map): wheel over the
// panel, as a person would, down (dy > 0) or up, until `label` shows whole.
async function inPanel(page, label, dy = 100) {
  const vp = page.viewportSize();
  await page.mouse.move(vp.width - 200, vp.height - 150);  // inside the panel at tablet size
  return waitFor(`"${label}" in the side panel`, async () => {
    const it = (await page.evaluate(() => window.sihui.items())).find((i) => i.label === label);
    if (it && !it.clipped) return it;
    await page.mouse.wheel(0, dy);
    await settle(page);
    return null;
  }, 15000);
}
async function panelClick(page, label) {
  await inPanel(page, label);
  await click(page, label);
}

async function chooseFile(page, file) {
  const chooser = page.waitForEvent('filechooser');
  await click(page, await tr(page, 'map.edit.import'));
  await (await chooser).setFiles(join(TOP, 'tests', 'fixtures', file));
}

export const tests = {
  async 'map editing: import OSM GeoJSON offline, drag a building, undo, redo, export; bad file changes nothing'({ browser, shot }) {
    const server = await startServer();
    try {
      createStaff(server, 'zhangxia', 'staff1', '张霞', 'pw-zhangxia-2026');
      const ctx = await browser.newContext({ viewport: TABLET, deviceScaleFactor: 1, locale: 'zh-CN', acceptDownloads: true });
      const page = await openApp(ctx, server.url);
      await signInStaff(page, 'zhangxia', 'pw-zhangxia-2026');
      await act(page, 'community.init', { name: '仓南街社区', admin_name: '张霞' });
      await act(page, 'place.compound.add', { id: 'north', name: '北苑小区', point_x: 119159000, point_y: 36710600 });
      await act(page, 'place.building.add', { id: 'b3', compound: 'north', name: '3号楼' });
      await act(page, 'place.unit.add', { id: 'u1', building: 'b3', name: '1单元' });
      await act(page, 'grid.add', { id: 'gn', name: '北苑网格', compounds: ['north'] });
      await act(page, 'place.unit.add', { id: 'b3u2', building: 'b3', name: '2单元' });
      await act(page, 'household.add', { id: 'h101', unit: 'u1', label: '101' });
      await act(page, 'place.compound.add', { id: 'south', name: '南苑小区', point_x: 119161000, point_y: 36710600 });
      await act(page, 'grid.add', { id: 'gs', name: '南苑网格', compounds: ['south'] });
      await waitFor('the office to sync', async () => (await page.evaluate(() => window.sihui.sync())).pending === 0);

      // Offline from here: every edit waits in the outbox.
      await ctx.setOffline(true);
      await page.evaluate(() => window.dispatchEvent(new Event('offline')));
      await click(page, await tr(page, 'nav.home'));
      await click(page, await tr(page, 'home.manage.title'));
      await click(page, await tr(page, 'manage.tab.map'));
      await click(page, await tr(page, 'map.edit.start'));
      assert.equal((await mapView(page)).editing, true);
      const before = await pending(page);
      const buildingsBefore = (await waitFor('the map', async () => (await mapView(page)).buildings.length === 1 && mapView(page))).buildings.length;

      // A malformed file: the message names the feature, and nothing changes.
      await chooseFile(page, 'osm-bad.geojson');
      const badText = fill(await tr(page, 'geojson.error.out_of_range'), { n: 1 });
      await waitFor('the error message', async () => (await page.evaluate(() => window.sihui.items())).some((i) => i.label === badText));
      assert.equal(await pending(page), before, 'no op from a bad file');
      assert.equal((await mapView(page)).buildings.length, buildingsBefore);
      await click(page, await tr(page, 'map.edit.close'));

      // The OSM-like file: a preview, then 确认导入 sends its ops (offline: pending).
      await chooseFile(page, 'osm-small.geojson');
      const preview = fill(await tr(page, 'geojson.preview'), { compounds: 1, buildings: 3, outlines: 0, unchanged: 0, skipped: 1 });
      await waitFor('the preview', async () => (await page.evaluate(() => window.sihui.items())).some((i) => i.label === preview));
      assert.equal(await pending(page), before, 'the preview changes nothing');
      await click(page, await tr(page, 'geojson.confirm'));
      await waitFor('the new buildings on the map', async () => (await mapView(page)).buildings.filter((b) => b.outline).length === 3);
      assert.equal(await pending(page), before + 4, 'one compound and three buildings wait in the outbox');
      const names = (await mapView(page)).buildings.filter((b) => b.outline).map((b) => b.name).sort();
      assert.deepEqual(names, ['1号楼', '2号楼', '3号楼']);
      await settle(page);
      await shot(page, 'mapedit-tablet-imported');

      // Drag 1号楼 to the right with the mouse (the 移动楼栋 tool is on by default).
      const original = await outlineOf(page, '1号楼');
      const b1 = (await mapView(page)).buildings.find((b) => b.name === '1号楼' && b.outline);
      await page.mouse.move(b1.x, b1.y);
      await page.mouse.down();
      for (let i = 1; i <= 6; i++) { await page.mouse.move(b1.x + 10 * i, b1.y); await settle(page, 2); }
      await page.mouse.up();
      const moved = await waitFor('the move', async () => { const o = await outlineOf(page, '1号楼'); return o !== original ? o : null; });
      const [a, m] = [parse(original), parse(moved)];
      assert.equal(m.length, a.length);
      const dx = m[0][0] - a[0][0];
      assert.ok(dx > 0, `moved east (dx=${dx})`);
      for (let i = 0; i < a.length; i++) assert.deepEqual([m[i][0] - a[i][0], m[i][1] - a[i][1]], [dx, 0], 'every corner moved alike');
      await settle(page);
      await shot(page, 'mapedit-tablet-moved');

      await click(page, '↶ ' + await tr(page, 'map.edit.undo'));
      await waitFor('the undo', async () => (await outlineOf(page, '1号楼')) === original);
      await click(page, '↷ ' + await tr(page, 'map.edit.redo'));
      await waitFor('the redo', async () => (await outlineOf(page, '1号楼')) === moved);
      assert.equal(await pending(page), before + 7, 'move, undo and redo are three new ops');

      // Export: the download parses and has the moved corners.
      const download = page.waitForEvent('download');
      await click(page, await tr(page, 'map.edit.export'));
      const file = join(TOP, 'build', 'test-results', 'mapedit-export.geojson');
      await (await download).saveAs(file);
      const doc = JSON.parse(readFileSync(file, 'utf8'));
      assert.equal(doc.type, 'FeatureCollection');
      const f = doc.features.find((x) => x.properties.name === '1号楼' && x.properties['sihui:compound'] === '新河小区');
      assert.ok(f, 'the moved building is in the export');
      const ring = f.geometry.coordinates[0];
      assert.deepEqual(ring.slice(0, -1).map(([lon, lat]) => [Math.round(lon * 1e6), Math.round(lat * 1e6)]), m);

      // Undo the move, then the whole import (decision 0026): its places go as place.remove ops;
      // redo brings them back. Then 移除这个地方 on a chosen building, confirmed in words, and undone.
      const withOutline = async () => (await mapView(page)).buildings.filter((b) => b.outline).length;
      const labels = async () => (await page.evaluate(() => window.sihui.items())).map((i) => i.label);
      await click(page, '↶ ' + await tr(page, 'map.edit.undo'));
      await waitFor('the move undone', async () => (await outlineOf(page, '1号楼')) === original);
      await click(page, '↶ ' + await tr(page, 'map.edit.undo'));
      await waitFor('the import undone', async () => (await withOutline()) === 0);
      assert.equal((await mapView(page)).buildings.length, buildingsBefore, 'only the buildings from before are left');
      assert.equal(await pending(page), before + 7 + 1 + 4, 'undo of the import: three buildings and the compound removed');
      await click(page, '↷ ' + await tr(page, 'map.edit.redo'));
      await waitFor('the import redone', async () => (await withOutline()) === 3);
      const b2 = (await mapView(page)).buildings.find((b) => b.name === '2号楼' && b.outline);
      await page.mouse.move(b2.x, b2.y);  // a tap chooses it
      await page.mouse.down();
      await settle(page, 2);
      await page.mouse.up();
      await waitFor('2号楼 chosen', async () => (await mapView(page)).selected === 'building:' + b2.id);
      await click(page, '✕ ' + await tr(page, 'map.edit.remove_place'));
      const confirm = fill(await tr(page, 'map.edit.remove_confirm'), { name: '新河小区 2号楼' });
      await waitFor('the confirmation in words', async () => (await labels()).includes(confirm));
      assert.equal(await withOutline(), 3, 'nothing removed before 确认移除');
      await click(page, await tr(page, 'map.edit.remove_yes'));
      await waitFor('2号楼 gone', async () => (await withOutline()) === 2);
      await waitFor('the words', async () => (await labels()).includes(fill(await tr(page, 'map.edit.removed'), { name: '新河小区 2号楼' })));
      await settle(page);
      await shot(page, 'mapedit-tablet-removed');
      await click(page, '↶ ' + await tr(page, 'map.edit.undo'));
      await waitFor('2号楼 back', async () => (await withOutline()) === 3);
      assert.ok(!(await labels()).includes(fill(await tr(page, 'map.edit.removed'), { name: '新河小区 2号楼' })), 'no stale 已移除');

      // Out of edit mode, the side panel of a selected building (kept between frames, decision 0014's
      // revision of 2026-11-27) follows a report filed while it is shown.
      await click(page, '✓ ' + await tr(page, 'map.edit.done'));
      await typeInto(page, await tr(page, 'map.search'), '北苑 3号楼');
      await click(page, '北苑小区 3号楼');
      assert.equal((await mapView(page)).selected, 'building:b3');
      // (The panel's words, as the accessibility mirror has them: paragraphs are not ImGui items.)
      const said = async () => (await page.evaluate(() => window.sihui.a11y.items())).map((i) => i.label);
      const openText = async (n) => fill(await tr(page, 'map.open_reports'), { n });
      await waitFor('no open report', async () => (await said()).includes(await openText(0)));
      await act(page, 'report.file', { id: 'side-r1', category: 'repair', subtype: 'broken_lift', unit: 'u1', description: '电梯停在三楼' });
      await waitFor('the side panel to list it', async () => { const w = await said(); return w.includes('电梯停在三楼') && w.includes(await openText(1)); });
      await click(page, await tr(page, 'map.edit.start'));

      // A unit of the chosen 3号楼 (revision 2026-11-27 of 0026): 1单元 has a household, so the panel
      // says why and sends nothing; the empty 2单元 goes after 确认移除.
      const rmUnit = async (name) => '✕ ' + fill(await tr(page, 'map.edit.remove_unit'), { name });
      const sent = await pending(page);
      await panelClick(page, await rmUnit('1单元'));
      const why = fill(await tr(page, 'reason.place.has_households'), { place: '1单元', count: 1 });
      await waitFor('why 1单元 stays', async () => (await labels()).includes(why));
      await panelClick(page, await tr(page, 'map.edit.close'));
      await panelClick(page, await rmUnit('2单元'));
      await panelClick(page, await tr(page, 'map.edit.remove_yes'));
      const unitGone = fill(await tr(page, 'map.edit.removed'), { name: '北苑小区 3号楼 2单元' });
      await inPanel(page, unitGone, -100);  // said at the top of the panel
      await inPanel(page, await rmUnit('1单元'));
      assert.ok(!(await labels()).includes(await rmUnit('2单元')), 'no button for a removed unit');
      assert.equal(await pending(page), sent + 1, 'one place.remove, nothing for the refused unit');

      // 北苑小区 into 南苑网格 (grid.compound.move), undone and redone. The search is outside edit mode.
      await click(page, '✓ ' + await tr(page, 'map.edit.done'));
      await typeInto(page, await tr(page, 'map.search'), '北苑');
      await click(page, fill(await tr(page, 'map.search.compound'), { name: '北苑小区' }));
      await waitFor('北苑小区 chosen', async () => (await mapView(page)).selected === 'compound:north');
      await click(page, await tr(page, 'map.edit.start'));
      const gridOf = async (grid) => fill(await tr(page, 'map.edit.grid_of'), { grid });
      await inPanel(page, await gridOf('北苑网格'), -100);
      await panelClick(page, '⇄ ' + await tr(page, 'map.edit.change_grid'));
      await panelClick(page, fill(await tr(page, 'map.edit.move_to_grid'), { grid: '南苑网格' }));
      await inPanel(page, fill(await tr(page, 'map.edit.moved_grid'), { name: '北苑小区', grid: '南苑网格' }), -100);
      await inPanel(page, await gridOf('南苑网格'), -100);
      await click(page, '↶ ' + await tr(page, 'map.edit.undo'));
      await inPanel(page, await gridOf('北苑网格'), -100);  // the move undone
      await click(page, '↷ ' + await tr(page, 'map.edit.redo'));
      await inPanel(page, await gridOf('南苑网格'), -100);  // and redone
      assert.equal(await pending(page), sent + 4, 'move, undo and redo are three more ops');
      await panelClick(page, '⇄ ' + await tr(page, 'map.edit.change_grid'));  // the screenshots show the choices
      await findItem(page, await tr(page, 'map.edit.leave_grid'));
      await shot(page, 'mapedit-tablet-grid-choice');

      // Edit mode at tablet and phone sizes, 100% and 200% text: nothing sticks out to the right.
      const noneCut = async (where) => {
        const vp = page.viewportSize();
        for (const it of await page.evaluate(() => window.sihui.items())) {
          if (!it.label || it.role === 'unknown') continue;
          assert.ok(it.x >= -1 && it.x + it.w <= vp.width + 1, `${where}: "${it.label}" is cut off`);
        }
      };
      await click(page, await tr(page, 'map.edit.vertices'));
      await shot(page, 'mapedit-tablet-100');
      await noneCut('tablet 100%');
      await page.setViewportSize(PHONE);
      await settle(page, 8);
      await shot(page, 'mapedit-phone-100');
      await noneCut('phone 100%');
      await click(page, await tr(page, 'nav.home'));
      await click(page, await tr(page, 'nav.settings'));
      await setTextScale(page, 200);
      await click(page, await tr(page, 'nav.home'));
      await click(page, await tr(page, 'home.manage.title'));
      await click(page, await tr(page, 'manage.tab.map'));
      await settle(page, 8);
      await shot(page, 'mapedit-phone-200');
      // Scroll down to the map as a person would, with the wheel beside the map (over it, it zooms).
      const fit = await tr(page, 'map.fit');
      await page.mouse.move(PHONE.width - 40, PHONE.height / 2);  // on the scroll bar, right of the map
      await waitFor('the map in view', async () => {
        if ((await page.evaluate(() => window.sihui.items())).some((i) => i.label === fit)) return true;
        await page.mouse.wheel(0, 100);
        await settle(page);
        return false;
      });
      await settle(page, 4);
      await shot(page, 'mapedit-phone-200-map');
      await noneCut('phone 200%');
      await page.setViewportSize(TABLET);
      await settle(page, 8);
      await shot(page, 'mapedit-tablet-200');
      await noneCut('tablet 200%');
      // The resize left the page scrolled into the lower part of the (now taller) map: back up to the
      // map's top, beside it, the map is there with its places (the picture above shows only its bottom; looked at in session 6).
      await page.mouse.move(TABLET.width - 40, TABLET.height / 2);  // on the scroll bar, right of the map
      await waitFor('the map\'s top in view', async () => {
        if ((await page.evaluate(() => window.sihui.items())).some((i) => i.label === fit)) return true;
        await page.mouse.wheel(0, -100);
        await settle(page);
        return false;
      });
      await shot(page, 'mapedit-tablet-200-top');
      await noneCut('tablet 200%, the map\'s top');
      assert.deepEqual(page.sihuiErrors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|net::/.test(e)), []);
      await ctx.close();
    } finally {
      await server.stop();
    }
  },
};
