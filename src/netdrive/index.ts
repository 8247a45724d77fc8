import {
  ILayoutRestorer,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import {
  IDefaultFileBrowser,
  IFileBrowserFactory
} from '@jupyterlab/filebrowser';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator } from '@jupyterlab/translation';

import { isFeatureOff } from '../common/policy';
import type { start } from './start';

/**
 * Network drives: connect SMB shares from a dialog, each shown as its own file browser
 * (a `Contents.IDrive` backed by the server's `/atrium/api/netdrive/` API), and a
 * "Network Drives" sidebar to connect, disconnect, forget and reconnect them.
 *
 * Only this definition is in the extension's entry module, which JupyterLab loads even
 * with the plugin disabled. When the plugin starts it loads `start.ts` (the sidebar tab),
 * which is in the first screen's shared chunk (`common/firstScreen.ts`); the rest loads
 * after the layout is restored.
 */
export const netdrivePlugin: JupyterFrontEndPlugin<void> = {
  // The same id as ids.ts; spelled out so this module pulls in nothing else.
  id: 'jupyterlab-atrium:netdrive',
  description:
    'Connects Windows/SMB network drives as file browsers, with a Network Drives sidebar.',
  autoStart: true,
  optional: [
    IFileBrowserFactory,
    IDefaultFileBrowser,
    ICommandPalette,
    ISettingRegistry,
    ILayoutRestorer,
    ITranslator,
    IStateDB
  ],
  // The first-screen code's own parameters: `import type` adds nothing to this module.
  activate: async (...args: Parameters<typeof start>) => {
    if (isFeatureOff('netdrive')) {
      return; // turned off on the server: no UI for an API that is not there
    }
    (await import('../common/firstScreen')).startNetdrive(...args);
  }
};

export const netdrivePlugins: JupyterFrontEndPlugin<unknown>[] = [
  netdrivePlugin
];
