/**
 * The exercises of a notebook and their points, for the points total the notebook shows
 * and for release. Twin of jupyterlab_atrium/grader/summary.py.
 */
import { analyse, exerciseOf, roleOf } from './analysis';
import { ANSWER_ROLES, get, isObject } from './data';

export interface IExerciseSummary {
  readonly id: string;
  readonly title: string | null;
  points: number;
  /** 0-based index of the answer, expected-output or manual cell */
  answer: number | null;
  /** 0-based indices of the tests cells */
  readonly tests: number[];
}

export interface ISummary {
  readonly exercises: IExerciseSummary[];
  readonly points: number;
}

function titleOf(titles: unknown, exercise: string): string | null {
  if (!isObject(titles)) {
    return null;
  }
  const entry = get(titles, exercise);
  const title = isObject(entry) ? get(entry, 'title') : null;
  return typeof title === 'string' ? title : null;
}

/**
 * Exercises in order of first appearance with their points and cells, and the notebook's
 * total. Cells whose grader metadata is invalid are left out (lint reports them); never
 * throws.
 */
export function summary(notebook: unknown): ISummary {
  const analysis = analyse(notebook);
  const titles =
    analysis.notebookGrader !== null
      ? get(analysis.notebookGrader, 'exercises')
      : null;
  const exercises = new Map<string, IExerciseSummary>();
  let total = 0;
  for (const info of analysis.cells) {
    const exercise = exerciseOf(info);
    if (exercise === null) {
      continue;
    }
    let entry = exercises.get(exercise);
    if (entry === undefined) {
      entry = {
        id: exercise,
        title: titleOf(titles, exercise),
        points: 0,
        answer: null,
        tests: []
      };
      exercises.set(exercise, entry);
    }
    const role = roleOf(info);
    if (role !== null && ANSWER_ROLES.has(role) && entry.answer === null) {
      entry.answer = info.index;
    } else if (role === 'tests') {
      entry.tests.push(info.index);
    }
    const points = info.grader!.points;
    const value = typeof points === 'number' ? points : 0;
    entry.points += value;
    total += value;
  }
  return { exercises: [...exercises.values()], points: total };
}
