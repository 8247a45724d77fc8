import type { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import { WidgetTracker } from '@jupyterlab/apputils';
import type { Widget } from '@lumino/widgets';

import type { INotebookSummary } from '../types';
import {
  notebookIdOf,
  notebookIdOfWidget,
  OPEN_PAGE_COMMAND,
  PAGE_SECTION_EVENT,
  pageArgs,
  PAGE_NAMESPACE,
  pageWidgetId,
  sectionOf
} from './args';

/** Opens the page of a gallery notebook, or activates the one already open. */
export type OpenPage = (
  id: string,
  initial?: INotebookSummary | null
) => Promise<Widget>;

export interface IRegisterPagesOptions {
  app: JupyterFrontEnd;
  restorer: ILayoutRestorer | null;
  /** Where pages go: the main area in JupyterLab. */
  area: 'main' | 'right';
  label: string;
  /** Makes a page (loading its code); the widget is not yet in the shell. */
  create: (id: string, initial: INotebookSummary | null) => Promise<Widget>;
}

/**
 * The pages' tracker, command and restorer entry. Called while the plugin activates,
 * because the restorer takes trackers only until the application has started; the pages'
 * code loads when the first one opens (or is restored).
 */
export function registerPages(options: IRegisterPagesOptions): OpenPage {
  const { app, restorer, area, create } = options;
  const tracker = new WidgetTracker<Widget>({ namespace: PAGE_NAMESPACE });
  const pending = new Map<string, Promise<Widget>>();
  // While the layout is being restored, it decides which tab is current.
  let restored = false;
  void app.restored.then(() => (restored = true));

  const open: OpenPage = async (id, initial = null) => {
    const widgetId = pageWidgetId(id);
    let widget = tracker.find(page => page.id === widgetId) ?? null;
    if (!widget) {
      // A second call while the first page is being made gets that page, not another.
      let making = pending.get(id);
      if (!making) {
        making = create(id, initial)
          .then(async page => {
            page.id = widgetId;
            app.shell.add(page, area, { activate: restored });
            await tracker.add(page);
            return page;
          })
          .finally(() => pending.delete(id));
        pending.set(id, making);
      }
      widget = await making;
    }
    if (restored) {
      app.shell.activateById(widget.id);
    }
    return widget;
  };

  app.commands.addCommand(OPEN_PAGE_COMMAND, {
    label: options.label,
    execute: args => {
      const id = notebookIdOf(args);
      if (id === null) {
        // The restorer forgets saved state whose command fails.
        throw new Error(`${OPEN_PAGE_COMMAND}: no valid notebook id`);
      }
      const section = sectionOf(args);
      return open(id).then(page => {
        // The page is attached: its content listens on its node.
        if (section) {
          page.node.dispatchEvent(
            new CustomEvent(PAGE_SECTION_EVENT, { detail: section })
          );
        }
        return page;
      });
    }
  });

  const idOf = (page: Widget) => notebookIdOfWidget(page.id) ?? '';
  restorer
    ?.restore(tracker, {
      command: OPEN_PAGE_COMMAND,
      args: page => pageArgs(idOf(page)),
      name: idOf
    })
    .catch(error => console.warn('Atrium gallery: pages not restored', error));
  return open;
}
