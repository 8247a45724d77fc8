import type { INotebookContent } from '@jupyterlab/nbformat';
import { waitForDialog } from '@jupyterlab/testing';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { AtriumRequestError } from '../../../common/request';
import {
  acceptChangeRequest,
  declineChangeRequest,
  deleteNotebook,
  getCellHealth,
  getChangeRequest,
  getContent,
  getNotebook,
  getPolicy,
  listChangeRequests,
  listTags,
  listVersions,
  searchNotebooks,
  withdrawChangeRequest
} from '../../api';
import { showNotebookDiff } from '../../diff';
import { openGalleryCopy } from '../../open';
import { IChangeRequest, INotebookSummary, IVersion } from '../../types';
import { GalleryPage } from '../../page/widget';
import { createGalleryPanel, GALLERY_PANEL_ID } from '../index';
import { IPanelEnv } from '../env';
import { GalleryPanelView } from '../panel';
import { codeAsMarkdown } from '../preview';
import {
  act,
  click,
  flush,
  IRendered,
  makeEnv,
  policy,
  render,
  summary,
  texts,
  type
} from './helpers';

import { HEALTH_REPORTED_EVENT } from '../../../common/events';

jest.mock('../../api');
jest.mock('../../diff');
jest.mock('../../open');

const m = <T extends (...args: never[]) => unknown>(fn: T) =>
  fn as unknown as jest.MockedFunction<T>;

const evil =
  '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';

function notebook(): INotebookContent {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { language_info: { name: 'python' } },
    cells: [
      {
        cell_type: 'markdown',
        id: 'm1',
        metadata: {},
        source: ['# Heading\n', `Some *text* ${evil}`]
      },
      {
        cell_type: 'code',
        id: 'c1',
        metadata: {},
        source: 'print("hello")',
        outputs: [],
        execution_count: null
      },
      { cell_type: 'raw', id: 'r1', metadata: {}, source: evil }
    ]
  };
}

function request(change: Partial<IChangeRequest> = {}): IChangeRequest {
  return {
    id: 'cr1',
    notebookId: 'nb1',
    notebookTitle: 'Sales report',
    author: 'bob',
    comment: 'Fixed the totals',
    baseVersion: 2,
    status: 'open',
    createdAt: '2026-01-03T00:00:00Z',
    decidedAt: null,
    decidedBy: null,
    decisionComment: '',
    resultVersion: null,
    ...change
  };
}

function version(n: number, note = ''): IVersion {
  return {
    version: n,
    note,
    author: 'alice',
    createdAt: '2026-01-01T00:00:00Z',
    contentHash: `h${n}`,
    size: 10
  };
}

let view: IRendered | null = null;
let mine: INotebookSummary;

/**
 * The sidebar beside the page a result opens (in JupyterLab, a main-area widget made by
 * src/gallery/page; here its React content, so both are in one document).
 */
function Lab(props: { env: IPanelEnv; activation: number }): JSX.Element {
  const { env, activation } = props;
  const [page, setPage] = React.useState<{
    id: string;
    initial: INotebookSummary | null;
  } | null>(null);
  const openNotebook = React.useCallback(
    (id: string, initial: INotebookSummary | null) => setPage({ id, initial }),
    []
  );
  return (
    <>
      <GalleryPanelView
        env={env}
        activation={activation}
        openNotebook={openNotebook}
      />
      {page && (
        <div className="page">
          <GalleryPage
            key={page.id}
            env={env}
            id={page.id}
            initial={page.initial}
            activation={activation}
            onDeleted={() => setPage(null)}
            onSummary={() => undefined}
          />
        </div>
      )}
    </>
  );
}

async function show(env = makeEnv()) {
  view = await render(<Lab env={env} activation={0} />);
  return view.container;
}

async function openFirst(c: HTMLElement) {
  await click(c.querySelector('.jp-Atrium-Gallery-resultTitle'));
  await flush(10);
}

