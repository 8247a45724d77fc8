/**
 * The Exercises side panel for the student's copy of an assignment: its exercises with
 * points, the last Check of each and the official score of the latest graded submission;
 * a click scrolls to the exercise's answer cell. It follows the current notebook.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import '../../../style/grader-student.css';
import { assignmentOf } from '../check/output';
import { CHECKED_EVENT, ICheckedDetail, SUBMITTED_EVENT } from './events';
import {
  getAssignment,
  IAssignment,
  ISubmission,
  listSubmissions
} from './api';
import { exerciseRows, ICheckState, rowNotes } from './status';
import { formatPoints } from './result';
import { submitAssignment } from './submit';

export const EXERCISES_PANEL_ID = 'jp-Atrium-Grader-exercises';

export class ExercisesPanel extends ReactWidget {
  constructor(
    private readonly _app: JupyterFrontEnd,
    private readonly _tracker: INotebookTracker,
    private readonly _trans: TranslationBundle
  ) {
    super();
    this.id = EXERCISES_PANEL_ID;
    this.addClass('jp-Atrium-Grader-exercises');
    this.title.caption = _trans.__('Exercises');
    this.title.label = _trans.__('Exercises');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', _trans.__('Exercises'));
    _tracker.currentChanged.connect(this._follow, this);
    window.addEventListener(CHECKED_EVENT, this._onChecked);
    window.addEventListener(SUBMITTED_EVENT, this._onSubmitted);
    this._follow();
  }

  dispose(): void {
    window.removeEventListener(CHECKED_EVENT, this._onChecked);
    window.removeEventListener(SUBMITTED_EVENT, this._onSubmitted);
    clearTimeout(this._timer);
    super.dispose();
  }

  private _follow(): void {
    this._panel?.model?.contentChanged.disconnect(this._changed, this);
    const panel = this._tracker.currentWidget;
    this._panel = panel;
    this.update();
    if (!panel) {
      return;
    }
    void panel.context.ready.then(() => {
      if (this._panel !== panel || panel.isDisposed) {
        return;
      }
      panel.model?.contentChanged.connect(this._changed, this);
      void this._load(this._idOf(panel));
      this.update();
    });
  }

  private _idOf(panel: NotebookPanel | null): string | null {
    return panel?.model ? assignmentOf(panel.model.metadata) : null;
  }

  /** Typing changes cells often: the rows are worked out again after a pause. */
  private _changed(): void {
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this.update(), 300);
  }

  private async _load(id: string | null, force = false): Promise<void> {
    if (!id || (!force && this._assignments.has(id))) {
      return;
    }
    try {
      const [assignment, submissions] = await Promise.all([
        getAssignment(id),
        listSubmissions(id)
      ]);
      this._assignments.set(id, assignment);
      this._graded.set(id, submissions.find(s => s.state === 'graded') ?? null);
    } catch (error) {
      // Offline or removed: the rows come from the copy itself.
      console.warn('Atrium grader: the assignment could not be read', error);
    }
    this.update();
  }

  private readonly _onChecked = (event: Event) => {
    const detail = (event as CustomEvent<ICheckedDetail>).detail;
    if (!detail?.path || !detail.exercise) {
      return;
    }
    let checks = this._checks.get(detail.path);
    if (!checks) {
      checks = new Map();
      this._checks.set(detail.path, checks);
    }
    checks.set(detail.exercise, {
      tone: detail.tone,
      headline: detail.headline
    });
    this.update();
  };

  private readonly _onSubmitted = (event: Event) => {
    const submission = (event as CustomEvent<ISubmission>).detail;
    if (submission?.state === 'graded') {
      this._graded.set(submission.assignmentId, submission);
      this.update();
    }
  };

  private _scrollTo(panel: NotebookPanel, index: number): void {
    const cell = panel.content.widgets[index];
    if (!cell) {
      return;
    }
    this._app.shell.activateById(panel.id);
    panel.content.activeCellIndex = index;
    void panel.content.scrollToCell(cell);
  }

  protected render(): JSX.Element {
    const trans = this._trans;
    const panel = this._panel;
    const id = this._idOf(panel);
    if (!panel || !id || !panel.model) {
      return (
        <p className="jp-Atrium-Grader-exercises-empty">
          {trans.__(
            'Open your copy of an assignment (gallery sidebar, Assignments) to see its exercises here.'
          )}
        </p>
      );
    }
    const assignment: IAssignment | undefined = this._assignments.get(id);
    const rows = exerciseRows(
      panel.model.toJSON(),
      assignment?.exercises ?? null,
      this._checks.get(panel.context.path) ?? new Map<string, ICheckState>(),
      this._graded.get(id) ?? null
    );
    return (
      <div className="jp-Atrium-Grader-exercises-body">
        <div className="jp-Atrium-Grader-exercises-header">
          <h2>{assignment?.title ?? panel.title.label}</h2>
          {assignment && (
            <span>
              {trans.__('%1 points', formatPoints(assignment.points))}
            </span>
          )}
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-accept"
            onClick={() =>
              void submitAssignment({
                contents: this._app.serviceManager.contents,
                path: panel.context.path,
                save: () => panel.context.save(),
                assignmentId: id,
                assignment: assignment ?? null,
                trans
              })
            }
          >
            {trans.__('Submit…')}
          </button>
        </div>
        <ul className="jp-Atrium-Grader-exercises-list">
          {rows.map(row => (
            <li key={row.id} data-exercise={row.id}>
              <button
                type="button"
                className="jp-Atrium-Grader-exercise"
                disabled={row.cell === null}
                data-check={row.check?.tone ?? 'none'}
                onClick={() =>
                  row.cell !== null && this._scrollTo(panel, row.cell)
                }
              >
                <span className="jp-Atrium-Grader-exercise-title">
                  {row.title}
                </span>
                <span className="jp-Atrium-Grader-exercise-points">
                  {trans.__('%1 pts', formatPoints(row.points))}
                </span>
              </button>
              <ul className="jp-Atrium-Grader-exercise-notes">
                {rowNotes(row, trans).map((note, index) => (
                  <li key={index}>{note}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </div>
    );
  }

  private _panel: NotebookPanel | null = null;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private readonly _assignments = new Map<string, IAssignment>();
  private readonly _graded = new Map<string, ISubmission | null>();
  private readonly _checks = new Map<string, Map<string, ICheckState>>();
}
