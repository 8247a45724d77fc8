import { diffLines, diffNotebooks, lcsPairs, summarizeDiff } from '../diff';

function nb(cells: Array<[string, string, string?]>) {
  return {
    cells: cells.map(([cell_type, source, id]) => ({
      cell_type,
      source,
      metadata: {},
      ...(id ? { id } : {})
    })),
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5
  };
}

describe('diffLines', () => {
  it('marks added and removed lines around common ones', () => {
    expect(diffLines('a\nb\nc\n', 'a\nB\nc\nd')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'B' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'd' }
    ]);
    expect(diffLines('', 'x')).toEqual([{ kind: 'added', text: 'x' }]);
  });
});

describe('lcsPairs', () => {
  it('finds a longest common subsequence', () => {
    const pairs = lcsPairs([...'ABCBDAB'], [...'BDCABA'], (x, y) => x === y);
    expect(pairs).toHaveLength(4);
    for (let k = 1; k < pairs.length; k++) {
      expect(pairs[k][0]).toBeGreaterThan(pairs[k - 1][0]);
      expect(pairs[k][1]).toBeGreaterThan(pairs[k - 1][1]);
    }
  });
});

describe('diffNotebooks', () => {
  it('matches cells by id: modified, added, removed, unchanged', () => {
    const before = nb([
      ['code', 'x = 1', 'a'],
      ['markdown', '# Title', 'b'],
      ['code', 'print(x)', 'c']
    ]);
    const after = nb([
      ['code', 'x = 2', 'a'],
      ['code', 'y = 3', 'n'],
      ['code', 'print(x)', 'c']
    ]);
    const diff = diffNotebooks(before, after);
    expect(diff.map(d => d.kind)).toEqual([
      'modified',
      'removed',
      'added',
      'unchanged'
    ]);
    expect(diff[0].lines).toEqual([
      { kind: 'removed', text: 'x = 1' },
      { kind: 'added', text: 'x = 2' }
    ]);
    expect(diff[1].before?.id).toBe('b');
    expect(diff[2].after?.index).toBe(1);
    expect(summarizeDiff(diff)).toEqual({
      added: 1,
      removed: 1,
      modified: 1,
      unchanged: 1
    });
  });

  it('without ids, matches by content and pairs the rest as modified', () => {
    const before = nb([
      ['code', 'import os'],
      ['code', 'a = 1'],
      ['markdown', 'end']
    ]);
    const after = nb([
      ['code', 'import os'],
      ['code', 'a = 2'],
      ['code', 'extra'],
      ['markdown', 'end']
    ]);
    expect(diffNotebooks(before, after).map(d => d.kind)).toEqual([
      'unchanged',
      'modified',
      'added',
      'unchanged'
    ]);
  });

  it('notes a changed cell type and joins list sources', () => {
    const before = {
      cells: [{ cell_type: 'code', id: 'a', source: ['x\n', 'y'] }]
    };
    const after = {
      cells: [{ cell_type: 'markdown', id: 'a', source: 'x\ny' }]
    };
    const [cell] = diffNotebooks(before, after);
    expect(cell.kind).toBe('modified');
    expect(cell.typeChanged).toBe(true);
    expect(
      diffNotebooks(before, {
        cells: [{ cell_type: 'code', id: 'a', source: 'x\ny' }]
      })[0].kind
    ).toBe('unchanged');
  });

  it('treats anything that is not a notebook as empty', () => {
    expect(
      diffNotebooks(null, nb([['code', 'a', 'i']])).map(d => d.kind)
    ).toEqual(['added']);
    expect(diffNotebooks({ cells: 'nope' }, 42)).toEqual([]);
  });
});
