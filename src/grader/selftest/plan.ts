/**
 * What a self-test runs. Two runs, each in a fresh kernel:
 * - the solution: the instructor notebook's code cells, in order; every test must pass;
 * - the stubs: the student version's code cells in order (answers are stubs), with each
 *   tests cell run whole as the instructor wrote it (hidden regions and hidden tests cells
 *   included, at their place): every test must fail, or it does not test anything.
 * The student version comes from the shared rules (rules/student.ts), so the stubs are
 * exactly the ones students get.
 */
import { analyse, exerciseOf, ICellInfo, roleOf } from '../rules/analysis';
import { ANSWER_ROLES, JSONObject } from '../rules/data';
import { build } from '../rules/student';
import { summary } from '../rules/summary';
import { releasable } from '../release/link';

/** test: a tests cell; answer: an answer cell; setup: a cell before the first answer. */
export type StepKind = 'test' | 'answer' | 'setup' | 'other';

export interface IStep {
  /** 0-based index in the instructor notebook */
  readonly cell: number;
  readonly kind: StepKind;
  readonly exercise: string | null;
  /** the test's message, if the instructor wrote one */
  readonly message: string | null;
  readonly source: string;
}

export interface ISelfTestPlan {
  readonly solution: IStep[];
  readonly stubs: IStep[];
  /** exercise ids in the order of the notebook */
  readonly exercises: string[];
  /** exercises checked by comparing output or by a person: nothing to run for them */
  readonly untested: string[];
}

function sourceOf(cell: JSONObject): string {
  const source = cell.source;
  return Array.isArray(source) ? source.join('') : String(source ?? '');
}

function stepOf(
  info: ICellInfo,
  source: string,
  beforeAnswers: boolean
): IStep {
  const role = roleOf(info);
  const message = info.grader?.message;
  let kind: StepKind = beforeAnswers ? 'setup' : 'other';
  if (role === 'tests') {
    kind = 'test';
  } else if (role !== null && ANSWER_ROLES.has(role)) {
    kind = 'answer';
  }
  return {
    cell: info.index,
    kind,
    exercise: exerciseOf(info),
    message: typeof message === 'string' && message ? message : null,
    source
  };
}

/** The plan for `notebook`; throws GraderError when it has no student version. */
export function selfTestPlan(notebook: JSONObject): ISelfTestPlan {
  const analysis = analyse(releasable(notebook));
  const built = build(analysis); // throws for a notebook the rules cannot read
  const student = new Map(built.cells);
  const solution: IStep[] = [];
  const stubs: IStep[] = [];
  let beforeAnswers = true;
  for (const info of analysis.cells) {
    const role = roleOf(info);
    if (role !== null && ANSWER_ROLES.has(role)) {
      beforeAnswers = false;
    }
    if (info.cellType !== 'code' || !info.graderValid) {
      continue;
    }
    if (info.source.trim()) {
      solution.push(stepOf(info, info.source, beforeAnswers));
    }
    const kept = student.get(info.index);
    const source = role === 'tests' ? info.source : kept && sourceOf(kept);
    if (source && source.trim()) {
      stubs.push(stepOf(info, source, beforeAnswers));
    }
  }
  const tested = new Set(
    solution.filter(step => step.kind === 'test').map(step => step.exercise)
  );
  const exercises = summary(notebook).exercises.map(item => item.id);
  return {
    solution,
    stubs,
    exercises,
    untested: exercises.filter(id => !tested.has(id))
  };
}
