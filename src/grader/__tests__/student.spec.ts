/**
 * The student's side of the grader, pure parts: an assignment's status, the exercises of a
 * copy (hand-edited ones too), the official result as each reveal policy shows it, the
 * refusals in words, and waiting for the grade with backoff and a deadline.
 */
import * as fs from 'fs';
import * as path from 'path';

import { nullTranslator } from '@jupyterlab/translation';

import { AtriumRequestError } from '../../common/request';
import type { IAssignmentExercise, ISubmission } from '../student/api';
import { failureText, refusalText } from '../student/errors';
import {
  delays,
  PollAborted,
  pollSubmission,
  PollTimeout
} from '../student/poll';
import { receiptText, resultView } from '../student/result';
import {
  assignmentStatus,
  copyPath,
  exerciseRows,
  rowNotes,
  statusText
} from '../student/status';

const trans = nullTranslator.load('jupyterlab_atrium');

const STUDENT = JSON.parse(
  fs.readFileSync(
    path.resolve(
      __dirname,
      '../../../tests/fixtures/grader/assignment.student.ipynb'
    ),
    'utf8'
  )
) as { cells: Record<string, unknown>[] };

const EXERCISES: IAssignmentExercise[] = [
  { id: 'q1', title: 'square(x)', points: 3 },
  { id: 'q2', title: 'Signs', points: 3 },
  { id: 'q3', title: null, points: 1 }
];

function submission(overrides: Partial<ISubmission> = {}): ISubmission {
  return {
    id: 'a'.repeat(32),
    assignmentId: 'b'.repeat(32),
    assignmentVersion: 2,
    submittedAt: '2026-12-07T08:00:00+00:00',
    contentHash: 'c'.repeat(64),
    late: false,
    state: 'queued',
    score: null,
    points: 7,
    ...overrides
  };
}

const GRADED = submission({
  state: 'graded',
  score: 1,
  gradedAt: '2026-12-07T08:00:02+00:00',
  exercises: {
    q1: { score: 1, points: 3 },
    q3: { score: 0, points: 1 }
  },
  tests: [
    {
      exercise: 'q1',
      points: 2,
      passed: false,
      message: 'square(2) should be 4',
      detail: 'expected 4, got 5',
      line: 3
    },
    { exercise: 'q1', points: 1, passed: true },
    { exercise: 'q3', points: 1, passed: false, message: 'Print the total' }
  ]
});

describe('assignment status', () => {
  it('is not opened, then in progress, from whether the copy exists', () => {
    expect(assignmentStatus(false, []).kind).toBe('not-opened');
    expect(assignmentStatus(true, []).kind).toBe('in-progress');
    expect(statusText(assignmentStatus(false, []), trans)).toBe('Not opened');
  });

  it('follows the newest submission: graded with its score, queued, failed', () => {
    const status = assignmentStatus(false, [GRADED]);
    expect(status).toMatchObject({ kind: 'submitted', score: 1, points: 7 });
    expect(statusText(status, trans)).toBe('Submitted · 1 of 7 points');
    // a resubmission being graded is what the student is waiting for
    expect(assignmentStatus(true, [submission(), GRADED]).kind).toBe('grading');
    expect(
      assignmentStatus(true, [submission({ state: 'failed' }), GRADED]).kind
    ).toBe('failed');
  });
});

describe('copy path', () => {
  it('is the title in the assignments folder, without what file systems refuse', () => {
    expect(copyPath('Length of stay')).toBe('assignments/Length of stay.ipynb');
    expect(copyPath('a/b: c?')).toBe('assignments/a-b- c-.ipynb');
    expect(copyPath('..hidden')).toBe('assignments/hidden.ipynb');
    expect(copyPath('   ')).toBe('assignments/assignment.ipynb');
    expect(copyPath('Squares', 2)).toBe('assignments/Squares (2).ipynb');
  });
});

