/**
 * Strip benchmark on a real JupyterLab notebook model (the actual target):
 * `stripNotebookModel(model)` vs `stripNotebook(model.toJSON())`, which serialises every
 * output first. Node + jsdom under jest, not a browser; JupyterLab's model classes come
 * from ui-tests/node_modules (the root has no @jupyterlab/notebook):
 *
 *   jlpm jest --rootDir . --testRegex 'bench/strip_model\.bench\.js$' \
 *     --modulePaths "$PWD/ui-tests/node_modules" --testTimeout 900000
 *
 * Prints the figures; asserts only that both ways give the same notebook.
 */
'use strict';

// jest compiles these TypeScript modules (src/ is in its TypeScript program).
const { stripNotebookModel } = require('../src/gallery/model');
const { stripNotebook } = require('../src/gallery/strip');
// From ui-tests/node_modules (see --modulePaths above).
const { NotebookModel } = require('@jupyterlab/notebook');

const OUTPUT_MB = Number(process.env.BENCH_OUTPUT_MB || 50);
const RUNS = 10;

function randomText(size) {
  const chars =
    'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const block = Array.from(
    { length: 65536 },
    () => chars[Math.floor(Math.random() * 64)]
  ).join('');
  let text = '';
  while (text.length < size) {
    // A fresh slice offset each time so the string is not one repeated block.
    const start = Math.floor(Math.random() * 1024);
    text += block.slice(start) + block.slice(0, start);
  }
  return text.slice(0, size);
}

function notebook(outputMB) {
  const codeCells = 200;
  const perCell = Math.floor((outputMB * 1e6) / codeCells);
  const cells = [];
  for (let i = 0; i < codeCells; i++) {
    cells.push({
      cell_type: 'markdown',
      id: `md-${i}`,
      metadata: {},
      source: `## Step ${i}\n\nSales for slice ${i}, north region, by month.`
    });
    cells.push({
      cell_type: 'code',
      execution_count: i + 1,
      id: `code-${i}`,
      metadata: { tags: ['analysis'] },
      outputs: [
        {
          name: 'stdout',
          output_type: 'stream',
          text: randomText(perCell / 5)
        },
        {
          data: {
            'image/png': randomText((perCell * 3) / 5),
            'text/plain': ['<Figure>']
          },
          metadata: {},
          output_type: 'display_data'
        },
        {
          data: {
            'text/html': randomText(perCell / 5),
            'text/plain': ['<df>']
          },
          execution_count: i + 1,
          metadata: {},
          output_type: 'execute_result'
        }
      ],
      source: `df_${i} = load("sales_${i}.parquet")\n`.repeat(12)
    });
  }
  return {
    cells,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
    nbformat: 4,
    nbformat_minor: 5
  };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? s[(s.length - 1) / 2]
    : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function time(fn) {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** Median of RUNS timed runs after one warm-up; each way in its own block, so the
 * garbage one way leaves behind is not collected during another's runs. */
function runs(fn) {
  fn();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    times.push(time(fn));
  }
  return times;
}

it('strips from the model without serialising outputs', () => {
  const model = new NotebookModel();
  model.fromJSON(notebook(OUTPUT_MB));
  const options = { allowAttachments: false };
  const viaModel = stripNotebookModel(model, options);
  expect(viaModel.notebook).toEqual(
    stripNotebook(model.toJSON(), options).notebook
  );
  const ways = {
    '(a) stripNotebookModel(model)': () => stripNotebookModel(model, options),
    '(b) stripNotebook(model.toJSON())': () =>
      stripNotebook(model.toJSON(), options),
    // nbgallery's way: the whole notebook as text, parsed back, then stripped.
    '(c) strip(parse(stringify(toJSON)))': () =>
      stripNotebook(JSON.parse(JSON.stringify(model.toJSON())), options)
  };
  const lines = [
    `JupyterLab NotebookModel (@jupyterlab/notebook ${
      require('@jupyterlab/notebook/package.json').version
    }), ${OUTPUT_MB} MB of outputs, node ${process.version}, jsdom`
  ];
  const medians = {};
  for (const [name, fn] of Object.entries(ways)) {
    const times = runs(fn);
    medians[name] = median(times);
    lines.push(
      `${name.padEnd(36)} median ${medians[name].toFixed(2).padStart(8)} ms;` +
        ` runs: ${times.map(x => x.toFixed(1)).join(' ')}`
    );
  }
  const [a, b, c] = Object.values(medians);
  lines.push(
    `ratio (b)/(a) ${(b / a).toFixed(1)}x, (c)/(a) ${(c / a).toFixed(0)}x`
  );
  // A benchmark's output, not a test's.
  console.log(lines.join('\n'));
});
