/**
 * Check, as a student clicks it: the exercise of the active cell is checked and the result
 * shown in the footer of its answer cell. Tests run in the student's own kernel
 * (run.ts); an expected-output answer is compared by the service (output.ts). Loaded on
 * the first Check.
 */
import type { Cell } from '@jupyterlab/cells';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';

import '../../../style/grader.css';
import { describeError } from '../../common/request';
import { CLASSES } from '../ids';
import { footerOf } from '../view';
import { assignmentOf, checkOutput, outputText } from './output';
import { checkPlan, ICheckPlan } from './plan';
import { ICheckKernel, runChecks } from './run';
import { checkReport, ICheckReport, outputReport } from './wording';

/** The exercise a cell belongs to, from its grader metadata; null for other cells. */
export function exerciseOfCell(metadata: unknown): string | null {
  const atrium = (metadata as { atrium?: { grader?: { exercise?: unknown } } })
    ?.atrium;
  const exercise = atrium?.grader?.exercise;
  return typeof exercise === 'string' && exercise ? exercise : null;
}

/** Show a report under a cell, replacing the previous one. */
export function showReport(
  node: HTMLElement,
  report: ICheckReport
): HTMLElement {
  const footer = footerOf({ node });
  let box = footer.querySelector<HTMLElement>(`.${CLASSES.check}`);
  if (!box) {
    box = document.createElement('div');
    box.className = CLASSES.check;
    box.setAttribute('role', 'status');
    box.setAttribute('aria-live', 'polite');
    footer.appendChild(box);
  }
  box.dataset.tone = report.tone;
  const headline = document.createElement('div');
  headline.className = `${CLASSES.check}-headline`;
  headline.textContent = report.headline;
  const lines = report.lines.map(line => {
    const item = document.createElement('li');
    item.dataset.passed = String(line.passed);
    item.textContent = `${line.passed ? '✓' : '✗'} ${line.text}`;
    return item;
  });
  const list = document.createElement('ul');
  list.replaceChildren(...lines);
  box.replaceChildren(headline, ...(lines.length ? [list] : []));
  return box;
}

async function outputCheck(
  panel: NotebookPanel,
  plan: ICheckPlan,
  notebook: { metadata?: unknown; cells?: unknown[] },
  trans: TranslationBundle
): Promise<ICheckReport> {
  const assignment = assignmentOf(notebook.metadata);
  if (!assignment) {
    return {
      tone: 'info',
      headline: trans.__(
        'Expected output is checked against the released assignment; this notebook is not a copy of one.'
      ),
      lines: []
    };
  }
  const cell = (notebook.cells ?? [])[plan.answer!] as
    { outputs?: unknown[] } | undefined;
  try {
    const verdict = await checkOutput(
      assignment,
      plan.exercise,
      outputText(cell?.outputs ?? [])
    );
    return outputReport(verdict, trans);
  } catch (error) {
    return { tone: 'info', headline: describeError(error, trans), lines: [] };
  }
}

/** Check the exercise of `cell` in `panel`; resolves when the report is shown. */
export async function checkCell(
  panel: NotebookPanel,
  cell: Cell,
  trans: TranslationBundle,
  timeoutSeconds: number
): Promise<ICheckReport | null> {
  const exercise = exerciseOfCell(cell.model.metadata);
  const model = panel.content.model;
  if (!exercise || !model) {
    return null;
  }
  const notebook = model.toJSON() as { metadata?: unknown; cells?: unknown[] };
  const plan = checkPlan(notebook, exercise);
  if (!plan) {
    return null;
  }
  const target = panel.content.widgets[plan.answer ?? -1] ?? cell;
  showReport(target.node, {
    tone: 'info',
    headline: trans.__('Checking…'),
    lines: []
  });
  let report: ICheckReport;
  if (plan.expectedOutput) {
    report = await outputCheck(panel, plan, notebook, trans);
  } else {
    const kernel = panel.sessionContext.session?.kernel ?? null;
    const outcome = await runChecks(
      kernel as unknown as ICheckKernel | null, // the connection has more than a check uses
      plan,
      { timeoutMs: timeoutSeconds * 1000 }
    );
    report = checkReport(outcome, trans, timeoutSeconds);
  }
  showReport(target.node, report);
  return report;
}
