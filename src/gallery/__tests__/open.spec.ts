import { IDocumentManager } from '@jupyterlab/docmanager';
import type { INotebookContent } from '@jupyterlab/nbformat';
import { Contents } from '@jupyterlab/services';
import { waitForDialog } from '@jupyterlab/testing';
import { nullTranslator } from '@jupyterlab/translation';

import { getContent, getNotebook, listVersions } from '../api';
import {
  ConflictChoice,
  conflictDialog,
  linkedNotebook,
  openGalleryCopy,
  safeFileName
} from '../open';
import { INotebookSummary } from '../types';

jest.mock('../api');

const mockedGetNotebook = getNotebook as jest.MockedFunction<
  typeof getNotebook
>;
const mockedGetContent = getContent as jest.MockedFunction<typeof getContent>;
const mockedListVersions = listVersions as jest.MockedFunction<
  typeof listVersions
>;

const trans = nullTranslator.load('jupyterlab_atrium');

/** What `Contents.IManager` throws: a `ServerConnection.ResponseError`-like error. */
class ResponseError extends Error {
  constructor(readonly response: { status: number }) {
    super(`HTTP ${response.status}`);
  }
}

/**
 * An in-memory contents manager: the edge the browser cannot start (a Jupyter server's
 * file system). It refuses a rename onto a taken name with 409, as jupyter_server does.
 */
class MemoryContents {
  readonly files = new Map<string, Partial<Contents.IModel>>();
  /** Called just before a rename is carried out (to simulate a racing writer). */
  beforeRename: ((to: string) => void) | null = null;
  saves: string[] = [];

  async get(path: string): Promise<Contents.IModel> {
    const model = this.files.get(path);
    if (!model) {
      throw new ResponseError({ status: 404 });
    }
    return { path, name: path.split('/').pop(), ...model } as Contents.IModel;
  }

  async save(
    path: string,
    options: Partial<Contents.IModel>
  ): Promise<Contents.IModel> {
    const parent = path.split('/').slice(0, -1).join('/');
    if (parent && this.files.get(parent)?.type !== 'directory') {
      throw new ResponseError({ status: 404 });
    }
    this.saves.push(path);
    this.files.set(path, { ...options });
    return this.get(path);
  }

  async rename(from: string, to: string): Promise<Contents.IModel> {
    this.beforeRename?.(to);
    if (this.files.has(to)) {
      throw new ResponseError({ status: 409 });
    }
    const model = this.files.get(from);
    if (!model) {
      throw new ResponseError({ status: 404 });
    }
    this.files.delete(from);
    this.files.set(to, model);
    return this.get(to);
  }

  async delete(path: string): Promise<void> {
    this.files.delete(path);
  }
}

function summary(change: Partial<INotebookSummary> = {}): INotebookSummary {
  return {
    id: 'abc123',
    title: 'Sales report',
    description: '',
    tags: [],
    owner: 'alice',
    visibility: 'public',
    version: 3,
    contentHash: 'hash-v3',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-02T00:00:00Z',
    stars: 0,
    starred: false,
    parentId: null,
    canEdit: false,
    health: {
      label: 'unknown',
      score: null,
      reason: 'Too few runs to judge.'
    },
    openChangeRequests: 0,
    ...change
  };
}

function notebook(marker: string): INotebookContent {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
    cells: [{ cell_type: 'markdown', id: 'c1', metadata: {}, source: marker }]
  };
}

function setup() {
  const contents = new MemoryContents();
  const opened: string[] = [];
  const docManager = {
    services: { contents },
    openOrReveal: (path: string) => {
      opened.push(path);
      return undefined;
    }
  } as unknown as IDocumentManager;
  return { contents, opened, docManager };
}

function stored(contents: MemoryContents, path: string): INotebookContent {
  return contents.files.get(path)?.content as INotebookContent;
}

beforeEach(() => {
  jest.resetAllMocks();
  mockedGetNotebook.mockResolvedValue({ summary: summary(), etag: '"v3"' });
  mockedGetContent.mockImplementation(async (id, version) =>
    notebook(`content of v${version ?? 'latest'}`)
  );
  mockedListVersions.mockResolvedValue([
    {
      version: 3,
      note: '',
      author: 'alice',
      createdAt: '',
      contentHash: 'hash-v3',
      size: 1
    },
    {
      version: 2,
      note: '',
      author: 'alice',
      createdAt: '',
      contentHash: 'hash-v2',
      size: 1
    }
  ]);
});

