import * as React from 'react';

import { AtriumRequestError } from '../../../common/request';
import { listTags, searchNotebooks, setStar } from '../../api';
import { INotebookSummary, IPage, ISearchQuery } from '../../types';
import { prefetchFirstPage } from '../prefetch';
import { SearchView } from '../search';
import {
  act,
  choose,
  click,
  flush,
  IRendered,
  makeEnv,
  render,
  summary,
  texts,
  type
} from './helpers';

jest.mock('../../api');

const search = searchNotebooks as jest.MockedFunction<typeof searchNotebooks>;
const tags = listTags as jest.MockedFunction<typeof listTags>;
const star = setStar as jest.MockedFunction<typeof setStar>;

function page(
  items: INotebookSummary[],
  total = items.length,
  pageNo = 1,
  perPage = 20
): IPage<INotebookSummary> {
  return { items, total, page: pageNo, perPage };
}

/** Answers every search with `total` numbered notebooks, paged as asked. */
function galleryOf(total: number) {
  search.mockImplementation(async (query: ISearchQuery = {}) => {
    const perPage = query.perPage ?? 20;
    const pageNo = query.page ?? 1;
    const items: INotebookSummary[] = [];
    for (
      let i = (pageNo - 1) * perPage;
      i < Math.min(total, pageNo * perPage);
      i++
    ) {
      items.push(summary({ id: `nb${i}`, title: `Notebook ${i}` }));
    }
    return page(items, total, pageNo, perPage);
  });
}

function lastQuery(): ISearchQuery {
  const calls = search.mock.calls;
  return calls[calls.length - 1][0] as ISearchQuery;
}

let view: IRendered | null = null;

async function show(
  props: Partial<React.ComponentProps<typeof SearchView>> = {}
) {
  const env = makeEnv();
  view = await render(
    <SearchView
      trans={env.trans}
      user="alice"
      pageSize={20}
      debounceMs={0}
      refreshKey={0}
      onOpen={() => undefined}
      {...props}
    />
  );
  return view.container;
}

beforeEach(() => {
  jest.resetAllMocks();
  tags.mockResolvedValue([
    { tag: 'sales', count: 3 },
    { tag: 'physics', count: 1 }
  ]);
  galleryOf(3);
});

afterEach(() => {
  view?.unmount();
  view = null;
  jest.useRealTimers();
});

