import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';

import { nullTranslator } from '@jupyterlab/translation';

import { checkCode, pythonString } from '../check/code';
import { assignmentOf, outputText } from '../check/output';
import { checkPlan, ICheckPlan } from '../check/plan';
import { ICheckKernel, runChecks } from '../check/run';
import { exerciseOfCell, showReport } from '../check/ui';
import { checkReport, outputReport } from '../check/wording';

const trans = nullTranslator.load('jupyterlab_atrium');
const fixtures = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'tests',
  'fixtures',
  'grader'
);
const read = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf8'));
const python = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  '.venv',
  'bin',
  'python'
);

describe('checkPlan', () => {
  it('runs the public part of the exercise tests, never a hidden test', () => {
    for (const name of ['assignment.in.ipynb', 'assignment.student.ipynb']) {
      const plan = checkPlan(read(name), 'q1')!;
      expect(plan.tests.map(t => t.source.trim())).toEqual([
        'assert square(2) == 4'
      ]);
      expect(plan.tests[0].message).toBe('square(2) should be 4');
      expect(plan.tests[0].points).toBe(2);
      expect(JSON.stringify(plan)).not.toContain('HIDDEN');
    }
  });

  it('knows a manual exercise and an unknown one', () => {
    const nb = read('assignment.in.ipynb');
    expect(checkPlan(nb, 'q2')).toEqual({
      exercise: 'q2',
      tests: [],
      manual: true,
      answer: 5,
      expectedOutput: false
    });
    expect(checkPlan(nb, 'q3')).toMatchObject({
      answer: 6,
      expectedOutput: true,
      manual: false
    });
    expect(checkPlan(nb, 'q1')).toMatchObject({
      answer: 2,
      expectedOutput: false
    });
    expect(checkPlan(nb, 'nope')).toBeNull();
  });

  it('checks what it can in a copy edited by hand', () => {
    const nb = read('assignment.student.ipynb');
    const tests = nb.cells.filter(
      (c: { metadata: { atrium?: { grader?: { role?: string } } } }) =>
        c.metadata.atrium?.grader?.role === 'tests'
    );
    // a tests cell duplicated, another turned into Markdown, garbage metadata on a third
    const duplicated = JSON.parse(JSON.stringify(tests[0]));
    const markdown = {
      ...JSON.parse(JSON.stringify(tests[0])),
      cell_type: 'markdown'
    };
    delete markdown.outputs;
    delete markdown.execution_count;
    const broken = JSON.parse(JSON.stringify(tests[0]));
    broken.metadata.atrium.grader.points = 'many';
    nb.cells.push(duplicated, markdown, broken);
    expect(() => checkPlan(nb, 'q1')).not.toThrow();
    const plan = checkPlan(nb, 'q1')!;
    expect(plan.tests.length).toBe(2);
  });

  it('never throws on what is not a notebook', () => {
    for (const bad of [null, 3, 'x', [], { cells: 'no' }]) {
      expect(checkPlan(bad, 'q1')).toBeNull();
    }
  });
});

describe('checkCode', () => {
  const hostile = [
    'print("quote \\" and backslash \\\\")',
    "x = 'tab\\there'\nassert x",
    'assert "é ü 中文 😀" == "é ü 中文 😀"',
    'assert "\u2028\u2029\u0000\u007f" != ""',
    '"""triple"""; r"raw\\n"'
  ];
  it.each(hostile)('gives Python back exactly the source: %s', source => {
    const back = execFileSync(python, [
      '-c',
      `import sys; sys.stdout.write(ascii(${pythonString(source)}))`
    ]).toString();
    const expected = execFileSync(
      python,
      ['-c', 'import sys, json; sys.stdout.write(ascii(json.load(sys.stdin)))'],
      {
        input: JSON.stringify(source)
      }
    ).toString();
    expect(back).toBe(expected);
  });

  it('runs in a real IPython shell without leaving names, output or history', () => {
    const script = [
      'import json, sys',
      'from IPython.core.interactiveshell import InteractiveShell',
      'shell = InteractiveShell.instance()',
      'shell.run_cell("def f(x):\\n    return 2 * x\\ndict = 5\\ncompile = None", store_history=True)',
      'count = shell.execution_count',
      'names = set(shell.user_ns)',
      'codes = json.load(sys.stdin)',
      'results = []',
      'for code in codes:',
      '    r = shell.run_cell(code, silent=True, store_history=False)',
      '    results.append(type(r.error_in_exec).__name__ if r.error_in_exec else "ok")',
      'print(json.dumps({"results": results, "new": sorted(set(shell.user_ns) - names),',
      '    "count": shell.execution_count - count}))'
    ].join('\n');
    const codes = [
      checkCode('assert f(2) == 4'),
      checkCode('assert f(2) == 5, "f(2) should be 4"'),
      checkCode('helper = f(1)\nassert helper == 2'),
      checkCode('print("noise")\nf(1)')
    ];
    const out = execFileSync(python, ['-c', script], {
      input: JSON.stringify(codes)
    }).toString();
    const last = JSON.parse(out.trim().split('\n').pop()!);
    expect(last).toEqual({
      results: ['ok', 'AssertionError', 'ok', 'ok'],
      new: [],
      count: 0
    });
  });

  it('is ASCII, one line, and reaches builtins through __builtins__', () => {
    const code = checkCode('assert f(1) == 2\n# 😀');
    expect(code).toMatch(/^[\x20-\x7e]+$/);
    expect(code.startsWith('__builtins__.exec(__builtins__.compile(')).toBe(
      true
    );
  });
});

