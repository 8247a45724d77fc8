/**
 * Shared by bench/strip_page.js and bench/publish_page.js: one real `jupyter lab` in its
 * own temp tree (root dir, JUPYTER_CONFIG_DIR, workspaces, SQLite database) on a free port
 * (never 8888), Debian's Chromium through the UI tests' Playwright, a generated notebook
 * with real-looking outputs, the way to open it and wait until it is fully loaded, and the
 * statistics. Everything the server starts runs in its own process group, which is
 * stopped (and its temp tree removed) however the run ends.
 */
'use strict';

const { spawn } = require('child_process');
const { summarize } = require('./stats');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');
const zlib = require('zlib');

const REPO = path.resolve(__dirname, '..', '..');
const { chromium } = require(
  path.join(REPO, 'ui-tests', 'node_modules', '@playwright', 'test')
);
const { launchOptions } = require(path.join(REPO, 'ui-tests', 'chromium'));

const sleep = ms => new Promise(r => setTimeout(r, ms));

/* ---------------------------------------------------------------- server */

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port === 8888 ? freePort() : port));
    });
  });
}

function httpGet(url) {
  return new Promise(resolve => {
    const req = http.get(url, res => {
      const chunks = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode, body: Buffer.concat(chunks) })
      );
    });
    req.on('error', () => resolve({ status: null, body: Buffer.alloc(0) }));
    req.setTimeout(30000, () => {
      req.destroy();
      resolve({ status: null, body: Buffer.alloc(0) });
    });
  });
}

const servers = [];

/**
 * `pageConfig`: entries for the page's config data (PageConfig in the browser), written to
 * the server's own `labconfig/page_config.json`, as an admin would.
 */
async function startServer(name, extraArgs = [], { pageConfig = null } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `atrium-bench-${name}-`));
  const configDir = path.join(dir, 'config');
  const rootDir = path.join(dir, 'root');
  const workspacesDir = path.join(dir, 'workspaces');
  for (const d of [configDir, rootDir, workspacesDir]) {
    fs.mkdirSync(d, { recursive: true });
  }
  if (pageConfig) {
    fs.mkdirSync(path.join(configDir, 'labconfig'));
    fs.writeFileSync(
      path.join(configDir, 'labconfig', 'page_config.json'),
      JSON.stringify(pageConfig)
    );
  }
  const port = Number(process.env.BENCH_PORT) || (await freePort());
  if (port === 8888) {
    throw new Error('port 8888 is reserved');
  }
  const args = [
    'lab',
    '--no-browser',
    '--ServerApp.ip=127.0.0.1',
    `--ServerApp.port=${port}`,
    '--ServerApp.port_retries=0',
    '--IdentityProvider.token=',
    '--ServerApp.password=',
    '--ServerApp.allow_root=True',
    '--LabApp.expose_app_in_browser=True',
    // A 50 MB notebook must not be refused or truncated by the contents API.
    '--ServerApp.max_body_size=1073741824',
    '--ServerApp.max_buffer_size=1073741824',
    `--ServerApp.root_dir=${rootDir}`,
    `--LabApp.workspaces_dir=${workspacesDir}`,
    `--AtriumService.database_url=sqlite:///${path.join(dir, 'atrium.sqlite')}`,
    ...extraArgs
  ];
  const logPath = path.join(dir, 'server.log');
  const log = fs.openSync(logPath, 'w');
  const venvBin = path.join(REPO, '.venv', 'bin');
  const proc = spawn(path.join(venvBin, 'jupyter'), args, {
    cwd: rootDir,
    env: {
      ...process.env,
      PATH: `${venvBin}:${process.env.PATH}`,
      JUPYTER_CONFIG_DIR: configDir
    },
    stdio: ['ignore', log, log],
    detached: true
  });
  fs.closeSync(log);
  const server = {
    name,
    dir,
    rootDir,
    logPath,
    proc,
    exited: false,
    url: `http://127.0.0.1:${port}`
  };
  servers.push(server);
  proc.on('exit', () => {
    server.exited = true;
  });
  proc.on('error', () => {
    server.exited = true;
  });
  const deadline = Date.now() + 180000;
  while (Date.now() < deadline) {
    if (server.exited) {
      throw new Error(`server exited during startup\n${readTail(logPath)}`);
    }
    if ((await httpGet(`${server.url}/lab`)).status === 200) {
      return server;
    }
    await sleep(250);
  }
  throw new Error(`server did not start\n${readTail(logPath)}`);
}