describe('SearchView', () => {
  it('lists notebooks with owner, tags, stars, visibility, "yours" and snippet', async () => {
    search.mockResolvedValue(
      page([
        summary({
          id: 'a',
          title: 'Mine',
          owner: 'alice',
          visibility: 'private',
          snippet: '… import pandas …',
          stars: 5,
          starred: true
        }),
        summary({ id: 'b', title: 'Theirs', owner: 'bob', tags: ['physics'] })
      ])
    );
    const c = await show();
    expect(lastQuery()).toEqual({ sort: 'relevance', page: 1, perPage: 20 });
    const results = c.querySelectorAll('.jp-Atrium-Gallery-result');
    expect(results).toHaveLength(2);
    const [mine, theirs] = Array.from(results);
    expect(
      mine.querySelector('.jp-Atrium-Gallery-resultTitle')?.textContent
    ).toBe('Mine');
    expect(mine.querySelector('.jp-Atrium-Gallery-yours')).not.toBeNull();
    expect(theirs.querySelector('.jp-Atrium-Gallery-yours')).toBeNull();
    expect(
      mine.querySelector('.jp-Atrium-Gallery-visibility')?.textContent
    ).toBe('private');
    expect(theirs.querySelector('.jp-Atrium-Gallery-owner')?.textContent).toBe(
      'bob'
    );
    expect(texts(theirs, '.jp-Atrium-Gallery-tag')).toEqual(['physics']);
    expect(mine.querySelector('.jp-Atrium-Gallery-snippet')?.textContent).toBe(
      '… import pandas …'
    );
    const starButton = mine.querySelector('.jp-Atrium-Gallery-star')!;
    expect(starButton.getAttribute('aria-pressed')).toBe('true');
    expect(starButton.textContent).toContain('5');
    expect(mine.querySelector('time')?.getAttribute('dateTime')).toBe(
      '2026-01-02T00:00:00.000Z'
    );
  });

  it('debounces typing: one search after the pause, with the last text', async () => {
    jest.useFakeTimers();
    const c = await show({ debounceMs: 300 });
    const input = c.querySelector('.jp-Atrium-Gallery-searchInput');
    const before = search.mock.calls.length;
    await type(input, 'p');
    await act(async () => {
      jest.advanceTimersByTime(100);
    });
    await type(input, 'pa');
    await act(async () => {
      jest.advanceTimersByTime(100);
    });
    await type(input, 'pandas');
    await act(async () => {
      jest.advanceTimersByTime(299);
    });
    await flush();
    expect(search.mock.calls.length).toBe(before);
    await act(async () => {
      jest.advanceTimersByTime(1);
    });
    await flush();
    expect(search.mock.calls.length).toBe(before + 1);
    expect(lastQuery()).toMatchObject({ q: 'pandas', page: 1 });
  });

  it('pages through large result sets and starts again at page 1 on a new query', async () => {
    galleryOf(45);
    const c = await show();
    expect(c.querySelectorAll('.jp-Atrium-Gallery-result')).toHaveLength(20);
    expect(c.querySelector('.jp-Atrium-Gallery-pageInfo')?.textContent).toBe(
      'Page 1 of 3'
    );
    expect(c.querySelector('.jp-Atrium-Gallery-count')?.textContent).toBe(
      '1–20 of 45 notebooks'
    );
    const prev = c.querySelector<HTMLButtonElement>(
      '.jp-Atrium-Gallery-prevPage'
    )!;
    const next = c.querySelector<HTMLButtonElement>(
      '.jp-Atrium-Gallery-nextPage'
    )!;
    expect(prev.disabled).toBe(true);
    await click(next);
    expect(lastQuery().page).toBe(2);
    await click(next);
    expect(lastQuery().page).toBe(3);
    expect(c.querySelectorAll('.jp-Atrium-Gallery-result')).toHaveLength(5);
    expect(c.querySelector('.jp-Atrium-Gallery-count')?.textContent).toBe(
      '41–45 of 45 notebooks'
    );
    expect(next.disabled).toBe(true);
    await click(prev);
    expect(lastQuery().page).toBe(2);

    await type(c.querySelector('.jp-Atrium-Gallery-searchInput'), 'x');
    await flush();
    expect(lastQuery()).toMatchObject({ q: 'x', page: 1 });
  });

  it('uses the page size setting (at most 100)', async () => {
    await show({ pageSize: 500 });
    expect(lastQuery().perPage).toBe(100);
  });

  it('shows the first page asked for while it loaded, once, and asks itself after that', async () => {
    galleryOf(30);
    const prefetched = prefetchFirstPage(20);
    expect(search).toHaveBeenCalledTimes(1);
    const c = await show({ prefetched });
    expect(search).toHaveBeenCalledTimes(1);
    expect(c.querySelectorAll('.jp-Atrium-Gallery-result')).toHaveLength(20);
    // Shown again (a new refreshKey): a fresh list, not the prefetched one.
    await act(async () =>
      view!.root.render(
        <SearchView
          trans={makeEnv().trans}
          user="alice"
          pageSize={20}
          debounceMs={0}
          refreshKey={1}
          prefetched={prefetched}
          onOpen={() => undefined}
        />
      )
    );
    await flush();
    expect(search).toHaveBeenCalledTimes(2);
  });

  it('asks itself when the page asked for early does not fit its query', async () => {
    galleryOf(30);
    const prefetched = prefetchFirstPage(50);
    await show({ pageSize: 20, prefetched });
    expect(search).toHaveBeenCalledTimes(2);
    expect(lastQuery().perPage).toBe(20);
  });

  it('keeps the filters behind one toggle that counts those in use', async () => {
    const c = await show();
    const toggle = c.querySelector<HTMLButtonElement>(
      '.jp-Atrium-Gallery-filterToggle'
    )!;
    const row = c.querySelector<HTMLElement>('.jp-Atrium-Gallery-filters')!;
    expect(row.hidden).toBe(true);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.getAttribute('aria-controls')).toBe(row.id);
    await click(toggle);
    expect(row.hidden).toBe(false);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(c.querySelector('.jp-Atrium-Gallery-filterCount')).toBeNull();
    await click(c.querySelector('.jp-Atrium-Gallery-filterMine input'));
    await choose(c.querySelector('.jp-Atrium-Gallery-filterTag'), 'sales');
    await click(toggle);
    // Closed again, the row still says that results are narrowed, and by how much.
    expect(row.hidden).toBe(true);
    expect(c.querySelector('.jp-Atrium-Gallery-filterCount')?.textContent).toBe(
      '2'
    );
    // Words searched for are not a filter; Clear filters stays in view.
    await type(c.querySelector('.jp-Atrium-Gallery-searchInput'), 'pandas');
    await flush();
    expect(c.querySelector('.jp-Atrium-Gallery-filterCount')?.textContent).toBe(
      '2'
    );
    expect(c.querySelector('.jp-Atrium-Gallery-clearFilters')).not.toBeNull();
  });

  it('combines search text, mine, starred, tag, owner, health and sort', async () => {
    const c = await show();
    await type(c.querySelector('.jp-Atrium-Gallery-searchInput'), ' pandas ');
    await click(c.querySelector('.jp-Atrium-Gallery-filterMine input'));
    await click(c.querySelector('.jp-Atrium-Gallery-filterStarred input'));
    await choose(c.querySelector('.jp-Atrium-Gallery-filterTag'), 'sales');
    await type(c.querySelector('.jp-Atrium-Gallery-filterOwner'), 'bob');
    await choose(
      c.querySelector('.jp-Atrium-Gallery-filterHealth'),
      'healthy,unknown'
    );
    await choose(c.querySelector('.jp-Atrium-Gallery-sort'), 'stars');
    await flush();
    expect(lastQuery()).toEqual({
      q: 'pandas',
      mine: true,
      starred: true,
      tag: 'sales',
      owner: 'bob',
      health: ['healthy', 'unknown'],
      sort: 'stars',
      page: 1,
      perPage: 20
    });
    // The tag list comes from the service, with counts.
    expect(texts(c, '.jp-Atrium-Gallery-filterTag option')).toEqual([
      'Any tag',
      'sales (3)',
      'physics (1)'
    ]);
    expect(
      Array.from(
        c.querySelectorAll<HTMLOptionElement>('.jp-Atrium-Gallery-sort option')
      ).map(o => o.value)
    ).toEqual(['relevance', 'updated', 'title', 'stars', 'health']);

    await click(c.querySelector('.jp-Atrium-Gallery-clearFilters'));
    await flush();
    expect(lastQuery()).toEqual({ sort: 'stars', page: 1, perPage: 20 });
  });

  it('filters by a tag or an owner clicked in a result', async () => {
    search.mockResolvedValue(
      page([summary({ id: 'a', owner: 'carol', tags: ['geo'] })])
    );
    const c = await show();
    await click(
      c.querySelector('.jp-Atrium-Gallery-result .jp-Atrium-Gallery-tag')
    );
    expect(lastQuery().tag).toBe('geo');
    expect(
      c.querySelector<HTMLSelectElement>('.jp-Atrium-Gallery-filterTag')!.value
    ).toBe('geo');
    await click(
      c.querySelector('.jp-Atrium-Gallery-result .jp-Atrium-Gallery-owner')
    );
    await flush();
    expect(lastQuery()).toMatchObject({ tag: 'geo', owner: 'carol' });
  });

  it('toggles a star and shows the count the service returns', async () => {
    search.mockResolvedValue(page([summary({ id: 'a', stars: 2 })]));
    star.mockResolvedValue({ stars: 7, starred: true });
    const c = await show();
    const button = () => c.querySelector('.jp-Atrium-Gallery-star')!;
    expect(button().getAttribute('aria-pressed')).toBe('false');
    await click(button());
    expect(star).toHaveBeenCalledWith('a', true);
    expect(button().getAttribute('aria-pressed')).toBe('true');
    expect(button().textContent).toContain('7');

    star.mockResolvedValue({ stars: 6, starred: false });
    await click(button());
    expect(star).toHaveBeenLastCalledWith('a', false);
    expect(button().getAttribute('aria-pressed')).toBe('false');
    expect(button().textContent).toContain('6');
  });

  it('puts the star back and says so when starring fails', async () => {
    search.mockResolvedValue(page([summary({ id: 'a', stars: 2 })]));
    star.mockRejectedValue(new AtriumRequestError('Nope.', 403, 'forbidden'));
    const c = await show();
    await click(c.querySelector('.jp-Atrium-Gallery-star'));
    const button = c.querySelector('.jp-Atrium-Gallery-star')!;
    expect(button.getAttribute('aria-pressed')).toBe('false');
    expect(button.textContent).toContain('2');
    expect(c.querySelector('[role="alert"]')?.textContent).toContain('Nope.');
  });

  it('says when the service is down and retries on request', async () => {
    search.mockRejectedValue(new AtriumRequestError('', 0, 'network-error'));
    const c = await show();
    const alert = c.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain(
      'The gallery service is not reachable.'
    );
    expect(c.querySelector('.jp-Atrium-Gallery-result')).toBeNull();
    galleryOf(2);
    await click(c.querySelector('.jp-Atrium-Gallery-retry'));
    expect(c.querySelector('[role="alert"]')).toBeNull();
    expect(c.querySelectorAll('.jp-Atrium-Gallery-result')).toHaveLength(2);
  });

  it("shows the service's message for a refused search", async () => {
    search.mockRejectedValue(
      new AtriumRequestError('perPage must be at most 100', 400, 'bad-request')
    );
    const c = await show();
    expect(c.querySelector('[role="alert"]')?.textContent).toContain(
      'perPage must be at most 100'
    );
  });

  it('keeps working without tags when the tag list fails', async () => {
    tags.mockRejectedValue(new AtriumRequestError('', 0, 'network-error'));
    const c = await show();
    expect(texts(c, '.jp-Atrium-Gallery-filterTag option')).toEqual([
      'Any tag'
    ]);
    expect(c.querySelectorAll('.jp-Atrium-Gallery-result')).toHaveLength(3);
  });

  it('tells an empty gallery from a search without hits', async () => {
    search.mockResolvedValue(page([]));
    const c = await show();
    expect(c.querySelector('.jp-Atrium-Gallery-empty')?.textContent).toContain(
      'The gallery is empty'
    );
    await type(c.querySelector('.jp-Atrium-Gallery-searchInput'), 'zzz');
    await flush();
    expect(c.querySelector('.jp-Atrium-Gallery-empty')?.textContent).toBe(
      'No notebooks match your search.'
    );
  });

  it('shows a loading state while searching', async () => {
    let answer: (value: IPage<INotebookSummary>) => void = () => undefined;
    search.mockImplementation(() => new Promise(resolve => (answer = resolve)));
    const c = await show();
    expect(c.querySelector('.jp-Atrium-Gallery-loading')).not.toBeNull();
    await act(async () => answer(page([summary()])));
    await flush();
    expect(c.querySelector('.jp-Atrium-Gallery-loading')).toBeNull();
    expect(c.querySelectorAll('.jp-Atrium-Gallery-result')).toHaveLength(1);
  });

  it('ignores a slow answer to an older query', async () => {
    const answers: ((value: IPage<INotebookSummary>) => void)[] = [];
    search.mockImplementation(
      () => new Promise(resolve => answers.push(resolve))
    );
    const c = await show();
    await type(c.querySelector('.jp-Atrium-Gallery-searchInput'), 'new');
    await flush();
    expect(answers).toHaveLength(2);
    await act(async () =>
      answers[1](page([summary({ id: 'n', title: 'New' })]))
    );
    await act(async () =>
      answers[0](page([summary({ id: 'o', title: 'Old' })]))
    );
    await flush();
    expect(texts(c, '.jp-Atrium-Gallery-resultTitle')).toEqual(['New']);
  });

  it('renders hostile titles, descriptions, tags and owners as text', async () => {
    const evil =
      '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
    search.mockResolvedValue(
      page([
        summary({
          id: 'evil',
          title: evil,
          description: `<b>${evil}</b>`,
          owner: `<i>${evil}</i>`,
          tags: ['<svg onload=alert(1)>']
        }),
        summary({
          id: 'evil2',
          title: 'x',
          snippet: `<a href="javascript:alert(1)">${evil}</a>`
        })
      ])
    );
    const c = await show();
    // In the results: the panel's own controls have icons.
    const results = c.querySelector('.jp-Atrium-Gallery-results')!;
    expect(results).not.toBeNull();
    expect(results.querySelector('img, script, b, i, svg, a')).toBeNull();
    expect(c.querySelector('.jp-Atrium-Gallery-resultTitle')?.textContent).toBe(
      evil
    );
    expect(c.querySelector('.jp-Atrium-Gallery-description')?.textContent).toBe(
      `<b>${evil}</b>`
    );
    expect(c.querySelector('.jp-Atrium-Gallery-owner')?.textContent).toBe(
      `<i>${evil}</i>`
    );
    expect(c.textContent).toContain('<svg onload=alert(1)>');
    expect(c.textContent).toContain('javascript:alert(1)');
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('opens the preview of a clicked result', async () => {
    const onOpen = jest.fn();
    const c = await show({ onOpen });
    await click(c.querySelectorAll('.jp-Atrium-Gallery-resultTitle')[1]);
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: 'nb1' }));
  });
});
