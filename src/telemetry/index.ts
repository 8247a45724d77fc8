import { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import type { start } from './start';

/**
 * Execution telemetry: for each code cell run in a gallery notebook, report only whether
 * it raised, so the gallery can show the notebook's health. Whether anything is reported
 * is the server's policy (`c.AtriumTelemetry.policy`, off by default).
 *
 * Only this definition is in the extension's entry module. Nothing of the plugin loads
 * before JupyterLab has restored its layout; then a small watcher checks the policy, and
 * the hook itself loads only when a gallery notebook is open.
 */
export const telemetryPlugin: JupyterFrontEndPlugin<void> = {
  // The same id as ids.ts; spelled out so this module pulls in nothing else.
  id: 'jupyterlab-atrium:telemetry',
  description: 'Reports only whether gallery notebook cells raised (health).',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ISettingRegistry, ITranslator],
  activate: (...args: Parameters<typeof start>) => {
    // Not awaited: `restored` waits for every plugin to activate.
    void args[0].restored
      .then(() => import('./start'))
      .then(({ start }) => start(...args))
      .catch(error => console.warn('Atrium telemetry could not start', error));
  }
};
