/**
 * `showNotebookDiff` opening a main-area tab once the gallery has given it the
 * application (a dialog otherwise), with nbdime's diff drawn in it.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget } from '@jupyterlab/apputils';
import { dismissDialog, waitForDialog } from '@jupyterlab/testing';
import { Widget } from '@lumino/widgets';
import {
  IRenderMimeRegistry,
  RenderMimeRegistry,
  standardRendererFactories
} from '@jupyterlab/rendermime';

import { showNotebookDiff } from '../diff';
import { setDiffHost } from '../diff/host';

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

/** Resolves once `ready()` holds, polling; fails after 10 s. */
async function waitFor(ready: () => boolean): Promise<void> {
  const deadline = Date.now() + 10000;
  while (!ready()) {
    if (Date.now() > deadline) {
      throw new Error('timed out');
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

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
    const rendermime = new RenderMimeRegistry({
      initialFactories: standardRendererFactories
    });
    const resolveRequiredService = async (token: unknown) => {
      expect(token).toBe(IRenderMimeRegistry);
      return rendermime;
    };
    return { shell, resolveRequiredService } as unknown as JupyterFrontEnd;
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

  it("draws nbdime's diff under the summary, unchanged cells hidden", async () => {
    const added: Widget[] = [];
    setDiffHost(fakeApp(added));
    await showNotebookDiff(options);
    const node = added[0].node;
    // The summary is React's: rendered on the widget's next update.
    await waitFor(() =>
      node.textContent!.includes(
        '0 added, 0 removed, 1 changed, 4 unchanged cells.'
      )
    );
    const root = node.querySelector('.jp-Atrium-GalleryDiff-nbdime')!;
    expect(root.getAttribute('aria-busy')).toBe('true');
    await waitFor(() => root.querySelector('.jp-Notebook-diff') !== null);
    await waitFor(() => !root.hasAttribute('aria-busy'));
    expect(root.querySelector('.jp-Atrium-GalleryDiff-error')).toBeNull();
    expect(root.querySelectorAll('.jp-Cell-diff')).toHaveLength(5);
    expect(
      root.querySelectorAll('.jp-Cell-diff.jp-Diff-unchanged')
    ).toHaveLength(4);
    expect(root.classList).toContain('jp-mod-hideUnchanged');
    added[0].dispose();
  });

  it('shows the notebooks are the same without loading nbdime', async () => {
    const added: Widget[] = [];
    setDiffHost(fakeApp(added));
    await showNotebookDiff({ ...options, after: BEFORE });
    await waitFor(() =>
      added[0].node.textContent!.includes('The notebooks are the same.')
    );
    expect(
      added[0].node.querySelector('.jp-Atrium-GalleryDiff-nbdime')
    ).toBeNull();
    added[0].dispose();
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