function readTail(file, chars = 4000) {
  try {
    return fs.readFileSync(file, 'utf8').slice(-chars);
  } catch {
    return '(no log)';
  }
}

function killGroup(server, signal) {
  try {
    process.kill(-server.proc.pid, signal);
  } catch {
    // already gone
  }
}

async function stopServers() {
  for (const s of servers) {
    if (!s.exited) {
      killGroup(s, 'SIGTERM');
    }
  }
  const deadline = Date.now() + 10000;
  while (servers.some(s => !s.exited) && Date.now() < deadline) {
    await sleep(100);
  }
  for (const s of servers) {
    if (!s.exited) {
      killGroup(s, 'SIGKILL');
    }
    if (!process.env.BENCH_KEEP_TMP) {
      fs.rmSync(s.dir, { recursive: true, force: true });
    }
  }
}

/** Run main(), always stop the servers, exit 0 on a measurement, 1 when it could not. */
function runMain(main, label) {
  let stopping = false;
  const shutdown = async code => {
    if (stopping) {
      return;
    }
    stopping = true;
    await stopServers();
    process.exit(code);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => shutdown(130));
  }
  process.on('exit', () => {
    for (const s of servers) {
      if (!s.exited) {
        killGroup(s, 'SIGKILL');
      }
    }
  });
  main().then(
    () => shutdown(0),
    err => {
      console.error(`${label} failed: ${err && err.stack ? err.stack : err}`);
      for (const s of servers) {
        console.error(`--- ${s.logPath} ---\n${readTail(s.logPath)}`);
      }
      shutdown(1);
    }
  );
}

/* -------------------------------------------------------------- notebook */

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) {
    c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/**
 * A valid RGB PNG of about `bytes` bytes: noisy pixels (a plot's worth of anti-aliasing
 * does not compress much either), stored with deflate level 0 so the size is predictable.
 */
function pngBase64(bytes, seed) {
  const width = 400;
  const height = Math.max(1, Math.round(bytes / (width * 3 + 1)));
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < raw.length; i++) {
    if (i % (width * 3 + 1) === 0) {
      raw[i] = 0; // filter: none
    } else {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      raw[i] = 128 + ((x >>> 0) % 96);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2; // truecolour
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(raw, { level: 0 })),
    pngChunk('IEND', Buffer.alloc(0))
  ]);
  return png.toString('base64');
}

function htmlTable(bytes, seed) {
  const rows = [];
  let size = 0;
  let r = 0;
  const head =
    '<div>\n<table border="1" class="dataframe">\n  <thead>\n    <tr style="text-align: right;">' +
    '<th></th><th>month</th><th>product</th><th>units</th><th>total</th><th>margin</th></tr>\n' +
    '  </thead>\n  <tbody>\n';
  while (size < bytes - 200) {
    const row =
      `    <tr><th>${r}</th><td>2026-${String((r % 12) + 1).padStart(2, '0')}</td>` +
      `<td>product-${(r * 7 + seed) % 97}</td><td>${(r * 31 + seed) % 1000}</td>` +
      `<td>${(((r + seed) * 1237) % 100000) / 100}</td><td>${((r * 17 + seed) % 40) / 100}</td></tr>\n`;
    rows.push(row);
    size += row.length;
    r++;
  }
  return `${head}${rows.join('')}  </tbody>\n</table>\n<p>${r} rows × 5 columns</p>\n</div>`;
}

function streamText(bytes, seed) {
  const lines = [];
  let size = 0;
  let i = 0;
  while (size < bytes) {
    const line = `epoch ${seed}.${i}: loss=${(1 / (i + 2)).toFixed(6)} acc=${((i % 100) / 100).toFixed(3)} lr=0.001 batch=${i % 512}\n`;
    lines.push(line);
    size += line.length;
    i++;
  }
  return lines;
}

/**
 * A notebook of `codeCells` code cells and as many markdown cells. Each code cell has a
 * stdout stream (text/plain lines, ~20% of its output bytes), a display_data with a valid
 * image/png in base64 (~60%) and an execute_result with a pandas-like text/html table
 * (~20%): `outputMB` MB of outputs in all. `sourceKB` is the code cells' source; with the
 * markdown cells the notebook holds ~100 K characters of source by default.
 */
