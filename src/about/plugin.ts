import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ITranslator } from '@jupyterlab/translation';

import { lazy } from '../common/lazy';
import { readPolicy } from '../common/policy';
import { atriumBundle } from '../common/translation';
import { CommandIDs } from './ids';

// The dialog and its React code load only when someone opens it.
const loadDialog = lazy(() =>
  Promise.all([import('./dialog'), import('./facts')]).then(
    ([dialog, facts]) => ({ ...dialog, ...facts })
  )
);

/** The plugin's activation, loaded by `index.ts` when the plugin starts. */
export function activate(
  app: JupyterFrontEnd,
  palette: ICommandPalette | null,
  translator: ITranslator | null
): void {
  const trans = atriumBundle(translator);
  app.commands.addCommand(CommandIDs.about, {
    label: trans.__('About Atrium'),
    caption: trans.__(
      'Atrium version, plugins, server policy and service health'
    ),
    execute: async () => {
      const { showAboutDialog, gatherFacts } = await loadDialog();
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
