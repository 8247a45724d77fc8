/**
 * The gradebook's pure parts: the table the service's reply becomes, the statistics as
 * shown, the points an instructor types, and the export's file name.
 */
import { nullTranslator } from '@jupyterlab/translation';

import type { IGradebook } from '../api';
import {
  exportName,
  formatScore,
  parsePoints,
  summarizeExercise,
  tableOf,
  waiting
} from '../model';

const trans = nullTranslator.load('jupyterlab_atrium');

function book(): IGradebook {
  const distribution = {
    graded: 0,
    mean: null,
    median: null,
    fullPoints: 0,
    buckets: [],
    mostCommonFailure: null
  };
  return {
    assignment: {
      id: 'a'.repeat(32),
      title: 'Squares',
      deadline: null,
      points: 7,
      exercises: [
        { id: 'q1', title: null, points: 3, kind: 'autograded' },
        {
          id: 'q2',
          title: 'Why',
          points: 3,
          kind: 'manual',
          answerFormat: 'markdown'
        },
        { id: 'q3', title: null, points: 1, kind: 'manual' }
      ]
    },
    students: [
      {
        user: 'zoe',
        submission: 'z'.repeat(32),
        submissions: 2,
        submittedAt: '2026-12-07T08:00:00+00:00',
        gradedAt: '2026-12-07T08:00:01+00:00',
        state: 'graded',
        late: true,
        maxScore: 7,
        rawScore: 5.5,
        penalty: 0,
        score: 5.5,
        exercises: {
          q1: { score: 3, points: 3 },
          q2: {
            score: 2.5,
            points: 3,
            override: false,
            mark: {
              points: 2.5,
              comment: 'ok',
              by: 'teacher',
              at: '2026-12-07T08:01:00+00:00',
              etag: '"m0123456789abcdef"'
            }
          }
        }
      },
      {
        user: 'al',
        submission: 'b'.repeat(32),
        submissions: 1,
        submittedAt: '2026-12-07T07:00:00+00:00',
        gradedAt: null,
        state: 'queued',
        late: false,
        maxScore: 7,
        rawScore: null,
        penalty: null,
        score: null,
        exercises: {}
      }
    ],
    statistics: {
      exercises: {
        q1: {
          ...distribution,
          graded: 3,
          median: 1,
          fullPoints: 1,
          medianAttempts: 1.5,
          mostCommonFailure: {
            test: 1,
            message: 'square(2) should be 4',
            count: 2
          }
        },
        q2: { ...distribution, graded: 1, median: 2.5 }
      },
      total: distribution,
      medianSubmissions: 1.5
    }
  };
}

describe('the gradebook table', () => {
  it('has a column per exercise and a row per student, sorted by name', () => {
    const table = tableOf(book());
    expect(
      table.columns.map(c => [c.id, c.label, c.manual, c.answerFormat])
    ).toEqual([
      ['q1', 'q1', false, 'code'],
      ['q2', 'Why', true, 'markdown'],
      ['q3', 'q3', true, 'code']
    ]);
    expect(table.rows.map(row => row.user)).toEqual(['al', 'zoe']);
  });

  it('lets manual exercises of graded submissions be graded, and says which wait', () => {
    const [al, zoe] = tableOf(book()).rows;
    expect(
      zoe.cells.map(c => [c.score, c.gradable, c.pending, c.marked])
    ).toEqual([
      [3, false, false, false],
      [2.5, true, false, true],
      [null, true, true, false]
    ]);
    expect(zoe.late).toBe(true);
    // Queued only: nothing to grade yet, no scores.
    expect(al.cells.every(c => !c.gradable && c.score === null)).toBe(true);
    expect(waiting(book())).toBe(1);
  });

  it('formats scores without float noise', () => {
    expect(formatScore(2.5, 3)).toBe('2.5 / 3');
    expect(formatScore(0.1 + 0.2, 1)).toBe('0.3 / 1');
    expect(formatScore(null, 3)).toBe('– / 3');
  });
});

describe('exercise statistics', () => {
  it('shows the pass rate, the median and the most common failing test', () => {
    const stats = book().statistics.exercises;
    expect(summarizeExercise(stats.q1, trans)).toEqual({
      passRate: '33 %',
      graded: 3,
      median: '1',
      attempts: '1.5',
      failure: 'Test 1 (2×): square(2) should be 4'
    });
    expect(summarizeExercise(stats.q2, trans).failure).toBe('');
    expect(summarizeExercise(stats.q2, trans).attempts).toBe('–');
  });

  it('shows dashes for an exercise nobody has been graded on', () => {
    expect(summarizeExercise(undefined, trans)).toEqual({
      passRate: '–',
      graded: 0,
      median: '–',
      attempts: '–',
      failure: ''
    });
  });
});

describe('points an instructor types', () => {
  it.each([
    ['2', 2],
    [' 2.5 ', 2.5],
    ['2,5', 2.5],
    ['0', 0],
    ['3', 3],
    ['.5', 0.5]
  ])('accepts %p', (text, value) => {
    expect(parsePoints(text, 3, trans)).toEqual({ value });
  });

  it.each([
    ['', 'Enter the points (0 to 3).'],
    ['3.5', 'At most 3 points: that is what this exercise is worth.'],
    ['-1', 'Points are a number from 0 to 3, like 2 or 2.5.'],
    ['1e1', 'Points are a number from 0 to 3, like 2 or 2.5.'],
    ['two', 'Points are a number from 0 to 3, like 2 or 2.5.'],
    ['NaN', 'Points are a number from 0 to 3, like 2 or 2.5.']
  ])('refuses %p', (text, error) => {
    expect(parsePoints(text, 3, trans)).toEqual({ error });
  });
});

it('names exports after the assignment', () => {
  expect(exportName('ab12', 'csv')).toBe('gradebook-ab12.csv');
  expect(exportName('../x', 'json')).toBe('gradebook-___x.json');
});
