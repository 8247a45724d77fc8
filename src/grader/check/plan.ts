/**
 * What a practice check of one exercise runs: the public part of each of its tests cells.
 * In a student's copy hidden tests are gone already; in the instructor's own notebook they
 * are cut here, so the instructor sees what a student's check will do.
 */
import { analyse, exerciseOf, roleOf } from '../rules/analysis';
import { parse, transform } from '../rules/markers';

export interface IPublicTest {
  /** 0-based cell index */
  readonly cell: number;
  readonly cellId: string | null;
  readonly source: string;
  readonly points: number;
  /** the instructor's message for this test, shown when it fails */
  readonly message: string | null;
}

export interface ICheckPlan {
  readonly exercise: string;
  readonly tests: IPublicTest[];
  /** graded by a person: there is nothing to check */
  readonly manual: boolean;
  /** 0-based index of the exercise's answer (or expected-output, or manual) cell */
  readonly answer: number | null;
  /** the answer cell is an expected-output cell: the service checks what it shows */
  readonly expectedOutput: boolean;
}

/** The plan for `exercise`, or null when no cell of the notebook belongs to it. */
export function checkPlan(
  notebook: unknown,
  exercise: string
): ICheckPlan | null {
  const analysis = analyse(notebook);
  const tests: IPublicTest[] = [];
  let found = false;
  let manual = false;
  let answer: number | null = null;
  let expectedOutput = false;
  for (const info of analysis.cells) {
    if (exerciseOf(info) !== exercise || !info.graderValid) {
      continue;
    }
    found = true;
    const role = roleOf(info);
    if (
      answer === null &&
      (role === 'answer' || role === 'expected-output' || role === 'manual')
    ) {
      answer = info.index;
      manual = role === 'manual';
      expectedOutput = role === 'expected-output';
    }
    if (
      role !== 'tests' ||
      info.cellType !== 'code' ||
      info.grader!.hidden === true
    ) {
      continue;
    }
    const [source] = transform(parse(info.source), null);
    if (!source.trim()) {
      continue; // every line of it was hidden
    }
    const points = info.grader!.points;
    const message = info.grader!.message;
    tests.push({
      cell: info.index,
      cellId: info.cellId,
      source,
      points: typeof points === 'number' ? points : 0,
      message: typeof message === 'string' && message ? message : null
    });
  }
  return found ? { exercise, tests, manual, answer, expectedOutput } : null;
}
