/*
 * The gallery diff (diff.ts) in nbdime's diff format, for nbdime's notebook diff widget.
 *
 * nbdime's browser package only renders a diff; it cannot compute one. Rather than asking
 * the server to diff the raw notebooks (which would show changes the content hash leaves
 * out, such as the kernelspec JupyterLab rewrites on open), the diff is translated from
 * the one diff.ts computes on the diff views. nbdime then shows a change exactly when the
 * sync status says "Local changes", as the text diff did.
 *
 * Pure data: nothing here loads nbdime, so jest can test it and the eager bundle stays
 * small (only `import type`).
 */

import type * as nbformat from '@jupyterlab/nbformat';
import type { IDiffEntry } from 'nbdime/lib/diff/diffentries';

import { canonicalJSON } from '../hash';
import { isRecord } from '../json';
import { IViewCell, notebookHeadView } from '../view';
import { ICellDiff, IDiffCell, diffNotebooks, lcsPairs } from './diff';

/** What nbdime's `NotebookDiffModel` is built from. */
export interface INbdimeDiff {
  /** The "before" notebook as the diff view holds it (no outputs, no ids). */
  base: nbformat.INotebookContent;
  diff: IDiffEntry[];
}

/**
 * Lines as nbdime splits a string: each keeps its line ending, and a text that ends with
 * one has an empty last line. Line diffs index into this list.
 */
export function nbdimeLines(text: string): string[] {
  return text.match(/^.*(\r\n|\r|\n|$)/gm) ?? [''];
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJSON(a) === canonicalJSON(b);
}

/**
 * The list diff of `a` into `b` given the matched index pairs (ascending): what lies
 * between two matches is added (before the next base item) and removed. nbdime's order at
 * one key: addrange first, then removerange.
 */
export function sequenceDiff<T>(
  a: readonly T[],
  b: readonly T[],
  pairs: ReadonlyArray<[number, number]>
): IDiffEntry[] {
  const out: IDiffEntry[] = [];
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...pairs, [a.length, b.length] as [number, number]]) {
    if (pj > j) {
      out.push({ op: 'addrange', key: i, valuelist: b.slice(j, pj) });
    }
    if (pi > i) {
      out.push({ op: 'removerange', key: i, length: pi - i });
    }
    i = pi + 1;
    j = pj + 1;
  }
  return out;
}

/** The line diff of two sources in nbdime's string format (empty when equal). */
export function sourceDiff(before: string, after: string): IDiffEntry[] {
  const a = nbdimeLines(before);
  const b = nbdimeLines(after);
  return sequenceDiff(
    a,
    b,
    lcsPairs(a, b, (x, y) => x === y)
  );
}

/** The diff of two JSON objects, key by key (a changed value is replaced whole). */
export function objectDiff(
  before: Record<string, unknown>,
  after: Record<string, unknown>
): IDiffEntry[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const out: IDiffEntry[] = [];
  for (const key of keys.sort()) {
    const inBefore = Object.prototype.hasOwnProperty.call(before, key);
    const inAfter = Object.prototype.hasOwnProperty.call(after, key);
    if (!inAfter) {
      out.push({ op: 'remove', key });
    } else if (!inBefore) {
      out.push({ op: 'add', key, value: after[key] });
    } else if (!same(before[key], after[key])) {
      out.push({ op: 'replace', key, value: after[key] });
    }
  }
  return out;
}

/**
 * What nbdime shows as a cell's metadata: the view's metadata, and its attachments (which
 * the hash covers too) under `attachments`, so an attachment change is visible.
 */
function shownMetadata(view: IViewCell): Record<string, unknown> {
  const shown: Record<string, unknown> = { ...(view.metadata ?? {}) };
  if (view.attachments) {
    shown.attachments = view.attachments;
  }
  return shown;
}

