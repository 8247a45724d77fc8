import type { TranslationBundle } from '@jupyterlab/translation';

import type {
  IExerciseScore,
  IGradebook,
  IGradebookExercise,
  IScoreDistribution
} from './api';

/*
 * The gradebook as the table shows it: pure functions of the service's reply, so that
 * jest holds them without a browser.
 */

export interface IColumn {
  id: string;
  /** The exercise's title, or its id when it has none. */
  label: string;
  points: number;
  manual: boolean;
  answerFormat: 'code' | 'markdown';
}

export interface ICell {
  exercise: string;
  score: number | null;
  points: number;
  /** A manual exercise of a graded submission: the instructor may open it. */
  gradable: boolean;
  /** Gradable and not graded yet. */
  pending: boolean;
  /** An instructor's mark replaces the score (on a manual exercise or an override). */
  marked: boolean;
}

export interface IRow {
  user: string;
  submission: string;
  submissions: number;
  submittedAt: string;
  state: 'queued' | 'graded' | 'failed';
  late: boolean;
  cells: ICell[];
  score: number | null;
  penalty: number | null;
  maxScore: number;
}

export interface ITable {
  columns: IColumn[];
  rows: IRow[];
}

export function columnsOf(exercises: IGradebookExercise[]): IColumn[] {
  return exercises.map(exercise => ({
    id: exercise.id,
    label: exercise.title || exercise.id,
    points: exercise.points,
    manual: exercise.kind === 'manual',
    answerFormat: exercise.answerFormat === 'markdown' ? 'markdown' : 'code'
  }));
}

function cellOf(
  column: IColumn,
  found: IExerciseScore | undefined,
  graded: boolean
): ICell {
  const score = found?.score ?? null;
  const gradable = column.manual && graded;
  return {
    exercise: column.id,
    score,
    points: found?.points ?? column.points,
    gradable,
    pending: gradable && score === null,
    marked: found?.mark !== undefined
  };
}

/** Students (sorted by name) × exercises. */
export function tableOf(book: IGradebook): ITable {
  const columns = columnsOf(book.assignment.exercises);
  const rows = book.students
    .map(student => {
      // A student whose submissions are all queued or failed has no scores yet.
      const graded = student.score !== null;
      return {
        user: student.user,
        submission: student.submission,
        submissions: student.submissions,
        submittedAt: student.submittedAt,
        state: student.state,
        late: student.late,
        cells: columns.map(column =>
          cellOf(column, student.exercises[column.id], graded)
        ),
        score: student.score,
        penalty: student.penalty,
        maxScore: student.maxScore
      };
    })
    .sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
  return { columns, rows };
}

/** A number as the table shows it: at most two decimals, no trailing zeros. */
export function formatNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** "2.5 / 3", or "– / 3" without a score. */
export function formatScore(score: number | null, points: number): string {
  return `${score === null ? '–' : formatNumber(score)} / ${formatNumber(points)}`;
}

/** What the statistics row says about one exercise, each part ready to show. */
export interface IExerciseSummary {
  /** Share of graded students with full points, "67 %"; "–" when none is graded. */
  passRate: string;
  graded: number;
  median: string;
  /** Median submissions it took to reach full points, "–" when nobody did. */
  attempts: string;
  /** "Test 1 (2×): message", or "" when no test failed. */
  failure: string;
}

export function summarizeExercise(
  stats: IScoreDistribution | undefined,
  trans: TranslationBundle
): IExerciseSummary {
  if (!stats || stats.graded === 0) {
    return {
      passRate: '–',
      graded: 0,
      median: '–',
      attempts: '–',
      failure: ''
    };
  }
  const failure = stats.mostCommonFailure;
  return {
    passRate: `${Math.round((100 * stats.fullPoints) / stats.graded)} %`,
    graded: stats.graded,
    median: stats.median === null ? '–' : formatNumber(stats.median),
    attempts:
      stats.medianAttempts === null || stats.medianAttempts === undefined
        ? '–'
        : formatNumber(stats.medianAttempts),
    failure: failure
      ? trans.__(
          'Test %1 (%2×)%3',
          failure.test,
          failure.count,
          failure.message ? `: ${failure.message}` : ''
        )
      : ''
  };
}

/** Points an instructor typed, checked against the exercise's points. */
export type PointsInput = { value: number } | { error: string };

export function parsePoints(
  text: string,
  maximum: number,
  trans: TranslationBundle
): PointsInput {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') {
    return {
      error: trans.__('Enter the points (0 to %1).', formatNumber(maximum))
    };
  }
  // Number('') is 0 and Number('1e2') is 100: only plain decimals are points.
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(trimmed)) {
    return {
      error: trans.__(
        'Points are a number from 0 to %1, like 2 or 2.5.',
        formatNumber(maximum)
      )
    };
  }
  const value = Number(trimmed);
  if (value > maximum) {
    return {
      error: trans.__(
        'At most %1 points: that is what this exercise is worth.',
        formatNumber(maximum)
      )
    };
  }
  return { value };
}

/** The name an export is saved under: the assignment id says which it is. */
export function exportName(assignment: string, format: 'csv' | 'json'): string {
  const safe = assignment.replace(/[^A-Za-z0-9_-]/g, '_');
  return `gradebook-${safe}.${format}`;
}

/** How many students' counted submissions are still waiting for a grade. */
export function waiting(book: IGradebook): number {
  return book.students.filter(student => student.state === 'queued').length;
}
