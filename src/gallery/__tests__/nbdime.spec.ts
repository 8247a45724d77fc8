/*
 * The gallery diff in nbdime's format: nbdime's own model accepts it, shows a change
 * exactly when the diff view (and so the content hash) differs — the diff-view fixtures'
 * "same" and "different" pairs — and shows what changed where.
 */
import * as fs from 'fs';
import * as path from 'path';

import { NotebookDiffModel } from 'nbdime/lib/diff/model';

import { diffNotebookHeads, diffNotebooks, hasChanges } from '../diff/diff';
import {
  nbdimeLines,
  sequenceDiff,
  sourceDiff,
  toNbdimeDiff
} from '../diff/nbdime';

const dir = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'tests',
  'fixtures',
  'diffview'
);
const cases: {
  same: Array<[string, string, string]>;
  different: Array<[string, string, string]>;
} = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf-8'));

function read(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(dir, name), 'utf-8'));
}

function model(before: unknown, after: unknown): NotebookDiffModel {
  const { base, diff } = toNbdimeDiff(before, after);
  return new NotebookDiffModel(base, diff);
}

/** Whether nbdime's widget would show any change for this model. */
function nbdimeShows(m: NotebookDiffModel): boolean {
  return (
    (m.metadata !== null && !m.metadata.unchanged) ||
    m.cells.some(cell => !cell.unchanged)
  );
}

function nb(cells: Array<[string, string, Record<string, unknown>?]>) {
  return {
    cells: cells.map(([cell_type, source, metadata]) => ({
      cell_type,
      source,
      metadata: metadata ?? {},
      ...(cell_type === 'code' ? { outputs: [], execution_count: 3 } : {})
    })),
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
    nbformat: 4,
    nbformat_minor: 5
  };
}

describe('toNbdimeDiff', () => {
  it.each(cases.same)(
    '%s and %s (%s): nbdime shows every cell unchanged',
    (a, b) => {
      const m = model(read(a), read(b));
      expect(nbdimeShows(m)).toBe(false);
      expect(m.cells.length).toBeGreaterThan(0);
      expect(m.metadata).toBeNull();
    }
  );

  it.each(cases.different)(
    '%s and %s (%s): nbdime shows a change, as the diff view does',
    (a, b) => {
      const [before, after] = [read(a), read(b)];
      expect(
        hasChanges(
          diffNotebooks(before, after),
          diffNotebookHeads(before, after)
        )
      ).toBe(true);
      expect(nbdimeShows(model(before, after))).toBe(true);
    }
  );

  it('patches the one changed cell side by side and keeps the others unchanged', () => {
    const before = nb([
      ['markdown', '# Title'],
      ['code', 'a = 1\nb = 2\n'],
      ['code', 'print(a)'],
      ['code', 'print(b)']
    ]);
    const after = nb([
      ['markdown', '# Title'],
      ['code', 'a = 1\nb = 3\n'],
      ['code', 'print(a)'],
      ['code', 'print(b)']
    ]);
    const m = model(before, after);
    expect(m.cells.map(c => (c.unchanged ? 'same' : 'changed'))).toEqual([
      'same',
      'changed',
      'same',
      'same'
    ]);
    const changed = m.cells[1];
    expect(changed.added || changed.deleted).toBe(false);
    expect(changed.source.base).toBe('a = 1\nb = 2\n');
    expect(changed.source.remote).toBe('a = 1\nb = 3\n');
    // Outputs are not compared (the gallery keeps none): no output rows.
    expect(changed.outputs).toEqual([]);
  });

  it('shows added and removed cells, and a retyped cell as removed and added', () => {
    const kinds = (m: NotebookDiffModel) =>
      m.cells.map(c =>
        c.added
          ? 'added'
          : c.deleted
            ? 'removed'
            : c.unchanged
              ? 'same'
              : 'patch'
      );
    expect(
      kinds(
        model(
          nb([
            ['code', 'keep'],
            ['code', 'gone']
          ]),
          nb([['code', 'keep']])
        )
      )
    ).toEqual(['same', 'removed']);
    expect(
      kinds(
        model(
          nb([['code', 'keep']]),
          nb([
            ['code', 'new'],
            ['code', 'keep']
          ])
        )
      )
    ).toEqual(['added', 'same']);
    expect(
      kinds(model(nb([['code', '# t']]), nb([['markdown', '# t']])))
    ).toEqual(['added', 'removed']);
  });

  it('shows a metadata-only change of a cell in its (collapsed) metadata', () => {
    const before = nb([['code', 'x', { tags: ['a'] }]]);
    const after = nb([['code', 'x', { tags: ['b'] }]]);
    const m = model(before, after);
    expect(m.cells[0].source.unchanged).toBe(true);
    expect(m.cells[0].metadata.unchanged).toBe(false);
    expect(m.cells[0].metadata.startCollapsed).toBe(true);
  });

  it('shows a notebook metadata change in the notebook metadata', () => {
    const before = nb([['code', 'x']]);
    const after = {
      ...nb([['code', 'x']]),
      metadata: { ...before.metadata, title: 'New' }
    };
    const m = model(before, after);
    expect(m.metadata?.unchanged).toBe(false);
    expect(m.cells.every(c => c.unchanged)).toBe(true);
  });
});

describe('nbdime line diffs', () => {
  it('splits lines as nbdime does', () => {
    expect(nbdimeLines('a\nb')).toEqual(['a\n', 'b']);
    expect(nbdimeLines('a\n')).toEqual(['a\n', '']);
    expect(nbdimeLines('')).toEqual(['']);
  });

  it('puts the added range before the removed one at the same key', () => {
    expect(sequenceDiff(['a', 'b'], ['a', 'c'], [[0, 0]])).toEqual([
      { op: 'addrange', key: 1, valuelist: ['c'] },
      { op: 'removerange', key: 1, length: 1 }
    ]);
    expect(sourceDiff('same\n', 'same\n')).toEqual([]);
  });
});
