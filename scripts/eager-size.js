#!/usr/bin/env node
/**
 * Budget check of Atrium's eager JavaScript in the production build (issue 16).
 *
 * "Eager" is what a JupyterLab page fetches from jupyterlab_atrium/labextension/static/
 * before `app.restored` (what bench/startup.js measures in a browser), computed here from
 * the build alone, minified and uncompressed:
 *
 *   with Atrium disabled: the remoteEntry, plus the chunks its container lists for the
 *     exposed module `./extension` (JupyterLab loads a disabled extension's entry module
 *     to read its plugin ids);
 *   with every plugin on: that, plus the chunks listed for `./style` (the styleModule),
 *     plus every chunk the exposed module's own chunks load with `import()` — each
 *     plugin's activation. Counting every `import()` of those chunks is an upper bound:
 *     it is exact as long as the exposed module holds only plugin definitions whose
 *     `activate` imports the plugin's code, which is the rule (see src/index.ts). An
 *     `import()` written behind `app.restored` (`….restored.then(() => import(…))`, the
 *     telemetry watcher) runs after the first screen and is listed apart, not counted.
 *
 * Budgets: issue 16's targets, 40,000 bytes on and 12,000 off. The rule that keeps "on"
 * small: a plugin's activation chunk makes only what the page shows before the layout is
 * restored (a sidebar tab, the brand) and imports the rest (`src/common/deferred.ts`).
 * Exits 1 when a budget is exceeded or the build cannot be read; `--json` prints the
 * figures as JSON.
 */
'use strict';

const fs = require('fs');
const path = require('path');

const REPO = path.resolve(__dirname, '..');
const OUTPUT = path.join(REPO, 'jupyterlab_atrium', 'labextension');
const STATIC = path.join(OUTPUT, 'static');
const BUDGET_ON = 40000;
const BUDGET_OFF = 12000;

/** The chunk ids webpack loads in `code` (`<require>.e(<id>)`). */
function chunkIds(code) {
  return [...code.matchAll(/[\w$]\.e\((\d+)\)/g)].map(m => m[1]);
}

/** The chunk ids `code` loads only once the layout is restored (`restored.then(()=>…e(N)`). */
function afterRestored(code) {
  return [...code.matchAll(/\.restored\.then\(\(\)=>[\w$]\.e\((\d+)\)/g)].map(
    m => m[1]
  );
}

/** The chunk ids the container loads for one exposed module, e.g. `./extension`. */
function exposedChunks(remoteEntry, name) {
  const key = `${JSON.stringify(name)}:()=>`;
  const start = remoteEntry.indexOf(key);
  if (start < 0) {
    throw new Error(`the remoteEntry exposes no ${name}`);
  }
  // The chunk list comes before the factory: `()=>Promise.all([r.e(1),r.e(2)]).then(...)`.
  const end = remoteEntry.indexOf('.then(', start);
  return chunkIds(remoteEntry.slice(start + key.length, end));
}

function measure() {
  const meta = JSON.parse(
    fs.readFileSync(path.join(OUTPUT, 'package.json'), 'utf8')
  ).jupyterlab._build;
  const files = fs.readdirSync(STATIC);
  // A chunk id without a file is a module the host shares (React, @jupyterlab/*):
  // webpack lists it, JupyterLab serves it from its own bundle, Atrium ships nothing.
  const fileOf = id =>
    files.find(f => f.startsWith(`${id}.`) && f.endsWith('.js')) ?? null;
  const filesOf = ids => ids.map(fileOf).filter(f => f !== null);
  const read = file => fs.readFileSync(path.join(STATIC, file), 'utf8');
  const size = file => fs.statSync(path.join(STATIC, file)).size;

  const entryFile = path.basename(meta.load);
  const remoteEntry = read(entryFile);
  const moduleFiles = filesOf(exposedChunks(remoteEntry, meta.extension));
  if (!moduleFiles.length) {
    throw new Error(`no chunk file for ${meta.extension}`);
  }
  const styleFiles = meta.style
    ? filesOf(exposedChunks(remoteEntry, meta.style))
    : [];
  const deferredIds = new Set(
    moduleFiles.flatMap(file => afterRestored(read(file)))
  );
  const activationFiles = filesOf(
    moduleFiles
      .flatMap(file => chunkIds(read(file)))
      .filter(id => !deferredIds.has(id))
  );
  const deferredFiles = filesOf([...deferredIds]);

  const unique = list => [...new Set(list)];
  const off = unique([entryFile, ...moduleFiles]);
  const on = unique([...off, ...styleFiles, ...activationFiles]);
  const detail = list => list.map(file => ({ file, bytes: size(file) }));
  const total = list => list.reduce((sum, file) => sum + size(file), 0);
  return {
    on: { bytes: total(on), budget: BUDGET_ON, files: detail(on) },
    off: { bytes: total(off), budget: BUDGET_OFF, files: detail(off) },
    afterRestored: detail(deferredFiles),
    lazy: detail(
      files.filter(
        f =>
          f.endsWith('.js') &&
          !on.includes(f) &&
          !deferredFiles.includes(f) &&
          f !== 'style.js'
      )
    )
  };
}

function main() {
  let result;
  try {
    result = measure();
  } catch (error) {
    console.error(
      `eager-size: cannot read the production build (${error.message}); build it with \`make .venv/.installed\``
    );
    return 1;
  }
  // With --json, stdout is the JSON alone and the verdict goes to stderr.
  const json = process.argv.includes('--json');
  const log = json ? console.error : console.log;
  if (json) {
    console.log(JSON.stringify(result, null, 2));
  }
  let failed = false;
  for (const [name, label] of [
    ['on', 'every plugin on'],
    ['off', 'Atrium disabled']
  ]) {
    const { bytes, budget, files } = result[name];
    const ok = bytes <= budget;
    failed = failed || !ok;
    log(
      `eager Atrium JS, ${label}: ${bytes} bytes (budget ${budget}) ${ok ? 'ok' : 'OVER BUDGET'}`
    );
    for (const f of files) {
      log(`    ${f.file.padEnd(40)} ${String(f.bytes).padStart(8)}`);
    }
  }
  for (const f of result.afterRestored) {
    log(`after app.restored (not counted): ${f.file} ${f.bytes}`);
  }
  const lazyBytes = result.lazy.reduce((sum, f) => sum + f.bytes, 0);
  log(
    `lazy (loaded on first use): ${lazyBytes} bytes in ${result.lazy.length} chunks`
  );
  return failed ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main();
}

module.exports = { measure, chunkIds, exposedChunks, afterRestored };
