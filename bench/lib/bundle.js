/**
 * Bundle the compiled gallery strip (`lib/gallery/model.js` and `lib/gallery/strip.js`, as
 * `tsc` emitted them for the labextension) into one IIFE under /tmp with the webpack that
 * ships in node_modules, defining `window[globalName] = {stripNotebookModel, stripNotebook}`.
 * The alternative to taking the modules from the running labextension (labpage.js).
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');

const REPO = path.resolve(__dirname, '..', '..');

function bundleStrip(globalName) {
  const webpack = require(path.join(REPO, 'node_modules', 'webpack'));
  for (const f of ['model', 'strip']) {
    const lib = path.join(REPO, 'lib', 'gallery', `${f}.js`);
    const src = path.join(REPO, 'src', 'gallery', `${f}.ts`);
    if (!fs.existsSync(lib)) {
      throw new Error(`${lib} is missing: run jlpm build:lib`);
    }
    if (fs.statSync(src).mtimeMs > fs.statSync(lib).mtimeMs) {
      throw new Error(`${lib} is older than ${src}: run jlpm build:lib`);
    }
  }
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-strip-bundle-'));
  const entry = path.join(out, 'entry.js');
  fs.writeFileSync(
    entry,
    `export { stripNotebookModel } from ${JSON.stringify(path.join(REPO, 'lib', 'gallery', 'model.js'))};\n` +
      `export { stripNotebook } from ${JSON.stringify(path.join(REPO, 'lib', 'gallery', 'strip.js'))};\n`
  );
  return new Promise((resolve, reject) => {
    webpack(
      {
        mode: 'production',
        entry,
        target: 'web',
        devtool: false,
        output: {
          path: out,
          filename: 'strip.bundle.js',
          iife: true,
          library: { type: 'window', name: globalName }
        }
      },
      (err, stats) => {
        if (err || stats.hasErrors()) {
          reject(err || new Error(stats.toString('errors-only')));
          return;
        }
        const file = path.join(out, 'strip.bundle.js');
        resolve({ file, dir: out, bytes: fs.statSync(file).size });
      }
    );
  });
}

module.exports = { bundleStrip };
