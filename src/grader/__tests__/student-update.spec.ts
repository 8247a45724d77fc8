import { carryAnswers, copyVersion, keptCopyPath } from '../student/update';

const cell = (
  exercise: string,
  role: string,
  source: string,
  type = 'code'
) => ({
  cell_type: type,
  source,
  metadata: { atrium: { grader: { exercise, role } } }
});

describe('carrying answers into a corrected version', () => {
  it('carries the first answer of each exercise, by exercise id and cell type', () => {
    const copy = {
      cells: [
        cell('q1', 'answer', 'first'),
        cell('q1', 'answer', 'a duplicate'),
        cell('q2', 'answer', 'typed as Markdown by hand', 'markdown'),
        cell('q1', 'tests', 'assert f(1) == 2  # tampered')
      ]
    };
    const fresh = {
      cells: [
        cell('q1', 'tests', 'assert f(1) == 2'),
        cell('q1', 'answer', ''),
        cell('q2', 'answer', '')
      ],
      metadata: { atrium: { assignment: { id: 'x', version: 3 } } }
    };
    const { notebook, carried, left } = carryAnswers(copy, fresh);
    const sources = (notebook.cells as { source: string }[]).map(c => c.source);
    // Tests come from the new version, never from the copy.
    expect(sources).toEqual(['assert f(1) == 2', 'first', '']);
    expect(carried).toEqual(['q1']);
    expect(left).toEqual([]);
    // The new version handed in is not changed.
    expect(fresh.cells[1].source).toBe('');
  });

  it('copes with what is not a notebook', () => {
    expect(
      carryAnswers(null, { cells: [cell('q1', 'answer', 'stub')] }).carried
    ).toEqual([]);
    expect(
      carryAnswers({ cells: [cell('q1', 'answer', 'x')] }, 'nonsense').left
    ).toEqual(['q1']);
  });

  it('reads the release a copy was made from', () => {
    expect(
      copyVersion({ atrium: { assignment: { id: 'x', version: 2 } } })
    ).toBe(2);
    expect(
      copyVersion({ atrium: { assignment: { version: '2' } } })
    ).toBeNull();
    expect(copyVersion(null)).toBeNull();
  });

  it('keeps the copy beside it under a name not taken', () => {
    const path = 'assignments/Squares.ipynb';
    expect(keptCopyPath(path, 1, new Set())).toBe(
      'assignments/Squares (version 1).ipynb'
    );
    expect(
      keptCopyPath(path, 1, new Set(['assignments/Squares (version 1).ipynb']))
    ).toBe('assignments/Squares (version 1, 2).ipynb');
    expect(keptCopyPath(path, null, new Set())).toBe(
      'assignments/Squares (before update).ipynb'
    );
  });
});
