import type { JupyterFrontEnd } from '@jupyterlab/application';
import {
  InputDialog,
  MainAreaWidget,
  Notification,
  WidgetTracker
} from '@jupyterlab/apputils';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Widget } from '@lumino/widgets';

import { describeError } from '../../common/request';
import { listAssignments } from './api';
import { createGradebook } from './widget';

/** The gradebooks open, by assignment id: one each. */
const open = new Map<string, MainAreaWidget>();

/** Asks which assignment (the service's list, newest first); null if cancelled. */
async function pickAssignment(
  trans: TranslationBundle
): Promise<string | null> {
  let items;
  try {
    items = await listAssignments();
  } catch (error) {
    Notification.error(describeError(error, trans), { autoClose: 5000 });
    return null;
  }
  if (items.length === 0) {
    Notification.info(trans.__('No assignment has been released yet.'), {
      autoClose: 5000
    });
    return null;
  }
  // Two assignments may share a title: the label carries the id's start too.
  const labels = items.map(item => `${item.title} (${item.id.slice(0, 8)})`);
  const answer = await InputDialog.getItem({
    title: trans.__('Open the gradebook of'),
    items: labels,
    okLabel: trans.__('Open')
  });
  if (!answer.button.accept || answer.value === null) {
    return null;
  }
  return items[labels.indexOf(answer.value)]?.id ?? null;
}

/** Opens the gradebook of `assignment` (asking which when null), or activates it. */
export async function openGradebook(
  app: JupyterFrontEnd,
  trans: TranslationBundle,
  assignment: string | null,
  tracker: WidgetTracker<Widget> | null = null
): Promise<MainAreaWidget | null> {
  const id = assignment ?? (await pickAssignment(trans));
  if (id === null) {
    return null;
  }
  let widget = open.get(id);
  if (!widget || widget.isDisposed) {
    const rendermime = await app.resolveOptionalService(IRenderMimeRegistry);
    widget = open.get(id);
    if (!widget || widget.isDisposed) {
      const made = createGradebook(id, trans, rendermime);
      open.set(id, made);
      made.disposed.connect(() => {
        if (open.get(id) === made) {
          open.delete(id);
        }
      });
      app.shell.add(made, 'main');
      // Tracked: a reload opens the tab again (command.ts).
      await tracker?.add(made);
      widget = made;
    }
  }
  app.shell.activateById(widget.id);
  return widget;
}
