import { JupyterFrontEnd } from '@jupyterlab/application';
import type {
  INotebookTools,
  INotebookTracker,
  NotebookPanel
} from '@jupyterlab/notebook';
import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import type { ITranslator } from '@jupyterlab/translation';
import type { LabIcon } from '@jupyterlab/ui-components';
import type { Widget } from '@lumino/widgets';

import { isFeatureOff } from '../common/policy';
import { atriumBundle } from '../common/translation';
import type { NotebookAuthoring } from './author';
import {
  CLASSES,
  CommandIds,
  FORM_ROLE_KEY,
  NOTEBOOK_TOOLS_ID,
  PLUGIN_ID
} from './ids';
import {
  DEFAULT_SETTINGS,
  IGraderSettings,
  normalizeSettings
} from './settings';
import { instructorCheck } from './role';
import { addInstructorTools } from './tools';
import { CHECKED_EVENT, ICheckedDetail } from './student/events';

/** Whether cell metadata names an exercise (check/ui.ts reads it in full, later). */
function exerciseOf(metadata: unknown): boolean {
  const grader = (metadata as { atrium?: { grader?: { exercise?: unknown } } })
    ?.atrium?.grader;
  return typeof grader?.exercise === 'string' && grader.exercise !== '';
}

/** Whether notebook metadata names the assignment it is a student's copy of. */
function isAssignmentCopy(metadata: unknown): boolean {
  const id = (metadata as { atrium?: { assignment?: { id?: unknown } } })
    ?.atrium?.assignment?.id;
  return typeof id === 'string' && id !== '';
}

/** Whether cell metadata carries grader metadata (mark.ts has the rest, loaded later). */
function isMarked(metadata: unknown): boolean {
  const atrium = (metadata as { atrium?: { grader?: unknown } } | null)?.atrium;
  return typeof atrium === 'object' && atrium?.grader !== undefined;
}

/** A Notebook Tools section and the tools in it, as far as this module looks at them. */
interface ISection extends Widget {
  collapsed?: boolean;
  widget?: {
    layout?: { widgets?: ReadonlyArray<{ metadataKeys?: unknown }> } | null;
  };
}

/**
 * The Notebook Tools section of the grader's form (declared in schema/grader.json, built
 * by JupyterLab's metadata-form plugin): found by the metadata key its form edits.
 */
function formSection(tools: INotebookTools | null): ISection | null {
  const layout = tools?.layout as { widgets?: ReadonlyArray<Widget> } | null;
  for (const section of (layout?.widgets ?? []) as ReadonlyArray<ISection>) {
    const inner = section.widget?.layout?.widgets ?? [];
    if (
      inner.some(
        tool =>
          Array.isArray(tool.metadataKeys) &&
          tool.metadataKeys.includes(FORM_ROLE_KEY)
      )
    ) {
      return section;
    }
  }
  return null;
}

/**
 * What the grader does once the layout is restored, for everyone: the cell toolbar
 * command (hidden until the server says the user is an instructor) and, when a notebook
 * is open, the one policy request that says so. The authoring code (`author.ts`, the
 * rules) loads only for an instructor.
 */
