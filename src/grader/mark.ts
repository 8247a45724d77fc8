/**
 * What the authoring tools write into `metadata.atrium.grader` (src/grader/rules/metadata.ts
 * defines it): marking a cell, and completing what the Notebook Tools form writes (the
 * form sets single fields; the version and an exercise id come from here). Pure functions
 * on plain metadata, so jest checks them without a notebook.
 */
import {
  ANSWER_ROLES,
  isObject,
  JSONObject,
  METADATA_VERSION
} from './rules/data';

/** A cell's `atrium.grader` value, or null when the cell has none. */
export function graderOf(metadata: unknown): JSONObject | null {
  if (!isObject(metadata) || !isObject(metadata.atrium)) {
    return null;
  }
  const grader = metadata.atrium.grader;
  return isObject(grader) ? grader : null;
}

/** Whether a cell carries grader metadata (valid or not). */
export function isMarked(metadata: unknown): boolean {
  return (
    isObject(metadata) &&
    isObject(metadata.atrium) &&
    metadata.atrium.grader !== undefined
  );
}

/** The first of q1, q2, … that no cell uses yet. */
export function nextExerciseId(used: Iterable<string>): string {
  const taken = new Set(used);
  let number = 1;
  while (taken.has(`q${number}`)) {
    number++;
  }
  return `q${number}`;
}

/** Every exercise id the cells' grader metadata names. */
export function exerciseIds(cells: readonly unknown[]): string[] {
  const ids: string[] = [];
  for (const metadata of cells) {
    const exercise = graderOf(metadata)?.exercise;
    if (typeof exercise === 'string') {
      ids.push(exercise);
    }
  }
  return ids;
}

/**
 * The exercise a new cell of `role` at `index` belongs to: a tests cell joins the
 * nearest answer above it; anything else starts a new exercise.
 */
export function exerciseFor(
  cells: readonly unknown[],
  index: number,
  role: string
): string {
  if (role === 'tests') {
    for (let i = index - 1; i >= 0; i--) {
      const grader = graderOf(cells[i]);
      const exercise = grader?.exercise;
      if (
        typeof grader?.role === 'string' &&
        ANSWER_ROLES.has(grader.role) &&
        typeof exercise === 'string'
      ) {
        return exercise;
      }
    }
  }
  return nextExerciseId(exerciseIds(cells));
}

/** The `atrium.grader` value of a cell freshly marked as an answer. */
export function answerMark(
  cells: readonly unknown[],
  index: number
): JSONObject {
  return {
    version: METADATA_VERSION,
    role: 'answer',
    exercise: exerciseFor(cells, index, 'answer')
  };
}

/**
 * What the cell's `atrium.grader` should become after an edit, or `undefined` when it
 * is fine as it is; `null` means remove it.
 *
 * - no role any more (the form's "Not graded"): the cell is unmarked;
 * - a role without a version: the version this Atrium writes;
 * - a role that needs an exercise, without one (or with an empty one): a fresh id (tests
 *   join the answer above).
 *
 * Anything else, invalid values included, is left to lint to report.
 */
export function completed(
  cells: readonly unknown[],
  index: number
): JSONObject | null | undefined {
  const grader = graderOf(cells[index]);
  if (grader === null) {
    return undefined;
  }
  if (grader.role === undefined) {
    return null;
  }
  let changed: JSONObject | null = null;
  if (grader.version === undefined) {
    changed = { version: METADATA_VERSION, ...grader };
  }
  const role = grader.role;
  if (
    (grader.exercise === undefined || grader.exercise === '') &&
    typeof role === 'string' &&
    (ANSWER_ROLES.has(role) || role === 'tests')
  ) {
    changed = {
      ...(changed ?? grader),
      exercise: exerciseFor(cells, index, role)
    };
  }
  return changed ?? undefined;
}

/** The cell's `atrium` metadata with `grader` replaced (or removed: null). */
export function withGrader(
  metadata: unknown,
  grader: JSONObject | null
): JSONObject | null {
  const atrium =
    isObject(metadata) && isObject(metadata.atrium)
      ? { ...metadata.atrium }
      : {};
  if (grader === null) {
    delete atrium.grader;
  } else {
    atrium.grader = grader;
  }
  return Object.keys(atrium).length === 0 ? null : atrium;
}
