import * as fs from 'fs';
import * as path from 'path';

import { nullTranslator } from '@jupyterlab/translation';

import { errorFromReply } from '../../common/request';

import { previewName, previewOf } from '../preview/build';
import {
  findingLines,
  formDefaults,
  fromLocalInput,
  IReleaseForm,
  releasePolicy,
  titleOf,
  toLocalInput
} from '../release/form';
import { releasable, releaseOf, withRelease } from '../release/link';
import { GraderError } from '../rules/analysis';
import type { JSONObject } from '../rules/data';
import { kernelNameOf, sessionPath } from '../selftest/kernel';
import { ISelfTestPlan, IStep, selfTestPlan } from '../selftest/plan';
import { selfTestReport } from '../selftest/report';
import { IRunResult, ISelfTestKernel, runSteps } from '../selftest/run';

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
const read = (name: string): JSONObject =>
  JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf8'));
const ID = '0123456789abcdef0123456789abcdef';

function linked(notebook: JSONObject): JSONObject {
  const metadata = notebook.metadata as JSONObject;
  return {
    ...notebook,
    metadata: {
      ...metadata,
      atrium: withRelease(metadata, { id: ID, version: 2 })
    }
  };
}

describe('release link', () => {
  it('reads only a well-formed link', () => {
    expect(releaseOf({ atrium: { release: { id: ID, version: 3 } } })).toEqual({
      id: ID,
      version: 3
    });
    for (const bad of [
      null,
      {},
      { atrium: { release: { id: 'x', version: 1 } } },
      { atrium: { release: { id: ID, version: 0 } } },
      { atrium: { release: { id: ID, version: 1.5 } } },
      // a student's copy names its assignment elsewhere: not a release of this notebook
      { atrium: { assignment: { id: ID, version: 1 } } }
    ]) {
      expect(releaseOf(bad)).toBeNull();
    }
  });

  it('keeps the rest of metadata.atrium and is left out of what is released', () => {
    const notebook = read('assignment.in.ipynb');
    const atrium = withRelease(notebook.metadata, { id: ID, version: 2 });
    expect(atrium.grader).toEqual(
      ((notebook.metadata as JSONObject).atrium as JSONObject).grader
    );
    expect(releasable(linked(notebook))).toEqual(notebook);
    const bare = {
      cells: [],
      metadata: { atrium: { release: atrium.release } }
    };
    expect(releasable(bare)).toEqual({ cells: [], metadata: {} });
  });
});

describe('preview', () => {
  // The same fixtures as rules.spec.ts and tests/test_grader_rules.py: what the preview
  // shows is byte for byte what the service releases.
  const cases = fs
    .readdirSync(fixtures)
    .filter(name => name.endsWith('.student.ipynb'))
    .map(name => name.replace(/\.student\.ipynb$/, ''));

  it.each(cases)('shows the student version of %s', name => {
    const notebook = read(`${name}.in.ipynb`);
    const expected = read(`${name}.student.ipynb`);
    expect(previewOf(notebook)).toEqual(expected);
    // The notebook's own release link is bookkeeping: the preview is the same without it.
    expect(previewOf(linked(notebook))).toEqual(expected);
  });

  it('refuses a notebook the rules cannot read, saying why', () => {
    expect(() => previewOf(read('bad-metadata.in.ipynb'))).toThrow(GraderError);
  });

  it('names the tab after the file', () => {
    expect(previewName('course/week 1/squares.ipynb')).toBe('squares');
  });
});

describe('selfTestPlan', () => {
  const plan = selfTestPlan(linked(read('assignment.in.ipynb')));
  const cells = (steps: IStep[]) => steps.map(step => step.cell);

  it('runs every code cell of the solution, hidden tests and all', () => {
    expect(cells(plan.solution)).toEqual([1, 2, 3, 4, 6, 8]);
    expect(plan.solution.map(step => step.kind)).toEqual([
      'setup',
      'answer',
      'test',
      'test',
      'answer',
      'other'
    ]);
    expect(plan.solution[1].source).toContain('result = x * x');
  });

  it('runs the stubs with each test whole, hidden regions and hidden cells included', () => {
    expect(cells(plan.stubs)).toEqual([1, 2, 3, 4, 6, 8]);
    const answer = plan.stubs[1];
    expect(answer.source).toContain('raise NotImplementedError()');
    expect(answer.source).not.toContain('CANARY');
    expect(plan.stubs[2].source).toContain('assert square(-3) == 9');
    expect(plan.stubs[2].message).toBe('square(2) should be 4');
    expect(plan.stubs[3].source).toContain('assert square(0) == 0');
  });

  it('knows the exercises and which have no tests to run', () => {
    expect(plan.exercises).toEqual(['q1', 'q2', 'q3']);
    expect(plan.untested).toEqual(['q2', 'q3']);
  });

  it('refuses a notebook without a student version', () => {
    expect(() => selfTestPlan(read('bad-metadata.in.ipynb'))).toThrow(
      GraderError
    );
  });
});

