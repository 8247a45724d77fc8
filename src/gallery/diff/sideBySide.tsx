/*
 * The gallery diff side by side, as a main-area tab shows it: each changed cell with the
 * "before" notebook's lines on the left and the "after" notebook's on the right, removed
 * lines beside the lines that replace them; runs of unchanged cells collapsed behind a
 * button; metadata changes collapsed.
 */

import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { diffBlocks, ICellDiff, ILineDiff, ISideRow, sideBySide } from './diff';
import {
  cellHeading,
  ChangedDetails,
  DiffSummary,
  IDiffViewProps,
  linesOf
} from './parts';

function Side(props: {
  line: ILineDiff | null;
  side: 'before' | 'after';
}): JSX.Element {
  const { line, side } = props;
  const kind = line ? line.kind : 'empty';
  return (
    <div className={`jp-Atrium-GalleryDiff-line jp-mod-${side} jp-mod-${kind}`}>
      {line?.text ?? ''}
    </div>
  );
}

function Rows(props: { rows: ISideRow[] }): JSX.Element {
  return (
    <div className="jp-Atrium-GalleryDiff-rows">
      {props.rows.map((row, index) => (
        <React.Fragment key={index}>
          <Side line={row.before} side="before" />
          <Side line={row.after} side="after" />
        </React.Fragment>
      ))}
    </div>
  );
}

/** The rows of one cell of the diff. */
export function cellRows(cell: ICellDiff): ISideRow[] {
  switch (cell.kind) {
    case 'modified':
      return sideBySide(cell.lines ?? []);
    case 'added':
      return linesOf(cell.after!, 'added').map(after => ({
        before: null,
        after
      }));
    case 'removed':
      return linesOf(cell.before!, 'removed').map(before => ({
        before,
        after: null
      }));
    default:
      return sideBySide(linesOf(cell.after!, 'same'));
  }
}

function Cell(props: {
  cell: ICellDiff;
  trans: TranslationBundle;
}): JSX.Element {
  const { cell, trans } = props;
  return (
    <section
      className={`jp-Atrium-GalleryDiff-cell jp-mod-${cell.kind}`}
      data-kind={cell.kind}
    >
      <h3 className="jp-Atrium-GalleryDiff-heading">
        {cellHeading(cell, trans)}
      </h3>
      <Rows rows={cellRows(cell)} />
      {cell.otherLines && (
        <ChangedDetails
          label={trans.__('Cell metadata or attachments changed')}
          lines={cell.otherLines}
        />
      )}
    </section>
  );
}

function UnchangedRun(props: {
  cells: ICellDiff[];
  trans: TranslationBundle;
}): JSX.Element {
  const { cells, trans } = props;
  const [open, setOpen] = React.useState(false);
  return (
    <div className="jp-Atrium-GalleryDiff-unchanged">
      <button
        type="button"
        className="jp-Atrium-GalleryDiff-toggle"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {open
          ? trans._n(
              'Hide %1 unchanged cell',
              'Hide %1 unchanged cells',
              cells.length
            )
          : trans._n(
              'Show %1 unchanged cell',
              'Show %1 unchanged cells',
              cells.length
            )}
      </button>
      {open &&
        cells.map((cell, index) => (
          <Cell key={index} cell={cell} trans={trans} />
        ))}
    </div>
  );
}

export function SideBySideDiff(props: IDiffViewProps): JSX.Element {
  const { diff, trans } = props;
  return (
    <div className="jp-Atrium-GalleryDiff">
      <DiffSummary {...props} />
      <div className="jp-Atrium-GalleryDiff-columns" aria-hidden="true">
        <div className="jp-mod-before">{props.beforeLabel}</div>
        <div className="jp-mod-after">{props.afterLabel}</div>
      </div>
      {diffBlocks(diff).map((block, index) =>
        block.kind === 'changed' ? (
          <Cell key={index} cell={block.cell} trans={trans} />
        ) : (
          <UnchangedRun key={index} cells={block.cells} trans={trans} />
        )
      )}
    </div>
  );
}
