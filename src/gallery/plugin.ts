import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { IDocumentManager } from '@jupyterlab/docmanager';
import {
  INotebookModel,
  INotebookTracker,
  NotebookPanel
} from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { DisposableDelegate, IDisposable } from '@lumino/disposable';
import { Widget } from '@lumino/widgets';

import { lazy } from '../common/lazy';
import { atriumBundle } from '../common/translation';
import type { IFlowContext, INotebookTarget } from './actions';
import { getNotebook, getPolicy, setServerSettings } from './api';
import { watchDeprecation } from './deprecationWatch';
import { setDiffHost } from './diff/host';
import { readLink } from './link';
import { OPEN_PAGE_COMMAND, pageArgs } from './page/args';
import { SHOW_TAB_ATTRIBUTE, SHOW_TAB_EVENT } from './page/events';
import { galleryIcon, GALLERY_PANEL_ID } from './panel/icon';
import { GallerySync } from './sync';
import { CommandIDs, GALLERY_PLUGIN_ID } from './ids';
import { canEdit, isUnchanged, PublishButton, SyncIndicator } from './toolbar';
import {
  DEFAULT_SETTINGS,
  IGalleryPolicy,
  IGallerySettings,
  normalizeSettings
} from './types';

import '../../style/gallery.css';

/*
 * Loaded on first use, each a chunk of its own: the publish/update/diff flows with their
 * dialogs, the strip and hash (only once a linked notebook is checked), opening a copy.
 */
const loadFlows = lazy(() => import('./actions'));
const loadStrip = lazy(() =>
  Promise.all([import('./model'), import('./hash')]).then(([model, hash]) => ({
    ...model,
    ...hash
  }))
);
const loadOpen = lazy(() => import('./open'));

/** Least time between two checks of one notebook triggered by focus. */
const FOCUS_CHECK_MS = 5000;

/**
 * The gallery policy, fetched once it is first needed. A failure is not remembered: the
 * next caller asks again (the service may be back).
 */
export class PolicyCache {
  constructor(private readonly _fetch: () => Promise<IGalleryPolicy>) {}

  get(): Promise<IGalleryPolicy> {
    if (!this._promise) {
      this._promise = this._fetch().catch(error => {
        this._promise = null;
        throw error;
      });
    }
    return this._promise;
  }

  private _promise: Promise<IGalleryPolicy> | null = null;
}

/**
 * What the plugin keeps per open notebook.
 */
interface IEntry extends INotebookTarget {
  panel: NotebookPanel;
  lastCheck: number;
}

/** What the rest of the plugin reads from the running gallery code. */
export interface IGalleryRuntime {
  settings: () => IGallerySettings;
}

/**
 * The plugin's notebook toolbar, sync and commands, loaded by `start.ts` once the layout
 * is restored (or sooner, for a gallery panel restored open). `panelWidget` is the
 * sidebar tab made at startup, if the shell has a left area.
 */
