import { Dialog, ReactWidget, showDialog } from '@jupyterlab/apputils';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { atriumBundle } from '../../common/translation';
import {
  ICellDiff,
  IDiffCell,
  ILineDiff,
  diffNotebookHeads,
  diffNotebooks,
  hasChanges,
  summarizeDiff
} from './diff';

import '../../../style/gallery-dialogs.css';

export interface IShowDiffOptions {
  title: string;
  before: unknown;
  after: unknown;
  beforeLabel: string;
  afterLabel: string;
  translator?: ITranslator | null;
}

const LINE_MARK: Record<ILineDiff['kind'], string> = {
  same: ' ',
  added: '+',
  removed: '-'
};

function Lines(props: { lines: ILineDiff[] }): JSX.Element {
  return (
    <pre className="jp-Atrium-Gallery-diffSource">
      {props.lines.map((line, index) => (
        <div
          key={index}
          className={`jp-Atrium-Gallery-diffLine jp-mod-${line.kind}`}
        >
          <span className="jp-Atrium-Gallery-diffMark" aria-hidden="true">
            {LINE_MARK[line.kind]}
          </span>
          {line.text}
        </div>
      ))}
    </pre>
  );
}

function linesOf(cell: IDiffCell, kind: ILineDiff['kind']): ILineDiff[] {
  const lines = cell.source.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines.map(text => ({ kind, text }));
}

function heading(diff: ICellDiff, trans: TranslationBundle): string {
  const after = diff.after;
  const before = diff.before;
  switch (diff.kind) {
    case 'added':
      return trans.__('Cell %1 (%2) added', after!.index + 1, after!.cellType);
    case 'removed':
      return trans.__(
        'Cell %1 (%2) removed',
        before!.index + 1,
        before!.cellType
      );
    case 'modified':
      return diff.typeChanged
        ? trans.__(
            'Cell %1 changed from %2 to %3',
            after!.index + 1,
            before!.cellType,
            after!.cellType
          )
        : trans.__('Cell %1 (%2) changed', after!.index + 1, after!.cellType);
    default:
      return trans.__(
        'Cell %1 (%2) unchanged',
        after!.index + 1,
        after!.cellType
      );
  }
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
      <h3 className="jp-Atrium-Gallery-diffHeading">{heading(diff, trans)}</h3>
      {lines && <Lines lines={lines} />}
      {diff.otherLines && (
        <details className="jp-Atrium-Gallery-diffOther">
          <summary>{trans.__('Cell metadata or attachments changed')}</summary>
          <Lines lines={diff.otherLines} />
        </details>
      )}
    </section>
  );
}

export function NotebookDiff(props: {
  diff: ICellDiff[];
  /** The notebook-level change (metadata), null when there is none. */
  head?: ILineDiff[] | null;
  beforeLabel: string;
  afterLabel: string;
  trans: TranslationBundle;
}): JSX.Element {
  const { diff, trans } = props;
  const head = props.head ?? null;
  const [showUnchanged, setShowUnchanged] = React.useState(false);
  const summary = summarizeDiff(diff);
  const changes = summary.added + summary.removed + summary.modified;
  return (
    <div className="jp-Atrium-Gallery-diff">
      <p className="jp-Atrium-Gallery-diffLegend">
        <span className="jp-Atrium-Gallery-diffLine jp-mod-removed">
          {'- ' + props.beforeLabel}
        </span>{' '}
        <span className="jp-Atrium-Gallery-diffLine jp-mod-added">
          {'+ ' + props.afterLabel}
        </span>
      </p>
      <p className="jp-Atrium-Gallery-diffSummary">
        {!hasChanges(diff, head)
          ? trans.__('The notebooks are the same.')
          : changes === 0
            ? trans.__('The cells are the same; the notebook metadata changed.')
            : trans.__(
                '%1 added, %2 removed, %3 changed, %4 unchanged cells.',
                summary.added,
                summary.removed,
                summary.modified,
                summary.unchanged
              )}
      </p>
      {head && (
        <details
          className="jp-Atrium-Gallery-diffOther"
          data-testid="atrium-gallery-diff-metadata"
        >
          <summary>{trans.__('Notebook metadata changed')}</summary>
          <Lines lines={head} />
        </details>
      )}
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
 * A dialog with the cell-level diff of two notebooks (text only, nothing rendered).
 */
export async function showNotebookDiff(
  options: IShowDiffOptions
): Promise<void> {
  const trans = atriumBundle(options.translator);
  const diff = diffNotebooks(options.before, options.after);
  const head = diffNotebookHeads(options.before, options.after);
  const body = ReactWidget.create(
    <NotebookDiff
      diff={diff}
      head={head}
      beforeLabel={options.beforeLabel}
      afterLabel={options.afterLabel}
      trans={trans}
    />
  );
  body.addClass('jp-Atrium-Gallery-diffBody');
  await showDialog({
    title: options.title,
    body,
    buttons: [Dialog.okButton({ label: trans.__('Close') })]
  });
}