describe('safeFileName', () => {
  it.each([
    ['Sales report', 'Sales report'],
    ['../../etc/passwd', 'etc-passwd'],
    ['a\\b:c*d?e"f<g>h|i', 'a-b-c-d-e-f-g-h-i'],
    ['.hidden', 'hidden'],
    ['  spaced \t\n title  ', 'spaced title'],
    ['<script>alert(1)</script>', 'script-alert(1)--script-'],
    ['', 'notebook'],
    ['...', 'notebook'],
    ['CON', 'CON-notebook'],
    ['ends with dots...', 'ends with dots']
  ])('%p → %p', (title, expected) => {
    expect(safeFileName(title)).toBe(expected);
  });

  it('keeps names short', () => {
    expect(safeFileName('x'.repeat(500)).length).toBe(100);
  });
});

describe('linkedNotebook', () => {
  it('adds the link and keeps other atrium metadata', () => {
    const nb = notebook('x');
    nb.metadata.atrium = { other: 1 };
    const linked = linkedNotebook(nb, {
      id: 'i',
      version: 1,
      contentHash: 'h',
      role: 'copy'
    });
    expect(linked.metadata.atrium).toEqual({
      other: 1,
      gallery: { id: 'i', version: 1, contentHash: 'h', role: 'copy' }
    });
    // The input is not changed.
    expect(nb.metadata.atrium).toEqual({ other: 1 });
  });
});

