import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import { isFeatureOff } from '../common/policy';
import type { start } from './start';

/**
 * The gallery: publish the open notebook (stripped in the browser), keep it in sync
 * (toolbar indicator), update with optimistic concurrency, suggest changes, fork,
 * unlink; find and open notebooks in the left sidebar panel.
 *
 * Only this definition is in the extension's entry module, which JupyterLab loads even
 * with the plugin disabled. When the plugin starts it loads `start.ts` (the sidebar tab),
 * which is in the first screen's shared chunk (`common/firstScreen.ts`); the rest loads
 * after the layout is restored.
 */
export const galleryPlugin: JupyterFrontEndPlugin<void> = {
  // The same id as ids.ts; spelled out so this module pulls in nothing else.
  id: 'jupyterlab-atrium:gallery',
  description: 'Publish (outputs stripped), sync and find gallery notebooks.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [
    ITranslator,
    ISettingRegistry,
    ICommandPalette,
    IDocumentManager,
    IRenderMimeRegistry,
    ILabShell,
    ILayoutRestorer
  ],
  // The first-screen code's own parameters: `import type` adds nothing to this module.
  activate: async (...args: Parameters<typeof start>) => {
    if (isFeatureOff('gallery')) {
      return; // turned off on the server: no UI for an API that is not there
    }
    (await import('../common/firstScreen')).startGallery(...args);
  }
};

/**
 * The gallery plugins.
 */
export const galleryPlugins: JupyterFrontEndPlugin<unknown>[] = [galleryPlugin];