beforeEach(() => {
  jest.resetAllMocks();
  mine = summary({ canEdit: true, owner: 'alice' });
  m(getPolicy).mockResolvedValue(policy());
  m(searchNotebooks).mockResolvedValue({
    items: [mine],
    total: 1,
    page: 1,
    perPage: 20
  });
  m(listTags).mockResolvedValue([]);
  m(listChangeRequests).mockImplementation(async role =>
    role === 'incoming'
      ? [request(), request({ id: 'cr2', author: 'carol', comment: evil })]
      : [
          request({
            id: 'cr9',
            notebookTitle: 'Other',
            status: 'declined',
            decidedBy: 'dave',
            decisionComment: 'Not now'
          }),
          request({ id: 'cr8', notebookTitle: 'Third' })
        ]
  );
  m(getNotebook).mockImplementation(async id => ({
    summary: { ...mine, id },
    etag: '"v3"'
  }));
  m(getContent).mockResolvedValue(notebook());
  m(getCellHealth).mockResolvedValue({
    notebookId: 'nb1',
    version: 3,
    items: []
  });
  m(listVersions).mockResolvedValue([
    version(3, 'Third'),
    version(2, 'Second'),
    version(1, 'First')
  ]);
  m(openGalleryCopy).mockResolvedValue('gallery/Sales report.ipynb');
  m(showNotebookDiff).mockResolvedValue(undefined);
});

afterEach(() => {
  view?.unmount();
  view = null;
  document.body.innerHTML = '';
});

describe('createGalleryPanel', () => {
  it('is a sidebar widget with id, icon and caption', () => {
    const env = makeEnv();
    const widget = createGalleryPanel({
      app: env.app,
      docManager: env.docManager,
      rendermime: env.rendermime,
      translator: env.translator,
      settings: env.settings,
      openNotebook: () => undefined
    });
    expect(widget).toBeInstanceOf(Widget);
    expect(widget.id).toBe(GALLERY_PANEL_ID);
    expect(widget.id).toBe('jp-Atrium-Gallery-panel');
    expect(widget.title.caption).toBe('Notebook gallery');
    expect(widget.title.icon).toBeTruthy();
    expect(widget.hasClass('jp-Atrium-Gallery-panel')).toBe(true);
    widget.dispose();
  });
});

