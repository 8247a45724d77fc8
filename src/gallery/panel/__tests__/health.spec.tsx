import * as React from 'react';

import { AtriumRequestError } from '../../../common/request';
import { getCellHealth } from '../../api';
import { ICellHealth, INotebookHealth } from '../../types';
import {
  CellHealthChart,
  HealthBadge,
  HealthFilter,
  HealthSection
} from '../health';
import { ResultItem } from '../search';
import {
  act,
  choose,
  click,
  flush,
  IRendered,
  makeEnv,
  render,
  summary,
  texts
} from './helpers';

jest.mock('../../api');

const cellsOf = getCellHealth as jest.MockedFunction<typeof getCellHealth>;
const trans = makeEnv().trans;

const HEALTHY: INotebookHealth = {
  label: 'healthy',
  score: 0.9,
  reason: '100% of 6 runs passed.'
};
const SICK: INotebookHealth = {
  label: 'unhealthy',
  score: 0.33,
  reason: '33% of 15 runs passed; 2 cells often fail.'
};

function cell(index: number, change: Partial<ICellHealth> = {}): ICellHealth {
  return {
    cellId: `c${index}`,
    index,
    optional: false,
    raisesException: false,
    label: 'healthy',
    score: 1,
    passRate: 1,
    passes: 4,
    failures: 0,
    expected: 0,
    meanDurationMs: 12,
    ...change
  };
}

let view: IRendered | null = null;

async function show(element: React.ReactElement): Promise<HTMLElement> {
  view = await render(element);
  return view.container;
}

beforeEach(() => jest.resetAllMocks());

afterEach(() => {
  view?.unmount();
  view = null;
});

describe('HealthBadge', () => {
  it.each([
    [HEALTHY, 'healthy', '✓'],
    [SICK, 'unhealthy', '✕'],
    [{ label: 'unknown', score: null, reason: 'Too few runs.' }, 'unknown', '?']
  ] as [INotebookHealth, string, string][])(
    'shows %s with a word, a mark, a colour class and a name with the reason',
    async (health, word, mark) => {
      const c = await show(<HealthBadge health={health} trans={trans} />);
      const badge = c.querySelector('.jp-Atrium-Gallery-health')!;
      expect(badge.textContent).toBe(`${mark}${word}`);
      expect(badge.classList).toContain(`jp-Atrium-Gallery-health-${word}`);
      expect(badge.getAttribute('role')).toBe('img');
      expect(badge.getAttribute('aria-label')).toBe(
        `Health: ${word} — ${health.reason}`
      );
      expect(badge.getAttribute('title')).toBe(
        `Health: ${word} — ${health.reason}`
      );
    }
  );

  it('is on every search result', async () => {
    const c = await show(
      <ul>
        {[
          summary({ id: 'a', health: HEALTHY }),
          summary({ id: 'b', health: SICK })
        ].map(s => (
          <ResultItem
            key={s.id}
            summary={s}
            user="alice"
            trans={trans}
            onOpen={() => undefined}
            onTag={() => undefined}
            onOwner={() => undefined}
            onStarred={() => undefined}
            onError={() => undefined}
            tabbable={false}
            titleRef={() => undefined}
            onFocusTitle={() => undefined}
          />
        ))}
      </ul>
    );
    expect(
      Array.from(
        c.querySelectorAll(
          '.jp-Atrium-Gallery-result .jp-Atrium-Gallery-health'
        )
      ).map(node => node.getAttribute('data-health'))
    ).toEqual(['healthy', 'unhealthy']);
  });
});

describe('HealthFilter', () => {
  it('offers the label sets the service filters by', async () => {
    const chosen: string[][] = [];
    const c = await show(
      <HealthFilter
        value={[]}
        trans={trans}
        onChange={labels => chosen.push(labels)}
      />
    );
    expect(texts(c, 'option')).toEqual([
      'Any health',
      'Healthy',
      'Healthy or unknown',
      'Unknown',
      'Unhealthy'
    ]);
    const select = c.querySelector('.jp-Atrium-Gallery-filterHealth');
    await choose(select, 'healthy,unknown');
    await choose(select, 'unhealthy');
    await choose(select, '');
    expect(chosen).toEqual([['healthy', 'unknown'], ['unhealthy'], []]);
    // Labelled by its visible text.
    expect(select!.closest('label')!.textContent).toContain('Health');
  });
});

