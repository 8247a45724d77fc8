import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ITranslator } from '@jupyterlab/translation';

/**
 * "About Atrium": a Help-menu entry (declared in schema/about.json) and a palette command
 * showing the version, the plugins' state, the server policy and the service's health.
 *
 * Only this definition is in the extension's entry module, which JupyterLab loads even
 * with the plugin disabled; the plugin's code is a chunk loaded once the layout is
 * restored (the menu item shows once its command exists, well before anyone opens Help).
 */
export const aboutPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-atrium:about',
  description: 'Atrium version, plugins, server policy and service status.',
  autoStart: true,
  optional: [ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ) => {
    // Written as restored.then(() => import()) so that the size check counts it as
    // loaded after the first screen; never awaited here (restored waits for activate).
    void app.restored
      .then(() => import('./plugin'))
      .then(module => module.activate(app, palette, translator));
  }
};
