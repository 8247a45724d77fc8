import type { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette, WidgetTracker } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Widget } from '@lumino/widgets';

import { lazy } from '../../common/lazy';

/** Opens an assignment's gradebook: `{ assignment: id }`, or asks which. */
export const GRADEBOOK_COMMAND = 'atrium-grader:open-gradebook';

/** The gradebook tabs' tracker namespace, the prefix of the restorer's saved names. */
export const GRADEBOOK_NAMESPACE = 'atrium-grader-gradebook';

/** The DOM id of an assignment's gradebook: one tab per assignment. */
export const GRADEBOOK_ID_PREFIX = 'jp-Atrium-Gradebook-';

/** The assignment whose gradebook `widget` is ('' for another widget). */
export function gradebookAssignment(widget: Widget): string {
  return widget.id.startsWith(GRADEBOOK_ID_PREFIX)
    ? widget.id.slice(GRADEBOOK_ID_PREFIX.length)
    : '';
}

const loadOpen = lazy(() => import('./open'));

/**
 * The gradebook command, for instructors (hidden from everyone else; the service refuses
 * students the gradebook anyway), and its tabs' restorer entry: registered while the
 * plugin activates, because the restorer takes trackers only until the application has
 * started. Its code loads on first use (or when a reload restores a gradebook).
 */
export function registerGradebook(
  app: JupyterFrontEnd,
  trans: TranslationBundle,
  isInstructor: () => Promise<boolean>,
  restorer: ILayoutRestorer | null = null
): void {
  let instructor = false;
  const ask = (): void => {
    void isInstructor().then(yes => {
      if (yes !== instructor) {
        instructor = yes;
        app.commands.notifyCommandChanged(GRADEBOOK_COMMAND);
      }
    });
  };
  const tracker = new WidgetTracker<Widget>({ namespace: GRADEBOOK_NAMESPACE });
  app.commands.addCommand(GRADEBOOK_COMMAND, {
    label: args =>
      typeof args.assignment === 'string'
        ? trans.__('Gradebook')
        : trans.__('Open Gradebook…'),
    caption: trans.__(
      "An assignment's grades: students × exercises, statistics, manual grading, export and regrade"
    ),
    isVisible: () => instructor,
    execute: async args => {
      const assignment =
        typeof args.assignment === 'string' && args.assignment !== ''
          ? args.assignment
          : null;
      const module = await loadOpen();
      return module.openGradebook(app, trans, assignment, tracker);
    }
  });
  // Asked once the page is shown: not a request on the way to the first screen.
  void Promise.resolve(app.restored).then(ask);
  // Optional chaining: jest's stand-in app has no service registry.
  void app.resolveOptionalService?.(ICommandPalette).then(palette =>
    palette?.addItem({
      command: GRADEBOOK_COMMAND,
      category: trans.__('Atrium Grader')
    })
  );
  restorer
    ?.restore(tracker, {
      command: GRADEBOOK_COMMAND,
      args: widget => ({ assignment: gradebookAssignment(widget) }),
      name: gradebookAssignment
    })
    .catch(error =>
      console.warn('Atrium grader: gradebooks not restored', error)
    );
}
