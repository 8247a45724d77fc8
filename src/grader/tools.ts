/**
 * The instructor's notebook tools: Preview student view, Self-test and Release, in the
 * notebook toolbar (declared in schema/grader.json) and the command palette; Import and
 * Export for nbgrader in the palette. Each command is visible to instructors only and
 * loads its code on first use.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';

import { CommandIds } from './ids';
import type { IGraderSettings } from './settings';

const COMMANDS = [
  CommandIds.selfTest,
  CommandIds.preview,
  CommandIds.release,
  CommandIds.importNotebook,
  CommandIds.exportNotebook
];

export interface IInstructorTools {
  /** The role or the current notebook changed: show or hide the commands. */
  refresh(): void;
}

export function addInstructorTools(
  app: JupyterFrontEnd,
  tracker: INotebookTracker,
  trans: TranslationBundle,
  isInstructor: () => boolean,
  settings: () => IGraderSettings
): IInstructorTools {
  const refresh = () =>
    COMMANDS.forEach(id => app.commands.notifyCommandChanged(id));
  const visible = () => isInstructor() && tracker.currentWidget !== null;
  let selfTest: typeof import('./selftest/ui') | null = null;
  const releasing = new Set<NotebookPanel>();

  app.commands.addCommand(CommandIds.preview, {
    label: args =>
      args.toolbar ? trans.__('Preview') : trans.__('Preview Student View'),
    caption: trans.__(
      'Open the student version of this notebook, read-only, beside it'
    ),
    isVisible: visible,
    execute: async () => {
      const panel = tracker.currentWidget;
      if (!panel) {
        return null;
      }
      const preview = await import('./preview/open');
      return preview.openPreview(app, panel, trans);
    }
  });

  app.commands.addCommand(CommandIds.selfTest, {
    label: args =>
      args.toolbar ? trans.__('Self-test') : trans.__('Self-test Exercises'),
    caption: trans.__(
      'Run the solution (every test must pass) and the student version (every test must fail) in fresh kernels'
    ),
    isVisible: visible,
    isEnabled: () => !selfTest?.isRunning(tracker.currentWidget),
    execute: async () => {
      const panel = tracker.currentWidget;
      if (!panel) {
        return;
      }
      selfTest = selfTest ?? (await import('./selftest/ui'));
      return selfTest.selfTest(
        app,
        panel,
        trans,
        settings().selfTestTimeoutSeconds,
        refresh
      );
    }
  });

  app.commands.addCommand(CommandIds.release, {
    label: args =>
      args.toolbar ? trans.__('Release') : trans.__('Release Assignment'),
    caption: trans.__(
      'Release this notebook to students as an assignment (or release a corrected version)'
    ),
    isVisible: visible,
    isEnabled: () =>
      tracker.currentWidget !== null && !releasing.has(tracker.currentWidget),
    execute: async () => {
      const panel = tracker.currentWidget;
      if (!panel || releasing.has(panel)) {
        return;
      }
      releasing.add(panel);
      refresh();
      try {
        const ui = await import('./release/ui');
        return await ui.releaseNotebook(panel, trans);
      } finally {
        releasing.delete(panel);
        refresh();
      }
    }
  });

  for (const [id, label, caption, action] of [
    [
      CommandIds.importNotebook,
      trans.__('Import Exercise Notebook (nbgrader, otter-grader, Ordo)…'),
      trans.__(
        'Convert this notebook into an Atrium exercise notebook, written beside it'
      ),
      'importNotebook'
    ],
    [
      CommandIds.exportNotebook,
      trans.__('Export Assignment for nbgrader…'),
      trans.__(
        "Write this notebook's released assignment for nbgrader, beside it"
      ),
      'exportNotebook'
    ]
  ] as const) {
    app.commands.addCommand(id, {
      label,
      caption,
      isVisible: visible,
      execute: async () => {
        const panel = tracker.currentWidget;
        if (!panel) {
          return null;
        }
        const ui = await import('./interop/ui');
        return ui[action](app, panel, trans);
      }
    });
  }

  tracker.currentChanged.connect(refresh);
  void app.resolveOptionalService(ICommandPalette).then(palette => {
    const category = trans.__('Atrium Grader');
    COMMANDS.forEach(command => palette?.addItem({ command, category }));
  });
  return { refresh };
}
