/*
 * The gallery diff in nbdime's terms: the "before" notebook's diff view as nbdime's base
 * notebook, and the diff entries that turn it into the "after" notebook's view.
 *
 * Both notebooks go through the diff view the content hash is computed from (../view.ts),
 * and the entries are this package's own cell diff (diff.ts) written in nbdime's format,
 * not a second diff algorithm: nbdime only draws them. So there are no entries exactly
 * when the content hashes agree, and the sync status and the diff say the same thing.
 *
 * Type-only imports: this module is pure, and nbdime itself loads with the diff tab.
 */

import type * as nbformat from '@jupyterlab/nbformat';
import type {
  IDiffAddRange,
  IDiffEntry,
  IDiffRemoveRange
} from 'nbdime/lib/diff/diffentries';

import { canonicalJSON } from '../hash';
import { isRecord } from '../json';
import { IViewCell, notebookHeadView } from '../view';
import { diffCells, diffNotebooks, ICellDiff, lcsPairs } from './diff';

/** What nbdime is given: the base notebook and the entries that patch it. */
export interface INbdimeDiff {
  base: nbformat.INotebookContent;
  diff: IDiffEntry[];
}

/**
 * The view has no nbformat_minor (the hash does not cover it) and nbdime does not show
 * it: the base notebook says 4.5, the oldest minor version with cell ids.
 */
const NBFORMAT_MINOR = 5;

/** A cell of the view as an nbformat cell: no outputs, which the view leaves out. */
export function nbdimeCell(view: IViewCell): nbformat.ICell {
  const cell: Record<string, unknown> = {
    cell_type: view.cell_type,
    source: view.source,
    metadata: view.metadata ?? {}
  };
  if (view.attachments) {
    cell.attachments = view.attachments;
  }
  if (view.cell_type === 'code') {
    cell.outputs = [];
    cell.execution_count = null;
  }
  // The view keeps cell_type as it found it; nbdime reads only the fields set above.
  return cell as unknown as nbformat.ICell;
}

/** A notebook (nbformat JSON) as its diff view, in nbformat's shape. */
export function nbdimeNotebook(notebook: unknown): nbformat.INotebookContent {
  const head = isRecord(notebook) ? notebookHeadView(notebook) : null;
  return {
    nbformat: typeof head?.nbformat === 'number' ? head.nbformat : 4,
    nbformat_minor: NBFORMAT_MINOR,
    metadata: (head?.metadata ?? {}) as nbformat.INotebookMetadata,
    cells: diffCells(notebook).map(cell => nbdimeCell(cell.view))
  };
}

const same = (a: unknown, b: unknown) => canonicalJSON(a) === canonicalJSON(b);

/** Lines as nbdime splits a string (each with its line break; a last one without). */
export function nbdimeLines(text: string): string[] {
  return text.match(/^.*(\r\n|\r|\n|$)/gm) ?? [''];
}

/**
 * A line diff of two strings as nbdime reads one: line ranges removed from `before` and
 * added before one of its lines, keyed by line index.
 */
export function stringDiff(before: string, after: string): IDiffEntry[] {
  const a = nbdimeLines(before);
  const b = nbdimeLines(after);
  const out: IDiffEntry[] = [];
  let i = 0;
  let j = 0;
  const end: [number, number] = [a.length, b.length];
  for (const [pi, pj] of [...lcsPairs(a, b, (x, y) => x === y), end]) {
    if (i < pi) {
      out.push({ op: 'removerange', key: i, length: pi - i });
    }
    if (j < pj) {
      out.push({ op: 'addrange', key: i, valuelist: b.slice(j, pj) });
    }
    i = pi + 1;
    j = pj + 1;
  }
  return out;
}

/** The keys added, removed or replaced from one object to another. */
export function objectDiff(
  before: Record<string, unknown>,
  after: Record<string, unknown>
): IDiffEntry[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const out: IDiffEntry[] = [];
  for (const key of keys.sort()) {
    const [inA, inB] = [key in before, key in after];
    if (inA && !inB) {
      out.push({ op: 'remove', key });
    } else if (!inA) {
      out.push({ op: 'add', key, value: after[key] });
    } else if (!same(before[key], after[key])) {
      out.push({ op: 'replace', key, value: after[key] });
    }
  }
  return out;
}