export function activate(
  app: JupyterFrontEnd,
  tracker: INotebookTracker,
  translator: ITranslator | null,
  settingRegistry: ISettingRegistry | null,
  palette: ICommandPalette | null,
  docManager: IDocumentManager | null,
  panelWidget: Widget | null
): IGalleryRuntime {
  const trans = atriumBundle(translator);
  const { commands } = app;
  setServerSettings(app.serviceManager.serverSettings);
  setDiffHost(app); // diffs open as main-area tabs
  // The inbox polls from here on: this code runs once the layout is restored.
  import('./inbox/start')
    .then(({ startInbox }) => startInbox(app, trans))
    .catch(error => console.warn('Atrium gallery: no inbox', error));

  let settings: IGallerySettings = { ...DEFAULT_SETTINGS };
  const entries = new Set<IEntry>();
  const byPanel = new WeakMap<NotebookPanel, IEntry>();
  const policy = new PolicyCache(getPolicy);

  if (settingRegistry) {
    settingRegistry
      .load(GALLERY_PLUGIN_ID)
      .then(loaded => {
        const apply = () => {
          settings = normalizeSettings(
            loaded.composite as Partial<Record<keyof IGallerySettings, unknown>>
          );
          for (const entry of entries) {
            entry.sync.setInterval(settings.syncIntervalSeconds);
          }
        };
        loaded.changed.connect(apply);
        apply();
      })
      .catch(error => {
        console.warn(
          'Atrium gallery: settings not loaded, using defaults',
          error
        );
      });
  }

  const openCopy =
    docManager === null
      ? null
      : (id: string, version: number) =>
          loadOpen().then(({ openGalleryCopy }) =>
            openGalleryCopy({
              app,
              docManager,
              id,
              version,
              folder: settings.workspaceFolder,
              translator
            })
          );

  const flowContext = (flows: typeof import('./actions')): IFlowContext => ({
    trans,
    translator,
    settings: () => settings,
    policy: () => policy.get(),
    api: flows.DEFAULT_FLOW_API,
    openCopy
  });

  // --- per-notebook state and toolbar ---------------------------------------------

  const createEntry = (panel: NotebookPanel): IEntry => {
    const model = panel.context.model;
    const sync = new GallerySync({
      host: {
        readLink: () => readLink(model),
        localHash: async () => {
          let allowAttachments: boolean;
          try {
            allowAttachments = (await policy.get()).allowAttachments;
          } catch {
            return null;
          }
          const { stripNotebookModel, contentHash } = await loadStrip();
          const { notebook } = stripNotebookModel(model, {
            allowAttachments
          });
          return contentHash(notebook);
        }
      },
      api: { getNotebook },
      intervalSeconds: settings.syncIntervalSeconds
    });
    const entry: IEntry = {
      panel,
      model,
      sync,
      lastCheck: 0,
      get name() {
        return panel.context.localPath.split('/').pop() ?? '';
      },
      get path() {
        return panel.context.path;
      },
      isDirty: () => model.dirty,
      save: () => panel.context.save()
    };
    return entry;
  };

  const check = (entry: IEntry) => {
    entry.lastCheck = Date.now();
    void entry.sync.check();
  };

  const extension: DocumentRegistry.IWidgetExtension<
    NotebookPanel,
    INotebookModel
  > = {
    createNew: (panel, context): IDisposable => {
      const entry = createEntry(panel);
      const args = { widgetId: panel.id };
      const indicator = new SyncIndicator(entry.sync, commands, args, trans);
      const button = new PublishButton(entry.sync, commands, args, trans);
      const toolbar = panel.toolbar;
      if (!toolbar.insertAfter('spacer', 'atrium-gallery-sync', indicator)) {
        toolbar.addItem('atrium-gallery-sync', indicator);
      }
      toolbar.insertAfter(
        'atrium-gallery-sync',
        'atrium-gallery-publish',
        button
      );
      const deprecation = watchDeprecation(
        panel,
        entry.sync,
        trans,
        id => void commands.execute(OPEN_PAGE_COMMAND, pageArgs(id))
      );

      const onContent = () => entry.sync.localChanged();
      const onSave = (_: unknown, state: DocumentRegistry.SaveState) => {
        if (state === 'completed') {
          check(entry);
        }
      };
      const onStatus = () => commands.notifyCommandChanged();
      context.ready
        .then(() => {
          if (panel.isDisposed) {
            return;
          }
          entries.add(entry);
          byPanel.set(panel, entry);
          context.model.contentChanged.connect(onContent);
          context.model.metadataChanged.connect(onContent);
          context.saveState.connect(onSave);
          entry.sync.changed.connect(onStatus);
          check(entry);
        })
        .catch(error => {
          console.warn('Atrium gallery: notebook not ready', error);
        });

      const teardown = new DisposableDelegate(() => {
        entries.delete(entry);
        byPanel.delete(panel);
        context.model.contentChanged.disconnect(onContent);
        context.model.metadataChanged.disconnect(onContent);
        context.saveState.disconnect(onSave);
        entry.sync.dispose();
        indicator.dispose();
        button.dispose();
        deprecation.dispose();
      });
      panel.disposed.connect(() => teardown.dispose());
      return teardown;
    }
  };
  app.docRegistry.addWidgetExtension('Notebook', extension);
  // Notebooks the layout restored before this code loaded.
  tracker.forEach(panel => extension.createNew(panel, panel.context));

  // Refresh on focus (window and notebook), never more than every few seconds.
  const refreshSoon = (entry: IEntry | undefined) => {
    if (entry && Date.now() - entry.lastCheck > FOCUS_CHECK_MS) {
      check(entry);
    }
  };
  const onWindowFocus = () => {
    if (document.visibilityState === 'visible') {
      entries.forEach(refreshSoon);
    }
  };
  window.addEventListener('focus', onWindowFocus);
  document.addEventListener('visibilitychange', onWindowFocus);
  tracker.currentChanged.connect((_, panel) => {
    refreshSoon(panel ? byPanel.get(panel) : undefined);
    commands.notifyCommandChanged();
  });

  // --- commands ---------------------------------------------------------------------

  const entryFor = (args: ReadonlyPartialJSONObject): IEntry | null => {
    const id = typeof args.widgetId === 'string' ? args.widgetId : null;
    const panel = id
      ? tracker.find(widget => widget.id === id)
      : tracker.currentWidget;
    return (panel && byPanel.get(panel)) ?? null;
  };
  const linked = (args: ReadonlyPartialJSONObject) => {
    const entry = entryFor(args);
    return entry?.sync.link ? entry : null;
  };
  const live = (args: ReadonlyPartialJSONObject) => {
    const entry = linked(args);
    return entry && entry.sync.status !== 'gone' ? entry : null;
  };
  const hasNotebook = (args: ReadonlyPartialJSONObject) =>
    entryFor(args) !== null;
  type Flows = typeof import('./actions');
  const run =
    (
      flow: (
        flows: Flows,
        ctx: IFlowContext,
        entry: IEntry
      ) => Promise<unknown>,
      pick: (args: ReadonlyPartialJSONObject) => IEntry | null
    ) =>
    async (args: ReadonlyPartialJSONObject) => {
      const entry = pick(args);
      if (entry) {
        const flows = await loadFlows();
        await flow(flows, flowContext(flows), entry);
      }
    };

  commands.addCommand(CommandIDs.publish, {
    label: trans.__('Publish to Gallery…'),
    caption: trans.__(
      'Publish this notebook to the gallery; outputs are removed first'
    ),
    icon: args => (args.isPalette ? undefined : galleryIcon),
    isVisible: hasNotebook,
    isEnabled: args => {
      const entry = entryFor(args);
      return !!entry && (!entry.sync.link || entry.sync.status === 'gone');
    },
    execute: run(
      (f, c, entry) => f.publishFlow(c, entry),
      args => entryFor(args)
    )
  });
  commands.addCommand(CommandIDs.update, {
    label: trans.__('Update in Gallery…'),
    caption: trans.__('Publish your changes as a new gallery version'),
    isVisible: hasNotebook,
    isEnabled: args => {
      const entry = live(args);
      return !!entry && canEdit(entry.sync);
    },
    execute: run((f, c, entry) => f.updateFlow(c, entry), live)
  });
  commands.addCommand(CommandIDs.changeRequest, {
    label: trans.__('Suggest Changes to the Owner…'),
    caption: trans.__(
      'Send your version of this gallery notebook to its owner as a change request'
    ),
    isVisible: hasNotebook,
    isEnabled: args => {
      const entry = live(args);
      // Not while the notebook is known to be unchanged: nothing to suggest.
      return !!entry && !canEdit(entry.sync) && !isUnchanged(entry.sync.status);
    },
    execute: run((f, c, entry) => f.changeRequestFlow(c, entry), live)
  });
  commands.addCommand(CommandIDs.fork, {
    label: trans.__('Fork in Gallery…'),
    caption: trans.__(
      'Publish this notebook as a new gallery entry of your own, remembering the original'
    ),
    isVisible: hasNotebook,
    isEnabled: args => live(args) !== null,
    execute: run((f, c, entry) => f.publishFlow(c, entry, { fork: true }), live)
  });
  commands.addCommand(CommandIDs.unlink, {
    label: trans.__('Unlink from Gallery…'),
    caption: trans.__('Remove the link between this notebook and the gallery'),
    isVisible: hasNotebook,
    isEnabled: args => linked(args) !== null,
    execute: run((f, c, entry) => f.unlinkFlow(c, entry), linked)
  });
  commands.addCommand(CommandIDs.check, {
    label: trans.__('Check Gallery Sync Now'),
    caption: trans.__('Compare this notebook with its gallery entry now'),
    isVisible: hasNotebook,
    isEnabled: args => linked(args) !== null,
    execute: async args => {
      const entry = linked(args);
      if (entry) {
        entry.lastCheck = Date.now();
        await entry.sync.check();
      }
    }
  });
  commands.addCommand(CommandIDs.diff, {
    label: trans.__('View Diff with Gallery'),
    caption: trans.__(
      "Compare this notebook's cells with the gallery's latest version"
    ),
    isVisible: hasNotebook,
    isEnabled: args => live(args) !== null,
    execute: run((f, c, entry) => f.diffFlow(c, entry), live)
  });
  commands.addCommand(CommandIDs.openGalleryVersion, {
    label: trans.__('Open the Gallery Version'),
    caption: trans.__(
      "Open a copy of the gallery's latest version of this notebook"
    ),
    isVisible: args => hasNotebook(args) && openCopy !== null,
    isEnabled: args => openCopy !== null && live(args) !== null,
    execute: async args => {
      const entry = live(args);
      const link = entry?.sync.link;
      if (entry && link && openCopy) {
        const version = entry.sync.summary?.version ?? link.version;
        await openCopy(link.id, version);
      }
    }
  });

  // --- the sidebar panel (its tab is made in start.ts) -------------------------------

  commands.addCommand(CommandIDs.openPanel, {
    label: trans.__('Open the Gallery Panel'),
    caption: trans.__('Find, open and review gallery notebooks'),
    isEnabled: () => panelWidget !== null,
    isVisible: () => panelWidget !== null,
    execute: () => {
      if (panelWidget) {
        app.shell.activateById(panelWidget.id || GALLERY_PANEL_ID);
      }
    }
  });

  commands.addCommand(CommandIDs.reviewQueue, {
    label: trans.__('Open the Review Queue'),
    caption: trans.__(
      'The open reviews of the kinds you review, in the gallery panel'
    ),
    isEnabled: () => panelWidget !== null,
    isVisible: () => panelWidget !== null,
    execute: () => {
      if (panelWidget) {
        // Taken by the panel when it is made, or at once by the panel already there.
        panelWidget.node.setAttribute(SHOW_TAB_ATTRIBUTE, 'reviews');
        window.dispatchEvent(new CustomEvent(SHOW_TAB_EVENT));
        app.shell.activateById(panelWidget.id || GALLERY_PANEL_ID);
      }
    }
  });

  if (palette) {
    const category = trans.__('Gallery');
    for (const command of [
      CommandIDs.publish,
      CommandIDs.update,
      CommandIDs.changeRequest,
      CommandIDs.fork,
      CommandIDs.diff,
      CommandIDs.openGalleryVersion,
      CommandIDs.check,
      CommandIDs.unlink,
      CommandIDs.openPanel,
      CommandIDs.reviewQueue
    ]) {
      palette.addItem({ command, category, args: { isPalette: true } });
    }
  }

  return { settings: () => settings };
}
