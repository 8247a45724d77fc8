/**
 * Where a student stands with an assignment and with each of its exercises, derived from
 * what the browser can see: whether their copy exists, their submissions, the notebook's
 * cells and the last Check of each exercise. Pure, so jest holds the rules.
 */
import type { IAssignmentExercise, ISubmission } from './api';

export type AssignmentStatus =
  | { kind: 'not-opened' }
  | { kind: 'in-progress' }
  | { kind: 'grading'; submission: ISubmission }
  | { kind: 'failed'; submission: ISubmission }
  | {
      kind: 'submitted';
      submission: ISubmission;
      score: number;
      points: number;
    };

/**
 * `submissions`: newest first, as the service lists them. The newest one decides: a
 * resubmission being graded shows as grading even when an earlier one has a score.
 */
export function assignmentStatus(
  copyExists: boolean,
  submissions: readonly ISubmission[]
): AssignmentStatus {
  const latest = submissions[0];
  if (latest) {
    if (latest.state === 'queued') {
      return { kind: 'grading', submission: latest };
    }
    if (latest.state === 'failed') {
      return { kind: 'failed', submission: latest };
    }
    return {
      kind: 'submitted',
      submission: latest,
      score: latest.score ?? 0,
      points: latest.points ?? 0
    };
  }
  return { kind: copyExists ? 'in-progress' : 'not-opened' };
}

/**
 * Where a student's copy of an assignment is written: `assignments/<title>.ipynb` in
 * their own folder, with the characters file systems refuse (and leading dots, which
 * would hide it) replaced.
 */
export function copyPath(title: string, suffix = 0): string {
  let name = title
    // eslint-disable-next-line no-control-regex -- control characters are refused too
    .replace(/[\\/:*?"<>|\u0000-\u001f]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .slice(0, 120)
    .trim();
  if (!name) {
    name = 'assignment';
  }
  return `assignments/${name}${suffix ? ` (${suffix})` : ''}.ipynb`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The roles of a student's answer cells (grading/rebuild.py STUDENT_ROLES). */
const ANSWER_ROLES = new Set(['answer', 'expected-output', 'manual']);

function graderOf(cell: unknown): Record<string, unknown> | null {
  const metadata = isObject(cell) ? cell.metadata : null;
  const atrium = isObject(metadata) ? metadata.atrium : null;
  const grader = isObject(atrium) ? atrium.grader : null;
  return isObject(grader) ? grader : null;
}

/** The last Check of an exercise, as the footer said it. */
export interface ICheckState {
  tone: 'pass' | 'fail' | 'info';
  headline: string;
}

export interface IExerciseRow {
  id: string;
  title: string;
  points: number;
  /** 0-based index of the answer cell that is graded (the first), or null if none */
  cell: number | null;
  /** answer cells of this exercise in the copy (duplicated cells: more than one) */
  answers: number;
  check: ICheckState | null;
  /** the latest graded submission's score of this exercise */
  score: number | null;
}

/**
 * Where each exercise's answers are in a notebook, as official grading matches them
 * (grading/rebuild.py): a code cell of an answer role, or a Markdown cell of a manual
 * exercise; the first counts, `count` tells of duplicates. `order`: every exercise the
 * cells name, in their order.
 */
export function answerCells(notebook: unknown): {
  found: Map<string, { first: number; count: number }>;
  order: string[];
} {
  const cells =
    isObject(notebook) && Array.isArray(notebook.cells) ? notebook.cells : [];
  const found = new Map<string, { first: number; count: number }>();
  const order: string[] = [];
  cells.forEach((cell, index) => {
    const grader = graderOf(cell);
    const exercise = grader?.exercise;
    if (typeof exercise !== 'string' || !exercise) {
      return;
    }
    if (!order.includes(exercise)) {
      order.push(exercise);
    }
    const isAnswer =
      isObject(cell) &&
      cell.cell_type === 'code' &&
      ANSWER_ROLES.has(String(grader?.role));
    const manualMarkdown =
      isObject(cell) &&
      cell.cell_type === 'markdown' &&
      grader?.role === 'manual';
    if (!isAnswer && !manualMarkdown) {
      return;
    }
    const entry = found.get(exercise);
    if (entry) {
      entry.count++;
    } else {
      found.set(exercise, { first: index, count: 1 });
    }
  });
  return { found, order };
}

/**
 * One row per exercise of the assignment, in its order, matched to the copy's cells by
 * exercise id as official grading matches them: the first code answer cell counts. A
 * hand-edited copy (cells deleted, duplicated, turned into Markdown) gives rows with no
 * cell or several answers, never an error. Without the assignment's list (offline), the
 * exercises are read from the copy itself.
 */
export function exerciseRows(
  notebook: unknown,
  exercises: readonly IAssignmentExercise[] | null,
  checks: ReadonlyMap<string, ICheckState>,
  graded: ISubmission | null
): IExerciseRow[] {
  const { found, order } = answerCells(notebook);
  const list: readonly IAssignmentExercise[] =
    exercises ?? order.map(id => ({ id, title: null, points: 0 }));
  const scores = graded?.state === 'graded' ? (graded.exercises ?? {}) : {};
  return list.map(exercise => {
    const where = found.get(exercise.id);
    const score = scores[exercise.id]?.score;
    return {
      id: exercise.id,
      title: exercise.title || exercise.id,
      points: exercise.points,
      cell: where?.first ?? null,
      answers: where?.count ?? 0,
      check: checks.get(exercise.id) ?? null,
      score: typeof score === 'number' ? score : null
    };
  });
}

/** What the exercises panel says of a row besides its title and points. */
export function rowNotes(
  row: IExerciseRow,
  trans: {
    __: (text: string, ...args: (string | number)[]) => string;
  }
): string[] {
  const notes: string[] = [];
  if (row.score !== null) {
    notes.push(
      trans.__('Official: %1 of %2', round(row.score), round(row.points))
    );
  }
  if (row.check) {
    notes.push(row.check.headline);
  } else if (row.cell !== null) {
    notes.push(trans.__('Not checked yet'));
  }
  if (row.cell === null) {
    notes.push(
      trans.__(
        'No answer cell for this exercise in your copy: its starting code will be graded.'
      )
    );
  } else if (row.answers > 1) {
    notes.push(
      trans.__(
        '%1 answer cells for this exercise: only the first is graded.',
        row.answers
      )
    );
  }
  return notes;
}

function round(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** An assignment's status as the Assignments section says it. */
export function statusText(
  status: AssignmentStatus,
  trans: {
    __: (text: string, ...args: (string | number)[]) => string;
  }
): string {
  switch (status.kind) {
    case 'not-opened':
      return trans.__('Not opened');
    case 'in-progress':
      return trans.__('In progress');
    case 'grading':
      return trans.__('Submitted · waiting for the grade');
    case 'failed':
      return trans.__('Submitted · grading failed');
    case 'submitted':
      return trans.__(
        'Submitted · %1 of %2 points',
        round(status.score),
        round(status.points)
      );
  }
}
