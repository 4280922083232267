// ./sihui bench [AREA]: measures, prints "name value unit" lines, and rewrites the area's
// section of docs/benchmarks.md with the figures, the machine and the date.
// Areas: web (first-frame bytes and time), core (reducer throughput, native and wasm).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { TOP, startServer, launch } from '../browser/lib.mjs';

const areas = { web: benchWeb, core: benchCore };
const wanted = process.argv[2] ? [process.argv[2]] : Object.keys(areas);
for (const a of wanted) if (!areas[a]) { console.error(`bench: no area "${a}"; areas: ${Object.keys(areas).join(', ')}`); process.exit(2); }

function median(xs) { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; }
function kb(n) { return (n / 1024).toFixed(1); }
function fileSize(p) { return existsSync(p) ? statSync(p).size : 0; }

function machine() {
  const c = cpus();
  return `${c.length} × ${c[0] ? c[0].model.trim() : 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}`;
}

async function benchWeb() {
  const dist = join(TOP, 'build', 'web', 'dist');
  const build = JSON.parse(readFileSync(join(dist, 'build.json'), 'utf8'));
  const parts = [['html', 'index.html'], ['js', build.files['sihui.js']], ['wasm', build.files['sihui.wasm']], ['first font', build.files['fonts/first.ttf']]];
  const rows = parts.map(([what, f]) => ({ what, raw: fileSize(join(dist, f)), gz: fileSize(join(dist, f + '.gz')) || fileSize(join(dist, f)), br: fileSize(join(dist, f + '.br')) || fileSize(join(dist, f)) }));
  const total = rows.reduce((a, r) => ({ raw: a.raw + r.raw, gz: a.gz + r.gz, br: a.br + r.br }), { raw: 0, gz: 0, br: 0 });
  const full = ['fonts/full.ttf', 'fonts/fallback.ttf'].map((n) => ({ raw: fileSize(join(dist, build.files[n])), br: fileSize(join(dist, build.files[n] + '.br')) }));

  const server = await startServer();
  const browser = await launch();
  const firsts = [], readies = [], transferred = [];
  try {
    for (let i = 0; i < 10; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await ctx.newPage();
      let bytes = 0;
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Network.enable');
      cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
      await page.goto(server.url);
      await page.waitForFunction(() => window.sihui && window.sihui.readyMs, null, { timeout: 30000 });
      const t = await page.evaluate(() => [window.sihui.firstFrameMs, window.sihui.readyMs]);
      firsts.push(t[0]);
      readies.push(t[1]);
      transferred.push(bytes);
      await ctx.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const figures = [
    ['web.first_frame_bytes_gz', total.gz, 'bytes'],
    ['web.first_frame_bytes_br', total.br, 'bytes'],
    ['web.first_frame_bytes_raw', total.raw, 'bytes'],
    ['web.first_frame_ms', median(firsts), 'ms'],
    ['web.ready_ms', median(readies), 'ms'],
  ];
  const md = [
    `Goal: at most 800 KB compressed for the first frame, first frame within 1 s (headless Chromium, loopback, cold cache, median of 10).`,
    '',
    '| part | raw KB | gzip KB | brotli KB |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.what} | ${kb(r.raw)} | ${kb(r.gz)} | ${kb(r.br)} |`),
    `| **first frame total** | ${kb(total.raw)} | ${kb(total.gz)} | ${kb(total.br)} |`,
    `| full font, fetched after the first frame | ${kb(full[0].raw + full[1].raw)} | – | ${kb(full[0].br + full[1].br)} |`,
    '',
    `| figure | value |`,
    `|---|---|`,
    `| web.first_frame_ms (median of 10; min ${Math.min(...firsts).toFixed(0)}, max ${Math.max(...firsts).toFixed(0)}) | ${median(firsts).toFixed(0)} ms |`,
    `| web.ready_ms (storage loaded, home screen shown) | ${median(readies).toFixed(0)} ms |`,
    `| bytes on the wire per cold load until ready (median) | ${kb(median(transferred))} KB |`,
  ];
  return { figures, md };
}

async function benchCore() {
  const native = join(TOP, 'build', 'release', 'tests', 'bench', 'core_bench');
  const wasm = join(TOP, 'build', 'web', 'tests', 'bench', 'core_bench.js');
  if (!existsSync(native)) return { figures: [], md: ['No core benchmark built (tests/bench/core_bench.cpp is not there yet).'] };
  const parse = (out) => Object.fromEntries(out.split('\n').map((l) => l.trim().split(/\s+/)).filter((p) => p.length === 3 && p[0].startsWith('core.')).map((p) => [p[0], [Number(p[1]), p[2]]]));
  const n = parse(execFileSync(native, { encoding: 'utf8', maxBuffer: 1 << 26 }));
  const figures = Object.entries(n).map(([k, [v, u]]) => [k, v, u]);
  let w = null;
  if (existsSync(wasm)) {
    w = parse(execFileSync('node', ['--no-experimental-fetch', wasm], { encoding: 'utf8', maxBuffer: 1 << 26 }));
    const key = 'core.decode_apply_ops_per_s';
    if (n[key] && w[key]) figures.push(['core.wasm_vs_native', n[key][0] / w[key][0], 'x']);
  }
  const md = ['| figure | native | wasm (Node) | unit |', '|---|---|---|---|',
    ...Object.entries(n).map(([k, [v, u]]) => `| ${k} | ${fmt(v)} | ${w && w[k] ? fmt(w[k][0]) : '–'} | ${u} |`)];
  const ratio = figures.find((f) => f[0] === 'core.wasm_vs_native');
  if (ratio) md.push('', `core.wasm_vs_native (native decode+apply rate over wasm rate): ${ratio[1].toFixed(2)}x`);
  return { figures, md };
}

function fmt(v) { return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : Number(v.toFixed(2)).toString(); }

function updateDoc(area, md) {
  const path = join(TOP, 'docs', 'benchmarks.md');
  let doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n\nWritten by `./sihui bench [AREA]`; each area\'s section is replaced by its latest run.\n';
  const start = `<!-- bench:${area}:start -->`, end = `<!-- bench:${area}:end -->`;
  const when = new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const block = `${start}\n## ${area}\n\nMeasured ${when} on ${machine()}.\n\n${md.join('\n')}\n${end}`;
  const i = doc.indexOf(start), j = doc.indexOf(end);
  doc = i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : doc.trimEnd() + '\n\n' + block + '\n';
  writeFileSync(path, doc);
}

for (const a of wanted) {
  const { figures, md } = await areas[a]();
  for (const [k, v, u] of figures) console.log(`${k} ${Number.isInteger(v) ? v : v.toFixed(2)} ${u}`);
  updateDoc(a, md);
}
