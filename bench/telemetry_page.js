#!/usr/bin/env node
/**
 * Execution-telemetry benchmark in a real JupyterLab page (issue 13's Performance targets):
 *
 *   "Execution overhead: run 1,000 trivial cells with telemetry on vs off — ratio <= 1.02."
 *   "<= 20 HTTP requests per 1,000 executions (nbgallery: 1,000)."
 *
 * Usage: node bench/telemetry_page.js [--mode=blocks|rounds] [--cells=1000]
 *          blocks: [--block=100] [--cycles=40] [--budget=390]
 *          rounds: [--rounds=5] [--profile]
 *          [--labextensions=DIR] (a build of jupyterlab-atrium there is measured instead)
 *
 * Own `jupyter lab` (free port, temp root, SQLite; policy opt_in so the user's setting
 * switches reporting), a notebook of `--cells` trivial code cells published to the gallery
 * (so it is a linked copy the hook reports), opened in Debian's Chromium.
 *
 * --mode=blocks (the default): one page, one kernel, one notebook, three arms alternated
 * in many short blocks of `--block` cells, so that the machine's drift (identical
 * 1,000-cell run-alls differ by up to ±15 % here) falls on all arms alike:
 *   on    the user's choice "yes": the hook records every run, the outbox sends;
 *   skip  the user's choice "yes", the hook connected but returning at its first check
 *         (the bench switch of src/telemetry/bench.ts, which exists only when the server's
 *         page config asks for it): the page in the "on" state minus the hook's work;
 *   off   the user's choice "no" (set through the setting registry, as the help page does).
 * Every block runs the same range of cells (in the middle of the notebook); a cycle runs it
 * six times, in the mirrored order on skip off off skip on (the next cycle: off skip on on
 * skip off), so a linear drift within a cycle cancels. Every block is prepared alike, whatever its arm: pending records are
 * sent (the bench switch's flush; only "on" blocks leave any) and the server answers, the
 * arm's choice is set (changed or not), the range selected, a full garbage collection, a
 * quiet main thread; then
 * `notebook:run-cell` runs the range, timed in the page. After each block the bench waits
 * for its records to be sent (flush), the page to be quiet and the server and kernel to
 * be idle (what the server does with a batch after its reply would otherwise fall into the
 * next block, whatever that block's arm); a block's CPU time (the bench's Chromium, the
 * Jupyter server and its kernel, from /proc) runs from its start to then, so it includes
 * the sending and the service's ingest.
 * Figures: the ratio of total times on/off (the target), on/skip (the hook's own work)
 * and skip/off (two arms without the hook's work: what the bench cannot tell apart), each
 * with a 95 % bootstrap interval over cycles; the same for CPU time; per arm, the Yjs
 * transactions, notebook model changes and DOM mutations per block (the hook must not add
 * any). Then one run-all of the whole notebook with reporting on and the interval flush,
 * as a user runs it: HTTP requests per 1,000 executions, and the service must hold exactly
 * the executions of the "on" blocks and of that run (none from "skip" or "off").
 * The last line before RESULT is the verdict. With the defaults it ends within 10 minutes
 * (`--budget` seconds for the blocks, then the run-all).
 *
 * --mode=rounds (the earlier bench): whole-notebook run-alls, once with reporting on and
 * once off per round, in alternating order; after each run the interval flush is waited
 * out; wall-clock and CPU time per run, per-round paired ratios, their medians with 95 %
 * paired bootstrap intervals; `--profile` adds a CPU profile of each run.
 *
 * A benchmark, not a test: exits 0 whatever the figures, 1 when it could not measure.
 */
'use strict';

const fs = require('fs');
const path = require('path');
const {
  startServer,
  runMain,
  launchBrowser,
  openLab,
  openNotebook,
  waitIdle,
  summarize,
  loadavg,
  sleep,
  REPO
} = require('./lib/labpage');
const { bootstrapRatioCI, bootstrapCI } = require('./lib/stats');
const { cpuMeter, waitServerIdle } = require('./lib/cputime');

