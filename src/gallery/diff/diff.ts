/*
 * A cell-level notebook diff: which cells were added, removed, changed or kept, and for
 * changed cells a line diff of the source (and of the rest of the cell, such as its tags,
 * when that changed). Sources are compared as text; the diff tab draws this diff with
 * nbdime (nbdimeDiff.ts writes it in nbdime's format), the dialog as text.
 *
 * It compares the notebooks' diff views (../view.ts), the same view the content hash is
 * computed from: the diff shows a change exactly when the hashes differ, so the sync status
 * and "View diff" agree.
 */

import { canonicalJSON } from '../hash';
import { isRecord } from '../json';
import { cellView, IViewCell, notebookHeadView } from '../view';

export type CellDiffKind = 'unchanged' | 'modified' | 'added' | 'removed';

export interface IDiffCell {
  /** Position in its notebook (0-based). */
  index: number;
  cellType: string;
  id: string | null;
  source: string;
  /** What the content hash covers of this cell. */
  view: IViewCell;
}

export interface ILineDiff {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

export interface ICellDiff {
  kind: CellDiffKind;
  /** The cell in the "before" notebook; absent for added cells. */
  before?: IDiffCell;
  /** The cell in the "after" notebook; absent for removed cells. */
  after?: IDiffCell;
  /** Modified cells: the source line by line. */
  lines?: ILineDiff[];
  /** Modified cells whose type changed (e.g. code → markdown). */
  typeChanged?: boolean;
  /**
   * Modified cells whose metadata or attachments changed: a line diff of those as JSON.
   */
  otherLines?: ILineDiff[];
}

export interface IDiffSummary {
  added: number;
  removed: number;
  modified: number;
  unchanged: number;
}

/** Beyond this many cell or line pairs, the LCS table would be too big: diff coarsely. */
const MAX_TABLE = 4_000_000;

/**
 * The cells of a notebook in its JSON form (anything else has none).
 */
export function diffCells(notebook: unknown): IDiffCell[] {
  const cells = isRecord(notebook) ? notebook.cells : undefined;
  if (!Array.isArray(cells)) {
    return [];
  }
  return cells.filter(isRecord).map((cell, index) => {
    const view = cellView(cell);
    return {
      index,
      cellType: typeof view.cell_type === 'string' ? view.cell_type : '',
      id: typeof cell.id === 'string' && cell.id ? cell.id : null,
      source: view.source,
      view
    };
  });
}

/**
 * Pairs of indices of a longest common subsequence of `a` and `b` under `same`.
 * Common head and tail are matched first, so the table only covers the changed middle.
 */
export function lcsPairs<T>(
  a: readonly T[],
  b: readonly T[],
  same: (x: T, y: T) => boolean
): Array<[number, number]> {
  let head = 0;
  while (head < a.length && head < b.length && same(a[head], b[head])) {
    head++;
  }
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    same(a[a.length - 1 - tail], b[b.length - 1 - tail])
  ) {
    tail++;
  }
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < head; i++) {
    pairs.push([i, i]);
  }
  const n = a.length - head - tail;
  const m = b.length - head - tail;
  if (n > 0 && m > 0 && n * m <= MAX_TABLE) {
    // table[i][j]: LCS length of a[head+i..] and b[head+j..]
    const width = m + 1;
    const table = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        table[i * width + j] = same(a[head + i], b[head + j])
          ? table[(i + 1) * width + j + 1] + 1
          : Math.max(table[(i + 1) * width + j], table[i * width + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (same(a[head + i], b[head + j])) {
        pairs.push([head + i, head + j]);
        i++;
        j++;
      } else if (table[(i + 1) * width + j] >= table[i * width + j + 1]) {
        i++;
      } else {
        j++;
      }
    }
  }
  for (let k = tail; k > 0; k--) {
    pairs.push([a.length - k, b.length - k]);
  }
  return pairs;
}

function splitLines(text: string): string[] {
  if (!text) {
    return [];
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines;
}

/**
 * A line diff of two texts.
 */
export function diffLines(before: string, after: string): ILineDiff[] {
  const a = splitLines(before);
  const b = splitLines(after);
  const pairs = lcsPairs(a, b, (x, y) => x === y);
  const out: ILineDiff[] = [];
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...pairs, [a.length, b.length] as [number, number]]) {
    while (i < pi) {
      out.push({ kind: 'removed', text: a[i++] });
    }
    while (j < pj) {
      out.push({ kind: 'added', text: b[j++] });
    }
    if (i < a.length && j < b.length) {
      out.push({ kind: 'same', text: a[i] });
      i++;
      j++;
    }
  }
  return out;
}

