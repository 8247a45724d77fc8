#!/usr/bin/env node
/**
 * Strip benchmark in the browser: stripping a notebook from its in-memory JSON vs
 * serialising it and parsing it back first (nbgallery's way), in Chromium.
 *
 * Target (issue): "Strip cost follows what is kept, not what is removed": a notebook with
 * 50 MB of outputs and ~100 KB of source strips in <= 20 ms and >= 20x faster than
 * serialise-then-strip. Median of 10 runs each.
 *
 * Usage: node bench/strip_browser.js [outputMB]   (default 50)
 *
 * What it measures is the JSON-level strip (`stripNotebook` on an object). The real
 * target is stripping the notebook open in JupyterLab straight from its model
 * (`stripNotebookModel`); that needs a running JupyterLab and is not measured here.
 *
 * No bundler: src/gallery is compiled with the project's tsc to CommonJS in a temp folder
 * and loaded into a blank page by a twenty-line module loader. The notebook is generated in
 * the page, so 50 MB never crosses the DevTools protocol.
 *
 * It is a benchmark, not a test: it exits 0 whatever the figures, non-zero only when it
 * could not measure.
 */
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const REPO = path.resolve(__dirname, '..');
// The UI tests' Playwright with Debian's Chromium: nothing is downloaded.
const { chromium } = require(
  path.join(REPO, 'ui-tests', 'node_modules', '@playwright', 'test')
);
const { launchOptions } = require(path.join(REPO, 'ui-tests', 'chromium'));

const OUTPUT_MB = Number(process.argv[2] || 50);
const RUNS = 10;
const WARMUP = 2;

/** Compile src/gallery/strip.ts (and what it imports) to CommonJS; returns path -> text. */
function compile() {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-strip-js-'));
  try {
    execFileSync(
      path.join(REPO, 'node_modules', '.bin', 'tsc'),
      [
        path.join(REPO, 'src', 'gallery', 'strip.ts'),
        '--outDir',
        out,
        '--rootDir',
        REPO,
        '--module',
        'commonjs',
        '--target',
        'ES2021',
        '--lib',
        'ES2021,DOM',
        '--strict',
        '--resolveJsonModule',
        '--esModuleInterop',
        '--skipLibCheck',
        '--types',
        'node'
      ],
      { cwd: REPO, stdio: 'inherit' }
    );
    const files = {};
    const walk = dir => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          walk(full);
        } else if (/\.(js|json)$/.test(entry.name)) {
          files[path.relative(out, full).split(path.sep).join('/')] =
            fs.readFileSync(full, 'utf-8');
        }
      }
    };
    walk(out);
    return files;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/** A script that defines `window.atriumStrip` from the compiled files. */
function loaderScript(files) {
  return `(() => {
  const files = ${JSON.stringify(files)};
  const cache = {};
  const join = (from, spec) => {
    const parts = from.split('/').slice(0, -1);
    for (const part of spec.split('/')) {
      if (part === '..') parts.pop(); else if (part !== '.') parts.push(part);
    }
    return parts.join('/');
  };
  const load = name => {
    const file = files[name] !== undefined ? name : name + '.js';
    if (files[file] === undefined) throw new Error('missing module ' + name);
    if (cache[file]) return cache[file].exports;
    const module = (cache[file] = { exports: {} });
    if (file.endsWith('.json')) {
      module.exports = JSON.parse(files[file]);
    } else {
      const require = spec => load(join(file, spec));
      new Function('exports', 'require', 'module', files[file])(module.exports, require, module);
    }
    return module.exports;
  };
  window.atriumStrip = load('src/gallery/strip.js');
})();`;
}

