/**
 * What a self-test says, per exercise: which test failed on the solution and why, which
 * test a stub passes (it tests nothing), what did not run.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import type { ISelfTestPlan, IStep } from './plan';
import type { IRunResult } from './run';

export type ItemTone = 'ok' | 'problem' | 'info';

export interface IReportItem {
  /** null: the notebook as a whole */
  readonly exercise: string | null;
  readonly tone: ItemTone;
  readonly text: string;
}

export interface ISelfTestReport {
  readonly tone: 'pass' | 'fail' | 'info';
  readonly headline: string;
  readonly items: IReportItem[];
}

export interface ISelfTestOutcome {
  /** null: that run did not start */
  readonly solution: IRunResult | null;
  readonly stubs: IRunResult | null;
  /** why a kernel could not be started, if it could not */
  readonly startError?: string;
  /** cancelled while a kernel was starting */
  readonly cancelled?: boolean;
}

function testName(step: IStep, trans: TranslationBundle): string {
  return step.message
    ? trans.__("test '%1'", step.message)
    : trans.__('the test in cell %1', step.cell + 1);
}

/** The steps of `run` that never ran: after a timeout or a cancel. */
function notRun(steps: readonly IStep[], run: IRunResult | null): IStep[] {
  if (!run) {
    return [...steps];
  }
  return steps.slice(run.results.length + (run.timedOut ? 1 : 0));
}

export function selfTestReport(
  plan: ISelfTestPlan,
  outcome: ISelfTestOutcome,
  trans: TranslationBundle,
  timeoutSeconds: number
): ISelfTestReport {
  const items: IReportItem[] = [];
  const troubled = new Set<string | null>();
  const problem = (exercise: string | null, text: string) => {
    troubled.add(exercise);
    items.push({ exercise, tone: 'problem', text });
  };
  const prefix = (exercise: string | null, text: string) =>
    exercise === null ? text : trans.__('exercise %1: %2', exercise, text);

  for (const result of outcome.solution?.results ?? []) {
    if (result.passed) {
      continue;
    }
    const { step, error } = result;
    if (step.kind === 'test') {
      problem(
        step.exercise,
        prefix(
          step.exercise,
          trans.__(
            '%1 failed on the solution: %2',
            testName(step, trans),
            error ?? ''
          )
        )
      );
    } else if (step.kind === 'answer') {
      problem(
        step.exercise,
        prefix(
          step.exercise,
          trans.__(
            'the solution (cell %1) raised %2',
            step.cell + 1,
            error ?? ''
          )
        )
      );
    } else {
      problem(
        null,
        trans.__(
          'cell %1 raised %2 on the solution; the cells after it may fail because of it',
          step.cell + 1,
          error ?? ''
        )
      );
    }
  }
  for (const result of outcome.stubs?.results ?? []) {
    const { step, error } = result;
    if (step.kind === 'test' && result.passed) {
      problem(
        step.exercise,
        prefix(
          step.exercise,
          trans.__(
            'the stub passes %1 — the test does not test anything',
            testName(step, trans)
          )
        )
      );
    } else if (step.kind === 'setup' && !result.passed) {
      problem(
        null,
        trans.__(
          'cell %1 fails in the student version before any answer is written: %2',
          step.cell + 1,
          error ?? ''
        )
      );
    }
  }
  const late = (run: IRunResult | null, where: string) => {
    if (run?.timedOut) {
      problem(
        run.timedOut.exercise,
        prefix(
          run.timedOut.exercise,
          trans.__(
            'cell %1 did not finish within %2 s %3; the cells after it did not run',
            run.timedOut.cell + 1,
            timeoutSeconds,
            where
          )
        )
      );
    }
  };
  late(outcome.solution, trans.__('on the solution'));
  late(outcome.stubs, trans.__('in the student version'));

  const unchecked = new Set(
    [
      ...notRun(plan.solution, outcome.solution),
      ...notRun(plan.stubs, outcome.stubs)
    ]
      .filter(step => step.kind === 'test')
      .map(step => step.exercise)
  );
  for (const exercise of plan.exercises) {
    if (plan.untested.includes(exercise)) {
      items.push({
        exercise,
        tone: 'info',
        text: trans.__(
          'exercise %1: no tests to run (expected output is compared when students check, manual answers are graded by a person)',
          exercise
        )
      });
    } else if (unchecked.has(exercise)) {
      items.push({
        exercise,
        tone: 'info',
        text: trans.__(
          'exercise %1: not fully checked (the run stopped before its tests)',
          exercise
        )
      });
    } else if (!troubled.has(exercise)) {
      const tests = plan.solution.filter(
        step => step.kind === 'test' && step.exercise === exercise
      ).length;
      items.push({
        exercise,
        tone: 'ok',
        text: trans._n(
          'exercise %2: its test passes on the solution and fails on the stub',
          'exercise %2: its %1 tests pass on the solution and fail on the stub',
          tests,
          exercise
        )
      });
    }
  }
  // The notebook's own problems first, then the exercises in notebook order.
  const order = (item: IReportItem) =>
    item.exercise === null ? -1 : plan.exercises.indexOf(item.exercise);
  const sorted = items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => order(a.item) - order(b.item) || a.index - b.index)
    .map(({ item }) => item);

  const problems = sorted.filter(item => item.tone === 'problem').length;
  if (outcome.startError) {
    return {
      tone: 'fail',
      headline: trans.__(
        'The self-test could not start a kernel: %1',
        outcome.startError
      ),
      items: sorted
    };
  }
  if (
    outcome.cancelled ||
    outcome.solution?.cancelled ||
    outcome.stubs?.cancelled
  ) {
    return {
      tone: 'info',
      headline: trans.__('Self-test cancelled'),
      items: sorted
    };
  }
  if (problems) {
    return {
      tone: 'fail',
      headline: trans._n(
        'Self-test: %1 problem',
        'Self-test: %1 problems',
        problems
      ),
      items: sorted
    };
  }
  return {
    tone: 'pass',
    headline: trans.__(
      'Self-test passed: every test passes on the solution and fails on the stub'
    ),
    items: sorted
  };
}
