/**
 * The hand-off to nbdime: both notebooks as their diff view (what the content hash
 * covers), and entries that patch the one into the other — none exactly when the hashes
 * agree (tests/fixtures/diffview/), read by nbdime's own model as the cells they are.
 */
import * as fs from 'fs';
import * as path from 'path';

import { NotebookDiffModel } from 'nbdime/lib/diff/model';
import { patch } from 'nbdime/lib/patch';

import { contentHash } from '../hash';
import {
  attachmentChanges,
  nbdimeDiff,
  nbdimeNotebook,
  stringDiff
} from '../diff/nbdimeDiff';
import { diffNotebooks } from '../diff/diff';

const dir = path.resolve(__dirname, '..', '..', '..', 'tests', 'fixtures');

function read(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(dir, 'diffview', name), 'utf-8'));
}

const cases: {
  same: Array<[string, string, string]>;
  different: Array<[string, string, string]>;
} = JSON.parse(
  fs.readFileSync(path.join(dir, 'diffview', 'cases.json'), 'utf-8')
);

const hash = contentHash;

/** nbdime's own patch of the base by the entries: the "after" notebook nbdime shows. */
function patched(before: unknown, after: unknown): unknown {
  const { base, diff } = nbdimeDiff(before, after);
  return patch(base, diff);
}

describe('nbdimeDiff on the diff view fixtures', () => {
  it.each(cases.same)('%s and %s (%s): no entries, same hash', (a, b) => {
    const [before, after] = [read(a), read(b)];
    expect(hash(before)).toBe(hash(after));
    expect(nbdimeDiff(before, after).diff).toEqual([]);
  });

  it.each(cases.different)(
    '%s and %s (%s): entries that make the one into the other',
    (a, b) => {
      const [before, after] = [read(a), read(b)];
      expect(hash(before)).not.toBe(hash(after));
      expect(nbdimeDiff(before, after).diff).not.toEqual([]);
      expect(patched(before, after)).toEqual(nbdimeNotebook(after));
      expect(patched(after, before)).toEqual(nbdimeNotebook(before));
    }
  );
});

function cell(cell_type: string, source: string, metadata = {}) {
  return cell_type === 'code'
    ? {
        cell_type,
        source,
        metadata,
        outputs: [{ output_type: 'stream', name: 'stdout', text: 'x' }],
        execution_count: 3
      }
    : { cell_type, source, metadata };
}

function nb(cells: unknown[], metadata: Record<string, unknown> = {}) {
  return { nbformat: 4, nbformat_minor: 5, metadata, cells };
}

describe('nbdimeDiff', () => {
  const before = nb(
    [
      cell('markdown', '# Discharge checks'),
      cell('code', 'import pandas as pd'),
      cell('code', 'a = 1\nb = 2\nc = 3'),
      cell('code', 'old()'),
      cell('code', 'typed'),
      cell('code', 'print(a)')
    ],
    { title: 'Old' }
  );
  const after = nb(
    [
      cell('markdown', '# Discharge checks'),
      cell('code', 'import pandas as pd'),
      cell('code', 'a = 1\nb = 20\nc = 3\n', { tags: ['check'] }),
      cell('markdown', 'Added **note**'),
      cell('markdown', 'typed'),
      cell('code', 'print(a)')
    ],
    { title: 'New' }
  );

  it('patches the base into the other notebook, outputs left out as the hash does', () => {
    expect(patched(before, after)).toEqual(nbdimeNotebook(after));
    const base = nbdimeNotebook(before);
    expect(base.cells[1]).toMatchObject({ outputs: [], execution_count: null });
  });

  it('is read by nbdime cell by cell: changed, removed and added side by side', () => {
    const { base, diff } = nbdimeDiff(before, after);
    const model = new NotebookDiffModel(base, diff);
    const kinds = model.chunkedCells.map(chunk =>
      chunk.map(c =>
        c.added
          ? 'added'
          : c.deleted
            ? 'removed'
            : c.unchanged
              ? '='
              : 'changed'
      )
    );
    expect(kinds).toEqual([
      ['='],
      ['='],
      ['changed'],
      // old() gone and the markdown cell in its place; the type change likewise.
      ['removed', 'removed', 'added', 'added'],
      ['=']
    ]);
    expect(model.metadata?.collapsible).toBe(true);
    expect(model.metadata?.startCollapsed).toBe(true);
    const changed = model.cells[2];
    expect(changed.source.remote).toBe('a = 1\nb = 20\nc = 3\n');
    expect(changed.metadata?.unchanged).toBe(false);
  });

  it('line diffs keep each line as nbdime splits it', () => {
    for (const [a, b] of [
      ['a\nb', 'a\nb\n'],
      ['', 'x'],
      ['x\r\ny', 'x\ny'],
      ['one\ntwo\nthree', 'zero\none\nthree']
    ]) {
      expect(patch(a, stringDiff(a, b))).toBe(b);
    }
  });

  it('names the cells whose attachments changed (nbdime does not draw them)', () => {
    const image = { 'a.png': { 'image/png': 'iVBORw0KGgo=' } };
    const a = nb([cell('markdown', '![a](attachment:a.png)')]);
    const b = nb([
      { ...cell('markdown', '![a](attachment:a.png)'), attachments: image }
    ]);
    expect(attachmentChanges(diffNotebooks(a, b))).toEqual([1]);
    expect(patched(a, b)).toEqual(nbdimeNotebook(b));
  });
});
