/*
 * nbdime's notebook diff widget with its styles: the chunk a diff tab loads with
 * `import()` when it opens, so nbdime (and its CSS) costs nothing until a diff is shown.
 */

import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { ITranslator } from '@jupyterlab/translation';
import type { Widget } from '@lumino/widgets';
import { NotebookDiffModel } from 'nbdime/lib/diff/model';
import { NotebookDiffWidget } from 'nbdime/lib/diff/widget';

import type { INbdimeDiff } from './nbdimeDiff';

import 'nbdime/lib/styles/variables.css';
import 'nbdime/lib/styles/common.css';
import 'nbdime/lib/styles/diff.css';
import 'nbdime/lib/common/collapsible.css';

/**
 * Draw `data` into `parent` (attached, as nbdime's cells measure their editors). The
 * markdown cells render with `rendermime`, the application's: its sanitiser and parser.
 */
export async function renderNbdimeDiff(
  data: INbdimeDiff,
  rendermime: IRenderMimeRegistry,
  translator: ITranslator | undefined,
  add: (widget: Widget) => void
): Promise<Widget> {
  const model = new NotebookDiffModel(data.base, data.diff);
  const widget = new NotebookDiffWidget({ model, rendermime, translator });
  add(widget);
  await widget.init();
  return widget;
}
