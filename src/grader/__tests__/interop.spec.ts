import { nullTranslator } from '@jupyterlab/translation';

import {
  besidePath,
  findingTexts,
  guessImportFormat
} from '../interop/formats';

const trans = nullTranslator.load('jupyterlab_atrium');

describe('import and export in JupyterLab', () => {
  it('guesses the format a notebook is written in', () => {
    const nbgrader = {
      cells: [
        {
          cell_type: 'code',
          source: '### BEGIN SOLUTION\n',
          metadata: { nbgrader: { solution: true, grade_id: 'q1' } }
        }
      ]
    };
    expect(guessImportFormat(nbgrader)).toBe('nbgrader');
    const otter = {
      cells: [
        { cell_type: 'raw', source: ['# BEGIN QUESTION\n', 'name: q1\n'] },
        { cell_type: 'code', source: 'x = 1' }
      ]
    };
    expect(guessImportFormat(otter)).toBe('otter');
    // Ordo notebooks often carry nbgrader metadata too: Ordo wins.
    const ordo = {
      cells: [
        {
          cell_type: 'code',
          source: 'print(4)',
          metadata: { nbgrader: { grade_id: 'q1' }, ordo_solution: '4' }
        }
      ]
    };
    expect(guessImportFormat(ordo)).toBe('ordo');
    expect(guessImportFormat('not a notebook')).toBe('nbgrader');
  });

  it('writes beside the notebook, never over a file', () => {
    const taken = new Set(['week1/squares (Atrium).ipynb']);
    expect(besidePath('week1/squares.ipynb', 'Atrium', p => taken.has(p))).toBe(
      'week1/squares (Atrium 2).ipynb'
    );
    expect(besidePath('squares.ipynb', 'nbgrader', () => false)).toBe(
      'squares (nbgrader).ipynb'
    );
  });

  it("says the service's findings by cell", () => {
    expect(
      findingTexts(
        [
          { cell: 2, message: 'points missing: set to 0' },
          { cell: null, message: 'no exercises' },
          'junk'
        ],
        trans
      )
    ).toEqual(['Cell 3: points missing: set to 0', 'no exercises']);
    expect(findingTexts(undefined, trans)).toEqual([]);
  });
});
