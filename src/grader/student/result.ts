/**
 * What a student reads of an official result: a line per exercise and, as far as the
 * assignment's reveal policy lets the service send them, a line per test. The service
 * already leaves out what the policy hides; this wording also says so, so that a student
 * under "score only" knows why no test is listed.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import type {
  IAssignmentExercise,
  ISubmission,
  RevealPolicy,
  SubmissionState
} from './api';

export interface IResultLine {
  passed: boolean;
  text: string;
}

export interface IExerciseResult {
  id: string;
  title: string;
  /** e.g. "2 / 3" */
  score: string;
  full: boolean;
  lines: IResultLine[];
  comment: string | null;
}

export interface IResultView {
  headline: string;
  /** what the reveal policy shows, in words */
  policy: string;
  exercises: IExerciseResult[];
  notes: string[];
}

/** Numbers as people write scores: no trailing zeros, at most two decimals. */
export function formatPoints(value: number): string {
  return String(Math.round(value * 100) / 100);
}

export function policyText(
  reveal: RevealPolicy,
  trans: TranslationBundle
): string {
  switch (reveal) {
    case 'score-only':
      return trans.__(
        'Your instructor shows scores only: the tests and their messages are not shown.'
      );
    case 'test-code-and-message':
      return trans.__(
        'Your instructor shows each failing test with its message and what it found.'
      );
    default:
      return trans.__(
        "Your instructor shows each failing test's message, not the test itself."
      );
  }
}

export function stateText(
  state: SubmissionState | 'sending',
  trans: TranslationBundle
): string {
  switch (state) {
    case 'sending':
      return trans.__('Sending your notebook…');
    case 'queued':
      return trans.__(
        'Waiting for the official grade (queued or being graded)…'
      );
    case 'graded':
      return trans.__('Graded');
    case 'failed':
      return trans.__(
        'Grading failed on the service side; your submission is kept. Ask your instructor to regrade it.'
      );
  }
}

/**
 * The official result of a graded submission, per exercise of the assignment (in its
 * order; exercises the result names that the list does not are added after).
 */
export function resultView(
  submission: ISubmission,
  exercises: readonly IAssignmentExercise[],
  reveal: RevealPolicy,
  trans: TranslationBundle
): IResultView {
  const scores = submission.exercises ?? {};
  const ids = exercises.map(e => e.id);
  for (const id of Object.keys(scores)) {
    if (!ids.includes(id)) {
      ids.push(id);
    }
  }
  const titles = new Map(exercises.map(e => [e.id, e.title]));
  const tests = submission.tests ?? [];
  const rows = ids.map(id => {
    const entry = scores[id];
    const points = entry?.points ?? exercises.find(e => e.id === id)?.points;
    const score = entry?.score;
    const own = tests.filter(t => t.exercise === id);
    const lines = own.map((test, index) => {
      const name = trans._n(
        'Test %2 (%1 point)',
        'Test %2 (%1 points)',
        test.points,
        index + 1
      );
      if (test.passed) {
        return { passed: true, text: name };
      }
      const parts = [name];
      if (test.message) {
        parts.push(test.message);
      }
      if (test.detail) {
        parts.push(
          typeof test.line === 'number'
            ? trans.__('line %1: %2', test.line, test.detail)
            : test.detail
        );
      }
      return { passed: false, text: parts.join(' — ') };
    });
    return {
      id,
      title: titles.get(id) || id,
      score:
        typeof score === 'number'
          ? `${formatPoints(score)} / ${formatPoints(points ?? 0)}`
          : trans.__('not graded yet / %1', formatPoints(points ?? 0)),
      full: typeof score === 'number' && score >= (points ?? 0),
      lines: reveal === 'score-only' ? [] : lines,
      comment: entry?.comment || null
    };
  });
  const total = formatPoints(submission.score ?? 0);
  const max = formatPoints(submission.points ?? 0);
  let headline = trans.__('Official score: %1 of %2 points', total, max);
  if (submission.late) {
    headline +=
      ' · ' +
      (submission.penalty
        ? trans.__(
            'late: %1 %% taken off',
            formatPoints(submission.penalty * 100)
          )
        : trans.__('late'));
  }
  return {
    headline,
    policy: policyText(reveal, trans),
    exercises: rows,
    notes: submission.notes ?? []
  };
}

/** The receipt as text the student can copy and keep. */
export function receiptText(
  submission: ISubmission,
  title: string,
  trans: TranslationBundle
): string {
  const lines = [
    trans.__(
      'Assignment: %1 (version %2)',
      title,
      submission.assignmentVersion
    ),
    trans.__('Submission: %1', submission.id),
    trans.__('Submitted at: %1', submission.submittedAt),
    trans.__('Content hash (SHA-256): %1', submission.contentHash)
  ];
  if (submission.state === 'graded') {
    lines.push(
      trans.__(
        'Score: %1 of %2',
        formatPoints(submission.score ?? 0),
        formatPoints(submission.points ?? 0)
      )
    );
  } else {
    lines.push(trans.__('Score: %1', stateText(submission.state, trans)));
  }
  if (submission.late) {
    lines.push(trans.__('Submitted after the deadline'));
  }
  return lines.join('\n');
}
