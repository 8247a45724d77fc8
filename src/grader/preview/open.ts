/**
 * Preview student view: the student version of an instructor notebook, rendered read-only
 * in the main area beside it. The view is a StaticNotebook on a model of its own, with no
 * document context and no session: nothing can save it, over the original or anywhere,
 * and no kernel starts for it. Loaded on the first preview.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, showErrorMessage } from '@jupyterlab/apputils';
import { IEditorServices } from '@jupyterlab/codeeditor';
import type * as nbformat from '@jupyterlab/nbformat';
import {
  NotebookModel,
  NotebookPanel,
  StaticNotebook
} from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon, ToolbarButton } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import '../../../style/grader-tools.css';
import type { JSONObject } from '../rules/data';
import { previewName, previewOf } from './build';

export const PREVIEW_CLASS = 'jp-Atrium-Grader-preview';

/** The open preview of each instructor notebook: a second preview refreshes it. */
const previews = new WeakMap<NotebookPanel, MainAreaWidget<StaticNotebook>>();

function render(
  notebook: StaticNotebook,
  student: JSONObject,
  language: string
): void {
  const model = new NotebookModel({ languagePreference: language });
  model.fromJSON(student as unknown as nbformat.INotebookContent);
  model.readOnly = true;
  const previous = notebook.model;
  notebook.model = model;
  previous?.dispose();
  for (const cell of notebook.widgets) {
    cell.readOnly = true;
  }
}

function studentOf(
  panel: NotebookPanel,
  trans: TranslationBundle
): JSONObject | null {
  const model = panel.model;
  if (!model) {
    return null;
  }
  try {
    return previewOf(model.toJSON() as unknown as JSONObject);
  } catch (error) {
    void showErrorMessage(
      trans.__('No student view'),
      error instanceof Error ? error.message : String(error)
    );
    return null;
  }
}

/**
 * Open (or refresh) the student view of `panel` to its right; resolves to the view, or
 * null when the notebook has no student version (the reason is shown).
 */
export async function openPreview(
  app: JupyterFrontEnd,
  panel: NotebookPanel,
  trans: TranslationBundle
): Promise<MainAreaWidget<StaticNotebook> | null> {
  const student = studentOf(panel, trans);
  if (!student) {
    return null;
  }
  const language = panel.content.model?.defaultKernelLanguage ?? '';
  const open = previews.get(panel);
  if (open && !open.isDisposed) {
    render(open.content, student, language);
    app.shell.activateById(open.id);
    return open;
  }
  const services = await app.resolveOptionalService(IEditorServices);
  if (!services) {
    void showErrorMessage(
      trans.__('No student view'),
      trans.__('The code editor services are not available.')
    );
    return null;
  }
  const notebook = new StaticNotebook({
    rendermime: panel.content.rendermime,
    contentFactory: panel.content.contentFactory,
    mimeTypeService: services.mimeTypeService,
    editorConfig: panel.content.editorConfig,
    notebookConfig: panel.content.notebookConfig
  });
  render(notebook, student, language);
  const view = new MainAreaWidget({ content: notebook });
  view.addClass(PREVIEW_CLASS);
  view.id = `atrium-grader-preview-${panel.id}`;
  const sync = () => {
    view.title.label = trans.__(
      'Student view: %1',
      previewName(panel.context.path)
    );
    view.title.caption = trans.__(
      'The student version of %1 as released: read-only, not a file',
      panel.context.path
    );
  };
  sync();
  panel.context.pathChanged.connect(sync);
  view.title.closable = true;

  const label = new Widget();
  label.addClass(`${PREVIEW_CLASS}-label`);
  label.node.textContent = trans.__('Student view · read-only');
  view.toolbar.addItem('atrium-grader-preview-label', label);
  view.toolbar.addItem(
    'atrium-grader-preview-refresh',
    new ToolbarButton({
      icon: refreshIcon,
      tooltip: trans.__('Generate the student view again from the notebook'),
      onClick: () => {
        const again = studentOf(panel, trans);
        if (again) {
          render(notebook, again, language);
        }
      }
    })
  );

  previews.set(panel, view);
  const close = () => view.dispose();
  panel.disposed.connect(close);
  view.disposed.connect(() => {
    panel.context.pathChanged.disconnect(sync);
    panel.disposed.disconnect(close);
    notebook.model?.dispose();
    previews.delete(panel);
  });
  app.shell.add(view, 'main', { ref: panel.id, mode: 'split-right' });
  app.shell.activateById(view.id);
  return view;
}
