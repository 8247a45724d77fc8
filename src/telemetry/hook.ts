/*
 * The execution hook: one connection to `NotebookActions.executionScheduled` and one to
 * `executed` for every notebook of the page (JupyterLab and Notebook 7 alike), turning
 * each finished run of a code cell of a gallery notebook into one record. What the cell
 * printed, raised or contains never leaves this module: only whether it raised.
 */

import type { Cell } from '@jupyterlab/cells';
import type { Notebook, NotebookActions } from '@jupyterlab/notebook';

import { readLink } from '../gallery/link';
import { FingerprintCache } from './fingerprint';
import {
  isReportableCellId,
  isReportableNotebookId,
  ITelemetryRecord,
  newEventId,
  outcomeOf
} from './record';

/** Runs are taken as ended after this long without a run starting or ending. */
const QUIET_MS = 30 * 1000;

/** What is known about a run when it is scheduled (the source may change while it runs). */
interface IScheduled {
  notebookId: string;
  version: number;
  cellId: string;
  source: string;
  started: number;
}

/** The signals of `NotebookActions` this hook listens to (a parameter for the tests). */
export type ExecutionSignals = Pick<
  typeof NotebookActions,
  'executed' | 'executionScheduled'
>;

export interface IHookOptions {
  signals: ExecutionSignals;
  /** Whether records are wanted right now (the policy and the user's choice). */
  active(): boolean;
  /** Takes each finished record. */
  report(record: ITelemetryRecord): void;
  /** Called when no code cell of any notebook is running any more. */
  idle?(): void;
  now?(): number;
}

function tagsOf(cell: Cell): readonly unknown[] {
  const tags = cell.model.getMetadata('tags');
  return Array.isArray(tags) ? tags : [];
}

export class ExecutionHook {
  constructor(private readonly options: IHookOptions) {
    options.signals.executionScheduled.connect(this._onScheduled, this);
    options.signals.executed.connect(this._onExecuted, this);
  }

  /**
   * Whether a code cell of any notebook is scheduled or running. A run whose `executed`
   * never comes (its notebook closed mid-run) is forgotten once nothing has started or
   * ended for `QUIET_MS`, so at worst records wait that long.
   */
  get busy(): boolean {
    if (this._running.size > 0 && this._now() - this._lastEvent > QUIET_MS) {
      this._running.clear();
    }
    return this._running.size > 0;
  }

  dispose(): void {
    this.options.signals.executionScheduled.disconnect(this._onScheduled, this);
    this.options.signals.executed.disconnect(this._onExecuted, this);
  }

  private _now(): number {
    return (this.options.now ?? (() => performance.now()))();
  }

  private _onScheduled(
    _: unknown,
    { notebook, cell }: { notebook: Notebook; cell: Cell }
  ): void {
    if (cell.model.type === 'code') {
      this._running.add(cell);
      this._lastEvent = this._now();
    }
    if (
      cell.model.type !== 'code' ||
      !notebook.model ||
      !this.options.active()
    ) {
      return;
    }
    // Only copies of gallery notebooks are reported; unlinked notebooks never are.
    const link = readLink(notebook.model);
    if (
      !link ||
      !isReportableNotebookId(link.id) ||
      !isReportableCellId(cell.model.id)
    ) {
      return;
    }
    this._scheduled.set(cell, {
      notebookId: link.id,
      version: link.version,
      cellId: cell.model.id,
      source: cell.model.sharedModel.getSource(),
      started: this._now()
    });
  }

  private _onExecuted(
    _: unknown,
    args: {
      cell: Cell;
      success: boolean;
      error?: { errorName?: string } | null;
    }
  ): void {
    if (this._running.delete(args.cell)) {
      this._lastEvent = this._now();
      if (this._running.size === 0) {
        this.options.idle?.();
      }
    }
    const scheduled = this._scheduled.get(args.cell);
    if (!scheduled) {
      return;
    }
    this._scheduled.delete(args.cell);
    const outcome = outcomeOf(
      args.success,
      args.error?.errorName,
      tagsOf(args.cell)
    );
    if (outcome === null || !this.options.active()) {
      return;
    }
    const durationMs = Math.max(0, Math.round(this._now() - scheduled.started));
    const timestamp = new Date().toISOString();
    const eventId = newEventId();
    void this._fingerprints.get(scheduled.source).then(hash =>
      this.options.report({
        notebookId: scheduled.notebookId,
        version: scheduled.version,
        cellId: scheduled.cellId,
        fingerprint: hash,
        success: outcome,
        durationMs,
        timestamp,
        eventId
      })
    );
  }

  private _scheduled = new WeakMap<Cell, IScheduled>();
  private _running = new Set<Cell>();
  private _lastEvent = 0;
  private _fingerprints = new FingerprintCache();
}
