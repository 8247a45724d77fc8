/**
 * The instructor's authoring tools in one open notebook: lint as you type (shown on the
 * cells), the points total in the toolbar, and completing what the Notebook Tools form
 * writes (the metadata version, an exercise id). Loaded only for instructors.
 */
import type { Cell } from '@jupyterlab/cells';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import type { IDisposable } from '@lumino/disposable';

import '../../style/grader.css';

import { cellStates, pointsState } from './findings';
import { answerMark, completed, graderOf, isMarked, withGrader } from './mark';
import { PointsTotal } from './points';
import { lint, summary } from './rules';
import { LintScheduler } from './schedule';
import type { IGraderSettings } from './settings';
import { clearCell, showCellState } from './view';

/** The cell toolbar button's icon: a ticked box. */
export const markIcon = new LabIcon({
  name: 'atrium-grader:mark',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" viewBox="0 0 24 24"><path class="jp-icon3" fill="#616161" d="M19 3H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2zm-9 14-5-5 1.4-1.4 3.6 3.6 7.6-7.6L19 8l-9 9z"/></svg>'
});

/**
 * Mark a cell of the notebook as an answer with a new exercise id; a cell already
 * marked is left as it is (the form in Notebook Tools edits it).
 */
export function markCell(panel: NotebookPanel, cell: Cell): void {
  const model = panel.model;
  if (!model || isMarked(cell.model.metadata)) {
    return;
  }
  const cells = Array.from({ length: model.cells.length }, (_, i) =>
    model.cells.get(i)
  );
  const index = cells.indexOf(cell.model);
  const mark = answerMark(
    cells.map(item => item.metadata),
    index
  );
  cell.model.setMetadata('atrium', withGrader(cell.model.metadata, mark)!);
}

/** The toolbar item's name (JupyterLab keeps one item per name). */
const POINTS_ITEM = 'atrium-grader-points';

export class NotebookAuthoring implements IDisposable {
  constructor(
    readonly panel: NotebookPanel,
    private settings: IGraderSettings,
    private readonly trans: TranslationBundle
  ) {
    this._scheduler = new LintScheduler(
      () => this.lintNow(),
      settings.lintDelayMs
    );
    // Beside the cell type, before the spacer; at the end if the toolbar has no spacer.
    if (!panel.toolbar.insertBefore('spacer', POINTS_ITEM, this._points)) {
      panel.toolbar.addItem(POINTS_ITEM, this._points);
    }
    const model = panel.model;
    if (model) {
      this._seen = this.graderSnapshot();
      model.contentChanged.connect(this._onChange, this);
    }
    panel.disposed.connect(() => this.dispose());
    this._scheduler.poke();
    void this._scheduler.flush();
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  get points(): PointsTotal {
    return this._points;
  }

  /** New settings: the delay, whether to lint as you type, whether to show the total. */
  configure(settings: IGraderSettings): void {
    this.settings = settings;
    this._scheduler.setDelay(settings.lintDelayMs);
    this._scheduler.poke();
  }

  /** Lint the notebook now and show the result (also the scheduler's run). */
  lintNow(): void {
    const model = this.panel.model;
    if (this._disposed || !model) {
      return;
    }
    this.complete();
    const notebook = model.toJSON();
    const findings = lint(notebook);
    const cells = this.panel.content.widgets;
    const states = cellStates(findings, cells.length, this.trans);
    cells.forEach((cell, index) => showCellState(cell, states[index]));
    if (this.settings.showPointsTotal) {
      this._points.state = pointsState(summary(notebook), findings, this.trans);
    } else {
      this._points.hide();
    }
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._scheduler.dispose();
    this.panel.model?.contentChanged.disconnect(this._onChange, this);
    for (const cell of this.panel.content.widgets) {
      clearCell(cell);
    }
    this._points.dispose();
  }

  private _onChange(): void {
    if (this.settings.lintAsYouType) {
      this._scheduler.poke();
    }
  }

  /** Each cell's grader metadata as text, by cell id: what changed since is completed. */
  private graderSnapshot(): Map<string, string> {
    const seen = new Map<string, string>();
    const cells = this.panel.model?.cells;
    if (cells) {
      for (let i = 0; i < cells.length; i++) {
        const cell = cells.get(i);
        seen.set(cell.id, JSON.stringify(graderOf(cell.metadata)));
      }
    }
    return seen;
  }

  /**
   * Complete the grader metadata of cells changed since the last run (the form writes
   * one field at a time); a notebook as opened is never rewritten.
   */
  private complete(): void {
    const cells = this.panel.model?.cells;
    if (!cells) {
      return;
    }
    const all = Array.from({ length: cells.length }, (_, i) => cells.get(i));
    const metadata = all.map(cell => cell.metadata);
    all.forEach((cell, index) => {
      const grader = JSON.stringify(graderOf(metadata[index]));
      if (this._seen.get(cell.id) === grader) {
        return;
      }
      const next = completed(metadata, index);
      if (next !== undefined) {
        const atrium = withGrader(metadata[index], next);
        if (atrium === null) {
          cell.deleteMetadata('atrium');
        } else {
          cell.setMetadata('atrium', atrium);
        }
        metadata[index] = cell.metadata;
      }
    });
    this._seen = this.graderSnapshot();
  }

  private readonly _scheduler: LintScheduler;
  private readonly _points = new PointsTotal();
  private _seen = new Map<string, string>();
  private _disposed = false;
}