function fakeKernel(
  replies: { status: string; ename?: string; evalue?: string }[] | 'never',
  overrides: Partial<ICheckKernel> = {}
) {
  const sent: Record<string, unknown>[] = [];
  const kernel: ICheckKernel = {
    status: 'idle',
    info: Promise.resolve({ language_info: { name: 'python' } }),
    requestExecute(content) {
      sent.push(content);
      const reply = replies === 'never' ? undefined : replies[sent.length - 1];
      return {
        done: reply
          ? Promise.resolve({ content: reply })
          : new Promise(() => undefined)
      };
    },
    ...overrides
  };
  return { kernel, sent };
}

const plan: ICheckPlan = {
  exercise: 'q1',
  manual: false,
  answer: 2,
  expectedOutput: false,
  tests: [
    {
      cell: 3,
      cellId: 'a',
      source: 'assert f(2) == 4',
      points: 2,
      message: 'f(2) is 4'
    },
    {
      cell: 4,
      cellId: 'b',
      source: 'assert f(3) == 9',
      points: 1,
      message: null
    }
  ]
};

describe('runChecks and its report', () => {
  it('runs each test silently, without history, and counts passes honestly', async () => {
    const { kernel, sent } = fakeKernel([
      { status: 'ok' },
      { status: 'error', ename: 'AssertionError', evalue: '' }
    ]);
    const outcome = await runChecks(kernel, plan, { timeoutMs: 1000 });
    expect(sent).toHaveLength(2);
    for (const content of sent) {
      expect(content).toMatchObject({
        silent: true,
        store_history: false,
        allow_stdin: false
      });
    }
    const report = checkReport(outcome, trans, 1);
    expect(report.tone).toBe('fail');
    expect(report.headline).toBe(
      '1 of 2 public checks passed · hidden checks run when you submit'
    );
    expect(report.lines).toEqual([
      { passed: true, text: 'f(2) is 4' },
      { passed: false, text: 'Check 2 — AssertionError' }
    ]);
  });

  it('says all passed only when all did', async () => {
    const { kernel } = fakeKernel([{ status: 'ok' }, { status: 'ok' }]);
    const report = checkReport(
      await runChecks(kernel, plan, { timeoutMs: 1000 }),
      trans,
      1
    );
    expect(report.tone).toBe('pass');
    expect(report.headline).toBe(
      '2 of 2 public checks passed · hidden checks run when you submit'
    );
  });

  it('bounds an error message', async () => {
    const { kernel } = fakeKernel([
      { status: 'error', ename: 'ValueError', evalue: 'x'.repeat(5000) },
      { status: 'ok' }
    ]);
    const outcome = await runChecks(kernel, plan, { timeoutMs: 1000 });
    const report = checkReport(outcome, trans, 1);
    expect(report.lines[0].text.length).toBeLessThan(400);
  });

  it('stops at a test that does not finish and says what did not run', async () => {
    const { kernel } = fakeKernel('never');
    const outcome = await runChecks(kernel, plan, { timeoutMs: 20 });
    const report = checkReport(outcome, trans, 0.02);
    expect(report.tone).toBe('fail');
    expect(report.headline).toBe(
      '0 of 2 public checks passed · hidden checks run when you submit'
    );
    expect(report.lines[0].text).toContain('did not finish within 0.02 s');
    expect(report.lines[0].text).toContain('the check after it did not run');
  });

  it.each([
    [null, 'No kernel'],
    [{ status: 'dead' }, 'not running'],
    [{ status: 'restarting' }, 'starting'],
    [{ status: 'busy' }, 'busy'],
    [{ info: Promise.resolve({ language_info: { name: 'R' } }) }, 'a R kernel']
  ])(
    'a kernel that cannot check gets a clear message: %p',
    async (state, words) => {
      const { kernel, sent } = fakeKernel([]);
      const subject = state === null ? null : { ...kernel, ...state };
      const outcome = await runChecks(subject as ICheckKernel | null, plan, {
        timeoutMs: 1000
      });
      const report = checkReport(outcome, trans, 1);
      expect(report.tone).toBe('info');
      expect(report.headline).toContain(words);
      expect(sent).toHaveLength(0);
    }
  );

  it('has honest words for exercises without public checks', async () => {
    const none = await runChecks(
      null,
      { ...plan, tests: [] },
      { timeoutMs: 1000 }
    );
    expect(checkReport(none, trans, 1).headline).toBe(
      'This exercise has no public checks · hidden checks run when you submit'
    );
    const manual = await runChecks(
      null,
      { ...plan, tests: [], manual: true },
      { timeoutMs: 1000 }
    );
    expect(checkReport(manual, trans, 1).headline).toContain(
      'graded by a person'
    );
  });
});