/** The entries of a changed cell of the same type: source, metadata, attachments. */
function cellPatch(before: IViewCell, after: IViewCell): IDiffEntry[] {
  const out: IDiffEntry[] = [];
  if (before.source !== after.source) {
    out.push({
      op: 'patch',
      key: 'source',
      diff: stringDiff(before.source, after.source)
    });
  }
  const metadata = objectDiff(before.metadata ?? {}, after.metadata ?? {});
  if (metadata.length) {
    out.push({ op: 'patch', key: 'metadata', diff: metadata });
  }
  // Attachments are diffed whole: nbdime does not draw them (the tab says which changed).
  const attachments = objectDiff(
    before.attachments ? { attachments: before.attachments } : {},
    after.attachments ? { attachments: after.attachments } : {}
  );
  out.push(...attachments);
  return out;
}

/**
 * The entries of the notebook's `cells` list. A run of removed cells and the cells added
 * in its place share one key, so nbdime shows them side by side; a cell whose type
 * changed is such a pair.
 */
export function cellsDiff(cells: readonly ICellDiff[]): IDiffEntry[] {
  const out: IDiffEntry[] = [];
  /** Index in the base of the next base cell. */
  let next = 0;
  /** The removal run since the last kept or patched cell, where additions go. */
  let run: IDiffRemoveRange | null = null;
  const remove = (index: number) => {
    if (run && run.key + run.length === index) {
      run.length += 1;
    } else {
      run = { op: 'removerange', key: index, length: 1 };
      out.push(run);
    }
    next = index + 1;
  };
  const add = (view: IViewCell) => {
    const key = run ? run.key : next;
    const last = out[out.length - 1];
    if (last?.op === 'addrange' && last.key === key) {
      (last as IDiffAddRange).valuelist = [
        ...(last as IDiffAddRange).valuelist,
        nbdimeCell(view)
      ];
    } else {
      out.push({ op: 'addrange', key, valuelist: [nbdimeCell(view)] });
    }
  };
  for (const cell of cells) {
    switch (cell.kind) {
      case 'unchanged':
        next = cell.before!.index + 1;
        run = null;
        break;
      case 'modified':
        if (cell.typeChanged) {
          remove(cell.before!.index);
          add(cell.after!.view);
        } else {
          out.push({
            op: 'patch',
            key: cell.before!.index,
            diff: cellPatch(cell.before!.view, cell.after!.view)
          });
          next = cell.before!.index + 1;
          run = null;
        }
        break;
      case 'removed':
        remove(cell.before!.index);
        break;
      case 'added':
        add(cell.after!.view);
        break;
    }
  }
  // nbdime reads the entries in key order; equal keys keep their order.
  return out
    .map((entry, order) => ({ entry, order }))
    .sort(
      (x, y) =>
        (x.entry.key as number) - (y.entry.key as number) || x.order - y.order
    )
    .map(({ entry }) => entry);
}

/**
 * The diff of two notebooks (nbformat JSON) for nbdime. `diff` is empty exactly when the
 * two have the same content hash.
 */
export function nbdimeDiff(before: unknown, after: unknown): INbdimeDiff {
  const base = nbdimeNotebook(before);
  const head = (nb: unknown) => (isRecord(nb) ? notebookHeadView(nb) : null);
  const [a, b] = [head(before), head(after)];
  const diff: IDiffEntry[] = [];
  const metadata = objectDiff(a?.metadata ?? {}, b?.metadata ?? {});
  if (metadata.length) {
    diff.push({ op: 'patch', key: 'metadata', diff: metadata });
  }
  if (!same(a?.nbformat, b?.nbformat)) {
    // Not drawn by nbdime; the tab's summary says the notebook changed.
    diff.push({ op: 'replace', key: 'nbformat', value: b?.nbformat ?? null });
  }
  const cells = cellsDiff(diffNotebooks(before, after));
  if (cells.length) {
    diff.push({ op: 'patch', key: 'cells', diff: cells });
  }
  return { base, diff };
}

/** The cells (1-based, in the "after" notebook) whose attachments changed. */
export function attachmentChanges(cells: readonly ICellDiff[]): number[] {
  return cells
    .filter(
      cell =>
        cell.kind === 'modified' &&
        !same(cell.before!.view.attachments, cell.after!.view.attachments)
    )
    .map(cell => cell.after!.index + 1);
}
