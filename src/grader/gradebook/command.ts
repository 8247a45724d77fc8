import type { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';

import { lazy } from '../../common/lazy';

/** Opens an assignment's gradebook: `{ assignment: id }`, or asks which. */
export const GRADEBOOK_COMMAND = 'atrium-grader:open-gradebook';

const loadOpen = lazy(() => import('./open'));

/**
 * The gradebook command, for instructors (hidden from everyone else; the service refuses
 * students the gradebook anyway). Its code loads on first use.
 */
export function registerGradebook(
  app: JupyterFrontEnd,
  trans: TranslationBundle,
  isInstructor: () => Promise<boolean>
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
      return module.openGradebook(app, trans, assignment);
    }
  });
  ask();
  // Optional chaining: jest's stand-in app has no service registry.
  void app.resolveOptionalService?.(ICommandPalette).then(palette =>
    palette?.addItem({
      command: GRADEBOOK_COMMAND,
      category: trans.__('Atrium Grader')
    })
  );
}