describe('expected-output checks', () => {
  it('reads what a cell showed as the comparison does', () => {
    expect(
      outputText([
        { output_type: 'stream', name: 'stdout', text: ['14', '4\n'] },
        { output_type: 'stream', name: 'stderr', text: 'DeprecationWarning\n' },
        {
          output_type: 'display_data',
          data: { 'text/plain': 'shown', 'text/html': '<b>x</b>' }
        },
        {
          output_type: 'execute_result',
          data: { 'text/plain': ['1', '2'] },
          execution_count: 3
        },
        {
          output_type: 'error',
          ename: 'ValueError',
          evalue: 'no',
          traceback: []
        },
        { output_type: 'display_data', data: { 'image/png': 'iVBOR' } },
        null,
        'garbage'
      ])
    ).toBe('144\nshown\n12\n');
    expect(outputText([])).toBe('');
  });

  it('finds the assignment of a student copy, and nothing in anything else', () => {
    const id = 'ab'.repeat(16);
    expect(assignmentOf({ atrium: { assignment: { id, version: 2 } } })).toBe(
      id
    );
    for (const bad of [
      null,
      {},
      { atrium: null },
      { atrium: { assignment: { id: '../etc' } } },
      { atrium: { assignment: { id: 7 } } }
    ]) {
      expect(assignmentOf(bad)).toBeNull();
    }
  });

  it('says pass or fail and the checks left, nothing of the answer', () => {
    expect(
      outputReport(
        { exercise: 'q3', passed: true, version: 1, checksLeft: 1 },
        trans
      )
    ).toEqual({
      tone: 'pass',
      headline:
        'Your output matches the expected output · 1 check left this minute',
      lines: []
    });
    expect(
      outputReport({ exercise: 'q3', passed: false, version: 1 }, trans)
    ).toEqual({
      tone: 'fail',
      headline: 'Your output does not match the expected output yet',
      lines: []
    });
  });
});

describe('the report under the cell', () => {
  it('replaces the previous report, in the cell footer, announced politely', () => {
    const cell = document.createElement('div');
    const footer = document.createElement('div');
    footer.className = 'jp-CellFooter';
    cell.appendChild(footer);
    showReport(cell, { tone: 'info', headline: 'Checking…', lines: [] });
    const box = showReport(cell, {
      tone: 'fail',
      headline:
        '1 of 2 public checks passed · hidden checks run when you submit',
      lines: [
        { passed: true, text: 'f(2) is 4' },
        { passed: false, text: 'Check 2 — AssertionError' }
      ]
    });
    expect(footer.querySelectorAll('.jp-Atrium-Grader-check')).toHaveLength(1);
    expect(box.parentElement).toBe(footer);
    expect(box.getAttribute('role')).toBe('status');
    expect(box.dataset.tone).toBe('fail');
    expect([...box.querySelectorAll('li')].map(li => li.textContent)).toEqual([
      '✓ f(2) is 4',
      '✗ Check 2 — AssertionError'
    ]);
  });

  it('knows which cells belong to an exercise', () => {
    expect(exerciseOfCell({ atrium: { grader: { exercise: 'q1' } } })).toBe(
      'q1'
    );
    for (const other of [{}, null, { atrium: { grader: { exercise: 3 } } }]) {
      expect(exerciseOfCell(other)).toBeNull();
    }
  });
});