/** A view as indented JSON with sorted keys, for a line diff. */
function prettyJSON(value: unknown): string {
  return JSON.stringify(JSON.parse(canonicalJSON(value)), null, 1);
}

/** What the view holds of a cell beyond its type and source. */
function otherParts(view: IViewCell): Omit<IViewCell, 'cell_type' | 'source'> {
  const rest: Omit<IViewCell, 'cell_type' | 'source'> = {};
  if (view.metadata) {
    rest.metadata = view.metadata;
  }
  if (view.attachments) {
    rest.attachments = view.attachments;
  }
  return rest;
}

function sameView(a: unknown, b: unknown): boolean {
  return canonicalJSON(a) === canonicalJSON(b);
}

function pair(before: IDiffCell, after: IDiffCell): ICellDiff {
  if (sameView(before.view, after.view)) {
    return { kind: 'unchanged', before, after };
  }
  const diff: ICellDiff = {
    kind: 'modified',
    before,
    after,
    lines: diffLines(before.source, after.source)
  };
  if (!sameView(before.view.cell_type, after.view.cell_type)) {
    diff.typeChanged = true;
  }
  const [a, b] = [otherParts(before.view), otherParts(after.view)];
  if (!sameView(a, b)) {
    diff.otherLines = diffLines(prettyJSON(a), prettyJSON(b));
  }
  return diff;
}

/**
 * The cell-level diff of two notebooks (nbformat JSON), in the order of `after` with
 * removed cells where they were.
 *
 * Cells whose views are equal are matched first (a longest common subsequence), so the
 * diff is empty exactly when the cell views are equal in order. Between two matches, the
 * remaining cells are paired by id when they all have one (copies keep them), otherwise in
 * order, as modified; the rest are added or removed.
 */
export function diffNotebooks(before: unknown, after: unknown): ICellDiff[] {
  const a = diffCells(before);
  const b = diffCells(after);
  const keys = (cells: IDiffCell[]) =>
    cells.map(cell => canonicalJSON(cell.view));
  const [ka, kb] = [keys(a), keys(b)];
  const matches = lcsPairs(
    a.map((_, i) => i),
    b.map((_, j) => j),
    (i, j) => ka[i] === kb[j]
  );
  const out: ICellDiff[] = [];
  let i = 0;
  let j = 0;
  const gap = (endA: number, endB: number) => {
    const ga = a.slice(i, endA);
    const gb = b.slice(j, endB);
    const byId =
      ga.every(cell => cell.id !== null) && gb.every(cell => cell.id !== null);
    const pairs = byId
      ? lcsPairs(ga, gb, (x, y) => x.id === y.id)
      : ga.slice(0, gb.length).map((_, k) => [k, k] as [number, number]);
    let x = 0;
    let y = 0;
    for (const [pa, pb] of pairs) {
      while (x < pa) {
        out.push({ kind: 'removed', before: ga[x++] });
      }
      while (y < pb) {
        out.push({ kind: 'added', after: gb[y++] });
      }
      out.push(pair(ga[x++], gb[y++]));
    }
    while (x < ga.length) {
      out.push({ kind: 'removed', before: ga[x++] });
    }
    while (y < gb.length) {
      out.push({ kind: 'added', after: gb[y++] });
    }
    i = endA;
    j = endB;
  };
  for (const [pi, pj] of matches) {
    gap(pi, pj);
    out.push(pair(a[i++], b[j++]));
  }
  gap(a.length, b.length);
  return out;
}

/**
 * The notebook-level part of the diff (nbformat and notebook metadata, as the content hash
 * sees them): a line diff of the two as JSON, or null when they are the same.
 */
export function diffNotebookHeads(
  before: unknown,
  after: unknown
): ILineDiff[] | null {
  const head = (nb: unknown) => (isRecord(nb) ? notebookHeadView(nb) : {});
  const [a, b] = [head(before), head(after)];
  return sameView(a, b) ? null : diffLines(prettyJSON(a), prettyJSON(b));
}

/**
 * Whether a diff shows any change: false exactly when the two notebooks have the same
 * content hash.
 */
export function hasChanges(
  cells: readonly ICellDiff[],
  head: readonly ILineDiff[] | null
): boolean {
  return head !== null || cells.some(cell => cell.kind !== 'unchanged');
}

export function summarizeDiff(diff: readonly ICellDiff[]): IDiffSummary {
  const summary: IDiffSummary = {
    added: 0,
    removed: 0,
    modified: 0,
    unchanged: 0
  };
  for (const cell of diff) {
    summary[cell.kind] += 1;
  }
  return summary;
}
