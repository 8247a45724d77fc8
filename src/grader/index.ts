import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { INotebookTools, INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

/**
 * The exercise grader, instructor authoring: mark cells from the cell toolbar, edit them
 * in Notebook Tools (the form declared in schema/grader.json), lint as you type and a
 * points total. Only this definition is in the entry module, which JupyterLab loads even
 * with the plugin disabled. Activating loads what the layout restorer needs (`restore.ts`:
 * the gradebook command and the Exercises panel's); everything else arrives after the
 * layout is restored (`start.ts`), and the authoring code only for an instructor with a
 * notebook open.
 */
export const graderPlugin: JupyterFrontEndPlugin<void> = {
  // The same id as ids.ts; spelled out so this module pulls in nothing else.
  id: 'jupyterlab-atrium:grader',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ITranslator, ISettingRegistry, INotebookTools, ILayoutRestorer],
  activate: async (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    translator: ITranslator | null,
    settingRegistry: ISettingRegistry | null,
    notebookTools: INotebookTools | null,
    restorer: ILayoutRestorer | null
  ) => {
    // Before the layout is restored: what a reload brings back (gradebooks, Exercises).
    const isInstructor = (
      await import('../common/firstScreen')
    ).registerGraderRestorable(app, tracker, translator, restorer);
    // Written as restored.then(() => import()) so that the size check counts it as
    // loaded after the first screen; never awaited here (restored waits for activate).
    void app.restored
      .then(() => import('./start'))
      .then(module =>
        module.start(
          app,
          tracker,
          translator,
          settingRegistry,
          notebookTools,
          isInstructor
        )
      );
  }
};
