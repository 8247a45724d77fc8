import { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import {
  IDefaultFileBrowser,
  IFileBrowserFactory
} from '@jupyterlab/filebrowser';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import { afterRestored } from '../common/deferred';
import { LazyPanel } from '../common/lazyPanel';
import { atriumBundle } from '../common/translation';
import { netdriveIcon, PANEL_ID } from './icons';

/**
 * What network drives do before JupyterLab has restored its layout: the sidebar tab, known
 * to the layout restorer so it can come back open. The drives, their file browsers and the
 * commands (`plugin.ts`) load after that, or as soon as the panel restored open needs them.
 * Drives are listed after the layout is restored either way.
 */
export function start(
  app: JupyterFrontEnd,
  factory: IFileBrowserFactory | null,
  defaultBrowser: IDefaultFileBrowser | null,
  palette: ICommandPalette | null,
  settingRegistry: ISettingRegistry | null,
  restorer: ILayoutRestorer | null,
  translator: ITranslator | null
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
        translator
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
}
