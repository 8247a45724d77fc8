/*
 * The gallery diff as a main-area tab, the way jupyterlab-git opens diffs: nbdime's
 * notebook diff (cell-aware, side by side, markdown rendered, metadata collapsed) under
 * Atrium's summary. nbdime and its styles load with `import()` once a tab opens.
 */

import type { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, ReactWidget } from '@jupyterlab/apputils';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { Panel, Widget } from '@lumino/widgets';
import * as React from 'react';

import type { IShowDiffOptions } from './dialog';
import { hasChanges } from './diff';
import { attachmentChanges, nbdimeDiff } from './nbdimeDiff';
import { DiffSummary, diffViewProps, IDiffViewProps } from './parts';
import { trackDiffTab } from './restore';

import '../../../style/gallery-diff.css';

/** On nbdime's root: its unchanged cells are hidden (gallery-diff.css). */
const HIDE_UNCHANGED = 'jp-mod-hideUnchanged';

function DiffHeader(
  props: IDiffViewProps & {
    attachments: number[];
    onHideUnchanged: ((hide: boolean) => void) | null;
  }
): JSX.Element {
  const { trans, onHideUnchanged } = props;
  const [hide, setHide] = React.useState(true);
  return (
    <div className="jp-Atrium-GalleryDiff-header">
      {/* nbdime shows the notebook metadata change itself, collapsed. */}
      <DiffSummary {...props} metadataDetails={false} />
      {props.attachments.length > 0 && (
        <p className="jp-Atrium-GalleryDiff-attachments">
          {trans.__(
            'Attachments changed in cells %1 (not drawn below).',
            props.attachments.join(', ')
          )}
        </p>
      )}
      {onHideUnchanged && (
        <label className="jp-Atrium-GalleryDiff-hideUnchanged">
          <input
            type="checkbox"
            checked={hide}
            onChange={event => {
              setHide(event.target.checked);
              onHideUnchanged(event.target.checked);
            }}
          />{' '}
          {trans.__('Hide unchanged cells')}
        </label>
      )}
    </div>
  );
}

/**
 * Load nbdime and draw the diff into `body`, showing that it is busy meanwhile and
 * what went wrong if it fails.
 */
async function drawDiff(
  app: JupyterFrontEnd,
  options: IShowDiffOptions,
  props: IDiffViewProps,
  body: Panel
): Promise<void> {
  const busy = new Widget();
  busy.addClass('jp-Atrium-GalleryDiff-busy');
  busy.node.setAttribute('role', 'status');
  busy.node.textContent = props.trans.__('Loading the diff…');
  body.addWidget(busy);
  body.node.setAttribute('aria-busy', 'true');
  try {
    const [{ renderNbdimeDiff }, rendermime] = await Promise.all([
      import('./nbdimeWidget'),
      app.resolveRequiredService(IRenderMimeRegistry)
    ]);
    if (body.isDisposed) {
      return; // the tab was closed (or replaced) meanwhile
    }
    await renderNbdimeDiff(
      nbdimeDiff(options.before, options.after),
      rendermime,
      options.translator ?? undefined,
      widget => body.addWidget(widget)
    );
    busy.dispose();
  } catch (reason) {
    console.error('Atrium: the notebook diff could not be drawn', reason);
    busy.removeClass('jp-Atrium-GalleryDiff-busy');
    busy.addClass('jp-Atrium-GalleryDiff-error');
    busy.node.textContent = props.trans.__(
      'The diff could not be shown: %1',
      reason instanceof Error ? reason.message : String(reason)
    );
  } finally {
    body.node.removeAttribute('aria-busy');
  }
}

/** The tab's content: the summary, then nbdime's diff when there is one. */
function diffContent(app: JupyterFrontEnd, options: IShowDiffOptions): Widget {
  const props = diffViewProps(options);
  const content = new Panel();
  content.addClass('jp-Atrium-GalleryDiff-content');
  let body: Panel | null = null;
  if (hasChanges(props.diff, props.head)) {
    body = new Panel();
    body.addClass('jp-Atrium-GalleryDiff-nbdime');
    body.addClass(HIDE_UNCHANGED);
  }
  const nbdimeRoot = body;
  content.addWidget(
    ReactWidget.create(
      <DiffHeader
        {...props}
        attachments={attachmentChanges(props.diff)}
        onHideUnchanged={
          nbdimeRoot && (hide => nbdimeRoot.toggleClass(HIDE_UNCHANGED, hide))
        }
      />
    )
  );
  if (body) {
    content.addWidget(body);
    void drawDiff(app, options, props, body);
  }
  return content;
}

/** The open diff tabs by title: showing the same diff again replaces its tab. */
const open = new Map<string, MainAreaWidget>();
let count = 0;

/**
 * Open the diff in a main-area tab. Resolves once it is shown, or once it is closed with
 * `options.waitForClose`.
 */
export async function openDiffTab(
  app: JupyterFrontEnd,
  options: IShowDiffOptions
): Promise<void> {
  const content = diffContent(app, options);
  const widget = new MainAreaWidget({ content });
  widget.id = `atrium-gallery-diff-${++count}`;
  widget.addClass('jp-Atrium-GalleryDiff-tab');
  widget.title.label = options.title;
  widget.title.caption = `${options.beforeLabel} → ${options.afterLabel}`;
  widget.title.closable = true;
  open.get(options.title)?.dispose();
  open.set(options.title, widget);
  const closed = new Promise<void>(resolve =>
    widget.disposed.connect(() => {
      if (open.get(options.title) === widget) {
        open.delete(options.title);
      }
      resolve();
    })
  );
  app.shell.add(widget, 'main');
  if (options.source) {
    await trackDiffTab(widget, options.source);
  }
  app.shell.activateById(widget.id);
  if (options.waitForClose) {
    await closed;
  }
}