/** A kernel that answers from a script: code containing a key gets that reply. */
function scriptedKernel(
  replies: [string, 'ok' | ['error', string, string] | 'hang' | 'die'][]
): ISelfTestKernel & { ran: string[] } {
  const ran: string[] = [];
  return {
    ran,
    requestExecute({ code }) {
      ran.push(code);
      const reply = replies.find(([key]) => code.includes(key))?.[1] ?? 'ok';
      if (reply === 'hang') {
        return { done: new Promise(() => undefined) };
      }
      if (reply === 'die') {
        return { done: Promise.reject(new Error('Kernel is dead')) };
      }
      return {
        done: Promise.resolve({
          content:
            reply === 'ok'
              ? { status: 'ok' }
              : { status: 'error', ename: reply[1], evalue: reply[2] }
        })
      };
    }
  };
}

describe('runSteps', () => {
  const plan = selfTestPlan(read('assignment.in.ipynb'));

  it('runs every step in order and reads each reply', async () => {
    const kernel = scriptedKernel([
      ['square(-3)', ['error', 'AssertionError', '']]
    ]);
    const result = await runSteps(kernel, plan.solution, { timeoutMs: 1000 });
    expect(kernel.ran).toEqual(plan.solution.map(step => step.source));
    expect(result.cancelled).toBe(false);
    expect(result.timedOut).toBeNull();
    expect(result.results.map(r => r.passed)).toEqual([
      true,
      true,
      false,
      true,
      true,
      true
    ]);
    expect(result.results[2].error).toBe('AssertionError');
  });

  it('stops at a step that misses its deadline', async () => {
    const kernel = scriptedKernel([['square(2)', 'hang']]);
    const result = await runSteps(kernel, plan.solution, { timeoutMs: 20 });
    expect(result.timedOut?.cell).toBe(3);
    expect(result.results).toHaveLength(2);
    expect(kernel.ran).toHaveLength(3);
  });

  it('stops when cancelled, while a step runs', async () => {
    const controller = new AbortController();
    const kernel = scriptedKernel([['square(2)', 'hang']]);
    const result = runSteps(kernel, plan.solution, {
      timeoutMs: 60000,
      signal: controller.signal,
      onStep: (_, step) => {
        if (step.cell === 3) {
          controller.abort();
        }
      }
    });
    await expect(result).resolves.toMatchObject({
      cancelled: true,
      timedOut: null
    });
    expect(kernel.ran).toHaveLength(3);
  });

  it('reports a kernel that dies as an error, not a crash', async () => {
    const kernel = scriptedKernel([['import math', 'die']]);
    const result = await runSteps(kernel, plan.solution.slice(0, 1), {
      timeoutMs: 1000
    });
    expect(result.results[0]).toMatchObject({
      passed: false,
      error: 'KernelError: Kernel is dead'
    });
  });
});

