/**
 * The browser half of bench/netdrive_io.py (which starts it; not meant to be run alone):
 * 64 MiB read and upload through JupyterLab's own contents manager in a real JupyterLab
 * page (Debian's Chromium), on the network drive and, as a reference, in the home folder
 * of the same `jupyter server`. What a user's click costs, end to end:
 *
 *   read    `serviceManager.contents.get(path, {type: 'file', format: 'base64'})`, as the
 *           document manager opens a binary file (the model's base64 content is checked)
 *   upload  `FileBrowserModel.upload(file)` on the drive's (or home's) file browser, as
 *           its upload button and drag and drop call it: on the drive, Atrium's streamed
 *           upload (4 MiB raw slices of the file); in the home folder, JupyterLab's own
 *           (1 MiB chunks read with FileReader and saved as base64). Its "large file"
 *           question is answered yes at once, and each run uploads under a new name (it
 *           would ask before overwriting)
 *   save    the drive's (or home's) `contents.save` of the same 1 MiB base64 chunks,
 *           made before the clock starts: the drive's own cost, without the uploader
 *
 * Input (environment, never argv): ATRIUM_BENCH_PAGE = JSON {url, runs, size, drive,
 * driveFile, homeFile}; the server's token in ATRIUM_BENCH_TOKEN, sent as an
 * `Authorization` header; ATRIUM_BENCH_DEBUG=1 copies the page's console to stderr.
 * Prints one line: `PAGE {"read-drive": [ms, ...], ...}`.
 */
'use strict';

const { launchBrowser, openLab } = require('./lib/labpage');

async function main() {
  const cfg = JSON.parse(process.env.ATRIUM_BENCH_PAGE);
  const token = process.env.ATRIUM_BENCH_TOKEN;
  // gc() between runs, outside the clock: every Blob the page makes (the files, the drive's
  // raw chunk bodies) holds Chromium blob storage until its wrapper is collected, and a
  // private context (no disk to spill to) runs out of it a few hundred MiB into the run
  // (net::ERR_BLOB_OUT_OF_MEMORY) long before V8 feels any need to collect.
  const browser = await launchBrowser(['--js-flags=--expose-gc']);
  try {
    const context = await browser.newContext({
      extraHTTPHeaders: { Authorization: `token ${token}` }
    });
    const page = await context.newPage();
    if (process.env.ATRIUM_BENCH_DEBUG) {
      page.on('console', m => process.stderr.write(`console: ${m.text()}\n`));
      page.on('crash', () => process.stderr.write('page crashed\n'));
    }
    await openLab(page, { url: cfg.url });
    const browserId = `jp-Atrium-NetDrive-browser-${cfg.drive}`;
    await page.waitForFunction(
      id =>
        Array.from(window.jupyterapp.shell.widgets('left')).some(
          w => w.id === id
        ),
      browserId,
      { timeout: 60000 }
    );
    const samples = await page.evaluate(
      async ({ cfg, browserId }) => {
        const app = window.jupyterapp;
        const contents = app.serviceManager.contents;
        const left = Array.from(app.shell.widgets('left'));
        const models = {
          drive: left.find(w => w.id === browserId).model,
          home: left.find(w => w.id === 'filebrowser').model
        };
        const expected = Math.ceil(cfg.size / 3) * 4;
        const bytes = new Uint8Array(cfg.size);
        for (let i = 0; i < bytes.length; i += 65536) {
          crypto.getRandomValues(bytes.subarray(i, i + 65536));
        }
        const file = new File([bytes], 'page-upload.bin', {
          type: 'application/octet-stream'
        });
        const out = {};
        const time = async (label, fn) => {
          out[label] = out[label] || [];
          window.gc();
          const t0 = performance.now();
          await fn();
          out[label].push(performance.now() - t0);
        };
        for (const model of Object.values(models)) {
          // The user's "yes, upload this large file" is not what is measured.
          model._shouldUploadLarge = async () => true;
        }
        const paths = {
          drive: `${browserId.replace('jp-Atrium-NetDrive-browser-', 'atrium-nd-')}:${cfg.driveFile}`,
          home: cfg.homeFile
        };
        // The same 1 MiB base64 chunks the uploader makes, made before the clock starts:
        // what the drive itself costs per chunk, without FileReader and the upload UI.
        const chunks = [];
        for (let start = 0; start < cfg.size; start += 1 << 20) {
          const url = await new Promise((resolve, reject) => {
            const reader = new FileReader();
            reader.onload = () => resolve(reader.result);
            reader.onerror = reject;
            reader.readAsDataURL(file.slice(start, start + (1 << 20)));
          });
          chunks.push(url.split(',')[1]);
        }
        const saveChunks = async path => {
          let last = null;
          for (let i = 0; i < chunks.length; i++) {
            last = await contents.save(path, {
              type: 'file',
              format: 'base64',
              name: path.split('/').pop(),
              chunk: i === chunks.length - 1 ? -1 : i + 1,
              content: chunks[i]
            });
          }
          if (last.size !== cfg.size) {
            throw new Error(`bad chunked save to ${path}: ${last.size}`);
          }
        };
        for (let run = 0; run < cfg.runs; run++) {
          for (const where of ['drive', 'home']) {
            await time(`read-${where}`, async () => {
              const m = await contents.get(paths[where], {
                type: 'file',
                format: 'base64',
                content: true
              });
              // jupyter_server's own base64 has a line break every 76 characters.
              const length =
                m.content.length === expected
                  ? expected
                  : m.content.replace(/\s/g, '').length;
              if (m.format !== 'base64' || length !== expected) {
                throw new Error(`bad read of ${paths[where]}`);
              }
            });
            await time(`save-${where}`, () =>
              saveChunks(paths[where].replace('big.bin', 'page-save.bin'))
            );
            // A new name each run: the uploader would ask before overwriting.
            const name = `page-upload-${run}.bin`;
            const upload = new File([file], name, { type: file.type });
            await time(`upload-${where}`, async () => {
              const m = await models[where].upload(upload);
              if (m.size !== cfg.size) {
                throw new Error(`bad upload to ${where}: ${m.size}`);
              }
            });
          }
        }
        return out;
      },
      { cfg, browserId }
    );
    process.stdout.write(`PAGE ${JSON.stringify(samples)}\n`);
  } finally {
    await browser.close();
  }
}

main().catch(err => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
