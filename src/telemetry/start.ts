import { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import { lazy } from '../common/lazy';
import { readPolicy } from '../common/policy';
import { atriumBundle } from '../common/translation';
import { readLink } from '../gallery/link';
import { Choice, isReporting, parseTelemetryState } from './state';
import { CommandIDs, PAGE_ID, PLUGIN_ID } from './ids';
import type { ITelemetryRuntime } from './runtime';

const CHOICES: readonly string[] = ['default', 'yes', 'no'];

/**
 * Run once the layout is restored: nothing at all when the server's policy is off;
 * otherwise the Help menu page, and a watcher that loads the hook (`runtime.ts`) the
 * first time a gallery notebook is open.
 */
export async function start(
  app: JupyterFrontEnd,
  tracker: INotebookTracker,
  settingRegistry: ISettingRegistry | null,
  translator: ITranslator | null
): Promise<void> {
  const state = parseTelemetryState(readPolicy()?.telemetry);
  if (!state || !state.enabled) {
    return;
  }
  const trans = atriumBundle(translator);
  const settings = settingRegistry
    ? await settingRegistry.load(PLUGIN_ID).catch(error => {
        console.warn('Atrium telemetry: settings not loaded', error);
        return null;
      })
    : null;
  const setting = <T>(key: string, fallback: T): T =>
    (settings?.composite[key] as T | undefined) ?? fallback;
  const choice = (): Choice => {
    const value = setting<string>('report', 'default');
    return (CHOICES.includes(value) ? value : 'default') as Choice;
  };
  const setChoice = (value: Choice) => {
    void settings?.set('report', value);
  };

  let page: MainAreaWidget | null = null;
  let loaded: ITelemetryRuntime | null = null;
  const runtime = lazy<ITelemetryRuntime>(async () => {
    const { createRuntime } = await import('./runtime');
    loaded = createRuntime({
      state,
      choice,
      setChoice,
      batchSize: setting('batchSize', 50),
      flushIntervalMs: setting('flushIntervalSeconds', 30) * 1000,
      maxStored: setting('maxStoredRecords', 1000),
      trans,
      showPage: () => void app.commands.execute(CommandIDs.show)
    });
    return loaded;
  });

  // The hook loads when a gallery notebook is open, whether it was opened from the
  // gallery, restored with the layout, or linked later by publishing it; or when the
  // user turns reporting on with one open.
  const maybeLoad = () => {
    if (loaded || !isReporting(state, choice())) {
      return;
    }
    let linked = false;
    tracker.forEach(panel => {
      linked ||= !!panel.model && readLink(panel.model) !== null;
    });
    if (linked) {
      void runtime();
    }
  };
  const watch = (panel: NotebookPanel) => {
    void panel.context.ready.then(() => {
      maybeLoad();
      panel.model?.metadataChanged.connect(maybeLoad);
    });
  };
  tracker.forEach(watch);
  tracker.widgetAdded.connect((_, panel) => watch(panel));
  settings?.changed.connect(() => {
    loaded?.choiceChanged();
    maybeLoad();
  });

  app.commands.addCommand(CommandIDs.show, {
    label: trans.__('What Atrium Reports'),
    caption: trans.__(
      'What Atrium reports about the cells you run, and your own recent records'
    ),
    execute: async () => {
      if (!page || page.isDisposed) {
        const [{ createTelemetryPage }, live] = await Promise.all([
          import('./page'),
          runtime()
        ]);
        page = createTelemetryPage({
          runtime: live,
          choice,
          setChoice,
          trans
        });
        page.id = PAGE_ID;
      }
      if (!page.isAttached) {
        app.shell.add(page, 'main');
      }
      app.shell.activateById(page.id);
    }
  });
}
