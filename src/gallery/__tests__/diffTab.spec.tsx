/**
 * The side-by-side diff: rows that put removed lines beside their replacements, runs of
 * unchanged cells collapsed, and `showNotebookDiff` opening a main-area tab once the
 * gallery has given it the application (a dialog otherwise).
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget } from '@jupyterlab/apputils';
import { dismissDialog, waitForDialog } from '@jupyterlab/testing';
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import * as React from 'react';
import { createRoot } from 'react-dom/client';

import { showNotebookDiff } from '../diff';
import { diffBlocks, diffNotebooks, sideBySide } from '../diff/diff';
import { setDiffHost } from '../diff/host';
import { SideBySideDiff } from '../diff/sideBySide';

const trans = nullTranslator.load('jupyterlab_atrium');

const act = React.act;

/** React's act() for the roots this file renders itself (not for ReactWidgets). */
function actEnvironment(on: boolean): void {
  (
    globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
  ).IS_REACT_ACT_ENVIRONMENT = on;
}

function nb(sources: string[]) {
  return {
    cells: sources.map((source, index) => ({
      cell_type: 'code',
      id: `c${index}`,
      source,
      metadata: {},
      outputs: [],
      execution_count: null
    })),
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5
  };
}

const BEFORE = nb(['# one', 'a = 1\nb = 2', 'print(a)', 'print(b)', 'done()']);
const AFTER = nb(['# one', 'a = 1\nb = 3', 'print(a)', 'print(b)', 'done()']);

describe('sideBySide', () => {
  it('puts removed lines beside the lines that replace them', () => {
    expect(
      sideBySide([
        { kind: 'same', text: 'a' },
        { kind: 'removed', text: 'b' },
        { kind: 'removed', text: 'c' },
        { kind: 'added', text: 'B' },
        { kind: 'same', text: 'd' },
        { kind: 'added', text: 'e' }
      ])
    ).toEqual([
      {
        before: { kind: 'same', text: 'a' },
        after: { kind: 'same', text: 'a' }
      },
      {
        before: { kind: 'removed', text: 'b' },
        after: { kind: 'added', text: 'B' }
      },
      { before: { kind: 'removed', text: 'c' }, after: null },
      {
        before: { kind: 'same', text: 'd' },
        after: { kind: 'same', text: 'd' }
      },
      { before: null, after: { kind: 'added', text: 'e' } }
    ]);
  });
});

describe('diffBlocks', () => {
  it('makes each run of unchanged cells one block', () => {
    const blocks = diffBlocks(diffNotebooks(BEFORE, AFTER));
    expect(
      blocks.map(b => (b.kind === 'unchanged' ? b.cells.length : 'changed'))
    ).toEqual([1, 'changed', 3]);
  });
});

describe('SideBySideDiff', () => {
  beforeAll(() => actEnvironment(true));
  afterAll(() => actEnvironment(false));

  it('shows the changed cell side by side and the unchanged ones collapsed', async () => {
    const host = document.createElement('div');
    document.body.appendChild(host);
    const root = createRoot(host);
    await act(async () => {
      root.render(
        <SideBySideDiff
          diff={diffNotebooks(BEFORE, AFTER)}
          head={null}
          beforeLabel="gallery"
          afterLabel="yours"
          trans={trans}
        />
      );
    });
    const cells = host.querySelectorAll('.jp-Atrium-GalleryDiff-cell');
    expect(cells).toHaveLength(1);
    const before = [...cells[0].querySelectorAll('.jp-mod-before')].map(
      e => e.textContent
    );
    const after = [...cells[0].querySelectorAll('.jp-mod-after')].map(
      e => e.textContent
    );
    expect(before).toEqual(['a = 1', 'b = 2']);
    expect(after).toEqual(['a = 1', 'b = 3']);
    expect(
      cells[0].querySelector('.jp-mod-before.jp-mod-removed')?.textContent
    ).toBe('b = 2');
    const toggles = [
      ...host.querySelectorAll('.jp-Atrium-GalleryDiff-toggle')
    ].map(e => e.textContent);
    expect(toggles).toEqual([
      'Show 1 unchanged cell',
      'Show 3 unchanged cells'
    ]);
    expect(host.textContent).not.toContain('print(a)');

    const last = host.querySelectorAll<HTMLButtonElement>(
      '.jp-Atrium-GalleryDiff-toggle'
    )[1];
    await act(async () => last.click());
    expect(host.textContent).toContain('print(a)');
    expect(last.getAttribute('aria-expanded')).toBe('true');
    await act(async () => root.unmount());
    host.remove();
  });

  it('says the cells are the same when only the notebook metadata changed', async () => {
    const host = document.createElement('div');
    const root = createRoot(host);
    const after = { ...BEFORE, metadata: { title: 'New' } };
    await act(async () => {
      root.render(
        <SideBySideDiff
          diff={diffNotebooks(BEFORE, after)}
          head={[{ kind: 'added', text: '"title": "New"' }]}
          beforeLabel="gallery"
          afterLabel="yours"
          trans={trans}
        />
      );
    });
    expect(host.textContent).toContain(
      'The cells are the same; the notebook metadata changed.'
    );
    expect(host.querySelectorAll('.jp-Atrium-GalleryDiff-cell')).toHaveLength(
      0
    );
    await act(async () => root.unmount());
  });
});

describe('showNotebookDiff', () => {
  afterEach(() => setDiffHost(null));

  function fakeApp(added: Widget[]): JupyterFrontEnd {
    const shell = {
      add: (widget: Widget, area: string) => {
        expect(area).toBe('main');
        added.push(widget);
        Widget.attach(widget, document.body);
      },
      activateById: jest.fn()
    };
    return { shell } as unknown as JupyterFrontEnd;
  }

  const options = {
    title: 'Gallery and your notebook',
    before: BEFORE,
    after: AFTER,
    beforeLabel: 'gallery',
    afterLabel: 'your notebook'
  };

  it('opens a main-area tab, replacing an open one with the same title', async () => {
    const added: Widget[] = [];
    setDiffHost(fakeApp(added));
    await showNotebookDiff(options);
    expect(added).toHaveLength(1);
    expect(added[0]).toBeInstanceOf(MainAreaWidget);
    expect(added[0].title.label).toBe('Gallery and your notebook');
    await showNotebookDiff(options);
    expect(added).toHaveLength(2);
    expect(added[0].isDisposed).toBe(true);
    added[1].dispose();
  });

  it('with waitForClose, resolves once the tab is closed', async () => {
    const added: Widget[] = [];
    setDiffHost(fakeApp(added));
    let done = false;
    const shown = showNotebookDiff({ ...options, waitForClose: true }).then(
      () => (done = true)
    );
    // The tab is added before the first await (the call opens it synchronously).
    expect(added).toHaveLength(1);
    expect(done).toBe(false);
    added[0].dispose();
    await shown;
    expect(done).toBe(true);
  });

  it('without an application, shows the text diff in a dialog', async () => {
    const shown = showNotebookDiff(options);
    await waitForDialog();
    expect(
      document.querySelector('.jp-Dialog .jp-Atrium-Gallery-diffBody')
    ).not.toBeNull();
    await dismissDialog();
    await shown;
  });
});
