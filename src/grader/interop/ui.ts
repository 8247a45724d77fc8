/**
 * Import Exercise Notebook and Export for nbgrader, for instructors (tools.ts): the open
 * notebook converted by the service and written beside it, never over it. Loaded on
 * first use.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { describeError, requestAPI } from '../../common/request';
import { releaseOf } from '../release/link';
import type { JSONObject } from '../rules/data';
import {
  besidePath,
  ExportFormat,
  findingTexts,
  guessImportFormat,
  IMPORT_FORMATS,
  ImportFormat,
  importFormatLabel
} from './formats';

interface IConverted {
  notebook: JSONObject;
  findings: unknown;
}

/** A dialog body with one select; its value is the dialog's. */
class ChoiceBody<T extends string> extends Widget {
  constructor(label: string, options: [T, string][], value: T) {
    super({ node: document.createElement('label') });
    this.addClass('jp-Atrium-Grader-interop');
    const text = document.createElement('span');
    text.textContent = label;
    this._select.className = 'jp-mod-styled';
    for (const [optionValue, optionLabel] of options) {
      this._select.add(
        new Option(optionLabel, optionValue, false, optionValue === value)
      );
    }
    this.node.append(text, this._select);
  }

  getValue(): T {
    return this._select.value as T;
  }

  private readonly _select = document.createElement('select');
}

async function writeBeside(
  app: JupyterFrontEnd,
  path: string,
  suffix: string,
  notebook: JSONObject
): Promise<string> {
  const contents = app.serviceManager.contents;
  const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const listing = await contents.get(folder, { content: true });
  const names = new Set(
    ((listing.content ?? []) as { path: string }[]).map(item => item.path)
  );
  const target = besidePath(path, suffix, candidate => names.has(candidate));
  await contents.save(target, {
    type: 'notebook',
    format: 'json',
    content: notebook
  });
  return target;
}

async function tell(
  title: string,
  lines: string[],
  trans: TranslationBundle
): Promise<void> {
  const body = new Widget();
  const list = document.createElement('ul');
  for (const line of lines) {
    const item = document.createElement('li');
    item.textContent = line;
    list.append(item);
  }
  body.node.append(list);
  await showDialog({
    title,
    body,
    buttons: [Dialog.okButton({ label: trans.__('OK') })]
  });
}

/** Convert the open notebook from nbgrader, otter-grader or Ordo; open the result. */
export async function importNotebook(
  app: JupyterFrontEnd,
  panel: NotebookPanel,
  trans: TranslationBundle
): Promise<string | null> {
  await panel.context.ready;
  const notebook = panel.context.model.toJSON() as JSONObject;
  const choice = await showDialog({
    title: trans.__('Import “%1” as an exercise notebook', panel.title.label),
    body: new ChoiceBody<ImportFormat>(
      trans.__('It is written as'),
      IMPORT_FORMATS.map(format => [format, importFormatLabel(format, trans)]),
      guessImportFormat(notebook)
    ),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Import') })
    ]
  });
  if (!choice.button.accept || !choice.value) {
    return null;
  }
  let converted: IConverted;
  try {
    converted = await requestAPI<IConverted>('service/grading/import', {
      method: 'POST',
      body: JSON.stringify({ format: choice.value, notebook })
    });
  } catch (error) {
    await tell(trans.__('Not imported'), [describeError(error, trans)], trans);
    return null;
  }
  const path = await writeBeside(
    app,
    panel.context.path,
    trans.__('Atrium'),
    converted.notebook
  );
  await app.commands.execute('docmanager:open', { path });
  const findings = findingTexts(converted.findings, trans);
  if (findings.length) {
    await tell(trans.__('Imported as %1, with notes', path), findings, trans);
  } else {
    Notification.success(trans.__('Imported as %1', path), {
      autoClose: 5000
    });
  }
  return path;
}

/** Write the released assignment of the open notebook for nbgrader, beside it. */
export async function exportNotebook(
  app: JupyterFrontEnd,
  panel: NotebookPanel,
  trans: TranslationBundle
): Promise<string | null> {
  await panel.context.ready;
  const link = releaseOf(panel.context.model.metadata);
  if (!link) {
    await tell(
      trans.__('Release it first'),
      [
        trans.__(
          'Export writes an assignment as the service keeps it: release this notebook, then export it.'
        )
      ],
      trans
    );
    return null;
  }
  const choice = await showDialog({
    title: trans.__('Export for nbgrader'),
    body: new ChoiceBody<ExportFormat>(
      trans.__('Write'),
      [
        ['nbgrader', trans.__('the source notebook (solutions and tests)')],
        [
          'nbgrader-release',
          trans.__("the students' release (with nbgrader's checksums)")
        ]
      ],
      'nbgrader'
    ),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Export') })
    ]
  });
  if (!choice.button.accept || !choice.value) {
    return null;
  }
  let converted: IConverted;
  try {
    converted = await requestAPI<IConverted>(
      `service/grading/assignments/${encodeURIComponent(link.id)}/export?format=${choice.value}`
    );
  } catch (error) {
    await tell(trans.__('Not exported'), [describeError(error, trans)], trans);
    return null;
  }
  const path = await writeBeside(
    app,
    panel.context.path,
    choice.value === 'nbgrader'
      ? trans.__('nbgrader')
      : trans.__('nbgrader release'),
    converted.notebook
  );
  Notification.success(trans.__('Exported as %1', path), { autoClose: 5000 });
  return path;
}
