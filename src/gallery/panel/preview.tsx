import type {
  ICell,
  INotebookContent,
  MultilineString
} from '@jupyterlab/nbformat';
import { IRenderMimeRegistry, MimeModel } from '@jupyterlab/rendermime';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

/** Cells rendered before "Show all cells" is needed. */
export const PREVIEW_CELL_LIMIT = 100;

function sourceText(source: MultilineString | undefined): string {
  if (Array.isArray(source)) {
    return source.join('');
  }
  return typeof source === 'string' ? source : '';
}

/**
 * The notebook's language for highlighting, reduced to characters a fence info string can
 * hold.
 */
export function notebookLanguage(notebook: INotebookContent): string {
  const metadata = notebook.metadata ?? {};
  const info = metadata.language_info as { name?: unknown } | undefined;
  const spec = metadata.kernelspec as { language?: unknown } | undefined;
  const name =
    (typeof info?.name === 'string' && info.name) ||
    (typeof spec?.language === 'string' && spec.language) ||
    '';
  return name.replace(/[^\w+-]/g, '');
}

/**
 * Markdown for a code cell: the source as a fenced code block, the fence longer than any
 * backtick run in the source, so the source can never end the block early.
 */
export function codeAsMarkdown(source: string, language: string): string {
  const runs = source.match(/`+/g) ?? [];
  const longest = runs.reduce((max, run) => Math.max(max, run.length), 0);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${source}\n${fence}`;
}

interface ICellViewProps {
  cell: ICell;
  language: string;
  rendermime: IRenderMimeRegistry;
  trans: TranslationBundle;
}

/**
 * One cell, rendered by JupyterLab's markdown renderer as untrusted content (the sanitiser
 * runs, no script runs, nothing is executed). Code cells are fenced code blocks, which the
 * renderer highlights; raw cells are plain text.
 */
function CellView(props: ICellViewProps): JSX.Element {
  const { cell, language, rendermime, trans } = props;
  const host = React.useRef<HTMLDivElement>(null);
  const source = sourceText(cell.source);
  const [failed, setFailed] = React.useState(false);
  const kind = cell.cell_type;

  React.useEffect(() => {
    const node = host.current;
    if (!node || (kind !== 'markdown' && kind !== 'code')) {
      return;
    }
    const text = kind === 'code' ? codeAsMarkdown(source, language) : source;
    let renderer: Widget & {
      renderModel(model: MimeModel): Promise<void>;
    };
    try {
      renderer = rendermime.createRenderer('text/markdown');
    } catch {
      setFailed(true);
      return;
    }
    // The renderer's node is placed by hand rather than with Widget.attach: React may
    // take the host out of the document before this effect is cleaned up, and a widget
    // attached with Widget.attach then refuses to be disposed.
    node.appendChild(renderer.node);
    renderer
      .renderModel(
        new MimeModel({ data: { 'text/markdown': text }, trusted: false })
      )
      .catch(() => setFailed(true));
    return () => {
      renderer.node.remove();
      renderer.dispose();
    };
  }, [kind, source, language, rendermime]);

  const label =
    kind === 'code'
      ? trans.__('Code cell')
      : kind === 'markdown'
        ? trans.__('Markdown cell')
        : trans.__('Raw cell');
  return (
    <div
      className={`jp-Atrium-Gallery-previewCell jp-Atrium-Gallery-previewCell-${kind}`}
      role="listitem"
      aria-label={label}
    >
      {kind === 'markdown' || kind === 'code' ? (
        failed ? (
          <pre className="jp-Atrium-Gallery-previewSource">{source}</pre>
        ) : (
          <div ref={host} className="jp-Atrium-Gallery-previewRendered" />
        )
      ) : (
        <pre className="jp-Atrium-Gallery-previewSource">{source}</pre>
      )}
    </div>
  );
}

export interface INotebookPreviewProps {
  notebook: INotebookContent;
  rendermime: IRenderMimeRegistry;
  trans: TranslationBundle;
}

/**
 * A read-only preview of a notebook: nothing is executed and no output is shown (gallery
 * notebooks have none).
 */
export function NotebookPreview(props: INotebookPreviewProps): JSX.Element {
  const { notebook, rendermime, trans } = props;
  const [showAll, setShowAll] = React.useState(false);
  const cells = Array.isArray(notebook.cells) ? notebook.cells : [];
  const language = notebookLanguage(notebook);
  const shown = showAll ? cells : cells.slice(0, PREVIEW_CELL_LIMIT);
  if (cells.length === 0) {
    return (
      <div className="jp-Atrium-Gallery-empty">
        {trans.__('This notebook has no cells.')}
      </div>
    );
  }
  return (
    <div className="jp-Atrium-Gallery-preview">
      <div
        className="jp-Atrium-Gallery-previewCells"
        role="list"
        aria-label={trans.__('Notebook preview')}
      >
        {shown.map((cell, index) => (
          <CellView
            key={`${index}:${typeof cell.id === 'string' ? cell.id : ''}`}
            cell={cell}
            language={language}
            rendermime={rendermime}
            trans={trans}
          />
        ))}
      </div>
      {shown.length < cells.length && (
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-Atrium-Gallery-showAll"
          onClick={() => setShowAll(true)}
        >
          {trans.__('Show all %1 cells', cells.length)}
        </button>
      )}
    </div>
  );
}
