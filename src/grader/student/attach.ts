/**
 * What a student's copy of an assignment gets when it opens: a Submit button in its
 * notebook toolbar and the Exercises panel in the right sidebar (one for all copies; it
 * follows the current notebook). Loaded only when such a copy is open.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { ToolbarButton } from '@jupyterlab/apputils';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';

import { assignmentOf } from '../check/output';
import { trackExercises } from '../restore';
import { ExercisesPanel, EXERCISES_PANEL_ID } from './exercises';
import { submitAssignment } from './submit';

/** The toolbar item's name (JupyterLab keeps one item per name). */
const SUBMIT_ITEM = 'atrium-grader-submit';

let exercises: ExercisesPanel | null = null;

export function attachStudent(
  app: JupyterFrontEnd,
  tracker: INotebookTracker,
  trans: TranslationBundle,
  panel: NotebookPanel
): void {
  const id = panel.model ? assignmentOf(panel.model.metadata) : null;
  if (!id || panel.isDisposed) {
    return;
  }
  const button = new ToolbarButton({
    className: 'jp-Atrium-Grader-submit',
    label: trans.__('Submit'),
    tooltip: trans.__('Save this notebook and send it for official grading'),
    onClick: () =>
      void submitAssignment({
        contents: app.serviceManager.contents,
        path: panel.context.path,
        save: () => panel.context.save(),
        assignmentId: id,
        trans
      })
  });
  if (!panel.toolbar.insertBefore('spacer', SUBMIT_ITEM, button)) {
    panel.toolbar.addItem(SUBMIT_ITEM, button);
  }
  // The first copy opened in a session shows the panel; later ones (and a reload that
  // restored it) leave the sidebar as the student set it.
  if (showExercises(app, tracker, trans)) {
    app.shell.activateById(EXERCISES_PANEL_ID);
  }
}

/**
 * Adds the Exercises panel to the right sidebar, unless it is there: resolves once the
 * restorer knows it, or null when it was already there.
 */
export function showExercises(
  app: JupyterFrontEnd,
  tracker: INotebookTracker,
  trans: TranslationBundle
): Promise<void> | null {
  if (exercises && !exercises.isDisposed) {
    return null;
  }
  exercises = new ExercisesPanel(app, tracker, trans);
  exercises.title.iconClass = 'jp-Atrium-Grader-exercises-icon';
  app.shell.add(exercises, 'right', { rank: 650 });
  return trackExercises(exercises);
}
