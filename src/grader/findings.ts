/**
 * What lint findings and the exercise summary look like on screen: per cell, a severity
 * and the lines to show; for the notebook toolbar, the points total. Pure, for jest.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import type { IFinding, ISummary, Severity } from './rules';

/** What one cell shows. */
export interface ICellState {
  readonly severity: Severity | null;
  readonly lines: string[];
}

const NO_PROBLEM: ICellState = { severity: null, lines: [] };

function describe(finding: IFinding, trans: TranslationBundle): string {
  return finding.line === null
    ? finding.message
    : trans.__('Line %1: %2', finding.line, finding.message);
}

/** Each cell's state, by index; cells without findings get `severity: null`. */
export function cellStates(
  findings: readonly IFinding[],
  cellCount: number,
  trans: TranslationBundle
): ICellState[] {
  const states: ICellState[] = [];
  for (let index = 0; index < cellCount; index++) {
    const own = findings.filter(finding => finding.cell === index);
    if (own.length === 0) {
      states.push(NO_PROBLEM);
      continue;
    }
    // Errors first: they block a release, warnings do not.
    const ordered = [
      ...own.filter(finding => finding.severity === 'error'),
      ...own.filter(finding => finding.severity !== 'error')
    ];
    states.push({
      severity: ordered[0].severity,
      lines: ordered.map(finding => describe(finding, trans))
    });
  }
  return states;
}

/** What the points total in the notebook toolbar shows. */
export interface IPointsState {
  readonly visible: boolean;
  readonly text: string;
  readonly title: string;
  readonly errors: number;
  readonly warnings: number;
}

/**
 * The toolbar item's state: hidden in a notebook without exercises or findings about
 * grader metadata; otherwise the points total, and how many problems lint found.
 */
export function pointsState(
  summary: ISummary,
  findings: readonly IFinding[],
  trans: TranslationBundle
): IPointsState {
  const errors = findings.filter(f => f.severity === 'error').length;
  const warnings = findings.length - errors;
  const visible = summary.exercises.length > 0 || findings.length > 0;
  let text = trans._n('%1 point', '%1 points', summary.points);
  if (errors > 0) {
    text += ' · ' + trans._n('%1 problem', '%1 problems', errors);
  }
  const title = [
    trans._n(
      '%1 exercise, %2 points in total',
      '%1 exercises, %2 points in total',
      summary.exercises.length,
      summary.points
    ),
    ...summary.exercises.map(exercise =>
      trans._n(
        '%2: %1 point',
        '%2: %1 points',
        exercise.points,
        exercise.title ?? exercise.id
      )
    ),
    ...(findings.length > 0
      ? [
          trans.__(
            'Lint: %1 errors, %2 warnings (shown on the cells)',
            errors,
            warnings
          )
        ]
      : [])
  ].join('\n');
  return { visible, text, title, errors, warnings };
}