describe('exercise rows', () => {
  it('lists the assignment’s exercises with their answer cells, checks and scores', () => {
    const checks = new Map([
      ['q1', { tone: 'fail' as const, headline: '0 of 1 public check passed' }]
    ]);
    const rows = exerciseRows(STUDENT, EXERCISES, checks, GRADED);
    expect(rows.map(r => [r.id, r.title, r.points, r.cell, r.answers])).toEqual(
      [
        ['q1', 'square(x)', 3, 2, 1],
        ['q2', 'Signs', 3, 4, 1], // a manual Markdown answer
        ['q3', 'q3', 1, 5, 1]
      ]
    );
    expect(rows[0].check?.tone).toBe('fail');
    expect(rows[0].score).toBe(1);
    expect(rows[1].score).toBeNull(); // not graded yet (manual)
    expect(rowNotes(rows[0], trans)).toEqual([
      'Official: 1 of 3',
      '0 of 1 public check passed'
    ]);
    expect(rowNotes(rows[2], trans)).toEqual([
      'Official: 0 of 1',
      'Not checked yet'
    ]);
  });

  it('copes with a hand-edited copy: a deleted and a duplicated answer cell', () => {
    const cells = STUDENT.cells.filter((_, i) => i !== 5);
    cells.splice(3, 0, JSON.parse(JSON.stringify(STUDENT.cells[2])));
    const rows = exerciseRows(
      { ...STUDENT, cells },
      EXERCISES,
      new Map(),
      null
    );
    expect(rows[0]).toMatchObject({ id: 'q1', cell: 2, answers: 2 });
    expect(rows[2]).toMatchObject({ id: 'q3', cell: null, answers: 0 });
    expect(rowNotes(rows[0], trans)).toContain(
      '2 answer cells for this exercise: only the first is graded.'
    );
    expect(rowNotes(rows[2], trans)).toEqual([
      'No answer cell for this exercise in your copy: its starting code will be graded.'
    ]);
  });

  it('reads the exercises from the copy when the assignment is not available', () => {
    const rows = exerciseRows(STUDENT, null, new Map(), null);
    expect(rows.map(r => r.id)).toEqual(['q1', 'q2', 'q3']);
  });

  it('never throws on what is not a notebook', () => {
    for (const value of [
      null,
      42,
      'x',
      { cells: 'no' },
      { cells: [null, 7, { metadata: 3 }] }
    ]) {
      expect(exerciseRows(value, EXERCISES, new Map(), null)).toHaveLength(3);
    }
    // an answer cell turned into Markdown is no answer
    const cells = JSON.parse(JSON.stringify(STUDENT.cells));
    cells[2].cell_type = 'markdown';
    expect(
      exerciseRows({ cells }, EXERCISES, new Map(), null)[0].cell
    ).toBeNull();
  });
});

describe('result per reveal policy', () => {
  it('message-only: failing tests with the instructor’s message', () => {
    const view = resultView(
      { ...GRADED, tests: GRADED.tests!.map(({ detail, line, ...t }) => t) },
      EXERCISES,
      'message-only',
      trans
    );
    expect(view.headline).toBe('Official score: 1 of 7 points');
    expect(view.exercises.map(e => [e.id, e.score])).toEqual([
      ['q1', '1 / 3'],
      ['q2', 'not graded yet / 3'],
      ['q3', '0 / 1']
    ]);
    expect(view.exercises[0].lines).toEqual([
      { passed: false, text: 'Test 1 (2 points) — square(2) should be 4' },
      { passed: true, text: 'Test 2 (1 point)' }
    ]);
    expect(view.policy).toMatch(/message, not the test itself/);
  });

  it('test-code-and-message: also what the check found, and where', () => {
    const view = resultView(GRADED, EXERCISES, 'test-code-and-message', trans);
    expect(view.exercises[0].lines[0].text).toBe(
      'Test 1 (2 points) — square(2) should be 4 — line 3: expected 4, got 5'
    );
  });

  it('score-only: scores, no test, and says why', () => {
    const scoreOnly = { ...GRADED, tests: undefined };
    const view = resultView(scoreOnly, EXERCISES, 'score-only', trans);
    expect(view.exercises.every(e => e.lines.length === 0)).toBe(true);
    expect(view.exercises[0].score).toBe('1 / 3');
    expect(view.policy).toMatch(/scores only/);
    // even if a test slipped through, score-only shows none
    expect(
      resultView(GRADED, EXERCISES, 'score-only', trans).exercises[0].lines
    ).toEqual([]);
  });

  it('shows a late penalty, an instructor comment and exercises the list lacks', () => {
    const view = resultView(
      submission({
        state: 'graded',
        late: true,
        penalty: 0.1,
        score: 2.7,
        exercises: {
          q2: { score: 3, points: 3, comment: 'Well argued' },
          extra: { score: 0, points: 1 }
        }
      }),
      EXERCISES,
      'message-only',
      trans
    );
    expect(view.headline).toBe(
      'Official score: 2.7 of 7 points · late: 10 % taken off'
    );
    expect(view.exercises.find(e => e.id === 'q2')).toMatchObject({
      comment: 'Well argued',
      full: true
    });
    expect(view.exercises.map(e => e.id)).toEqual(['q1', 'q2', 'q3', 'extra']);
  });

  it('the receipt names the submission, time, hash and score', () => {
    const text = receiptText(GRADED, 'Squares', trans);
    expect(text).toContain(`Submission: ${'a'.repeat(32)}`);
    expect(text).toContain('Submitted at: 2026-12-07T08:00:00+00:00');
    expect(text).toContain(`Content hash (SHA-256): ${'c'.repeat(64)}`);
    expect(text).toContain('Score: 1 of 7');
    expect(receiptText(submission(), 'Squares', trans)).toContain(
      'Score: Waiting for the official grade'
    );
  });
});

