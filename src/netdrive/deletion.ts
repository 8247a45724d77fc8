import { JupyterFrontEnd } from '@jupyterlab/application';
import { Dialog, showDialog, showErrorMessage } from '@jupyterlab/apputils';
import { FileBrowser, IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { TranslationBundle } from '@jupyterlab/translation';
import { closeIcon } from '@jupyterlab/ui-components';

import { CommandIDs } from './ids';

/** What a drive browser's listing items match (its node carries this class). */
export const DRIVE_BROWSER_CLASS = 'jp-Atrium-NetDrive-browser';

/**
 * "Delete Permanently" for the files of network drives. A share has no trash, but
 * JupyterLab's `filebrowser:delete` says "Move to Trash" whenever the server moves its own
 * files there (`delete_to_trash`, the default), one label for every browser. So drive
 * browsers get this command in their context menu and on the Delete key instead; the
 * schema (`schema/netdrive.json`) keeps JupyterLab's item for every other browser.
 */
export function addPermanentDelete(
  app: JupyterFrontEnd,
  factory: IFileBrowserFactory,
  trans: TranslationBundle
): void {
  const driveBrowser = (): FileBrowser | null => {
    const browser = factory.tracker.currentWidget;
    return browser?.hasClass(DRIVE_BROWSER_CLASS) ? browser : null;
  };
  app.commands.addCommand(CommandIDs.deletePermanently, {
    label: trans.__('Delete Permanently'),
    caption: trans.__('Network drives have no trash'),
    icon: closeIcon.bindprops({ stylesheet: 'menuItem' }),
    isVisible: () => driveBrowser() !== null,
    execute: async () => {
      const browser = driveBrowser();
      if (browser) {
        await deletePermanently(browser, trans);
      }
    }
  });
  const items = `.${DRIVE_BROWSER_CLASS} .jp-DirListing-item[data-isdir]`;
  // Rank 6: where JupyterLab's own item stands in the home browser's menu.
  app.contextMenu.addItem({
    command: CommandIDs.deletePermanently,
    selector: items,
    rank: 6
  });
  // More specific than JupyterLab's binding on the same element, so it wins there.
  app.commands.addKeyBinding({
    command: CommandIDs.deletePermanently,
    keys: ['Delete'],
    selector: `.${DRIVE_BROWSER_CLASS} .jp-DirListing-content .jp-DirListing-itemText`
  });
}

/** Ask, then delete the browser's selected items (as its listing would, minus the trash). */
export async function deletePermanently(
  browser: FileBrowser,
  trans: TranslationBundle
): Promise<void> {
  const items = [...browser.selectedItems()];
  if (!items.length) {
    return;
  }
  const action = trans.__('Delete Permanently');
  const result = await showDialog({
    title: action,
    body:
      items.length === 1
        ? trans.__(
            'Permanently delete %1? Network drives have no trash: it cannot be restored.',
            items[0].name
          )
        : trans._n(
            'Permanently delete the %1 selected item? Network drives have no trash: it cannot be restored.',
            'Permanently delete the %1 selected items? Network drives have no trash: they cannot be restored.',
            items.length
          ),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: action })
    ],
    // As JupyterLab does: Enter right after Delete must not delete.
    defaultButton: 0
  });
  if (!result.button.accept || browser.isDisposed) {
    return;
  }
  const manager = browser.model.manager;
  await Promise.all(
    items.map(item =>
      manager.deleteFile(item.path).catch(error => {
        void showErrorMessage(trans.__('Delete Failed'), error);
      })
    )
  );
}