describe('selfTestReport', () => {
  const plan: ISelfTestPlan = selfTestPlan(read('assignment.in.ipynb'));
  const ran = (
    steps: IStep[],
    passed: (step: IStep) => boolean | string
  ): IRunResult => ({
    results: steps.map(step => {
      const verdict = passed(step);
      return {
        step,
        passed: verdict === true,
        error: verdict === true ? null : String(verdict)
      };
    }),
    timedOut: null,
    cancelled: false
  });
  const stubsFail = (step: IStep) =>
    step.kind === 'test' ? 'NotImplementedError' : true;

  it('passes when every test passes on the solution and fails on the stub', () => {
    const report = selfTestReport(
      plan,
      {
        solution: ran(plan.solution, () => true),
        stubs: ran(plan.stubs, stubsFail)
      },
      trans,
      60
    );
    expect(report.tone).toBe('pass');
    expect(report.items.map(item => [item.tone, item.text])).toEqual([
      [
        'ok',
        'exercise q1: its 2 tests pass on the solution and fail on the stub'
      ],
      ['info', expect.stringContaining('exercise q2: no tests to run')],
      ['info', expect.stringContaining('exercise q3: no tests to run')]
    ]);
  });

  it('says which test failed on the solution, and which one the stub passes', () => {
    const report = selfTestReport(
      plan,
      {
        solution: ran(plan.solution, step =>
          step.cell === 3 ? 'AssertionError: expected 9' : true
        ),
        stubs: ran(plan.stubs, step =>
          step.cell === 4 ? true : stubsFail(step)
        )
      },
      trans,
      60
    );
    expect(report.tone).toBe('fail');
    expect(report.headline).toBe('Self-test: 2 problems');
    const problems = report.items
      .filter(item => item.tone === 'problem')
      .map(item => item.text);
    expect(problems).toEqual([
      "exercise q1: test 'square(2) should be 4' failed on the solution: AssertionError: expected 9",
      'exercise q1: the stub passes the test in cell 5 — the test does not test anything'
    ]);
  });

  it('puts problems of the notebook first and says what did not run', () => {
    const solution = ran(
      plan.solution.slice(0, 1),
      () => 'ModuleNotFoundError'
    );
    const report = selfTestReport(
      plan,
      { solution: { ...solution, timedOut: plan.solution[1] }, stubs: null },
      trans,
      5
    );
    expect(report.items.map(item => item.text)).toEqual([
      'cell 2 raised ModuleNotFoundError on the solution; the cells after it may fail because of it',
      'exercise q1: cell 3 did not finish within 5 s on the solution; the cells after it did not run',
      'exercise q1: not fully checked (the run stopped before its tests)',
      expect.stringContaining('exercise q2: no tests'),
      expect.stringContaining('exercise q3: no tests')
    ]);
  });

  it('says when it was cancelled or had no kernel', () => {
    expect(
      selfTestReport(
        plan,
        { solution: null, stubs: null, cancelled: true },
        trans,
        5
      ).headline
    ).toBe('Self-test cancelled');
    const report = selfTestReport(
      plan,
      { solution: null, stubs: null, startError: 'no kernel within 60 s' },
      trans,
      60
    );
    expect(report.headline).toBe(
      'The self-test could not start a kernel: no kernel within 60 s'
    );
    expect(report.items[0].text).toBe(
      'exercise q1: not fully checked (the run stopped before its tests)'
    );
  });
});

describe('self-test kernel', () => {
  it("starts the notebook's kernelspec, else the server's default", () => {
    expect(kernelNameOf({ kernelspec: { name: 'ir' } }, 'python3')).toBe('ir');
    expect(kernelNameOf({}, 'python3')).toBe('python3');
    expect(kernelNameOf({ kernelspec: { name: '' } }, null)).toBeNull();
  });

  it('runs beside the notebook, under a name no file has', () => {
    expect(sessionPath('a/b/nb.ipynb')).toMatch(
      /^a\/b\/\.atrium-self-test-[0-9a-f-]{36}\.ipynb$/
    );
    expect(sessionPath('nb.ipynb')).toMatch(/^\.atrium-self-test-/);
  });
});

