import { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import {
  IDefaultFileBrowser,
  IFileBrowserFactory
} from '@jupyterlab/filebrowser';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator } from '@jupyterlab/translation';

import { afterRestored } from '../common/deferred';
import { LazyPanel } from '../common/lazyPanel';
import { atriumBundle } from '../common/translation';
import { netdriveIcon, PANEL_ID } from './icons';
import { registerRestoringDrives, takeDriveTreePath } from './restore';

/**
 * What network drives do before JupyterLab has restored its layout: the sidebar tab, known
 * to the layout restorer so it can come back open; a stand-in for each remembered drive
 * (named in the page config, no request), so that documents open on drives are restored
 * too (`restore.ts`). The drives, their file browsers, launchers that keep to the home
 * folder and the commands (`plugin.ts`) load after that, or as soon as the panel restored
 * open or a restored document needs them.
 */
export function start(
  app: JupyterFrontEnd,
  factory: IFileBrowserFactory | null,
  defaultBrowser: IDefaultFileBrowser | null,
  palette: ICommandPalette | null,
  settingRegistry: ISettingRegistry | null,
  restorer: ILayoutRestorer | null,
  translator: ITranslator | null,
  state: IStateDB | null = null
): void {
  const runtime = afterRestored(
    app.restored,
    async () => {
      const { activate } = await import('./plugin');
      return activate(
        app,
        factory,
        defaultBrowser,
        palette,
        settingRegistry,
        translator,
        state
      );
    },
    'network drives'
  );

  // The panel's code loads when it is first shown.
  const tab = new LazyPanel(async () => (await runtime()).createPanel());
  tab.id = PANEL_ID;
  tab.title.icon = netdriveIcon;
  tab.title.caption = atriumBundle(translator).__('Network Drives');
  app.shell.add(tab, 'left', { rank: 140 });
  restorer?.add(tab, 'atrium-netdrive-panel');

  const treePath = takeDriveTreePath();
  if (treePath) {
    void app.restored
      .then(async () => (await runtime()).openPath(treePath))
      .catch(error =>
        console.warn(`Atrium: could not open ${treePath}`, error)
      );
  }
  // During the plugin's activation, so before JupyterLab restores documents.
  registerRestoringDrives(
    app.serviceManager.contents,
    app.serviceManager.serverSettings,
    async name => (await runtime()).openDrive(name)
  );
}
