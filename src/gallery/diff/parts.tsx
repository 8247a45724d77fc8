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

/*
 * What the dialog's text diff and the side-by-side tab show alike.
 */

/** What both views of a diff are given. */
export interface IDiffViewProps {
  diff: ICellDiff[];
  /** The notebook-level change (metadata), null when there is none. */
  head: ILineDiff[] | null;
  beforeLabel: string;
  afterLabel: string;
  trans: TranslationBundle;
}

/** The diff of two notebooks and its labels, ready for a view. */
export function diffViewProps(options: {
  before: unknown;
  after: unknown;
  beforeLabel: string;
  afterLabel: string;
  translator?: ITranslator | null;
}): IDiffViewProps {
  return {
    diff: diffNotebooks(options.before, options.after),
    head: diffNotebookHeads(options.before, options.after),
    beforeLabel: options.beforeLabel,
    afterLabel: options.afterLabel,
    trans: atriumBundle(options.translator)
  };
}

const LINE_MARK: Record<ILineDiff['kind'], string> = {
  same: ' ',
  added: '+',
  removed: '-'
};

export function Lines(props: { lines: readonly ILineDiff[] }): JSX.Element {
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

export function linesOf(cell: IDiffCell, kind: ILineDiff['kind']): ILineDiff[] {
  const lines = cell.source.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines.map(text => ({ kind, text }));
}

export function cellHeading(diff: ICellDiff, trans: TranslationBundle): string {
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

/**
 * The labels of the two sides, what changed in a sentence ("The notebooks are the same."
 * exactly when the content hashes agree) and the notebook metadata change, collapsed.
 */
export function DiffSummary(props: {
  diff: readonly ICellDiff[];
  head: readonly ILineDiff[] | null;
  beforeLabel: string;
  afterLabel: string;
  trans: TranslationBundle;
  /** Show the notebook metadata change (collapsed); false where the view shows it. */
  metadataDetails?: boolean;
}): JSX.Element {
  const { diff, head, trans } = props;
  const summary = summarizeDiff(diff);
  const changes = summary.added + summary.removed + summary.modified;
  return (
    <>
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
      {head && props.metadataDetails !== false && (
        <ChangedDetails
          label={trans.__('Notebook metadata changed')}
          lines={head}
          testId="atrium-gallery-diff-metadata"
        />
      )}
    </>
  );
}

/** A change shown collapsed (metadata, attachments): its line diff behind a summary. */
export function ChangedDetails(props: {
  label: string;
  lines: readonly ILineDiff[];
  testId?: string;
}): JSX.Element {
  return (
    <details className="jp-Atrium-Gallery-diffOther" data-testid={props.testId}>
      <summary>{props.label}</summary>
      <Lines lines={props.lines} />
    </details>
  );
}
