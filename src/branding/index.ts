import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ITranslator } from '@jupyterlab/translation';

import { isFeatureOff, readPolicy } from '../common/policy';

export const BRANDING_PLUGIN_ID = 'jupyterlab-atrium:branding';

/** The plugin's code, once a published brand made it load. */
let loaded: typeof import('../common/firstScreen') | null = null;

/**
 * The institution's look from the admin's brand spec, as the server published it in
 * `page_config_data["atrium"]["branding"]`: logo, brand and accent colours per theme kind,
 * tab title, favicon and notice banner, in JupyterLab and Notebook 7. Without a (valid)
 * spec it changes nothing; deactivating or disabling it restores the stock look.
 *
 * Only this definition is in the extension's entry module, which JupyterLab loads even
 * with the plugin disabled; the plugin's code is in the first screen's shared chunk
 * (`common/firstScreen.ts`), loaded when it starts, and only when the server published a
 * brand.
 */
export const brandingPlugin: JupyterFrontEndPlugin<void> = {
  id: BRANDING_PLUGIN_ID,
  description: "The institution's logo, colours, title, favicon and notice.",
  autoStart: true,
  optional: [ITranslator],
  activate: async (app: JupyterFrontEnd, translator: ITranslator | null) => {
    if (readPolicy()?.branding === undefined || isFeatureOff('branding')) {
      return;
    }
    const firstScreen = await import('../common/firstScreen');
    loaded = firstScreen;
    firstScreen.activateBranding(app, translator);
  },
  deactivate: () => {
    loaded?.deactivateBranding();
  }
};