describe('openGalleryCopy', () => {
  it('writes into a new workspace folder, links the copy and opens it', async () => {
    const { contents, opened, docManager } = setup();
    const resolveConflict = jest.fn();
    const path = await openGalleryCopy({
      docManager,
      id: 'abc123',
      folder: 'work/gallery/',
      resolveConflict
    });
    expect(path).toBe('work/gallery/Sales report.ipynb');
    expect(contents.files.get('work')?.type).toBe('directory');
    expect(contents.files.get('work/gallery')?.type).toBe('directory');
    const nb = stored(contents, path!);
    expect(nb.cells[0].source).toBe('content of vlatest');
    expect(nb.metadata.atrium).toEqual({
      gallery: {
        id: 'abc123',
        version: 3,
        contentHash: 'hash-v3',
        role: 'copy'
      }
    });
    expect(opened).toEqual([path]);
    expect(resolveConflict).not.toHaveBeenCalled();
    // No throw-away file is left behind.
    expect(
      [...contents.files.keys()].filter(p => p.includes('~atrium'))
    ).toEqual([]);
  });

  it('links an owner copy as owner and keeps the fork parent', async () => {
    const { contents, docManager } = setup();
    mockedGetNotebook.mockResolvedValue({
      summary: summary({ canEdit: true, parentId: 'parent1' }),
      etag: '"v3"'
    });
    const path = await openGalleryCopy({
      docManager,
      id: 'abc123',
      folder: ''
    });
    expect(path).toBe('Sales report.ipynb');
    expect(stored(contents, path!).metadata.atrium).toEqual({
      gallery: {
        id: 'abc123',
        version: 3,
        contentHash: 'hash-v3',
        role: 'owner',
        parentId: 'parent1'
      }
    });
  });

  it('uses the summary it is given instead of fetching it', async () => {
    const { docManager } = setup();
    await openGalleryCopy({
      docManager,
      id: 'abc123',
      folder: '',
      summary: summary()
    });
    expect(mockedGetNotebook).not.toHaveBeenCalled();
  });

  it('restores an older version under its own name with its own hash', async () => {
    const { contents, docManager } = setup();
    const path = await openGalleryCopy({
      docManager,
      id: 'abc123',
      version: 2,
      folder: 'g'
    });
    expect(path).toBe('g/Sales report v2.ipynb');
    expect(mockedGetContent).toHaveBeenCalledWith('abc123', 2);
    const nb = stored(contents, path!);
    expect(nb.cells[0].source).toBe('content of v2');
    expect(nb.metadata.atrium).toEqual({
      gallery: {
        id: 'abc123',
        version: 2,
        contentHash: 'hash-v2',
        role: 'copy'
      }
    });
  });

  describe('when the file exists', () => {
    async function withExisting(choice: ConflictChoice) {
      const env = setup();
      await env.contents.save('g', { type: 'directory' });
      await env.contents.save('g/Sales report.ipynb', {
        type: 'notebook',
        content: notebook('MINE')
      });
      await env.contents.save('g/Sales report (1).ipynb', {
        type: 'notebook',
        content: notebook('MINE TOO')
      });
      const resolveConflict = jest.fn(async () => choice);
      const path = await openGalleryCopy({
        docManager: env.docManager,
        id: 'abc123',
        folder: 'g',
        resolveConflict
      });
      return { ...env, path, resolveConflict };
    }

    it('asks, offering a free name', async () => {
      const { resolveConflict } = await withExisting('cancel');
      expect(resolveConflict).toHaveBeenCalledWith(
        'g/Sales report.ipynb',
        'g/Sales report (2).ipynb'
      );
    });

    it('cancel: writes nothing, opens nothing', async () => {
      const { path, contents, opened } = await withExisting('cancel');
      expect(path).toBeNull();
      expect(opened).toEqual([]);
      expect(stored(contents, 'g/Sales report.ipynb').cells[0].source).toBe(
        'MINE'
      );
      expect(contents.files.size).toBe(3);
    });

    it('open existing: opens it untouched', async () => {
      const { path, contents, opened } = await withExisting('open-existing');
      expect(path).toBe('g/Sales report.ipynb');
      expect(opened).toEqual(['g/Sales report.ipynb']);
      expect(stored(contents, path!).cells[0].source).toBe('MINE');
      expect(contents.files.size).toBe(3);
    });

    it('save as new: writes the free name, the others untouched', async () => {
      const { path, contents, opened } = await withExisting('save-as-new');
      expect(path).toBe('g/Sales report (2).ipynb');
      expect(opened).toEqual([path]);
      expect(stored(contents, path!).cells[0].source).toBe(
        'content of vlatest'
      );
      expect(stored(contents, 'g/Sales report.ipynb').cells[0].source).toBe(
        'MINE'
      );
      expect(stored(contents, 'g/Sales report (1).ipynb').cells[0].source).toBe(
        'MINE TOO'
      );
    });
  });

  it('never overwrites a file created between the check and the write', async () => {
    const { contents, docManager, opened } = setup();
    let raced = false;
    contents.beforeRename = to => {
      if (!raced && to === 'Sales report.ipynb') {
        raced = true;
        contents.files.set(to, {
          type: 'notebook',
          content: notebook('RACER')
        });
      }
    };
    const resolveConflict = jest.fn(async () => 'save-as-new' as const);
    const path = await openGalleryCopy({
      docManager,
      id: 'abc123',
      folder: '',
      resolveConflict
    });
    expect(raced).toBe(true);
    expect(resolveConflict).toHaveBeenCalledWith(
      'Sales report.ipynb',
      'Sales report (1).ipynb'
    );
    expect(path).toBe('Sales report (1).ipynb');
    expect(stored(contents, 'Sales report.ipynb').cells[0].source).toBe(
      'RACER'
    );
    expect(opened).toEqual([path]);
    expect(
      [...contents.files.keys()].filter(p => p.includes('~atrium'))
    ).toEqual([]);
  });

  it('refuses a workspace folder that is a file', async () => {
    const { contents, docManager } = setup();
    await contents.save('g', { type: 'file', content: 'x' });
    await expect(
      openGalleryCopy({ docManager, id: 'abc123', folder: 'g' })
    ).rejects.toThrow(/not a folder/);
  });

  it('passes gallery errors on and writes nothing', async () => {
    const { contents, docManager } = setup();
    mockedGetContent.mockRejectedValue(new Error('gone'));
    await expect(
      openGalleryCopy({ docManager, id: 'abc123', folder: 'g' })
    ).rejects.toThrow('gone');
    expect(contents.files.size).toBe(0);
  });
});

describe('conflictDialog', () => {
  async function choose(buttonSelector: string): Promise<ConflictChoice> {
    const pending = conflictDialog(trans)(
      'g/Report.ipynb',
      'g/Report (1).ipynb'
    );
    await waitForDialog();
    const dialog = document.body.querySelector('.jp-Dialog')!;
    expect(dialog.textContent).toContain('g/Report.ipynb');
    expect(dialog.textContent).toContain('Save as Report (1).ipynb');
    (dialog.querySelector(buttonSelector) as HTMLButtonElement).click();
    return pending;
  }

  it('offers to open the existing file', async () => {
    expect(await choose('.jp-Atrium-Gallery-conflictOpen')).toBe(
      'open-existing'
    );
  });

  it('offers to save under the free name', async () => {
    expect(await choose('.jp-Atrium-Gallery-conflictSaveAs')).toBe(
      'save-as-new'
    );
  });

  it('can be cancelled', async () => {
    expect(await choose('.jp-mod-reject')).toBe('cancel');
  });
});