describe('CellHealthChart', () => {
  const cells = [
    cell(0),
    cell(1, {
      label: 'unhealthy',
      passRate: 0.25,
      passes: 1,
      failures: 3,
      score: 0.25
    }),
    cell(2, {
      label: 'unknown',
      passRate: null,
      passes: 0,
      score: null,
      meanDurationMs: null,
      optional: true
    })
  ];

  it('draws one bar per cell, as high as its pass rate, with a title and a description', async () => {
    const c = await show(
      <CellHealthChart cells={cells} trans={trans} idPrefix="t" />
    );
    const svg = c.querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-labelledby')).toBe('t-title t-desc');
    expect(svg.querySelector('title#t-title')!.textContent).toBe(
      'Pass rate per code cell'
    );
    expect(svg.querySelector('desc#t-desc')!.textContent).toBe(
      '3 cells: 1 healthy, 1 unhealthy, 1 unknown.'
    );
    const bars = Array.from(svg.querySelectorAll('rect'));
    expect(bars.map(bar => bar.getAttribute('data-health'))).toEqual([
      'healthy',
      'unhealthy',
      'unknown'
    ]);
    expect(bars.map(bar => Number(bar.getAttribute('height')))).toEqual([
      60, 15, 3
    ]);
    expect(bars.map(bar => bar.querySelector('title')!.textContent)).toEqual([
      'Cell 1: healthy, 4 of 4 runs passed',
      'Cell 2: unhealthy, 1 of 4 runs passed',
      'Cell 3: unknown, no counted runs'
    ]);
  });

  it('has the same figures in a table', async () => {
    const c = await show(
      <CellHealthChart cells={cells} trans={trans} idPrefix="t" />
    );
    const rows = Array.from(c.querySelectorAll('tbody tr')).map(row =>
      Array.from(row.children).map(cellNode => cellNode.textContent)
    );
    expect(rows).toEqual([
      ['1', 'healthy', '4', '0', '0', '12 ms'],
      ['2', 'unhealthy', '1', '3', '0', '12 ms'],
      ['3 (optional)', 'unknown', '0', '0', '0', '—']
    ]);
  });

  it('says so when there are no code cells', async () => {
    const c = await show(
      <CellHealthChart cells={[]} trans={trans} idPrefix="t" />
    );
    expect(c.querySelector('svg')).toBeNull();
    expect(c.textContent).toBe('This version has no code cells.');
  });

  it('says so, without a chart, when no cell has been run', async () => {
    const none = { label: 'unknown' as const, score: null, passRate: null };
    const noRuns = { ...none, passes: 0, failures: 0, expected: 0 };
    const c = await show(
      <CellHealthChart
        cells={[cell(0, noRuns), cell(1, noRuns)]}
        trans={trans}
        idPrefix="t"
      />
    );
    expect(c.querySelector('svg')).toBeNull();
    expect(c.textContent).toContain('No runs of this version');
    // One cell with a run is enough for the chart.
    const one = await show(
      <CellHealthChart
        cells={[cell(0, noRuns), cell(1, { ...none, expected: 1, passes: 0 })]}
        trans={trans}
        idPrefix="t"
      />
    );
    expect(one.querySelectorAll('svg rect')).toHaveLength(2);
  });
});

describe('HealthSection', () => {
  it('loads the cells from the per-cell endpoint and shows the reason', async () => {
    cellsOf.mockResolvedValue({
      notebookId: 'nb1',
      version: 3,
      items: [cell(0)]
    });
    const c = await show(
      <HealthSection id="nb1" health={HEALTHY} version={3} trans={trans} />
    );
    expect(cellsOf).toHaveBeenCalledWith('nb1');
    expect(
      c.querySelector('.jp-Atrium-Gallery-healthReason')!.textContent
    ).toBe(HEALTHY.reason);
    expect(c.querySelectorAll('rect')).toHaveLength(1);
  });

  it('loads again when the health changes, and retries after an error', async () => {
    cellsOf.mockRejectedValueOnce(
      new AtriumRequestError('boom', 500, 'server-error')
    );
    const c = await show(
      <HealthSection id="nb1" health={SICK} version={3} trans={trans} />
    );
    expect(c.querySelector('[role="alert"]')).not.toBeNull();
    cellsOf.mockResolvedValue({
      notebookId: 'nb1',
      version: 3,
      items: [cell(0)]
    });
    await click(c.querySelector('.jp-Atrium-Gallery-retry'));
    expect(c.querySelectorAll('rect')).toHaveLength(1);
    await act(async () => {
      view!.root.render(
        <HealthSection id="nb1" health={HEALTHY} version={3} trans={trans} />
      );
    });
    await flush();
    expect(cellsOf).toHaveBeenCalledTimes(3);
  });
});
