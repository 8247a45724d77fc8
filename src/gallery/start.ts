import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { afterRestored } from '../common/deferred';
import { LazyPanel } from '../common/lazyPanel';
import { atriumBundle } from '../common/translation';
import { registerDiffTabs } from './diff/restore';
import { registerPages } from './page/register';
import { galleryIcon, GALLERY_PANEL_ID } from './panel/icon';

function hasLeftArea(app: JupyterFrontEnd, labShell: ILabShell | null) {
  if (labShell) {
    return true;
  }
  // Notebook 7 has side areas on its pages; other shells may not.
  const shell = app.shell as JupyterFrontEnd.IShell & {
    widgets?: (area: string) => IterableIterator<Widget>;
  };
  if (typeof shell.widgets !== 'function') {
    return false;
  }
  try {
    shell.widgets('left');
    return true;
  } catch {
    return false;
  }
}

/**
 * What the gallery does before JupyterLab has restored its layout: the sidebar tab, given
 * to the restorer so the layout can restore the panel open, and the notebooks' pages'
 * command and tracker, so it can restore them too. The toolbar, sync and commands
 * (`plugin.ts`) load after that, or as soon as a panel or page restored open needs them.
 */
export function start(
  app: JupyterFrontEnd,
  tracker: INotebookTracker,
  translator: ITranslator | null,
  settingRegistry: ISettingRegistry | null,
  palette: ICommandPalette | null,
  docManager: IDocumentManager | null,
  rendermime: IRenderMimeRegistry | null,
  labShell: ILabShell | null,
  restorer: ILayoutRestorer | null
): void {
  let tab: LazyPanel | null = null;
  registerDiffTabs(app, restorer, translator);
  const runtime = afterRestored(
    app.restored,
    async () => {
      const { activate } = await import('./plugin');
      return activate(
        app,
        tracker,
        translator,
        settingRegistry,
        palette,
        docManager,
        tab
      );
    },
    'the gallery'
  );

  if (docManager && rendermime && hasLeftArea(app, labShell)) {
    const trans = atriumBundle(translator);
    // Notebook 7 keeps one document per page in its main area: pages go to the side.
    const openNotebook = registerPages({
      app,
      restorer,
      area: labShell ? 'main' : 'right',
      label: trans.__('Open Gallery Notebook'),
      create: async (id, initial) => {
        const [{ createGalleryPage }, { settings }] = await Promise.all([
          import('./page/widget'),
          runtime()
        ]);
        return createGalleryPage({
          app,
          docManager,
          rendermime,
          translator: translator ?? nullTranslator,
          settings,
          id,
          initial
        });
      }
    });
    try {
      tab = new LazyPanel(async () => {
        // The first page is asked for now, while the code below loads.
        const firstPage = import('./panel/prefetch').then(
          ({ prefetchFor }) => prefetchFor(settingRegistry),
          () => null
        );
        const [{ createGalleryPanel }, { settings }, prefetched] =
          await Promise.all([import('./panel'), runtime(), firstPage]);
        const content = createGalleryPanel({
          app,
          docManager,
          rendermime,
          translator: translator ?? nullTranslator,
          settings,
          firstPage: prefetched,
          openNotebook: (id, initial) =>
            void openNotebook(id, initial).catch(error =>
              console.warn('Atrium gallery: the page did not open', error)
            )
        });
        // The id belongs to the tab (activateById, tests); one element carries it.
        content.id = '';
        return content;
      });
      tab.id = GALLERY_PANEL_ID;
      tab.title.icon = galleryIcon;
      tab.title.caption = trans.__('Notebook gallery');
      app.shell.add(tab, 'left', { rank: 700 });
      // So a reload brings the panel back open, as the file browser does.
      restorer?.add(tab, 'atrium-gallery-panel');
    } catch (error) {
      console.warn('Atrium gallery: the gallery panel is not available', error);
      tab = null;
    }
  }
}