describe('release form', () => {
  const form = (values: Partial<IReleaseForm>): IReleaseForm => ({
    ...formDefaults({}, 'squares.ipynb', null),
    ...values
  });

  it('proposes the notebook title, else the file name', () => {
    expect(
      titleOf({ atrium: { grader: { title: ' Squares ' } } }, 'x.ipynb')
    ).toBe('Squares');
    expect(titleOf({}, 'week1/length-of-stay.ipynb')).toBe('length-of-stay');
  });

  it('turns local date inputs into instants and back', () => {
    const iso = fromLocalInput('2027-01-31T23:59')!;
    expect(new Date(iso).getTime()).toBe(
      new Date(2027, 0, 31, 23, 59).getTime()
    );
    expect(toLocalInput(iso)).toBe('2027-01-31T23:59');
    expect(fromLocalInput('2027-02-31T10:00')).toBeNull();
    expect(fromLocalInput('tomorrow')).toBeNull();
    expect(toLocalInput(null)).toBe('');
  });

  it('sends the policy the service reads', () => {
    const result = releasePolicy(
      form({
        title: ' Squares ',
        deadline: '2027-01-31T23:59',
        late: 'until',
        lateUntil: '2027-02-02T23:59',
        latePenalty: '12.5',
        reveal: 'score-only',
        counted: 'best'
      }),
      trans
    );
    expect(result).toEqual({
      policy: {
        title: 'Squares',
        deadline: fromLocalInput('2027-01-31T23:59'),
        lateUntil: fromLocalInput('2027-02-02T23:59'),
        latePenalty: 0.125,
        reveal: 'score-only',
        counted: 'best'
      }
    });
    // Late work not accepted: the late fields are not sent, whatever they hold.
    expect(
      releasePolicy(form({ lateUntil: 'x', latePenalty: '500' }), trans)
    ).toEqual({
      policy: {
        title: 'squares',
        deadline: null,
        lateUntil: null,
        latePenalty: 0,
        reveal: 'message-only',
        counted: 'latest'
      }
    });
  });

  it.each([
    [{ title: '  ' }, 'title'],
    [{ title: 'x'.repeat(201) }, 'title'],
    [{ deadline: '2027-13-01T10:00' }, 'deadline'],
    [{ late: 'until' as const }, 'late'],
    [{ deadline: '2027-01-31T10:00', late: 'until' as const }, 'lateUntil'],
    [
      {
        deadline: '2027-01-31T10:00',
        late: 'until' as const,
        lateUntil: '2027-01-30T10:00'
      },
      'lateUntil'
    ],
    [
      {
        deadline: '2027-01-31T10:00',
        late: 'until' as const,
        lateUntil: '2027-02-01T10:00',
        latePenalty: '101'
      },
      'latePenalty'
    ],
    [{ counted: 'first' as IReleaseForm['counted'] }, 'counted']
  ])('refuses %j on its field', (values, field) => {
    expect(releasePolicy(form(values), trans)).toMatchObject({ field });
  });

  it('starts a re-release from the assignment as released', () => {
    const values = formDefaults({}, 'squares.ipynb', {
      id: ID,
      title: 'Squares',
      course: null,
      version: 2,
      releasedAt: null,
      deadline: '2027-01-31T22:59:00+00:00',
      lateUntil: '2027-02-01T22:59:00+00:00',
      latePenalty: 0.1,
      reveal: 'test-code-and-message',
      counted: 'best',
      points: 6,
      exercises: []
    });
    expect(values).toEqual({
      title: 'Squares',
      deadline: toLocalInput('2027-01-31T22:59:00+00:00'),
      late: 'until',
      lateUntil: toLocalInput('2027-02-01T22:59:00+00:00'),
      latePenalty: '10',
      reveal: 'test-code-and-message',
      counted: 'best'
    });
  });

  it('lists the lint errors a release was refused for, with cell and line', () => {
    expect(
      findingLines(
        [
          {
            rule: 'unclosed-marker',
            severity: 'error',
            cell: 2,
            cellId: 'a',
            line: 3,
            message: 'BEGIN SOLUTION is never closed'
          },
          {
            rule: 'answer-without-markers',
            severity: 'warning',
            cell: 4,
            cellId: 'b',
            line: null,
            message: 'a warning'
          },
          {
            rule: 'tests-without-points',
            severity: 'error',
            cell: 5,
            cellId: 'c',
            line: null,
            message: 'no points'
          },
          {
            rule: 'notebook-invalid',
            severity: 'error',
            cell: null,
            cellId: null,
            line: null,
            message: 'broken'
          }
        ],
        trans
      )
    ).toEqual([
      'Cell 3, line 3: BEGIN SOLUTION is never closed',
      'Cell 6: no points',
      'The notebook: broken'
    ]);
  });
});

describe('a refused release', () => {
  it('keeps the findings the service sent with its 422', () => {
    const findings = [{ rule: 'unclosed-marker', cell: 2 }];
    const error = errorFromReply(
      422,
      JSON.stringify({
        message: 'not released',
        reason: 'lint-errors',
        findings
      })
    );
    expect(error.reason).toBe('lint-errors');
    expect(error.body).toMatchObject({ findings });
  });
});