export function start(
  app: JupyterFrontEnd,
  tracker: INotebookTracker,
  translator: ITranslator | null,
  settingRegistry: ISettingRegistry | null,
  notebookTools: INotebookTools | null,
  isInstructor: () => Promise<boolean> = instructorCheck()
): void {
  let instructor = false;
  // Students (and a server with the grader off) never see the form. Checked again when
  // a notebook opens, in case the metadata-form plugin adds its sections after this.
  const syncForm = () => formSection(notebookTools)?.setHidden(!instructor);
  syncForm();
  if (isFeatureOff('grader')) {
    tracker.widgetAdded.connect(syncForm);
    return;
  }
  const trans = atriumBundle(translator);
  let settings: IGraderSettings = DEFAULT_SETTINGS;
  const open = new Map<NotebookPanel, NotebookAuthoring>();
  // Preview, self-test and release: instructors' notebook toolbar and palette.
  const tools = addInstructorTools(
    app,
    tracker,
    trans,
    () => instructor,
    () => settings
  );

  let author: typeof import('./author') | null = null;

  const attach = async (panel: NotebookPanel): Promise<void> => {
    if (!(await isInstructor()) || open.has(panel) || panel.isDisposed) {
      return;
    }
    author = author ?? (await import('./author'));
    if (!instructor) {
      instructor = true;
      document.body.classList.add(CLASSES.instructor);
      syncForm();
      app.commands.notifyCommandChanged(CommandIds.mark);
      tools.refresh();
    }
    await panel.context.ready;
    if (panel.isDisposed || open.has(panel)) {
      return;
    }
    const authoring = new author.NotebookAuthoring(panel, settings, trans);
    open.set(panel, authoring);
    panel.disposed.connect(() => open.delete(panel));
  };

  const attachLogged = (panel: NotebookPanel) => {
    attach(panel).catch(error =>
      console.warn('Atrium grader: authoring tools not available', error)
    );
  };

  app.commands.addCommand(CommandIds.mark, {
    // Icon only in the cell toolbar (which passes toolbar: true), as JupyterLab's own.
    label: args => (args.toolbar ? '' : trans.__('Mark for grading')),
    caption: trans.__(
      'Mark this cell for grading (an answer at first) and edit it in Notebook Tools'
    ),
    icon: (): LabIcon | undefined => author?.markIcon,
    isVisible: () => instructor && tracker.activeCell !== null,
    isToggled: () =>
      instructor && isMarked(tracker.activeCell?.model.metadata ?? null),
    execute: () => {
      const panel = tracker.currentWidget;
      const cell = tracker.activeCell;
      if (!author || !panel || !cell) {
        return;
      }
      author.markCell(panel, cell);
      app.commands.notifyCommandChanged(CommandIds.mark);
      // The form edits the active cell: show it, open.
      app.shell.activateById(NOTEBOOK_TOOLS_ID);
      const section = formSection(notebookTools);
      if (section && section.collapsed) {
        section.collapsed = false;
      }
    }
  });
  tracker.activeCellChanged.connect(() => {
    app.commands.notifyCommandChanged(CommandIds.mark);
    app.commands.notifyCommandChanged(CommandIds.check);
  });

  // Check: everyone's, on cells of an exercise; its code loads on the first use.
  let checking: Promise<unknown> | null = null;
  app.commands.addCommand(CommandIds.check, {
    // In words in the cell toolbar too: "Check" is what the guide and the footer say.
    label: args =>
      args.toolbar ? trans.__('Check') : trans.__('Check Exercise'),
    caption: trans.__(
      "Run this exercise's public checks (hidden checks run when you submit)"
    ),
    isVisible: () => exerciseOf(tracker.activeCell?.model.metadata ?? null),
    isEnabled: () => checking === null,
    execute: async () => {
      const panel = tracker.currentWidget;
      const cell = tracker.activeCell;
      if (!panel || !cell || checking) {
        return;
      }
      const run = import('./check/ui').then(ui =>
        ui.checkCell(panel, cell, trans, settings.checkTimeoutSeconds)
      );
      checking = run;
      app.commands.notifyCommandChanged(CommandIds.check);
      try {
        const report = await run;
        const exercise = (
          cell.model.metadata as {
            atrium?: { grader?: { exercise?: unknown } };
          }
        ).atrium?.grader?.exercise;
        if (report && typeof exercise === 'string') {
          // The Exercises panel (student/exercises.tsx) shows the last Check.
          const detail: ICheckedDetail = {
            path: panel.context.path,
            exercise,
            tone: report.tone,
            headline: report.headline
          };
          window.dispatchEvent(new CustomEvent(CHECKED_EVENT, { detail }));
        }
        return report;
      } finally {
        checking = null;
        app.commands.notifyCommandChanged(CommandIds.check);
      }
    }
  });

  if (settingRegistry) {
    settingRegistry
      .load(PLUGIN_ID)
      .then(loaded => {
        const apply = () => {
          settings = normalizeSettings(loaded.composite);
          open.forEach(authoring => authoring.configure(settings));
        };
        apply();
        loaded.changed.connect(apply);
      })
      .catch(error =>
        console.warn(
          'Atrium grader: settings not loaded, using defaults',
          error
        )
      );
  }

  // A student's copy of an assignment: Submit and the Exercises panel (student/).
  const attachCopy = (panel: NotebookPanel) => {
    void panel.context.ready
      .then(async () => {
        if (!panel.isDisposed && isAssignmentCopy(panel.model?.metadata)) {
          const student = await import('./student/attach');
          student.attachStudent(app, tracker, trans, panel);
        }
      })
      .catch(error =>
        console.warn('Atrium grader: Submit not available', error)
      );
  };

  tracker.forEach(panel => {
    attachLogged(panel);
    attachCopy(panel);
  });
  tracker.widgetAdded.connect((_, panel) => {
    syncForm();
    attachLogged(panel);
    attachCopy(panel);
  });
}