function option(name, fallback) {
  const arg = process.argv.find(a => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : fallback;
}

const CELLS = Number(option('cells', 1000));
/** --profile: a CPU profile of each run; prints where the "on" runs spend more. */
const PROFILE = process.argv.includes('--profile');
const ROUNDS = Number(option('rounds', 5));
const MODE = option('mode', 'blocks');
/** Blocks mode: cells per block, most cycles, and seconds after which no cycle starts. */
const BLOCK = Number(option('block', 100));
const CYCLES = Number(option('cycles', 40));
const BUDGET_S = Number(option('budget', 390));
/** A labextensions directory holding another build of jupyterlab-atrium, or null. */
const LABEXT = option('labextensions', null);
/** --verbose: how long each phase of each block took. */
const VERBOSE = process.argv.includes('--verbose');
const PLUGIN = 'jupyterlab-atrium:telemetry';
const FLUSH_S = 5;

function trivialNotebook(cells) {
  return {
    cells: Array.from({ length: cells }, (_, i) => ({
      cell_type: 'code',
      id: `c${i}`,
      metadata: {},
      source: `x${i % 10} = ${i}`,
      outputs: [],
      execution_count: null
    })),
    metadata: {
      kernelspec: {
        display_name: 'Python 3 (ipykernel)',
        language: 'python',
        name: 'python3'
      }
    },
    nbformat: 4,
    nbformat_minor: 5
  };
}

/** A call of the page's own server with its XSRF cookie, as JupyterLab makes them. */
function pageFetch(page, url, init = {}) {
  return page.evaluate(
    async ({ url, init }) => {
      const xsrf = (document.cookie.match(/(?:^|; )_xsrf=([^;]*)/) || [])[1];
      const reply = await fetch(url, {
        ...init,
        headers: {
          'Content-Type': 'application/json',
          ...(xsrf ? { 'X-XSRFToken': decodeURIComponent(xsrf) } : {})
        }
      });
      return { status: reply.status, body: await reply.text() };
    },
    { url, init }
  );
}

/** The settings a round starts with (before the page loads: the plugin reads them then). */
async function saveSettings(page, report) {
  const save = (id, raw) =>
    page.evaluate(
      ({ id, raw }) => window.jupyterapp.serviceManager.settings.save(id, raw),
      { id, raw: JSON.stringify(raw) }
    );
  await save(PLUGIN, { report, flushIntervalSeconds: FLUSH_S });
  // No autosave: every 120 s JupyterLab saved the 1,000-cell notebook in the middle of
  // whichever run or block was going (seen in the blocks' model counters), the same
  // for every arm but a large, random addition to one of them.
  await save('@jupyterlab/docmanager-extension:plugin', { autosave: false });
}

/**
 * Switch reporting the way a user does, on Help > What Atrium Reports (which goes through
 * the setting registry, so the running plugin sees it), then bring the notebook back.
 */
async function chooseReporting(page, report) {
  await page.evaluate(() =>
    window.jupyterapp.commands.execute('atrium-telemetry:show')
  );
  const select = page.locator('.jp-AtriumTelemetry-page select');
  await select.selectOption(report);
  const expected =
    report === 'yes'
      ? 'This browser reports your cell runs.'
      : 'This browser does not report your cell runs.';
  await page
    .locator('.jp-AtriumTelemetry-page p[aria-live]', { hasText: expected })
    .waitFor({ timeout: 30000 });
  // Closed again, as a user would: an open page re-renders its record list on each run.
  await page.evaluate(() => {
    window.jupyterapp.shell.currentWidget.close();
    window.jupyterapp.shell.activateById(window.__benchPanel.id);
  });
}

async function executions(page, id) {
  const reply = await pageFetch(
    page,
    `/atrium/api/service/health/notebooks/${id}`
  );
  if (reply.status !== 200) {
    throw new Error(`health: ${reply.status} ${reply.body}`);
  }
  return JSON.parse(reply.body).counts.executions;
}

async function runAll(page) {
  return page.evaluate(async () => {
    const t0 = performance.now();
    const ok = await window.jupyterapp.commands.execute(
      'notebook:run-all-cells'
    );
    const ms = performance.now() - t0;
    return { ok, ms };
  });
}

/** Self time (ms) per function of a CDP CPU profile, keyed "name url:line". */
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const out = new Map();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const f = node.callFrame;
    const url = f.url.split('/').slice(-2).join('/');
    const key = `${f.functionName || '(anonymous)'} ${url}:${f.lineNumber}`;
    out.set(key, (out.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  }
  return out;
}

/**
 * The built chunk that holds the hook, the outbox and the fingerprint (the telemetry
 * runtime, loaded with import()): found by a string only the hook has.
 */
function runtimeChunk() {
  const dir = path.join(REPO, 'jupyterlab_atrium', 'labextension', 'static');
  const found = fs
    .readdirSync(dir)
    .filter(
      f =>
        f.endsWith('.js') &&
        fs
          .readFileSync(path.join(dir, f), 'utf8')
          .includes('executionScheduled')
    );
  if (found.length !== 1) {
    throw new Error(`expected one telemetry runtime chunk, found ${found}`);
  }
  return found[0];
}

/**
 * Main-thread time (ms) spent in the telemetry runtime and everything it calls: the
 * samples whose stack holds a frame of `chunk` (the hook's slots, the outbox, the digest
 * and random calls, localStorage, fetch). A direct measure, where "on" minus "off" of a
 * whole run is a difference of two noisy figures.
 */
function inclusiveTime(profile, chunk) {
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) {
    for (const c of n.children ?? []) {
      parent.set(c, n.id);
    }
  }
  const memo = new Map();
  const inside = id => {
    if (memo.has(id)) {
      return memo.get(id);
    }
    const node = byId.get(id);
    const own = node.callFrame.url.split(/[?#]/)[0].endsWith(`/${chunk}`);
    const result = own || (parent.has(id) ? inside(parent.get(id)) : false);
    memo.set(id, result);
    return result;
  };
  let ms = 0;
  const by = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    if (inside(profile.samples[i])) {
      const dt = (profile.timeDeltas[i] ?? 0) / 1000;
      ms += dt;
      const f = byId.get(profile.samples[i]).callFrame;
      const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}:${f.columnNumber}`;
      by.set(key, (by.get(key) ?? 0) + dt);
    }
  }
  return { ms, by };
}

function compareProfiles(on, off) {
  const keys = new Set([...on.keys(), ...off.keys()]);
  const rows = [...keys]
    .map(k => [k, (on.get(k) ?? 0) - (off.get(k) ?? 0)])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25);
  console.log('profile: self time on minus off (ms), largest first');
  for (const [k, d] of rows) {
    console.log(`  ${d.toFixed(1).padStart(8)}  ${k}`);
  }
}

/** The three arms of the blocks mode (see the header). */
const ARMS = ['on', 'skip', 'off'];
/** Quiet main thread (no long task) before a block starts and after it ends. */
const QUIET_MS = 300;
const ORDERS = [
  ['on', 'skip', 'off', 'off', 'skip', 'on'],
  ['off', 'skip', 'on', 'on', 'skip', 'off']
];

/**
 * Counters of what changes in the notebook's shared model while a block runs: Yjs
 * transactions and update bytes of its document, and the model's content and state
 * signals. The hook only reads; if it wrote to a cell or the notebook, its arm would
 * show more of them.
 */
async function installCounters(page) {
  await page.evaluate(() => {
    const counts = { transactions: 0, updateBytes: 0, content: 0, state: 0 };
    const model = window.__benchPanel.content.model;
    const ydoc = model.sharedModel.ydoc;
    ydoc.on('afterTransaction', () => counts.transactions++);
    ydoc.on('update', update => (counts.updateBytes += update.length));
    model.contentChanged.connect(() => counts.content++);
    model.stateChanged.connect(() => counts.state++);
    window.__benchCounts = counts;
  });
}

/** Send what is pending through the bench switch, and wait for the replies. */
async function flushRecords(page) {
  await page.evaluate(async () => {
    const bench = window.atriumTelemetryBench;
    await bench.flush();
    if (bench.pending()) {
      throw new Error(`${bench.pending()} records still pending after a flush`);
    }
  });
}

/**
 * The user's choice, set through JupyterLab's setting registry (what Settings > Settings
 * Editor and Help > What Atrium Reports both do), so the running plugin sees it at once;
 * set before every block, changed or not, so that every block is prepared alike.
 */
async function setChoice(page, report) {
  await page.evaluate(
    async ({ id, report }) => {
      const app = window.jupyterapp;
      // The registry's token, from the plugin that provides it (Lumino's PluginRegistry).
      const token = [...app.pluginRegistry._plugins.values()]
        .map(p => p.provides)
        .find(t => t?.name === '@jupyterlab/coreutils:ISettingRegistry');
      const registry = await app.resolveRequiredService(token);
      await registry.set(id, 'report', report);
    },
    { id: PLUGIN, report }
  );
}

/** Put the page in an arm's state and select the block's cells. */
async function prepareBlock(page, arm, start, end) {
  // Leaving "on" for "off" withdraws unsent records: every block starts with none.
  await flushRecords(page);
  await setChoice(page, arm === 'off' ? 'no' : 'yes');
  await page.evaluate(
    ({ skip, start, end }) => {
      window.atriumTelemetryBench.skip = skip;
      const notebook = window.__benchPanel.content;
      notebook.activeCellIndex = start;
      notebook.deselectAll();
      notebook.extendContiguousSelectionTo(end - 1);
      window.gc();
    },
    { skip: arm === 'skip', start, end }
  );
  await waitIdle(page, QUIET_MS);
}

/** Run the selected cells (the block), timed in the page, with the model counters. */
async function runBlock(page) {
  return page.evaluate(async () => {
    const counts = window.__benchCounts;
    const before = { ...counts };
    const t0 = performance.now();
    const ok = await window.jupyterapp.commands.execute('notebook:run-cell');
    const ms = performance.now() - t0;
    const delta = Object.fromEntries(
      Object.keys(counts).map(k => [k, counts[k] - before[k]])
    );
    return { ok, ms, counts: delta };
  });
}

const sum = xs => xs.reduce((a, b) => a + b, 0);

async function blocksMode({ server, page, summary, requests, others }) {
  if (BLOCK < 1 || BLOCK > CELLS) {
    throw new Error(`--block=${BLOCK} must be 1 to --cells=${CELLS}`);
  }
  await page.waitForFunction(() => !!window.atriumTelemetryBench, null, {
    timeout: 30000
  });
  await installCounters(page);
  await flushRecords(page);
  const storedBefore = await executions(page, summary.id);
  const requestsBefore = requests.length;
  const meter = cpuMeter(server.proc.pid);
  // Per cycle and arm: the sum of its two blocks' times; and every block's counters.
  const cycles = [];
  const counters = Object.fromEntries(ARMS.map(a => [a, []]));
  const otherPaths = Object.fromEntries(ARMS.map(a => [a, new Set()]));
  let onBlocks = 0;
  const t0 = Date.now();
  // One unmeasured cycle first: each arm's first block after the warm-up run-all.
  for (let c = -1; c < CYCLES; c++) {
    if (c >= 2 && (Date.now() - t0) / 1000 > BUDGET_S) {
      break;
    }
    // One range for every block: the first run of a range that had not been shown
    // (scrolled into view, its cells laid out) was up to twice as slow as the next ones,
    // which with a new range per cycle fell on the first arm of each cycle.
    const range = Math.floor((CELLS - BLOCK) / 2 / BLOCK) * BLOCK;
    const order = ORDERS[(c + 2) % 2];
    const cycle = Object.fromEntries(
      ARMS.map(a => [a, { ms: 0, cpu: 0, browser: 0, server: 0 }])
    );
    for (const arm of order) {
      const p0 = Date.now();
      await prepareBlock(page, arm, range, range + BLOCK);
      const p1 = Date.now();
      const cpuBefore = meter.read();
      const othersBefore = others.length;
      const { ok, ms, counts } = await runBlock(page);
      if (!ok) {
        throw new Error('a block reported a failure');
      }
      const p2 = Date.now();
      await flushRecords(page);
      const p3 = Date.now();
      await waitIdle(page, QUIET_MS);
      // The server's work on the block's records goes on after the flush's reply; it is
      // counted in this block's CPU time, and kept out of the next block's wall time.
      const settled = await waitServerIdle(meter);
      const used = meter.since(cpuBefore);
      // The page's requests from the block's start to its end (the flush's are excluded:
      // the bench makes those).
      counts.otherRequests = others
        .slice(othersBefore)
        .filter(r => !r.endsWith('/telemetry')).length;
      if (c >= 0) {
        for (const r of others.slice(othersBefore)) {
          otherPaths[arm].add(r);
        }
      }
      if (VERBOSE) {
        console.log(
          `  ${arm}: prepare ${p1 - p0} ms, run ${p2 - p1} ms (${ms.toFixed(0)} in the page), ` +
            `flush ${p3 - p2} ms, quiet ${Date.now() - p3} ms (server ${settled} ms)`
        );
      }
      if (arm === 'on') {
        onBlocks++;
      }
      if (c >= 0) {
        cycle[arm].ms += ms;
        cycle[arm].cpu += used.total;
        cycle[arm].browser += used.browser;
        cycle[arm].server += used.server;
        counters[arm].push(counts);
      }
    }
    if (c >= 0) {
      cycles.push(cycle);
      const r = (a, b) => (cycle[a].ms / cycle[b].ms).toFixed(3);
      console.log(
        `cycle ${c + 1} (cells ${range}–${range + BLOCK - 1}, ${order[0]} first): ` +
          ARMS.map(a => `${a} ${cycle[a].ms.toFixed(0)} ms`).join(', ') +
          `; on/off ${r('on', 'off')}, on/skip ${r('on', 'skip')}, skip/off ${r('skip', 'off')}` +
          ` (${((Date.now() - t0) / 1000).toFixed(0)} s)`
      );
    }
  }
  const blockRequests = requests.length - requestsBefore;
  const storedBlocks = (await executions(page, summary.id)) - storedBefore;

  // As a user runs it: the whole notebook, reporting on, the interval flush.
  await prepareBlock(page, 'on', 0, 1);
  const runRequestsBefore = requests.length;
  const whole = await runAll(page);
  if (!whole.ok) {
    throw new Error('run-all reported a failure');
  }
  await sleep((FLUSH_S + 2) * 1000);
  const runRequests = requests.length - runRequestsBefore;
  const storedRun =
    (await executions(page, summary.id)) - storedBefore - storedBlocks;

  const col = (arm, key) => cycles.map(cy => cy[arm][key]);
  const figure = (a, b, key) => {
    const x = col(a, key);
    const y = col(b, key);
    return {
      ratio: sum(x) / sum(y),
      ci95: bootstrapCI([x, y], (p, q) => sum(p) / sum(q)),
      perCycle: summarize(x.map((v, i) => v / y[i]))
    };
  };
  const pairs = [
    ['on', 'off'],
    ['on', 'skip'],
    ['skip', 'off']
  ];
  const figures = Object.fromEntries(
    ['ms', 'cpu', 'browser', 'server'].map(key => [
      key,
      Object.fromEntries(
        pairs.map(([a, b]) => [`${a}/${b}`, figure(a, b, key)])
      )
    ])
  );
  const perBlock = Object.fromEntries(
    ARMS.map(arm => [
      arm,
      Object.fromEntries(
        Object.keys(counters[arm][0]).map(k => [
          k,
          summarize(counters[arm].map(x => x[k]))
        ])
      )
    ])
  );
  const expectedBlocks = onBlocks * BLOCK;
  const onlyOn = [...otherPaths.on].filter(
    r => !otherPaths.skip.has(r) && !otherPaths.off.has(r)
  );
  const result = {
    mode: 'blocks',
    cells: CELLS,
    block: BLOCK,
    cycles: cycles.length,
    totalsMs: Object.fromEntries(ARMS.map(a => [a, sum(col(a, 'ms'))])),
    figures,
    modelChangesPerBlock: perBlock,
    otherRequestsOnlyOn: onlyOn,
    blocks: {
      onExecutions: expectedBlocks,
      stored: storedBlocks,
      requests: blockRequests
    },
    runAll: {
      ms: whole.ms,
      requests: runRequests,
      requestsPer1000: (runRequests * 1000) / CELLS,
      stored: storedRun
    }
  };

  const ci = ([lo, hi]) => `${lo.toFixed(3)}–${hi.toFixed(3)}`;
  console.log(
    `${cycles.length} cycles of 6 blocks of ${BLOCK} cells; total time ` +
      ARMS.map(a => `${a} ${(result.totalsMs[a] / 1000).toFixed(1)} s`).join(
        ', '
      )
  );
  for (const [key, label] of [
    ['ms', 'wall-clock'],
    ['cpu', 'CPU (browser + server + kernel)'],
    ['browser', 'CPU browser'],
    ['server', 'CPU server + kernel']
  ]) {
    console.log(
      `${label}: ` +
        pairs
          .map(([a, b]) => {
            const f = figures[key][`${a}/${b}`];
            return `${a}/${b} ${f.ratio.toFixed(3)} (95% ${ci(f.ci95)})`;
          })
          .join(', ')
    );
  }
  console.log('model changes per block (median; min–max):');
  for (const arm of ARMS) {
    console.log(
      `  ${arm.padEnd(4)} ` +
        Object.entries(perBlock[arm])
          .map(([k, s]) => `${k} ${s.median} (${s.min}–${s.max})`)
          .join(', ')
    );
  }
  if (VERBOSE) {
    console.log('other requests of the page during blocks, by arm:');
    for (const arm of ARMS) {
      console.log(`  ${arm}: ${[...otherPaths[arm]].join(', ')}`);
    }
  }
  console.log(
    `other requests of the page seen only in "on" blocks: ${onlyOn.length ? onlyOn.join(', ') : 'none'}`
  );
  console.log(
    `blocks: ${storedBlocks} executions stored for ${expectedBlocks} run in "on" blocks ` +
      `(${onBlocks} blocks; none expected from "skip" and "off"), ${blockRequests} requests ` +
      `(each block's records flushed at its end by the bench)`
  );
  console.log(
    `run-all of ${CELLS} cells, reporting on, interval flush: ${whole.ms.toFixed(0)} ms, ` +
      `${runRequests} requests (${result.runAll.requestsPer1000.toFixed(1)} per 1,000 executions, ` +
      `target ≤ 20), ${storedRun} stored`
  );
  const exact = storedBlocks === expectedBlocks && storedRun === CELLS;
  if (!exact) {
    console.log(
      `WARNING: the service did not store exactly the reported executions`
    );
  }
  console.log(`load average (1/5/15) at end: ${loadavg()}`);
  const f = figures.ms['on/off'];
  const [lo, hi] = f.ci95;
  const verdict =
    hi <= 1.02
      ? 'met'
      : lo > 1.02
        ? 'NOT met'
        : 'not shown (the interval straddles 1.02)';
  console.log(
    `VERDICT execution overhead, ${CELLS} trivial cells in ${cycles.length} cycles: ` +
      `on/off total time ${f.ratio.toFixed(3)}, 95% ${ci(f.ci95)}, target ≤ 1.02: ${verdict}; ` +
      `A/A (skip/off) ${figures.ms['skip/off'].ratio.toFixed(3)} (95% ${ci(figures.ms['skip/off'].ci95)}); ` +
      `${result.runAll.requestsPer1000.toFixed(1)} requests per 1,000 executions (≤ 20); ` +
      `stored exactly: ${exact ? 'yes' : 'NO'}`
  );
  console.log(`RESULT ${JSON.stringify(result)}`);
}

async function main() {
  console.log(`load average (1/5/15) at start: ${loadavg()}`);
  if (!['blocks', 'rounds'].includes(MODE)) {
    throw new Error(`--mode=blocks or --mode=rounds, not ${MODE}`);
  }
  const server = await startServer(
    'telemetry',
    [
      '--AtriumTelemetry.policy=opt_in',
      // A build of the labextension to measure instead of the installed one (it takes
      // precedence: JupyterLab looks in the extra paths first).
      ...(LABEXT ? [`--LabApp.extra_labextensions_path=${LABEXT}`] : [])
    ],
    // The bench switch (src/telemetry/bench.ts); the rounds mode does not use it.
    { pageConfig: MODE === 'blocks' ? { atriumTelemetryBench: true } : null }
  );
  console.log(`JupyterLab at ${server.url}`);
  // --expose-gc: each block starts after a full collection, whatever the arm.
  const browser = await launchBrowser(['--js-flags=--expose-gc']);
  try {
    const page = await (
      await browser.newContext({ viewport: { width: 1400, height: 900 } })
    ).newPage();
    page.on('pageerror', e => console.error(`page error: ${e}`));
    await openLab(page, server);

    // Publish, then write the linked copy as "Open a copy" would.
    const nb = trivialNotebook(CELLS);
    const published = await pageFetch(
      page,
      '/atrium/api/service/gallery/notebooks',
      {
        method: 'POST',
        body: JSON.stringify({
          title: 'Telemetry bench',
          description: '',
          tags: [],
          visibility: 'public',
          notebook: nb
        })
      }
    );
    if (published.status !== 201 && published.status !== 200) {
      throw new Error(`publish: ${published.status} ${published.body}`);
    }
    const summary = JSON.parse(published.body);
    nb.metadata.atrium = {
      gallery: {
        id: summary.id,
        version: summary.version,
        contentHash: summary.contentHash,
        role: 'owner'
      }
    };
    fs.writeFileSync(
      path.join(server.rootDir, 'bench.ipynb'),
      JSON.stringify(nb)
    );

    await saveSettings(page, 'yes');
    await openLab(page, server);
    const requests = [];
    const serverMs = [];
    // Every other request of the page (method and path): a report must not make the
    // page fetch anything else (a panel refreshing, say).
    const others = [];
    page.on('request', r => {
      if (r.method() === 'POST' && r.url().includes('/atrium/api/telemetry')) {
        requests.push(r.url());
      } else {
        others.push(`${r.method()} ${new URL(r.url()).pathname}`);
      }
    });
    // How long each report took from its request to the end of the reply: the user's
    // server (and, embedded, the service) at work for it, plus loopback and queueing.
    page.on('requestfinished', r => {
      if (r.method() === 'POST' && r.url().includes('/atrium/api/telemetry')) {
        const t = r.timing();
        serverMs.push(t.responseEnd - t.requestStart);
      }
    });
    const opened = await openNotebook(page, 'bench.ipynb');
    console.log(
      `opened ${opened.cells} cells, kernel ${opened.kernel}, sync '${opened.status}'`
    );
    // Warm-up: the kernel, the hook's chunk and the first batch (not measured).
    await runAll(page);
    await sleep((FLUSH_S + 2) * 1000);
    const ctx = { server, page, summary, requests, serverMs, others };
    if (MODE === 'blocks') {
      await blocksMode(ctx);
    } else {
      await roundsMode(ctx);
    }
  } finally {
    await browser.close();
  }
}

async function roundsMode({ server, page, summary, requests, serverMs }) {
  {
    const chunk = PROFILE ? runtimeChunk() : null;
    const direct = [];
    let stored = await executions(page, summary.id);

    const meter = cpuMeter(server.proc.pid);
    const on = [];
    const off = [];
    const cpu = { yes: [], no: [] };
    const profiles = { yes: [], no: [] };
    const counts = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? ['yes', 'no'] : ['no', 'yes'];
      for (const choice of order) {
        await chooseReporting(page, choice);
        await waitIdle(page, 1000);
        const before = requests.length;
        const cdp = PROFILE ? await page.context().newCDPSession(page) : null;
        if (cdp) {
          await cdp.send('Profiler.enable');
          await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
          await cdp.send('Profiler.start');
        }
        const cpuBefore = meter.read();
        const serverBefore = serverMs.length;
        const { ok, ms } = await runAll(page);
        if (cdp) {
          const { profile } = await cdp.send('Profiler.stop');
          profiles[choice].push(selfTimes(profile));
          await cdp.detach();
          if (choice === 'yes') {
            const inside = inclusiveTime(profile, chunk);
            direct.push({ runMs: ms, mainMs: inside.ms });
            const top = [...inside.by].sort((a, b) => b[1] - a[1]).slice(0, 15);
            console.log(
              '  self time under the telemetry runtime (ms), largest first'
            );
            for (const [k, v] of top) {
              console.log(`  ${v.toFixed(1).padStart(8)}  ${k}`);
            }
          }
        }
        if (!ok) {
          throw new Error('run-all reported a failure');
        }
        await sleep((FLUSH_S + 2) * 1000);
        const used = meter.since(cpuBefore);
        cpu[choice].push(used);
        if (cdp && choice === 'yes') {
          direct[direct.length - 1].serverMs = serverMs
            .slice(serverBefore)
            .reduce((a, b) => a + b, 0);
        }
        if (choice === 'yes') {
          on.push(ms);
          const now = await executions(page, summary.id);
          counts.push({
            requests: requests.length - before,
            stored: now - stored
          });
          stored = now;
        } else {
          off.push(ms);
        }
        console.log(
          `round ${round + 1} ${choice === 'yes' ? 'on ' : 'off'}: ${ms.toFixed(0)} ms, ` +
            `CPU ${used.total.toFixed(2)} s (browser ${used.browser.toFixed(2)}, ` +
            `server and kernel ${used.server.toFixed(2)})` +
            (choice === 'yes'
              ? `, ${counts[counts.length - 1].requests} requests, ` +
                `${counts[counts.length - 1].stored} stored`
              : '')
        );
      }
    }
    if (PROFILE) {
      const sum = list => {
        const total = new Map();
        for (const m of list) {
          for (const [k, v] of m) {
            total.set(k, (total.get(k) ?? 0) + v / list.length);
          }
        }
        return total;
      };
      compareProfiles(sum(profiles.yes), sum(profiles.no));
      for (const d of direct) {
        const share = (d.mainMs + d.serverMs) / d.runMs;
        console.log(
          `direct cost of an "on" run: ${d.mainMs.toFixed(0)} ms on the page's main thread ` +
            `+ ${d.serverMs.toFixed(0)} ms of report requests = ${(100 * share).toFixed(2)} % ` +
            `of its ${d.runMs.toFixed(0)} ms run`
        );
      }
    }
    const ratios = on.map((ms, i) => ms / off[i]);
    const cpuOf = (choice, part) => cpu[choice].map(c => c[part]);
    const cpuFigures = Object.fromEntries(
      ['total', 'browser', 'server'].map(part => {
        const a = cpuOf('yes', part);
        const b = cpuOf('no', part);
        return [
          part,
          {
            onS: summarize(a),
            offS: summarize(b),
            pairedRatio: summarize(a.map((x, i) => x / b[i])),
            ratioOfMediansCI95: bootstrapRatioCI(a, b, { paired: true })
          }
        ];
      })
    );
    const result = {
      cells: CELLS,
      rounds: ROUNDS,
      onMs: summarize(on),
      offMs: summarize(off),
      pairedRatio: summarize(ratios),
      ratioOfMedians: summarize(on).median / summarize(off).median,
      ratioOfMediansCI95: bootstrapRatioCI(on, off, { paired: true }),
      cpu: cpuFigures,
      direct,
      requestsPer1000: summarize(counts.map(c => (c.requests * 1000) / CELLS)),
      storedPerRun: counts.map(c => c.stored)
    };
    console.log(
      `on median ${result.onMs.median.toFixed(0)} ms, off median ${result.offMs.median.toFixed(0)} ms; ` +
        `paired ratio median ${result.pairedRatio.median.toFixed(3)} ` +
        `(min ${result.pairedRatio.min.toFixed(3)}, max ${result.pairedRatio.max.toFixed(3)}); ` +
        `requests per 1,000 executions: median ${result.requestsPer1000.median}`
    );
    const ci = ([lo, hi]) => `[${lo.toFixed(3)}, ${hi.toFixed(3)}]`;
    console.log(
      `wall-clock ratio of medians ${result.ratioOfMedians.toFixed(3)}, 95% ${ci(result.ratioOfMediansCI95)}`
    );
    for (const [part, f] of Object.entries(cpuFigures)) {
      console.log(
        `CPU ${part}: on median ${f.onS.median.toFixed(2)} s, off ${f.offS.median.toFixed(2)} s; ` +
          `paired ratio median ${f.pairedRatio.median.toFixed(3)} ` +
          `(min ${f.pairedRatio.min.toFixed(3)}, max ${f.pairedRatio.max.toFixed(3)}); ` +
          `ratio of medians 95% ${ci(f.ratioOfMediansCI95)}`
      );
    }
    if (counts.some(c => c.stored !== CELLS)) {
      // Also what shows if an "off" run was reported.
      console.log(
        `WARNING: the service did not store exactly ${CELLS} executions per run: ${result.storedPerRun}`
      );
    }
    console.log(`load average (1/5/15) at end: ${loadavg()}`);
    console.log(`RESULT ${JSON.stringify(result)}`);
  }
}

runMain(main, 'telemetry bench');
