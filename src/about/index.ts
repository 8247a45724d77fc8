import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ITranslator } from '@jupyterlab/translation';

import { readPolicy } from '../common/policy';
import { atriumBundle } from '../common/translation';

export namespace CommandIDs {
  export const about = 'atrium:about';
}

/**
 * "About Atrium": a Help-menu entry (declared in schema/about.json) and a palette command
 * showing the version, the plugins' state, the server policy and the service's health.
 */
export const aboutPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-atrium:about',
  description:
    'Shows the Atrium version, which Atrium plugins are on, the server policy and whether the service answers.',
  autoStart: true,
  optional: [ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ) => {
    const trans = atriumBundle(translator);
    app.commands.addCommand(CommandIDs.about, {
      label: trans.__('About Atrium'),
      caption: trans.__(
        'Atrium version, plugins, server policy and service health'
      ),
      execute: async () => {
        // The dialog and its React code load only when someone opens it.
        const [{ showAboutDialog }, { gatherFacts }] = await Promise.all([
          import('./dialog'),
          import('./facts')
        ]);
        const facts = gatherFacts({
          host: app,
          pagePolicy: readPolicy(),
          trans
        });
        await showAboutDialog(facts, trans);
      }
    });
    palette?.addItem({ command: CommandIDs.about, category: trans.__('Help') });
  }
};
