/**
 * Self-test, as an instructor runs it: the solution and then the stubs, each in a fresh
 * kernel of the notebook's kernelspec (kernel.ts), reported per exercise in a main-area
 * view below the notebook. While it runs the view says what runs and offers Cancel; the
 * kernels are shut down however the run ends. Loaded on the first self-test.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, showErrorMessage } from '@jupyterlab/apputils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import '../../../style/grader-tools.css';
import type { JSONObject } from '../rules/data';
import {
  Cancelled,
  kernelNameOf,
  selfTestSessions,
  withFreshKernel
} from './kernel';
import { ISelfTestPlan, IStep, selfTestPlan } from './plan';
import { ISelfTestOutcome, ISelfTestReport, selfTestReport } from './report';
import { IRunResult, runSteps } from './run';

export const SELFTEST_CLASS = 'jp-Atrium-Grader-selftest';

/** The report of one notebook's self-test: progress and Cancel while it runs. */
export class SelfTestView extends Widget {
  constructor(trans: TranslationBundle) {
    super();
    this.addClass(SELFTEST_CLASS);
    this._headline.className = `${SELFTEST_CLASS}-headline`;
    this._headline.setAttribute('role', 'status');
    this._headline.setAttribute('aria-live', 'polite');
    this._cancel.className = 'jp-Button jp-mod-styled jp-mod-reject';
    this._cancel.textContent = trans.__('Cancel');
    this._cancel.onclick = () => this._controller?.abort();
    this._list.className = `${SELFTEST_CLASS}-items`;
    this.node.append(this._headline, this._cancel, this._list);
  }

  get running(): boolean {
    return this._controller !== null;
  }

  /** Start showing a run; its signal aborts on Cancel. */
  begin(): AbortSignal {
    this._controller = new AbortController();
    this.node.dataset.busy = 'true';
    this._cancel.hidden = false;
    this._list.replaceChildren();
    return this._controller.signal;
  }

  progress(text: string): void {
    this._headline.dataset.tone = 'info';
    this._headline.textContent = text;
  }

  showReport(report: ISelfTestReport): void {
    this._controller = null;
    delete this.node.dataset.busy;
    this._cancel.hidden = true;
    this._headline.dataset.tone = report.tone;
    this._headline.textContent = report.headline;
    this._list.replaceChildren(
      ...report.items.map(item => {
        const line = document.createElement('li');
        line.dataset.tone = item.tone;
        line.textContent = `${
          item.tone === 'ok' ? '✓' : item.tone === 'problem' ? '✗' : '·'
        } ${item.text}`;
        return line;
      })
    );
  }

  dispose(): void {
    this._controller?.abort();
    super.dispose();
  }

  private readonly _headline = document.createElement('div');
  private readonly _cancel = document.createElement('button');
  private readonly _list = document.createElement('ul');
  private _controller: AbortController | null = null;
}

const views = new WeakMap<NotebookPanel, MainAreaWidget<SelfTestView>>();

/** Whether a self-test of `panel` is running (the command is disabled meanwhile). */
export function isRunning(panel: NotebookPanel | null): boolean {
  return panel ? (views.get(panel)?.content.running ?? false) : false;
}

function viewOf(
  app: JupyterFrontEnd,
  panel: NotebookPanel,
  trans: TranslationBundle
): MainAreaWidget<SelfTestView> {
  const open = views.get(panel);
  if (open && !open.isDisposed) {
    app.shell.activateById(open.id);
    return open;
  }
  const view = new MainAreaWidget({ content: new SelfTestView(trans) });
  view.id = `atrium-grader-selftest-${panel.id}`;
  view.title.label = trans.__(
    'Self-test: %1',
    panel.context.path.split('/').pop() ?? ''
  );
  view.title.closable = true;
  views.set(panel, view);
  const close = () => view.dispose();
  panel.disposed.connect(close);
  view.disposed.connect(() => {
    panel.disposed.disconnect(close);
    views.delete(panel);
  });
  app.shell.add(view, 'main', { ref: panel.id, mode: 'split-bottom' });
  app.shell.activateById(view.id);
  return view;
}

async function runSide(
  app: JupyterFrontEnd,
  panel: NotebookPanel,
  kernelName: string,
  steps: IStep[],
  signal: AbortSignal,
  timeoutMs: number,
  say: (index: number, step: IStep) => void
): Promise<IRunResult> {
  return withFreshKernel(
    selfTestSessions(app.serviceManager.serverSettings),
    panel.context.path,
    kernelName,
    timeoutMs,
    signal,
    kernel => runSteps(kernel, steps, { timeoutMs, signal, onStep: say })
  );
}

/**
 * Self-test `panel`'s notebook; resolves to the report shown (null when the notebook has
 * no student version, or a self-test of it is running already).
 */
export async function selfTest(
  app: JupyterFrontEnd,
  panel: NotebookPanel,
  trans: TranslationBundle,
  timeoutSeconds: number,
  changed: () => void
): Promise<ISelfTestReport | null> {
  const model = panel.model;
  if (!model || isRunning(panel)) {
    return null;
  }
  let plan: ISelfTestPlan;
  try {
    plan = selfTestPlan(model.toJSON() as unknown as JSONObject);
  } catch (error) {
    void showErrorMessage(
      trans.__('No self-test'),
      error instanceof Error ? error.message : String(error)
    );
    return null;
  }
  const view = viewOf(app, panel, trans).content;
  if (!plan.exercises.length) {
    const report: ISelfTestReport = {
      tone: 'info',
      headline: trans.__(
        'This notebook has no exercises yet: mark an answer and its tests first.'
      ),
      items: []
    };
    view.showReport(report);
    return report;
  }
  const signal = view.begin();
  changed();
  const timeoutMs = timeoutSeconds * 1000;
  let outcome: ISelfTestOutcome = { solution: null, stubs: null };
  try {
    await app.serviceManager.kernelspecs.ready;
    const kernelName = kernelNameOf(
      model.metadata,
      app.serviceManager.kernelspecs.specs?.default ?? null
    );
    if (!kernelName) {
      throw new Error(trans.__('the server has no kernelspec'));
    }
    const sides: [keyof ISelfTestOutcome & ('solution' | 'stubs'), string][] = [
      ['solution', trans.__('the solution')],
      ['stubs', trans.__('the student version')]
    ];
    for (const [side, name] of sides) {
      view.progress(
        trans.__('Starting a fresh %1 kernel for %2…', kernelName, name)
      );
      const steps = side === 'solution' ? plan.solution : plan.stubs;
      const result = await runSide(
        app,
        panel,
        kernelName,
        steps,
        signal,
        timeoutMs,
        (index, step) =>
          view.progress(
            trans.__(
              'Running %1: cell %2 (%3 of %4)…',
              name,
              step.cell + 1,
              index + 1,
              steps.length
            )
          )
      );
      outcome = { ...outcome, [side]: result };
      if (result.cancelled) {
        break;
      }
    }
  } catch (error) {
    if (error instanceof Cancelled) {
      outcome = { ...outcome, cancelled: true };
    } else {
      outcome = {
        ...outcome,
        startError: error instanceof Error ? error.message : String(error)
      };
    }
  }
  const report = selfTestReport(plan, outcome, trans, timeoutSeconds);
  if (!view.isDisposed) {
    view.showReport(report);
  }
  changed();
  return report;
}