function makeNotebook({ outputMB, sourceKB = 86, codeCells = 200 }) {
  const perCell = Math.floor((outputMB * 1e6) / codeCells);
  const perCellSource = Math.floor((sourceKB * 1000) / codeCells);
  const cells = [];
  const pngCache = new Map();
  for (let i = 0; i < codeCells; i++) {
    let code = '';
    let line = 0;
    while (code.length < perCellSource - 80) {
      code +=
        [
          `df_${i} = load_table("sales_${i}.parquet").query("region == 'north'")\n`,
          `summary_${i} = df_${i}.groupby(["month", "product"]).agg(total=("total", "sum"))\n`,
          `fig, ax = plt.subplots(figsize=(8, 4))\n`,
          `ax.set_ylabel("total sales (EUR)"); ax.set_xlabel("month"); ax.grid(True)\n`,
          `# Totals are net of returns; see the data dictionary for the columns (${line}).\n`,
          `summary_${i}.reset_index().plot(x="month", y="total", ax=ax)\n`
        ][line % 6];
      line++;
    }
    code += `print(train_log_${i})\ndisplay(fig)\nsummary_${i}.head(200)\n`;
    cells.push({
      cell_type: 'markdown',
      id: `md-${i}`,
      metadata: {},
      source: `## Step ${i}\n\nSales for slice ${i}, north region, by month and product.`
    });
    // One PNG per size is generated once and reused with a distinct seed every 10 cells:
    // the model holds strings either way, and generation time stays reasonable.
    const key = i % 10;
    if (!pngCache.has(key)) {
      pngCache.set(key, pngBase64(Math.floor((perCell * 0.6 * 3) / 4), key));
    }
    cells.push({
      cell_type: 'code',
      execution_count: i + 1,
      id: `code-${i}`,
      metadata: {
        execution: {
          'iopub.execute_input': '2026-11-21T09:00:00.000Z',
          'shell.execute_reply': '2026-11-21T09:00:01.000Z'
        },
        tags: ['analysis']
      },
      outputs: [
        {
          name: 'stdout',
          output_type: 'stream',
          text: streamText(Math.floor(perCell * 0.2), i)
        },
        {
          data: {
            'image/png': pngCache.get(key),
            'text/plain': ['<Figure size 800x400 with 1 Axes>']
          },
          metadata: {},
          output_type: 'display_data'
        },
        {
          data: {
            'text/html': htmlTable(Math.floor(perCell * 0.2), i),
            'text/plain': [`<DataFrame ${i}>`]
          },
          execution_count: i + 1,
          metadata: {},
          output_type: 'execute_result'
        }
      ],
      source: code
    });
  }
  return {
    cells,
    metadata: {
      kernelspec: {
        display_name: 'Python 3 (ipykernel)',
        language: 'python',
        name: 'python3'
      },
      language_info: { name: 'python', version: '3.11.7' }
    },
    nbformat: 4,
    nbformat_minor: 5
  };
}

/** Write the notebook; returns sizes (bytes of the file, of outputs, of source). */
function writeNotebook(file, nb) {
  const text = JSON.stringify(nb, null, 1);
  fs.writeFileSync(file, text);
  let outputs = 0;
  let source = 0;
  for (const c of nb.cells) {
    source += c.source.length;
    if (c.outputs) {
      outputs += JSON.stringify(c.outputs).length;
    }
  }
  return { fileBytes: Buffer.byteLength(text), outputs, source };
}

/* --------------------------------------------------------------- browser */

async function launchBrowser(extraArgs = []) {
  const browser = await chromium.launch({
    ...launchOptions,
    args: [...launchOptions.args, ...extraArgs]
  });
  return browser;
}

/** Load JupyterLab and wait for `app.restored`. */
async function openLab(page, server) {
  await page.goto(`${server.url}/lab`, { timeout: 180000 });
  await page.waitForFunction(
    () => window.jupyterapp && window.jupyterapp.started,
    null,
    { timeout: 180000 }
  );
  await page.evaluate(() => window.jupyterapp.restored);
  // Close whatever the workspace restored (the launcher), for a clean shell.
  await page.evaluate(() => window.jupyterapp.commands.execute('application:close-all'));
}

/**
 * Open `nbPath` with the document manager and wait until it is fully loaded: the context
 * is ready, the kernel session is ready, every cell and output of the model has a widget,
 * the gallery toolbar indicator is there and has settled, and the main thread has been
 * idle for a while. Returns what it saw (milliseconds and counts).
 */
