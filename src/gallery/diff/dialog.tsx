import { Dialog, ReactWidget, showDialog } from '@jupyterlab/apputils';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ICellDiff, ILineDiff, summarizeDiff } from './diff';
import { diffHost } from './host';
import type { DiffSource } from './source';
import {
  cellHeading,
  ChangedDetails,
  DiffSummary,
  IDiffViewProps,
  diffViewProps,
  Lines,
  linesOf
} from './parts';
import { openDiffTab } from './tab';

import '../../../style/gallery-dialogs.css';

export interface IShowDiffOptions {
  title: string;
  before: unknown;
  after: unknown;
  beforeLabel: string;
  afterLabel: string;
  translator?: ITranslator | null;
  /**
   * Resolve only when the user closes the diff (a flow that comes back to a choice once
   * the diff has been read); by default, once it is shown.
   */
  waitForClose?: boolean;
  /** The ids the diff was fetched by: its tab is restored after a reload (source.ts). */
  source?: DiffSource;
}

function CellBlock(props: {
  diff: ICellDiff;
  showUnchanged: boolean;
  trans: TranslationBundle;
}): JSX.Element {
  const { diff, trans } = props;
  let lines: ILineDiff[] | null = null;
  if (diff.kind === 'modified') {
    lines = diff.lines ?? [];
  } else if (diff.kind === 'added') {
    lines = linesOf(diff.after!, 'added');
  } else if (diff.kind === 'removed') {
    lines = linesOf(diff.before!, 'removed');
  } else if (props.showUnchanged) {
    lines = linesOf(diff.after!, 'same');
  }
  return (
    <section
      className={`jp-Atrium-Gallery-diffCell jp-mod-${diff.kind}`}
      data-kind={diff.kind}
    >
      <h3 className="jp-Atrium-Gallery-diffHeading">
        {cellHeading(diff, trans)}
      </h3>
      {lines && <Lines lines={lines} />}
      {diff.otherLines && (
        <ChangedDetails
          label={trans.__('Cell metadata or attachments changed')}
          lines={diff.otherLines}
        />
      )}
    </section>
  );
}

/** The text diff: each changed cell's source line by line (nothing rendered). */
export function NotebookDiff(
  props: Omit<IDiffViewProps, 'head'> & { head?: ILineDiff[] | null }
): JSX.Element {
  const { diff, trans } = props;
  const head = props.head ?? null;
  const [showUnchanged, setShowUnchanged] = React.useState(false);
  const summary = summarizeDiff(diff);
  return (
    <div className="jp-Atrium-Gallery-diff">
      <DiffSummary {...props} head={head} />
      {summary.unchanged > 0 && (
        <label className="jp-Atrium-Gallery-diffToggle">
          <input
            type="checkbox"
            checked={showUnchanged}
            onChange={event => setShowUnchanged(event.target.checked)}
          />{' '}
          {trans.__('Show unchanged cells')}
        </label>
      )}
      {diff.map((cell, index) => (
        <CellBlock
          key={index}
          diff={cell}
          showUnchanged={showUnchanged}
          trans={trans}
        />
      ))}
    </div>
  );
}

/**
 * The text diff in a dialog: where the diff has no main area to open in (see host.ts).
 */
export async function showDiffDialog(options: IShowDiffOptions): Promise<void> {
  const props = diffViewProps(options);
  const body = ReactWidget.create(<NotebookDiff {...props} />);
  body.addClass('jp-Atrium-Gallery-diffBody');
  await showDialog({
    title: options.title,
    body,
    buttons: [Dialog.okButton({ label: props.trans.__('Close') })]
  });
}

/**
 * Show the diff of two notebooks side by side in a main-area tab. Resolves once the tab
 * is open, or once it is closed with `waitForClose`. Without a main area, in a dialog.
 */
export async function showNotebookDiff(
  options: IShowDiffOptions
): Promise<void> {
  const app = diffHost();
  if (!app) {
    return showDiffDialog(options);
  }
  await openDiffTab(app, options);
}