describe('GalleryPanelView', () => {
  it('shows the preview of a notebook with JupyterLab renderers, sanitised', async () => {
    const c = await show();
    await openFirst(c);
    // The page opens beside the sidebar, whose search and results stay.
    expect(
      c.querySelector('.jp-Atrium-Gallery-search')?.closest('[hidden]')
    ).toBeNull();
    expect(c.querySelector('.jp-Atrium-Gallery-detailTitle')?.textContent).toBe(
      'Sales report'
    );
    expect(getContent).toHaveBeenCalledWith('nb1', undefined);
    const cells = c.querySelectorAll('.jp-Atrium-Gallery-previewCell');
    expect(cells).toHaveLength(3);
    // Markdown through the markdown renderer, untrusted: the sanitiser removed the
    // script and the event handler.
    const markdown = cells[0].querySelector('.jp-RenderedMarkdown');
    expect(markdown).not.toBeNull();
    expect(markdown!.textContent).toContain('Some *text*');
    expect(c.querySelector('script')).toBeNull();
    expect(c.querySelector('[onerror]')).toBeNull();
    // Code as source, never run; raw cells as text.
    expect(cells[1].textContent).toContain('print("hello")');
    expect(cells[2].querySelector('pre')?.textContent).toBe(evil);
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('fences code so a backtick run cannot end the block', () => {
    expect(codeAsMarkdown('a ```` b', 'python')).toBe(
      '`````python\na ```` b\n`````'
    );
    expect(codeAsMarkdown('x = 1', '')).toBe('```\nx = 1\n```');
  });

  it('opens a copy into the workspace folder', async () => {
    const env = makeEnv({ workspaceFolder: 'work/gallery' });
    const c = await show(env);
    await openFirst(c);
    await click(c.querySelector('.jp-Atrium-Gallery-openCopy'));
    expect(openGalleryCopy).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'nb1',
        folder: 'work/gallery',
        version: undefined,
        docManager: env.docManager,
        translator: env.translator
      })
    );
    expect(
      c.querySelector('.page .jp-Atrium-Gallery-status')?.textContent
    ).toBe('Opened gallery/Sales report.ipynb');
  });

  it('shows why a copy could not be opened', async () => {
    m(openGalleryCopy).mockRejectedValue(
      new AtriumRequestError('', 0, 'network-error')
    );
    const c = await show();
    await openFirst(c);
    await click(c.querySelector('.jp-Atrium-Gallery-openCopy'));
    // On the notebook's page (the panel's Assignments section has alerts of its own).
    expect(c.querySelector('.page [role="alert"]')?.textContent).toContain(
      'not reachable'
    );
  });

  it('shows an error and a retry when the preview cannot be loaded', async () => {
    m(getContent).mockRejectedValueOnce(
      new AtriumRequestError('', 503, 'http-503')
    );
    const c = await show();
    await openFirst(c);
    // On the notebook's page (the panel's Assignments section has alerts of its own).
    expect(c.querySelector('.page [role="alert"]')?.textContent).toContain(
      'not reachable'
    );
    await click(c.querySelector('.jp-Atrium-Gallery-retry'));
    await flush(10);
    expect(c.querySelectorAll('.jp-Atrium-Gallery-previewCell')).toHaveLength(
      3
    );
  });

  it('shows the health badge and the per-cell chart of the notebook', async () => {
    m(getNotebook).mockResolvedValue({
      summary: summary({
        health: { label: 'unhealthy', score: 0.3, reason: 'Cells fail.' }
      }),
      etag: '"v3"'
    });
    m(getCellHealth).mockResolvedValue({
      notebookId: 'nb1',
      version: 3,
      items: [0, 1].map(index => ({
        cellId: `c${index}`,
        index,
        optional: false,
        raisesException: false,
        label: index ? 'unhealthy' : 'healthy',
        score: index ? 0.2 : 1,
        passRate: index ? 0.2 : 1,
        passes: index ? 1 : 5,
        failures: index ? 4 : 0,
        expected: 0,
        meanDurationMs: 5
      }))
    });
    const c = await show();
    await openFirst(c);
    const detail = c.querySelector('.jp-Atrium-Gallery-detail')!;
    expect(
      detail
        .querySelector('.jp-Atrium-Gallery-health')!
        .getAttribute('aria-label')
    ).toBe('Health: unhealthy — Cells fail.');
    expect(getCellHealth).toHaveBeenCalledWith('nb1');
    expect(
      Array.from(detail.querySelectorAll('svg rect')).map(rect =>
        rect.getAttribute('data-health')
      )
    ).toEqual(['healthy', 'unhealthy']);
  });

  it('reads the summary again when the panel is shown again: a new health shows', async () => {
    const healthy = {
      label: 'healthy' as const,
      score: 0.9,
      reason: 'All pass.'
    };
    m(getNotebook).mockResolvedValue({ summary: summary(), etag: '"v3"' });
    const env = makeEnv();
    const c = await show(env);
    await openFirst(c);
    const badge = () =>
      c
        .querySelector('.jp-Atrium-Gallery-detail .jp-Atrium-Gallery-health')!
        .getAttribute('data-health');
    expect(badge()).toBe('unknown');
    m(getNotebook).mockResolvedValue({
      summary: summary({ health: healthy }),
      etag: '"v3"'
    });
    await act(async () => {
      view!.root.render(<Lab env={env} activation={1} />);
    });
    await flush(10);
    expect(badge()).toBe('healthy');
    // The chart follows the new health.
    expect(getCellHealth).toHaveBeenCalledTimes(2);
  });

  it('searches again when runs were just reported, so the badges are current', async () => {
    const c = await show();
    const searches = m(searchNotebooks).mock.calls.length;
    const healthy = {
      label: 'healthy' as const,
      score: 0.9,
      reason: 'All pass.'
    };
    m(searchNotebooks).mockResolvedValue({
      items: [summary({ health: healthy })],
      total: 1,
      page: 1,
      perPage: 20
    });
    await act(async () => {
      window.dispatchEvent(new CustomEvent(HEALTH_REPORTED_EVENT));
    });
    await flush(10);
    expect(m(searchNotebooks).mock.calls.length).toBeGreaterThan(searches);
    expect(
      c
        .querySelector('.jp-Atrium-Gallery-result .jp-Atrium-Gallery-health')
        ?.getAttribute('data-health')
    ).toBe('healthy');
  });

  it('offers Delete only to owners, and deletes only after confirmation', async () => {
    m(getNotebook).mockResolvedValue({
      summary: summary({ canEdit: false, owner: 'bob' }),
      etag: '"v3"'
    });
    let c = await show();
    await openFirst(c);
    expect(c.querySelector('.jp-Atrium-Gallery-delete')).toBeNull();
    view!.unmount();

    m(getNotebook).mockResolvedValue({ summary: mine, etag: '"v3"' });
    c = await show();
    await openFirst(c);
    // Cancelled: nothing deleted.
    await click(c.querySelector('.jp-Atrium-Gallery-delete'));
    await waitForDialog();
    await click(document.querySelector('.jp-Dialog .jp-mod-reject'));
    await flush(10);
    expect(deleteNotebook).not.toHaveBeenCalled();

    m(deleteNotebook).mockResolvedValue(undefined);
    const searches = m(searchNotebooks).mock.calls.length;
    await click(c.querySelector('.jp-Atrium-Gallery-delete'));
    await waitForDialog();
    expect(document.querySelector('.jp-Dialog')?.textContent).toContain(
      'Sales report'
    );
    const other = summary({ id: 'other', title: 'Other report' });
    m(searchNotebooks).mockResolvedValue({
      items: [other],
      total: 1,
      page: 1,
      perPage: 20
    });
    await click(document.querySelector('.jp-Dialog .jp-mod-warn'));
    await flush(10);
    expect(deleteNotebook).toHaveBeenCalledWith('nb1');
    // The page closes; the list is fetched again.
    expect(c.querySelector('.jp-Atrium-Gallery-detail')).toBeNull();
    expect(searchNotebooks).toHaveBeenCalledTimes(searches + 1);
    expect(texts(c, '.jp-Atrium-Gallery-resultTitle')).toEqual([
      'Other report'
    ]);
  });

  it('keeps Delete away from "Open a copy": folded under More actions, after the preview', async () => {
    const c = await show();
    await openFirst(c);
    const actions = c.querySelector('.page .jp-Atrium-Gallery-actions')!;
    expect(actions.querySelector('.jp-Atrium-Gallery-openCopy')).not.toBeNull();
    expect(actions.querySelector('.jp-Atrium-Gallery-delete')).toBeNull();
    const more = c.querySelector<HTMLDetailsElement>(
      '.jp-Atrium-Gallery-moreActions'
    )!;
    expect(more.tagName).toBe('DETAILS');
    expect(more.open).toBe(false);
    expect(more.querySelector('.jp-Atrium-Gallery-delete')).not.toBeNull();
    const preview = c.querySelector('.jp-Atrium-Gallery-previewSection')!;
    expect(
      preview.compareDocumentPosition(more) & Node.DOCUMENT_POSITION_FOLLOWING
    ).toBeTruthy();
  });

  it('makes the results one Tab stop: arrows, Home and End move, Enter opens the page, Escape comes back', async () => {
    const items = ['a', 'b', 'c'].map(id =>
      summary({ id, title: `Notebook ${id}` })
    );
    m(searchNotebooks).mockResolvedValue({
      items,
      total: 3,
      page: 1,
      perPage: 20
    });
    m(getNotebook).mockImplementation(async id => ({
      summary: items.find(item => item.id === id)!,
      etag: '"v3"'
    }));
    const c = await show();
    const results = c.querySelector('.jp-Atrium-Gallery-results')!;
    const titles = () =>
      Array.from(
        c.querySelectorAll<HTMLButtonElement>('.jp-Atrium-Gallery-resultTitle')
      );
    // One Tab stop for the whole list: nothing else in it is tabbable.
    const tabbable = results.querySelectorAll(
      'button:not([tabindex="-1"]), a[href], input, select'
    );
    expect(tabbable).toHaveLength(1);
    expect(tabbable[0]).toBe(titles()[0]);

    const press = async (key: string) => {
      await act(async () => {
        (document.activeElement as HTMLElement).dispatchEvent(
          new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true })
        );
      });
    };
    titles()[0].focus();
    await press('ArrowDown');
    expect(document.activeElement).toBe(titles()[1]);
    expect(titles().map(t => t.tabIndex)).toEqual([-1, 0, -1]);
    await press('End');
    expect(document.activeElement).toBe(titles()[2]);
    await press('ArrowDown');
    expect(document.activeElement).toBe(titles()[2]);
    await press('Home');
    expect(document.activeElement).toBe(titles()[0]);
    await press('ArrowDown');

    // Enter on a button is its click: the notebook opens and takes the focus.
    await click(document.activeElement);
    await flush(10);
    const detail = c.querySelector<HTMLElement>('.jp-Atrium-Gallery-detail')!;
    expect(detail.getAttribute('data-id')).toBe('b');
    expect(document.activeElement).toBe(detail);

    // Escape: the focus is back on the result; the page stays open.
    await press('Escape');
    await flush();
    expect(c.querySelector('.jp-Atrium-Gallery-detail')).not.toBeNull();
    expect(document.activeElement).toBe(titles()[1]);

    // Not while the sidebar is hidden: the focus stays on the page.
    detail.focus();
    c.querySelector('.jp-Atrium-Gallery-panelBody')!.classList.add(
      'lm-mod-hidden'
    );
    await press('Escape');
    await flush();
    expect(document.activeElement).toBe(detail);
  });

  it('lists versions; views, compares and restores them', async () => {
    const c = await show();
    await openFirst(c);
    await click(c.querySelector('.jp-Atrium-Gallery-versionsButton'));
    await flush();
    const items = c.querySelectorAll('.jp-Atrium-Gallery-versionList > li');
    expect(items).toHaveLength(3);
    expect(texts(c, '.jp-Atrium-Gallery-note')).toEqual([
      'Third',
      'Second',
      'First'
    ]);
    expect(items[0].querySelector('.jp-Atrium-Gallery-diffLatest')).toBeNull();

    // Diff a version with the latest.
    m(getContent).mockImplementation(async (id, v) => ({
      ...notebook(),
      metadata: { v }
    }));
    await click(items[2].querySelector('.jp-Atrium-Gallery-diffLatest'));
    expect(showNotebookDiff).toHaveBeenCalledWith(
      expect.objectContaining({
        before: expect.objectContaining({ metadata: { v: 1 } }),
        after: expect.objectContaining({ metadata: { v: 3 } }),
        beforeLabel: 'Version 1',
        afterLabel: 'Version 3'
      })
    );

    // Compare two ticked versions.
    const compare = c.querySelector<HTMLButtonElement>(
      '.jp-Atrium-Gallery-compare'
    )!;
    expect(compare.disabled).toBe(true);
    await click(items[1].querySelector('input[type="checkbox"]'));
    await click(items[2].querySelector('input[type="checkbox"]'));
    expect(compare.disabled).toBe(false);
    await click(compare);
    expect(showNotebookDiff).toHaveBeenLastCalledWith(
      expect.objectContaining({
        beforeLabel: 'Version 1',
        afterLabel: 'Version 2'
      })
    );

    // Restore as a local copy.
    await click(items[1].querySelector('.jp-Atrium-Gallery-restore'));
    expect(openGalleryCopy).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'nb1', version: 2 })
    );

    // View an old version.
    await click(items[1].querySelector('.jp-Atrium-Gallery-viewVersion'));
    await flush(10);
    expect(getContent).toHaveBeenLastCalledWith('nb1', 2);
    expect(
      c.querySelector('.jp-Atrium-Gallery-viewing')?.textContent
    ).toContain('Showing version 2 of 3.');
    expect(c.querySelector('.jp-Atrium-Gallery-openCopy')?.textContent).toBe(
      'Open a copy of version 2'
    );
  });

  it('shows the inbox count and the incoming requests as text', async () => {
    const c = await show();
    const inbox = c.querySelector('.jp-Atrium-Gallery-tab-inbox')!;
    expect(
      inbox.querySelector('.jp-Atrium-Gallery-count-badge')?.textContent
    ).toBe('2');
    await click(inbox);
    expect(inbox.getAttribute('aria-selected')).toBe('true');
    const panel = c.querySelector('#jp-Atrium-Gallery-tabpanel-inbox')!;
    expect(panel.hasAttribute('hidden')).toBe(false);
    expect(texts(panel, '.jp-Atrium-Gallery-comment')).toEqual([
      'Fixed the totals',
      evil
    ]);
    expect(panel.querySelector('img, script')).toBeNull();
    expect(listChangeRequests).toHaveBeenCalledWith('incoming', 'open');
  });

  it('moves between tabs with the arrow keys', async () => {
    const c = await show();
    const browse = c.querySelector<HTMLElement>(
      '.jp-Atrium-Gallery-tab-browse'
    )!;
    browse.focus();
    await click(browse);
    await act(async () => {
      browse.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true })
      );
    });
    await flush();
    const inbox = c.querySelector('.jp-Atrium-Gallery-tab-inbox')!;
    expect(inbox.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(inbox);
  });

  it('accepts a request with a note and declines one with a comment', async () => {
    m(acceptChangeRequest).mockResolvedValue({
      changeRequest: request({ status: 'accepted', resultVersion: 4 }),
      notebook: summary({ version: 4 })
    });
    m(declineChangeRequest).mockResolvedValue(
      request({ id: 'cr2', status: 'declined' })
    );
    const c = await show();
    await click(c.querySelector('.jp-Atrium-Gallery-tab-inbox'));
    const [first, second] = Array.from(
      c.querySelectorAll(
        '#jp-Atrium-Gallery-tabpanel-inbox .jp-Atrium-Gallery-request'
      )
    );
    await click(first.querySelector('.jp-Atrium-Gallery-accept'));
    await type(first.querySelector('textarea'), 'Thanks!');
    m(listChangeRequests).mockResolvedValue([request({ id: 'cr2' })]);
    await click(first.querySelector('.jp-Atrium-Gallery-confirm'));
    expect(acceptChangeRequest).toHaveBeenCalledWith('cr1', 'Thanks!');
    await flush(10);
    expect(
      c.querySelector(
        '#jp-Atrium-Gallery-tabpanel-inbox .jp-Atrium-Gallery-status'
      )?.textContent
    ).toBe('Accepted: "Sales report" is now at version 4.');
    // The lists are fetched again: the badge follows.
    expect(c.querySelector('.jp-Atrium-Gallery-count-badge')?.textContent).toBe(
      '1'
    );

    const remaining = c.querySelector(
      '#jp-Atrium-Gallery-tabpanel-inbox .jp-Atrium-Gallery-request'
    )!;
    expect(remaining.getAttribute('data-id')).toBe('cr2');
    expect(second.getAttribute('data-id')).toBe('cr2');
    await click(remaining.querySelector('.jp-Atrium-Gallery-decline'));
    // An empty comment is left out.
    await click(remaining.querySelector('.jp-Atrium-Gallery-confirm'));
    expect(declineChangeRequest).toHaveBeenCalledWith('cr2', undefined);
  });

  it('shows a refused decision without losing the request', async () => {
    m(acceptChangeRequest).mockRejectedValue(
      new AtriumRequestError('Only the owner can accept.', 403, 'forbidden')
    );
    const c = await show();
    await click(c.querySelector('.jp-Atrium-Gallery-tab-inbox'));
    const item = c.querySelector(
      '#jp-Atrium-Gallery-tabpanel-inbox .jp-Atrium-Gallery-request'
    )!;
    await click(item.querySelector('.jp-Atrium-Gallery-accept'));
    await click(item.querySelector('.jp-Atrium-Gallery-confirm'));
    expect(item.querySelector('[role="alert"]')?.textContent).toBe(
      'Only the owner can accept.'
    );
    expect(item.querySelector('textarea')).not.toBeNull();
  });

  it('shows the cell diff of a request against its base version', async () => {
    const proposed = { ...notebook(), metadata: { proposed: true } };
    m(getChangeRequest).mockResolvedValue({ ...request(), notebook: proposed });
    const c = await show();
    await click(c.querySelector('.jp-Atrium-Gallery-tab-inbox'));
    await click(
      c.querySelector(
        '#jp-Atrium-Gallery-tabpanel-inbox .jp-Atrium-Gallery-requestDiff'
      )
    );
    expect(getContent).toHaveBeenCalledWith('nb1', 2);
    expect(showNotebookDiff).toHaveBeenCalledWith(
      expect.objectContaining({
        before: notebook(),
        after: proposed,
        beforeLabel: 'Version 2',
        afterLabel: 'Proposed by bob'
      })
    );
  });

  it('lists sent requests with their status and withdraws an open one', async () => {
    m(withdrawChangeRequest).mockResolvedValue(
      request({ id: 'cr8', status: 'withdrawn' })
    );
    const c = await show();
    await click(c.querySelector('.jp-Atrium-Gallery-tab-sent'));
    const panel = c.querySelector('#jp-Atrium-Gallery-tabpanel-sent')!;
    expect(listChangeRequests).toHaveBeenCalledWith('outgoing', 'all');
    const items = panel.querySelectorAll('.jp-Atrium-Gallery-request');
    expect(items[0].getAttribute('data-status')).toBe('declined');
    expect(
      items[0].querySelector('.jp-Atrium-Gallery-decision')?.textContent
    ).toBe('declined by dave. Not now');
    expect(items[0].querySelector('.jp-Atrium-Gallery-withdraw')).toBeNull();
    await click(items[1].querySelector('.jp-Atrium-Gallery-withdraw'));
    await click(items[1].querySelector('.jp-Atrium-Gallery-confirm'));
    expect(withdrawChangeRequest).toHaveBeenCalledWith('cr8');
  });

  it("opens the page of a request's notebook", async () => {
    const c = await show();
    await click(c.querySelector('.jp-Atrium-Gallery-tab-inbox'));
    await click(
      c.querySelector(
        '#jp-Atrium-Gallery-tabpanel-inbox .jp-Atrium-Gallery-requestTitle'
      )
    );
    await flush(10);
    expect(getNotebook).toHaveBeenCalledWith('nb1');
    expect(c.querySelector('.jp-Atrium-Gallery-detailTitle')?.textContent).toBe(
      'Sales report'
    );
  });

  it('survives a service that is down everywhere', async () => {
    const down = new AtriumRequestError('', 0, 'network-error');
    m(getPolicy).mockRejectedValue(down);
    m(searchNotebooks).mockRejectedValue(down);
    m(listTags).mockRejectedValue(down);
    m(listChangeRequests).mockRejectedValue(down);
    const c = await show();
    expect(
      c.querySelector('#jp-Atrium-Gallery-tabpanel-browse [role="alert"]')
    ).not.toBeNull();
    await click(c.querySelector('.jp-Atrium-Gallery-tab-inbox'));
    expect(
      c.querySelector('#jp-Atrium-Gallery-tabpanel-inbox [role="alert"]')
        ?.textContent
    ).toContain('not reachable');
    m(listChangeRequests).mockResolvedValue([]);
    await click(
      c.querySelector(
        '#jp-Atrium-Gallery-tabpanel-inbox .jp-Atrium-Gallery-retry'
      )
    );
    expect(
      c.querySelector(
        '#jp-Atrium-Gallery-tabpanel-inbox .jp-Atrium-Gallery-empty'
      )?.textContent
    ).toBe('No open change requests for your notebooks.');
  });

  it('runs the publish command when it exists', async () => {
    const env = makeEnv();
    const execute = jest.fn();
    env.app.commands.addCommand('atrium-gallery:publish', {
      label: 'Publish',
      execute
    });
    const c = await show(env);
    await click(c.querySelector('.jp-Atrium-Gallery-publish'));
    expect(execute).toHaveBeenCalled();
  });
});