/** Runs in the page: build the notebook, then time both ways. */
async function measureInPage({ outputMB, runs, warmup }) {
  const { stripNotebook } = window.atriumStrip;
  const randomText = size => {
    const bytes = new Uint8Array(Math.ceil((size * 3) / 4));
    for (let i = 0; i < bytes.length; i += 65536) {
      crypto.getRandomValues(bytes.subarray(i, i + 65536));
    }
    let binary = '';
    for (let i = 0; i < bytes.length; i += 8192) {
      binary += String.fromCharCode(...bytes.subarray(i, i + 8192));
    }
    return btoa(binary).slice(0, size);
  };
  const codeCells = 200;
  const perCell = Math.floor((outputMB * 1e6) / codeCells);
  const cells = [];
  let source = 0;
  for (let i = 0; i < codeCells; i++) {
    const code =
      `# Slice ${i}: the north region's sales by month and product.\n` +
      `df_${i} = load_table("sales_${i}.parquet").query("region == 'north'")\n` +
      `summary_${i} = df_${i}.groupby(["month", "product"]).agg(total=("total", "sum"))\n` +
      `fig, ax = plt.subplots(figsize=(8, 4))\n` +
      `ax.set_ylabel("total sales (EUR)"); ax.set_xlabel("month"); ax.grid(True)\n` +
      `# Totals are net of returns; see the data dictionary for the columns.\n` +
      `summary_${i}.reset_index().plot(x="month", y="total", ax=ax)\n` +
      `display(summary_${i}.head(20))\n`;
    const markdown = `## Step ${i}\n\nSales for slice ${i}, north region, by month.`;
    source += code.length + markdown.length;
    cells.push({
      cell_type: 'markdown',
      id: `md-${i}`,
      metadata: {},
      source: markdown
    });
    cells.push({
      cell_type: 'code',
      execution_count: i + 1,
      id: `code-${i}`,
      metadata: {
        execution: { 'shell.execute_reply': '2026-11-21T09:00:01.000Z' },
        tags: ['analysis']
      },
      outputs: [
        {
          name: 'stdout',
          output_type: 'stream',
          text: randomText(Math.floor(perCell * 0.2))
        },
        {
          data: {
            'image/png': randomText(Math.floor(perCell * 0.6)),
            'text/plain': ['<Figure size 800x400>']
          },
          metadata: {},
          output_type: 'display_data'
        },
        {
          data: {
            'text/html': randomText(Math.floor(perCell * 0.2)),
            'text/plain': ['<DataFrame>']
          },
          execution_count: i + 1,
          metadata: {},
          output_type: 'execute_result'
        }
      ],
      source: code
    });
  }
  const nb = {
    cells,
    metadata: {
      kernelspec: {
        display_name: 'Python 3',
        language: 'python',
        name: 'python3'
      },
      language_info: { name: 'python', version: '3.11.7' }
    },
    nbformat: 4,
    nbformat_minor: 5
  };
  const options = { allowAttachments: false };
  const stringify = JSON.stringify;
  let stringifyCalls = 0;
  const direct = () => {
    JSON.stringify = (...args) => {
      stringifyCalls++;
      return stringify(...args);
    };
    try {
      return stripNotebook(nb, options);
    } finally {
      JSON.stringify = stringify;
    }
  };
  const roundTrip = () => stripNotebook(JSON.parse(stringify(nb)), options);
  const time = fn => {
    const start = performance.now();
    fn();
    return performance.now() - start;
  };
  const median = xs => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2
      ? s[(s.length - 1) / 2]
      : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const outputChars = cells.reduce(
    (n, c) =>
      n +
      (c.outputs || []).reduce(
        (m, o) =>
          m +
          (o.text || '').length +
          Object.values(o.data || {}).reduce(
            (k, v) => k + (typeof v === 'string' ? v.length : 0),
            0
          ),
        0
      ),
    0
  );
  const serialisedBytes = stringify(nb).length;
  const check = direct();
  for (let i = 0; i < warmup; i++) {
    direct();
    roundTrip();
  }
  const a = [];
  const b = [];
  // Alternate, so drift and garbage collection hit both alike.
  for (let i = 0; i < runs; i++) {
    a.push(time(direct));
    b.push(time(roundTrip));
  }
  return {
    sourceChars: source,
    outputChars,
    serialisedBytes,
    outputsRemoved: check.report.outputs,
    keptBytes: stringify(check.notebook).length,
    stringifyCallsDuringStrip: stringifyCalls,
    direct: a,
    roundTrip: b,
    directMedian: median(a),
    roundTripMedian: median(b)
  };
}

async function main() {
  const files = compile();
  const browser = await chromium.launch(launchOptions);
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>strip bench</title>');
    await page.addScriptTag({ content: loaderScript(files) });
    const version = browser.version();
    const r = await page.evaluate(measureInPage, {
      outputMB: OUTPUT_MB,
      runs: RUNS,
      warmup: WARMUP
    });
    const ratio = r.roundTripMedian / r.directMedian;
    const fmt = xs => xs.map(x => x.toFixed(2)).join(' ');
    console.log(
      `Chromium ${version}, node ${process.version}, nproc ${os.cpus().length}`
    );
    console.log(
      `notebook: ${(r.outputChars / 1e6).toFixed(1)} M chars of outputs, ` +
        `${(r.sourceChars / 1e3).toFixed(0)} K chars of source, ` +
        `${(r.serialisedBytes / 1e6).toFixed(1)} MB as JSON; stripped: ` +
        `${(r.keptBytes / 1e3).toFixed(0)} KB, ${r.outputsRemoved} outputs removed`
    );
    console.log(
      `JSON.stringify calls during stripNotebook: ${r.stringifyCallsDuringStrip}`
    );
    console.log(`(a) stripNotebook(nb)           ms: ${fmt(r.direct)}`);
    console.log(`(b) strip(parse(stringify(nb))) ms: ${fmt(r.roundTrip)}`);
    console.log(
      `median (a) ${r.directMedian.toFixed(2)} ms, (b) ${r.roundTripMedian.toFixed(1)} ms, ` +
        `ratio ${ratio.toFixed(0)}x; target (a) <= 20 ms: ` +
        `${r.directMedian <= 20 ? 'PASS' : 'FAIL'}, ratio >= 20x: ${ratio >= 20 ? 'PASS' : 'FAIL'}`
    );
    console.log('RESULT ' + JSON.stringify({ chromium: version, ...r, ratio }));
  } finally {
    await browser.close();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
