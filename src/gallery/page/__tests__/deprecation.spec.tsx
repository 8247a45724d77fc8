/**
 * Deprecation in the frontend: the banner and its alternatives, the page's deprecate /
 * undeprecate actions and dialog, the search's offer to show deprecated notebooks, and the
 * banner on a linked local copy.
 */
import { nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';
import { BoxPanel } from '@lumino/widgets';
import * as React from 'react';

import {
  deprecateNotebook,
  getNotebook,
  searchNotebooks,
  searchParams,
  undeprecateNotebook
} from '../../api';
import { DeprecatedBanner, ShowDeprecated } from '../../deprecated';
import type { IDeprecation } from '../../deprecationTypes';
import { watchDeprecation } from '../../deprecationWatch';
import {
  act,
  click,
  flush,
  render,
  summary,
  type
} from '../../panel/__tests__/helpers';
import { INITIAL_SEARCH, searchQuery } from '../../panel/query';
import { DeprecationSection } from '../deprecation';

jest.mock('../../api', () => ({
  ...jest.requireActual('../../api'),
  deprecateNotebook: jest.fn(),
  getNotebook: jest.fn(),
  searchNotebooks: jest.fn(),
  undeprecateNotebook: jest.fn()
}));

const trans = nullTranslator.load('jupyterlab_atrium');
const m = <T extends (...args: never[]) => unknown>(fn: T) =>
  fn as unknown as jest.MockedFunction<T>;

const DEPRECATION: IDeprecation = {
  reason: 'The old extract was retired.',
  frozen: true,
  deprecatedAt: '2026-12-07T00:00:00Z',
  deprecatedBy: 'maria',
  alternatives: [
    { id: 'alt1', title: 'Monthly admissions' },
    { id: 'alt2', title: 'Weekly admissions' }
  ]
};

/** Poll (with a deadline) until `check` holds: the picker waits for typing to pause. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await act(async () => {
      await new Promise(resolve => setTimeout(resolve, 20));
    });
  }
}

beforeEach(() => {
  jest.resetAllMocks();
});

afterEach(() => {
  document.body.innerHTML = '';
});

describe('DeprecatedBanner', () => {
  it('says to use the alternatives instead, as links to their pages, and that it is frozen', async () => {
    const onOpen = jest.fn();
    const { container, unmount } = await render(
      <DeprecatedBanner
        deprecation={DEPRECATION}
        trans={trans}
        onOpen={onOpen}
      />
    );
    const text = container.textContent ?? '';
    expect(text).toContain('Deprecated.');
    expect(text).toContain(
      'Use Monthly admissions or Weekly admissions instead.'
    );
    expect(text).toContain('The old extract was retired.');
    expect(text).toContain('Frozen');
    const links = container.querySelectorAll(
      '.jp-Atrium-GalleryDeprecated-alternative'
    );
    await click(links[1]);
    expect(onOpen).toHaveBeenCalledWith('alt2');
    unmount();
  });

  it('names no alternatives when the reader may read none', async () => {
    const { container, unmount } = await render(
      <DeprecatedBanner
        deprecation={{ ...DEPRECATION, alternatives: [], frozen: false }}
        trans={trans}
        onOpen={jest.fn()}
      />
    );
    expect(container.textContent).not.toContain('instead');
    expect(container.textContent).not.toContain('Frozen');
    unmount();
  });
});

describe('DeprecationSection', () => {
  it('shows nothing for a live notebook the reader may not deprecate', async () => {
    const { container, unmount } = await render(
      <DeprecationSection
        trans={trans}
        summary={summary({ canDeprecate: false, deprecation: null })}
        onOpen={jest.fn()}
        onChanged={jest.fn()}
      />
    );
    expect(container.innerHTML).toBe('');
    unmount();
  });

  it('deprecates with a reason, an alternative found as one types (never itself) and the freeze', async () => {
    m(getNotebook).mockResolvedValue({ summary: summary(), etag: '"v3.1"' });
    m(searchNotebooks).mockResolvedValue({
      items: [summary({ id: 'nb1' }), summary({ id: 'nb2', title: 'New one' })],
      total: 2,
      page: 1,
      perPage: 8
    });
    m(deprecateNotebook).mockResolvedValue({
      summary: summary(),
      etag: '"v3.2"'
    });
    const onChanged = jest.fn();
    const { container, unmount } = await render(
      <DeprecationSection
        trans={trans}
        summary={summary({ canDeprecate: true, deprecation: null })}
        onOpen={jest.fn()}
        onChanged={onChanged}
      />
    );
    await click(container.querySelector('.jp-Atrium-GalleryDeprecated-open'));
    const save = () =>
      container.querySelector<HTMLButtonElement>(
        '.jp-Atrium-GalleryDeprecated-save'
      )!;
    expect(save().disabled).toBe(true); // a reason is required
    await type(
      container.querySelector('.jp-Atrium-GalleryDeprecated-reasonInput'),
      'Replaced.'
    );
    await type(
      container.querySelector('.jp-Atrium-GalleryDeprecated-find'),
      'new'
    );
    await until(
      () =>
        container.querySelectorAll('.jp-Atrium-GalleryDeprecated-pick').length >
        0,
      'the matching notebooks'
    );
    const picks = container.querySelectorAll(
      '.jp-Atrium-GalleryDeprecated-pick'
    );
    expect(Array.from(picks).map(p => p.textContent)).toEqual([
      'Add "New one"'
    ]);
    await click(picks[0]);
    const freeze = container.querySelector<HTMLInputElement>(
      '.jp-Atrium-GalleryDeprecated-freeze input'
    )!;
    await click(freeze);
    await click(save());
    expect(deprecateNotebook).toHaveBeenCalledWith('nb1', '"v3.1"', {
      reason: 'Replaced.',
      alternatives: ['nb2'],
      freeze: true
    });
    expect(onChanged).toHaveBeenCalled();
    unmount();
  });

  it('undeprecates with the current ETag', async () => {
    m(getNotebook).mockResolvedValue({ summary: summary(), etag: '"v3.2"' });
    m(undeprecateNotebook).mockResolvedValue({
      summary: summary(),
      etag: '"v3.3"'
    });
    const onChanged = jest.fn();
    const { container, unmount } = await render(
      <DeprecationSection
        trans={trans}
        summary={summary({ canDeprecate: true, deprecation: DEPRECATION })}
        onOpen={jest.fn()}
        onChanged={onChanged}
      />
    );
    expect(container.textContent).toContain('Deprecated.');
    await click(container.querySelector('.jp-Atrium-GalleryDeprecated-undo'));
    await flush();
    expect(undeprecateNotebook).toHaveBeenCalledWith('nb1', '"v3.2"');
    expect(onChanged).toHaveBeenCalled();
    unmount();
  });
});

describe('search', () => {
  it('asks for deprecated notebooks only once the user chose to see them', () => {
    expect(searchQuery(INITIAL_SEARCH, 20).deprecated).toBeUndefined();
    const query = searchQuery({ ...INITIAL_SEARCH, deprecated: true }, 20);
    expect(query.deprecated).toBe('include');
    expect(searchParams(query)).toContain('deprecated=include');
  });

  it('offers to show the deprecated notebooks a search found (nbgallery #487)', async () => {
    const onShow = jest.fn();
    const { container, unmount } = await render(
      <ShowDeprecated count={2} trans={trans} onShow={onShow} />
    );
    expect(container.textContent).toBe('Show 2 deprecated notebooks');
    await click(container.querySelector('button'));
    expect(onShow).toHaveBeenCalled();
    unmount();
    const none = await render(
      <ShowDeprecated count={0} trans={trans} onShow={onShow} />
    );
    expect(none.container.innerHTML).toBe('');
    none.unmount();
  });
});

describe('watchDeprecation', () => {
  it('puts a banner on a linked copy while its gallery notebook is deprecated', async () => {
    const changed = new Signal<unknown, null>({});
    const sync = {
      changed,
      link: { id: 'nb1' },
      summary: summary({ deprecation: null })
    };
    const panel = { contentHeader: new BoxPanel(), isDisposed: false };
    document.body.appendChild(panel.contentHeader.node);
    const watch = watchDeprecation(
      panel as never,
      sync as never,
      trans,
      jest.fn()
    );
    expect(panel.contentHeader.widgets.length).toBe(0);
    sync.summary = summary({ deprecation: DEPRECATION });
    changed.emit(null);
    await until(
      () => panel.contentHeader.widgets.length === 1,
      'the banner to load'
    );
    const banner = panel.contentHeader.widgets[0];
    expect(banner.node.dataset.testid).toBe('atrium-gallery-deprecated-copy');
    await flush();
    expect(banner.node.textContent).toContain(
      'The gallery notebook this copy comes from is deprecated.'
    );
    sync.summary = summary({ deprecation: null });
    changed.emit(null);
    expect(panel.contentHeader.widgets.length).toBe(0);
    watch.dispose();
  });
});