/** A cell as nbdime shows it: its view, and the fields nbdime expects of its type. */
export function nbdimeCell(cell: IDiffCell): nbformat.ICell {
  const shown: Record<string, unknown> = {
    cell_type: cell.cellType,
    source: cell.view.source,
    metadata: shownMetadata(cell.view)
  };
  if (cell.cellType === 'code') {
    // Outputs are not part of the diff view (the gallery keeps none).
    shown.outputs = [];
    shown.execution_count = null;
  }
  return shown as unknown as nbformat.ICell;
}

/** The patch of a modified cell of one type, or null when nbdime would show none. */
function cellPatch(before: IDiffCell, after: IDiffCell): IDiffEntry[] | null {
  const patch: IDiffEntry[] = [];
  const metadata = objectDiff(
    shownMetadata(before.view),
    shownMetadata(after.view)
  );
  if (metadata.length > 0) {
    patch.push({ op: 'patch', key: 'metadata', diff: metadata });
  }
  const source = sourceDiff(before.view.source, after.view.source);
  if (source.length > 0) {
    patch.push({ op: 'patch', key: 'source', diff: source });
  }
  return patch.length > 0 ? patch : null;
}

/**
 * The cell list diff: unchanged cells are skipped, modified cells patched; added and
 * removed cells between two of those become one addrange and one removerange. A cell
 * whose type changed is removed and added (nbdime cannot patch a type), and so is a
 * modified cell whose change nbdime would not show, so every change stays visible.
 */
export function cellsDiff(cells: readonly ICellDiff[]): IDiffEntry[] {
  const out: IDiffEntry[] = [];
  let key = 0;
  let added: nbformat.ICell[] = [];
  let removed = 0;
  const flush = () => {
    if (added.length > 0) {
      out.push({ op: 'addrange', key, valuelist: added });
    }
    if (removed > 0) {
      out.push({ op: 'removerange', key, length: removed });
    }
    key += removed;
    added = [];
    removed = 0;
  };
  for (const cell of cells) {
    const patch =
      cell.kind === 'modified' && !cell.typeChanged
        ? cellPatch(cell.before!, cell.after!)
        : null;
    if (cell.kind === 'unchanged' || patch) {
      flush();
      if (patch) {
        out.push({ op: 'patch', key, diff: patch });
      }
      key += 1;
      continue;
    }
    if (cell.before) {
      removed += 1;
    }
    if (cell.after) {
      added.push(nbdimeCell(cell.after));
    }
  }
  flush();
  return out;
}

/**
 * The nbdime form of the gallery diff of two notebooks (nbformat JSON): the "before"
 * notebook's view as the base, and the diff of its cells and notebook metadata.
 */
export function toNbdimeDiff(
  before: unknown,
  after: unknown,
  cells: readonly ICellDiff[] = diffNotebooks(before, after)
): INbdimeDiff {
  const head = (nb: unknown) => (isRecord(nb) ? notebookHeadView(nb) : null);
  const [a, b] = [head(before), head(after)];
  const metaBefore = { ...(a?.metadata ?? {}) };
  const metaAfter = { ...(b?.metadata ?? {}) };
  // The nbformat major version is part of the view; nbdime shows notebook metadata only.
  if (a?.nbformat !== b?.nbformat) {
    metaBefore.nbformat = a?.nbformat ?? null;
    metaAfter.nbformat = b?.nbformat ?? null;
  }
  const diff: IDiffEntry[] = [];
  const cellEntries = cellsDiff(cells);
  if (cellEntries.length > 0) {
    diff.push({ op: 'patch', key: 'cells', diff: cellEntries });
  }
  const metadata = objectDiff(metaBefore, metaAfter);
  if (metadata.length > 0) {
    diff.push({ op: 'patch', key: 'metadata', diff: metadata });
  }
  const baseCells: nbformat.ICell[] = [];
  for (const cell of cells) {
    if (cell.before) {
      baseCells[cell.before.index] = nbdimeCell(cell.before);
    }
  }
  return {
    base: {
      cells: baseCells,
      metadata: metaBefore as nbformat.INotebookMetadata,
      nbformat: 4,
      nbformat_minor: 5
    },
    diff
  };
}