describe('refusals and failures in words', () => {
  it('deadline, rate limit, submission limit', () => {
    const base = {
      status: 403,
      reason: 'assignment-closed',
      message: 'closed',
      retryAfter: null
    };
    expect(refusalText(base, trans)).toMatch(/deadline has passed/);
    expect(
      refusalText(
        {
          ...base,
          status: 429,
          reason: 'too-many-submissions',
          retryAfter: 40
        },
        trans
      )
    ).toBe(
      'You have submitted often in the last hour; you can submit again in 40 seconds.'
    );
    expect(
      refusalText(
        { ...base, status: 429, reason: 'too-many-submissions' },
        trans
      )
    ).toMatch(/used every submission/);
  });

  it('the service away', () => {
    for (const error of [
      new AtriumRequestError('x', 503, 'service-unavailable'),
      new AtriumRequestError('', 502, 'http-502')
    ]) {
      expect(failureText(error, trans)).toMatch(
        /grading service is not reachable/
      );
    }
    expect(
      failureText(new AtriumRequestError('', 0, 'network-error'), trans)
    ).toMatch(/Jupyter server does not answer/);
  });
});

describe('waiting for the grade', () => {
  /** A clock that only moves when the poll sleeps. */
  function fakeTime() {
    let t = 0;
    const slept: number[] = [];
    return {
      now: () => t,
      sleep: async (ms: number) => {
        slept.push(ms);
        t += ms;
      },
      slept
    };
  }

  it('backs off from the first wait up to the longest', () => {
    const next = delays(400, 2000, 2);
    expect([next(), next(), next(), next(), next()]).toEqual([
      400, 800, 1600, 2000, 2000
    ]);
  });

  it('reads often at first, so a grade ready in about a second shows within half a second of it', async () => {
    const time = fakeTime();
    let reads = 0;
    const final = await pollSubmission(
      async () => (++reads, time.now() >= 1100 ? GRADED : submission()),
      submission(),
      time
    );
    expect(final.state).toBe('graded');
    const shownAt = time.slept.reduce((a, b) => a + b, 0);
    expect(shownAt).toBeGreaterThanOrEqual(1100);
    expect(shownAt).toBeLessThan(1600);
    // ...without hammering the service: a reading per 250 ms at most.
    expect(time.slept.every(ms => ms >= 250)).toBe(true);
    expect(reads).toBeLessThanOrEqual(6);
  });

  it('reads until graded and reports each reading', async () => {
    const time = fakeTime();
    const readings = [submission(), submission(), GRADED];
    const seen: string[] = [];
    const final = await pollSubmission(
      async () => readings.shift()!,
      submission(),
      {
        ...time,
        initialMs: 100,
        factor: 2,
        onUpdate: s => seen.push(s.state)
      }
    );
    expect(final.state).toBe('graded');
    expect(seen).toEqual(['queued', 'queued', 'graded']);
    expect(time.slept).toEqual([100, 200, 400]);
  });

  it('stops at the deadline with the last reading', async () => {
    const time = fakeTime();
    const poll = pollSubmission(async () => submission(), submission(), {
      ...time,
      initialMs: 1000,
      maxMs: 1000,
      deadlineMs: 3500
    });
    await expect(poll).rejects.toBeInstanceOf(PollTimeout);
    expect(time.slept).toEqual([1000, 1000, 1000, 500]);
  });

  it('retries a service that is briefly away, not a refusal', async () => {
    const time = fakeTime();
    let calls = 0;
    const final = await pollSubmission(
      async () => {
        calls++;
        if (calls === 1) {
          throw new AtriumRequestError('', 503, 'service-unavailable');
        }
        return GRADED;
      },
      submission(),
      time
    );
    expect(final.state).toBe('graded');
    const refused = pollSubmission(
      async () => {
        throw new AtriumRequestError('gone', 404, 'not-found');
      },
      submission(),
      fakeTime()
    );
    await expect(refused).rejects.toMatchObject({ status: 404 });
  });

  it('stops when the dialog closes', async () => {
    const signal = { aborted: false };
    const time = fakeTime();
    const poll = pollSubmission(
      async () => {
        signal.aborted = true;
        return submission();
      },
      submission(),
      { ...time, signal }
    );
    await expect(poll).rejects.toBeInstanceOf(PollAborted);
  });

  it('returns at once for a submission already graded', async () => {
    const read = jest.fn();
    expect(await pollSubmission(read, GRADED)).toBe(GRADED);
    expect(read).not.toHaveBeenCalled();
  });
});
