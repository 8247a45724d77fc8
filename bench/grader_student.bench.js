/**
 * Student-version generation in the browser's twin of the grader rules
 * (src/grader/rules/student.ts) on the 200-cell instructor notebook of
 * bench/grader_student.py (issue 14: ≤ 20 ms), with nbgrader's own ClearSolutions on the same
 * notebook, run in the same sitting by the real nbgrader (`make .venv/nbgrader/.installed`),
 * and their ratio. Node + jest (which compiles the TypeScript), as strip_model.bench.js:
 *
 *   jlpm jest --rootDir . --testRegex 'bench/grader_student\.bench\.js$' --testTimeout 900000
 *
 * Prints the figures; asserts only that the student version is made.
 */
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

// jest compiles this TypeScript module (src/ is in its TypeScript program).
const { studentVersion } = require('../src/grader/rules/student');

const ROOT = path.resolve(__dirname, '..');
const PYTHON = path.join(ROOT, '.venv', 'bin', 'python');
const SCRIPT = path.join(ROOT, 'bench', 'grader_student.py');
const RUNS = Number(process.env.BENCH_RUNS || 300);
const CELLS = Number(process.env.BENCH_CELLS || 200);
const DEADLINE_MS = 600000;

function percentiles(times) {
  const s = [...times].sort((a, b) => a - b);
  const p50 =
    s.length % 2
      ? s[(s.length - 1) / 2]
      : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { p50, p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] };
}

it('makes the student version of a 200-cell notebook', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-'));
  const file = path.join(folder, 'instructor.ipynb');
  try {
    execFileSync(PYTHON, [SCRIPT, '--write', file, '--cells', String(CELLS)], {
      timeout: DEADLINE_MS
    });
    const notebook = JSON.parse(fs.readFileSync(file, 'utf-8'));
    expect(JSON.stringify(studentVersion(notebook))).not.toContain(
      'BEGIN SOLUTION'
    );
    const times = [];
    for (let i = 0; i < RUNS + 5; i++) {
      const start = performance.now();
      studentVersion(notebook);
      times.push(performance.now() - start);
    }
    const ours = percentiles(times.slice(5));
    const lines = [
      `load before: ${os.loadavg()[0].toFixed(2)}`,
      `${CELLS}-cell notebook, ${RUNS} runs, node ${process.version}`,
      `Atrium studentVersion (TypeScript): p50 ${ours.p50.toFixed(2)} ms, ` +
        `p95 ${ours.p95.toFixed(2)} ms (target p95 <= 20 ms: ` +
        `${ours.p95 <= 20 ? 'met' : 'NOT met'})`
    ];
    const out = execFileSync(
      PYTHON,
      [SCRIPT, '--nbgrader', file, '--runs', String(RUNS)],
      { timeout: DEADLINE_MS, encoding: 'utf-8' }
    );
    const theirs = JSON.parse(out);
    if (theirs === null) {
      lines.push(
        'nbgrader ClearSolutions: not measured (make .venv/nbgrader/.installed)'
      );
    } else {
      lines.push(
        `nbgrader ClearSolutions alone: p50 ${theirs.p50.toFixed(2)} ms, ` +
          `p95 ${theirs.p95.toFixed(2)} ms; ratio Atrium/nbgrader ` +
          `p50 ${(ours.p50 / theirs.p50).toFixed(2)}, ` +
          `p95 ${(ours.p95 / theirs.p95).toFixed(2)}`
      );
    }
    lines.push(`load after: ${os.loadavg()[0].toFixed(2)}`);
    // A benchmark's output, not a test's.
    console.log(lines.join('\n'));
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
