/*
 * The diff tabs' tracker, command and restorer entry, registered while the gallery
 * activates (the restorer takes trackers only until the application has started). The
 * diff's code loads when a tab is opened or restored.
 */
import type { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import { WidgetTracker } from '@jupyterlab/apputils';
import type { ITranslator } from '@jupyterlab/translation';
import type { Widget } from '@lumino/widgets';

import {
  DiffSource,
  diffSourceName,
  diffSourceOf,
  DIFF_NAMESPACE,
  OPEN_DIFF_COMMAND
} from './source';

let tracker: WidgetTracker<Widget> | null = null;
const sources = new WeakMap<Widget, DiffSource>();

/** Remembers which diff `widget` shows, so that a reload opens it again. */
export async function trackDiffTab(
  widget: Widget,
  source: DiffSource
): Promise<void> {
  sources.set(widget, source);
  await tracker?.add(widget);
}

export function registerDiffTabs(
  app: JupyterFrontEnd,
  restorer: ILayoutRestorer | null,
  translator: ITranslator | null
): void {
  tracker = new WidgetTracker<Widget>({ namespace: DIFF_NAMESPACE });
  app.commands.addCommand(OPEN_DIFF_COMMAND, {
    execute: async args => {
      const source = diffSourceOf(args);
      if (!source) {
        // The restorer forgets saved state whose command fails.
        throw new Error(`${OPEN_DIFF_COMMAND}: no valid diff`);
      }
      // A notebook, version or request gone (or no longer readable) rejects here: the
      // restorer then forgets the tab rather than show a broken one.
      await (await import('./reopen')).reopenDiff(app, source, translator);
    }
  });
  const source = (widget: Widget) => sources.get(widget);
  restorer
    ?.restore(tracker, {
      command: OPEN_DIFF_COMMAND,
      args: widget => ({ ...source(widget) }),
      name: widget => {
        const known = source(widget);
        return known ? diffSourceName(known) : '';
      }
    })
    .catch(error => console.warn('Atrium gallery: diffs not restored', error));
}
