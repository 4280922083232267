// The committee's statistics page (issue 6): charts whose words agree with the core's numbers, the
// range chips, the CSV download (BOM, Chinese headers, the same totals), and the layout at tablet
// and phone sizes with 100% and 200% text, screenshots looked at.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openApp, settle, click, items, tr, TABLET, PHONE, query, fill, findPrefix, goHome, assertLaidOut,
  setTextScale } from './lib.mjs';

const DAY = 86400000, HOUR = 3600000;
const newContext = (browser, viewport) => browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN', acceptDownloads: true });

async function openDemoStats(browser, url, vp) {
  const ctx = await newContext(browser, vp);
  const page = await openApp(ctx, url + '/?demo=1');
  await page.waitForFunction(() => window.sihui.status().demo === true, null, { timeout: 90000 });
  await click(page, await tr(page, 'home.manage.title'));
  await click(page, await tr(page, 'manage.tab.stats'));
  await settle(page);
  return { ctx, page };
}

// The demo's statistics are seen from 08:00 (Shanghai) on the day after its last op, as the page does.
async function demoNow(page) {
  const clock = (await query(page, 'community.summary')).clock;
  return Math.floor((clock + 8 * HOUR) / DAY) * DAY + DAY;  // 00:00 Shanghai next day is 16:00 UTC; + 8 h
}

export const tests = {
  async 'stats: the committee sees reports by category, grid and month; words, core and CSV agree'({ browser, url, shot }) {
    const { ctx, page } = await openDemoStats(browser, url, TABLET);
    try {
      const now = await demoNow(page);
      const core = await query(page, 'reports.stats', { now, months: 6 });
      assert.ok(core.total.filed > 0, 'the demo has reports');
      const t = core.total;
      const summary = fill(await tr(page, 'stats.summary'), {
        range: '', filed: t.filed, closed: t.closed, open: t.open, overdue: t.overdue });
      const said = (await items(page)).filter((i) => i.role === 'status').map((i) => i.label);
      assert.ok(said.some((l) => l.endsWith(summary)), `summary "${summary}" not on screen: ${said.join(' | ')}`);
      // Each chart says every bar's numbers in words; they sum to the total.
      const chart = async (key) => (await findPrefix(page, await tr(page, key), { role: 'status' })).label;
      const cats = await chart('stats.by_category');
      for (const [name, c] of Object.entries(core.by_category)) {
        const row = fill(await tr(page, 'stats.bar.row'), { name: await tr(page, `category.${name}`), filed: c.filed, closed: c.closed, overdue: c.overdue });
        assert.ok(cats.includes(row), `category row "${row}" missing from "${cats}"`);
      }
      assert.equal(Object.values(core.by_category).reduce((a, c) => a + c.filed, 0), t.filed);
      const grids = await chart('stats.by_grid');
      assert.equal(core.by_grid.reduce((a, g) => a + g.counts.filed, 0), t.filed);
      for (const g of core.by_grid) assert.ok(grids.includes(`：受理 ${g.counts.filed} 件，办结 ${g.counts.closed} 件`), grids);
      const months = await chart('stats.by_month');
      assert.equal(core.by_month.length, 6);
      for (const m of core.by_month) {
        assert.ok(months.includes(fill(await tr(page, 'stats.month.row'), m)), `month ${m.month} missing from "${months}"`);
      }
      await shot(page, 'stats-tablet-charts');

      // The range: 3 months is a checked chip, and the numbers follow the core's for 3 months.
      const three = fill(await tr(page, 'stats.range'), { n: 3 });
      await page.mouse.wheel(0, -20000);
      await settle(page);
      const chip = (await items(page)).find((i) => i.label === three);
      assert.ok(chip && chip.role === 'checkbox' && !chip.checked, `chip "${three}": ${JSON.stringify(chip)}`);
      await page.mouse.click(chip.x + chip.w / 2, chip.y + chip.h / 2);
      await settle(page);
      const checked = (await items(page)).find((i) => i.label === '✓ ' + three);
      assert.ok(checked && checked.checked, 'the 3-month chip is checked after a click');
      const core3 = await query(page, 'reports.stats', { now, months: 3 });
      assert.ok(core3.total.filed < t.filed);
      const months3 = await chart('stats.by_month');
      assert.equal((months3.match(/受理/g) || []).length, 3);

      // The CSV: a real download through the page, read as Excel would.
      const exportLabel = await tr(page, 'stats.export');
      const button = await findPrefix(page, exportLabel);
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 15000 }),
        page.mouse.click(button.x + button.w / 2, button.y + button.h / 2),
      ]);
      assert.match(download.suggestedFilename(), /^reports-\d{4}-\d{2}-\d{4}-\d{2}\.csv$/);
      const bytes = readFileSync(await download.path());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xEF, 0xBB, 0xBF], 'UTF-8 BOM for Excel and WPS');
      const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
      assert.equal(lines[0].split(',')[2], await tr(page, 'stats.filed'));
      const total = lines[1].split(',');
      assert.equal(total[0], await tr(page, 'stats.total'));
      assert.deepEqual(total.slice(2, 6).map(Number), [core3.total.filed, core3.total.closed, core3.total.open, core3.total.overdue]);
      assert.equal(lines.length, 2 + 6 + core3.by_grid.length + 3, lines.join('\n'));
    } finally {
      await ctx.close();
    }
  },

  async 'stats: the page at tablet and phone sizes, 100% and 200% text, fits and is looked at'({ browser, url, shot }) {
    for (const [vpName, vp] of [['tablet', TABLET], ['phone', PHONE]]) {
      const { ctx, page } = await openDemoStats(browser, url, vp);
      try {
        for (const scale of [100, 200]) {
          if (scale !== 100) {
            await goHome(page);
            await click(page, await tr(page, 'nav.settings'));
            await setTextScale(page, scale);
            await goHome(page);
            await click(page, await tr(page, 'home.manage.title'));
            await click(page, await tr(page, 'manage.tab.stats'));
          }
          const tag = `${vpName}-${scale}`;
          for (let part = 0; part < 4; part++) {
            await settle(page);
            await assertLaidOut(page, `${tag} stats ${part}`);
            await shot(page, `stats-${tag}-${part}`);
            await page.mouse.move(vp.width / 2, vp.height / 2);
            await page.mouse.wheel(0, vp.height * 0.7);
          }
          await page.mouse.wheel(0, -20000);
        }
      } finally {
        await ctx.close();
      }
    }
  },
};