async function openNotebook(page, nbPath, { timeout = 600000 } = {}) {
  const t0 = Date.now();
  await page.evaluate(async p => {
    const app = window.jupyterapp;
    const widget = await app.commands.execute('docmanager:open', {
      path: p,
      factory: 'Notebook'
    });
    await widget.context.ready;
    await widget.sessionContext.ready;
    await widget.revealed;
    window.__benchPanel = widget;
  }, nbPath);
  const readyMs = Date.now() - t0;
  await page.waitForFunction(
    () => {
      const panel = window.__benchPanel;
      const model = panel.content.model;
      if (!model || panel.content.widgets.length !== model.cells.length) {
        return false;
      }
      for (const cell of panel.content.widgets) {
        if (cell.model.type === 'code') {
          const area = cell.outputArea;
          if (!area || area.widgets.length !== cell.model.outputs.length) {
            return false;
          }
        }
      }
      const indicator = panel.node.querySelector(
        '.jp-Atrium-Gallery-syncIndicator'
      );
      return !!indicator && indicator.getAttribute('data-status') !== null;
    },
    null,
    { timeout, polling: 500 }
  );
  const renderedMs = Date.now() - t0;
  await waitIdle(page);
  const info = await page.evaluate(() => {
    const panel = window.__benchPanel;
    const model = panel.content.model;
    let outputs = 0;
    for (const cell of model.cells) {
      outputs += cell.outputs ? cell.outputs.length : 0;
    }
    return {
      cells: model.cells.length,
      outputs,
      windowingMode: panel.content.notebookConfig.windowingMode,
      kernel: panel.sessionContext.session?.kernel?.name ?? null,
      status: panel.node
        .querySelector('.jp-Atrium-Gallery-syncIndicator')
        .getAttribute('data-status')
    };
  });
  return { readyMs, renderedMs, idleMs: Date.now() - t0, ...info };
}

/** Wait until the page's main thread has had `quietMs` without a long task (> 50 ms). */
async function waitIdle(page, quietMs = 3000, timeout = 120000) {
  await page.evaluate(
    ({ quietMs, timeout }) =>
      new Promise(resolve => {
        let last = performance.now();
        const start = last;
        const obs = new PerformanceObserver(list => {
          for (const e of list.getEntries()) {
            last = Math.max(last, e.startTime + e.duration);
          }
        });
        obs.observe({ type: 'longtask', buffered: false });
        const tick = () => {
          const now = performance.now();
          if (now - last >= quietMs || now - start > timeout) {
            obs.disconnect();
            resolve();
          } else {
            setTimeout(tick, 250);
          }
        };
        setTimeout(tick, 250);
      }),
    { quietMs, timeout }
  );
}

/**
 * Atrium's own modules as the running plugin loaded them: the labextension's webpack
 * runtime hands out its `__webpack_require__` to a pushed chunk, and the module whose
 * factory exports `exportName` is required from its cache (the very instance the plugin
 * uses). Sets `window[globalName]` to the module's exports; returns the module id.
 */
async function exposePluginModule(page, exportName, globalName) {
  return page.evaluate(
    ({ exportName, globalName }) => {
      const chunks = window.webpackChunkjupyterlab_atrium;
      if (!chunks) {
        throw new Error('the jupyterlab-atrium labextension is not loaded');
      }
      let req = null;
      chunks.push([[`atrium-bench-${Date.now()}`], {}, r => (req = r)]);
      if (!req) {
        throw new Error('the labextension runtime did not hand out require');
      }
      const pattern = new RegExp(`\\b${exportName}\\s*:\\s*\\(\\)\\s*=>`);
      const ids = Object.keys(req.m).filter(id =>
        pattern.test(String(req.m[id]))
      );
      if (ids.length !== 1) {
        throw new Error(
          `expected one module exporting ${exportName}, found ${ids.length}: ${ids.join(', ')}`
        );
      }
      const exports = req(ids[0]);
      if (typeof exports[exportName] !== 'function') {
        throw new Error(`${ids[0]} has no function ${exportName}`);
      }
      window[globalName] = exports;
      return { id: ids[0], cached: !!req.c && ids[0] in req.c };
    },
    { exportName, globalName }
  );
}

/* ----------------------------------------------------------------- stats */

function loadavg() {
  return os
    .loadavg()
    .map(x => x.toFixed(2))
    .join(' ');
}

module.exports = {
  REPO,
  sleep,
  startServer,
  stopServers,
  runMain,
  httpGet,
  makeNotebook,
  writeNotebook,
  launchBrowser,
  openLab,
  openNotebook,
  waitIdle,
  exposePluginModule,
  summarize,
  loadavg
};
