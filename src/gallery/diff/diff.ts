/*
 * A cell-level notebook diff: which cells were added, removed, changed or kept, and for
 * changed cells a line diff of the source. Text only: sources are compared as text and
 * shown as text, never rendered.
 */

export type CellDiffKind = 'unchanged' | 'modified' | 'added' | 'removed';

export interface IDiffCell {
  /** Position in its notebook (0-based). */
  index: number;
  cellType: string;
  id: string | null;
  source: string;
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
}

export interface IDiffSummary {
  added: number;
  removed: number;
  modified: number;
  unchanged: number;
}

/** Beyond this many cell or line pairs, the LCS table would be too big: diff coarsely. */
const MAX_TABLE = 4_000_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sourceText(source: unknown): string {
  if (typeof source === 'string') {
    return source;
  }
  return Array.isArray(source)
    ? source.filter((part): part is string => typeof part === 'string').join('')
    : '';
}

/**
 * The cells of a notebook in its JSON form (anything else has none).
 */
export function diffCells(notebook: unknown): IDiffCell[] {
  const cells = isRecord(notebook) ? notebook.cells : undefined;
  if (!Array.isArray(cells)) {
    return [];
  }
  return cells.filter(isRecord).map((cell, index) => ({
    index,
    cellType: typeof cell.cell_type === 'string' ? cell.cell_type : '',
    id: typeof cell.id === 'string' && cell.id ? cell.id : null,
    source: sourceText(cell.source)
  }));
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

function pair(before: IDiffCell, after: IDiffCell): ICellDiff {
  if (before.source === after.source && before.cellType === after.cellType) {
    return { kind: 'unchanged', before, after };
  }
  const diff: ICellDiff = {
    kind: 'modified',
    before,
    after,
    lines: diffLines(before.source, after.source)
  };
  if (before.cellType !== after.cellType) {
    diff.typeChanged = true;
  }
  return diff;
}

/**
 * The cell-level diff of two notebooks (nbformat JSON), in the order of `after` with
 * removed cells where they were.
 *
 * Cells are matched by id when both notebooks have ids (copies of a gallery notebook
 * keep them); otherwise by type and source, and the unmatched cells between two matches
 * are paired in order as modified.
 */
export function diffNotebooks(before: unknown, after: unknown): ICellDiff[] {
  const a = diffCells(before);
  const b = diffCells(after);
  const byId =
    a.length > 0 &&
    b.length > 0 &&
    a.every(cell => cell.id !== null) &&
    b.every(cell => cell.id !== null);
  const pairs = byId
    ? lcsPairs(a, b, (x, y) => x.id === y.id)
    : lcsPairs(
        a,
        b,
        (x, y) => x.cellType === y.cellType && x.source === y.source
      );
  const out: ICellDiff[] = [];
  let i = 0;
  let j = 0;
  const gap = (endA: number, endB: number) => {
    if (!byId) {
      while (i < endA && j < endB) {
        out.push(pair(a[i++], b[j++]));
      }
    }
    while (i < endA) {
      out.push({ kind: 'removed', before: a[i++] });
    }
    while (j < endB) {
      out.push({ kind: 'added', after: b[j++] });
    }
  };
  for (const [pi, pj] of pairs) {
    gap(pi, pj);
    out.push(pair(a[i++], b[j++]));
  }
  gap(a.length, b.length);
  return out;
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
