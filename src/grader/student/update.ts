/**
 * A corrected release reaches a student's copy: the new student version, with the
 * student's answers carried into it by exercise id (the cells official grading reads,
 * status.ts answerCells). The copy as it was is kept beside it first, so nothing the
 * student wrote is lost, whatever the correction changed.
 */
import { answerCells } from './status';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The release a copy was made from (`metadata.atrium.assignment.version`); null if unknown. */
export function copyVersion(metadata: unknown): number | null {
  const atrium = isObject(metadata) ? metadata.atrium : null;
  const assignment = isObject(atrium) ? atrium.assignment : null;
  const version = isObject(assignment) ? assignment.version : null;
  return typeof version === 'number' && Number.isInteger(version)
    ? version
    : null;
}

export interface ICarried {
  /** the new student version with the student's answers in its answer cells */
  notebook: Record<string, unknown>;
  /** exercises whose answer was carried */
  carried: string[];
  /** exercises the student answered that the new version has no answer cell for (or
   * of another kind): their answers stay only in the kept copy */
  left: string[];
}

/**
 * `fresh` (the new student version, not modified) with each answer cell's source taken
 * from the first answer cell of the same exercise and cell type in `copy`.
 */
export function carryAnswers(copy: unknown, fresh: unknown): ICarried {
  // A notebook is JSON: a copy that cannot share anything with `fresh`.
  const notebook = JSON.parse(
    JSON.stringify(isObject(fresh) ? fresh : { cells: [] })
  ) as Record<string, unknown>;
  const oldCells =
    isObject(copy) && Array.isArray(copy.cells) ? copy.cells : [];
  const newCells = Array.isArray(notebook.cells) ? notebook.cells : [];
  const before = answerCells(copy).found;
  const after = answerCells(notebook).found;
  const carried: string[] = [];
  const left: string[] = [];
  for (const [exercise, { first }] of before) {
    const source = oldCells[first] as Record<string, unknown>;
    const target = after.get(exercise);
    const cell = target
      ? (newCells[target.first] as Record<string, unknown>)
      : null;
    if (!cell || cell.cell_type !== source.cell_type) {
      left.push(exercise);
      continue;
    }
    cell.source = source.source;
    carried.push(exercise);
  }
  return { notebook, carried, left };
}

/** Where the copy as it was goes: `assignments/T.ipynb` → `assignments/T (version 2).ipynb`,
 * numbered on when taken. */
export function keptCopyPath(
  path: string,
  version: number | null,
  taken: ReadonlySet<string>
): string {
  const stem = path.replace(/\.ipynb$/i, '');
  const label = version === null ? 'before update' : `version ${version}`;
  let candidate = `${stem} (${label}).ipynb`;
  for (let n = 2; taken.has(candidate); n++) {
    candidate = `${stem} (${label}, ${n}).ipynb`;
  }
  return candidate;
}
