/**
 * What the grader registers while it activates, before the layout is restored, so that a
 * reload brings back what it had open: the gradebook tabs (gradebook/command.ts) and the
 * Exercises side panel. The restorer takes trackers only until the application has
 * started; the widgets' code loads when one is opened or restored.
 */
import type { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import { WidgetTracker } from '@jupyterlab/apputils';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { ITranslator } from '@jupyterlab/translation';
import type { Widget } from '@lumino/widgets';

import { isFeatureOff } from '../common/policy';
import { atriumBundle } from '../common/translation';
import { registerGradebook } from './gradebook/command';
import { instructorCheck } from './role';

/** Shows the Exercises panel in the right sidebar (it follows the current notebook). */
export const EXERCISES_COMMAND = 'atrium-grader:show-exercises';

let exercises: WidgetTracker<Widget> | null = null;

/** Tracks the Exercises panel, so that the layout it is in is restored with it. */
export async function trackExercises(panel: Widget): Promise<void> {
  await exercises?.add(panel);
}

/** Registers the grader's restorable widgets; returns the instructor check to share. */
export function registerRestorable(
  app: JupyterFrontEnd,
  notebooks: INotebookTracker,
  translator: ITranslator | null,
  restorer: ILayoutRestorer | null
): () => Promise<boolean> {
  const isInstructor = instructorCheck();
  if (isFeatureOff('grader')) {
    return isInstructor;
  }
  const trans = atriumBundle(translator);
  registerGradebook(app, trans, isInstructor, restorer);
  exercises = new WidgetTracker<Widget>({
    namespace: 'atrium-grader-exercises'
  });
  app.commands.addCommand(EXERCISES_COMMAND, {
    execute: async () => {
      const student = await import('./student/attach');
      await student.showExercises(app, notebooks, trans);
    }
  });
  restorer
    ?.restore(exercises, { command: EXERCISES_COMMAND, name: () => 'panel' })
    .catch(error =>
      console.warn('Atrium grader: the Exercises panel not restored', error)
    );
  return isInstructor;
}
