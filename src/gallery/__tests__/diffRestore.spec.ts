/**
 * The diff tabs after a reload: what the restorer saves for a tab (ids, never content),
 * the command that opens it again from those ids, and what it fetches to do so.
 */
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';

const reopenDiff = jest.fn();
jest.mock('../diff/reopen', () => ({
  reopenDiff: (...args: unknown[]) => reopenDiff(...args)
}));

const getContent = jest.fn();
const getNotebook = jest.fn();
const getChangeRequest = jest.fn();
const getPolicy = jest.fn();
jest.mock('../api', () => ({
  getPolicy: () => getPolicy(),
  getContent: (...args: unknown[]) => getContent(...args),
  getNotebook: (...args: unknown[]) => getNotebook(...args),
  getChangeRequest: (...args: unknown[]) => getChangeRequest(...args)
}));

import { registerDiffTabs, trackDiffTab } from '../diff/restore';
import {
  diffSourceName,
  diffSourceOf,
  DIFF_NAMESPACE,
  OPEN_DIFF_COMMAND
} from '../diff/source';

const trans = nullTranslator.load('jupyterlab_atrium');
const ID = 'a'.repeat(32);

describe('diffSourceOf', () => {
  it('takes the versions of a notebook and a change request', () => {
    expect(
      diffSourceOf({ kind: 'versions', id: ID, before: 1, after: 3 })
    ).toEqual({ kind: 'versions', id: ID, before: 1, after: 3 });
    expect(diffSourceOf({ kind: 'request', request: 'b'.repeat(32) })).toEqual({
      kind: 'request',
      request: 'b'.repeat(32)
    });
  });

  it('refuses stale or foreign state', () => {
    expect(diffSourceOf({})).toBeNull();
    expect(diffSourceOf({ kind: 'versions', id: ID, before: 1 })).toBeNull();
    expect(
      diffSourceOf({ kind: 'versions', id: '../x', before: 1, after: 2 })
    ).toBeNull();
    expect(
      diffSourceOf({ kind: 'versions', id: ID, before: 0, after: 1.5 })
    ).toBeNull();
    expect(diffSourceOf({ kind: 'request', request: 7 })).toBeNull();
    expect(diffSourceOf({ kind: 'local', path: '' })).toBeNull();
    expect(diffSourceOf({ kind: 'local', path: 'a.ipynb' })).toEqual({
      kind: 'local',
      path: 'a.ipynb'
    });
  });

  it('names one tab per diff', () => {
    expect(
      diffSourceName({ kind: 'versions', id: ID, before: 1, after: 2 })
    ).not.toBe(
      diffSourceName({ kind: 'versions', id: ID, before: 2, after: 1 })
    );
  });
});

describe('registerDiffTabs', () => {
  it('saves the ids of a tracked tab, and its command opens them again', async () => {
    const restore = jest.fn(() => Promise.resolve());
    const commands = new CommandRegistry();
    const app = { commands } as never;
    registerDiffTabs(app, { restore } as never, null);
    const [tracker, options] = restore.mock.calls[0] as unknown as [
      { namespace: string; has: (w: Widget) => boolean },
      {
        command: string;
        args: (widget: Widget) => ReadonlyPartialJSONObject;
        name: (widget: Widget) => string;
      }
    ];
    expect(tracker.namespace).toBe(DIFF_NAMESPACE);
    expect(options.command).toBe(OPEN_DIFF_COMMAND);

    const tab = new Widget();
    tab.id = 'atrium-gallery-diff-1';
    const source = { kind: 'versions', id: ID, before: 2, after: 4 } as const;
    await trackDiffTab(tab, source);
    expect(tracker.has(tab)).toBe(true);
    expect(options.args(tab)).toEqual(source);
    expect(options.name(tab)).toBe(diffSourceName(source));
    // A tab without ids (a diff with the user's own notebook) is not saved.
    expect(options.name(new Widget())).toBe('');

    await commands.execute(OPEN_DIFF_COMMAND, options.args(tab));
    expect(reopenDiff).toHaveBeenCalledWith(app, source, null);
    // Stale state makes the command fail, so that the restorer forgets it.
    await expect(
      commands.execute(OPEN_DIFF_COMMAND, { kind: 'versions' })
    ).rejects.toThrow(/no valid diff/);
  });
});

describe('diffOptionsOf', () => {
  // The real module, not the mock above.
  const { diffOptionsOf } = jest.requireActual('../diff/reopen');

  it('fetches both versions and the title of the notebook', async () => {
    getContent.mockImplementation((_id: string, v: number) =>
      Promise.resolve({ version: v })
    );
    getNotebook.mockResolvedValue({ summary: { title: 'Intro' } });
    const options = await diffOptionsOf(
      { kind: 'versions', id: ID, before: 1, after: 2 },
      { trans, translator: null }
    );
    expect(getContent).toHaveBeenCalledWith(ID, 1);
    expect(getContent).toHaveBeenCalledWith(ID, 2);
    expect(options.title).toBe('Intro: version 1 → version 2');
    expect(options.before).toEqual({ version: 1 });
    expect(options.after).toEqual({ version: 2 });
    expect(options.source).toEqual({
      kind: 'versions',
      id: ID,
      before: 1,
      after: 2
    });
  });

  it('fetches a change request and the version it was made against', async () => {
    getChangeRequest.mockResolvedValue({
      notebookId: ID,
      baseVersion: 3,
      author: 'bob',
      notebookTitle: 'Intro',
      notebook: { proposed: true }
    });
    getContent.mockResolvedValue({ base: true });
    const options = await diffOptionsOf(
      { kind: 'request', request: 'c'.repeat(32) },
      { trans, translator: null }
    );
    expect(getChangeRequest).toHaveBeenCalledWith('c'.repeat(32));
    expect(getContent).toHaveBeenLastCalledWith(ID, 3);
    expect(options.title).toBe('Change request by bob for "Intro"');
    expect(options.after).toEqual({ proposed: true });
  });

  it('rejects when the notebook is gone (the restorer then forgets the tab)', async () => {
    getContent.mockRejectedValue(new Error('404'));
    getNotebook.mockRejectedValue(new Error('404'));
    await expect(
      diffOptionsOf(
        { kind: 'versions', id: ID, before: 1, after: 2 },
        { trans, translator: null }
      )
    ).rejects.toThrow('404');
  });

  /** A linked notebook file as the contents API returns it. */
  function file(link: unknown) {
    return {
      name: 'ward.ipynb',
      content: {
        cells: [
          {
            cell_type: 'code',
            id: 'c1',
            source: 'x = 1',
            metadata: {},
            outputs: [
              { output_type: 'stream', name: 'stdout', text: 'secret' }
            ],
            execution_count: 3
          }
        ],
        metadata: { atrium: { gallery: link } },
        nbformat: 4,
        nbformat_minor: 5
      }
    };
  }

  it('reads a linked notebook from its file, stripped, against the gallery', async () => {
    const link = { id: ID, version: 2, contentHash: 'h', role: 'owner' };
    const contents = { get: jest.fn().mockResolvedValue(file(link)) };
    getContent.mockResolvedValue({ gallery: true });
    getNotebook.mockResolvedValue({ summary: { title: 'Ward', version: 4 } });
    getPolicy.mockResolvedValue({ allowAttachments: false });
    const options = await diffOptionsOf(
      { kind: 'local', path: 'wards/ward.ipynb' },
      { trans, translator: null, contents }
    );
    expect(contents.get).toHaveBeenCalledWith('wards/ward.ipynb', {
      type: 'notebook',
      content: true
    });
    expect(getContent).toHaveBeenLastCalledWith(ID);
    expect(options.title).toBe('ward.ipynb and the gallery');
    expect(options.beforeLabel).toBe('gallery version 4');
    expect(options.before).toEqual({ gallery: true });
    // Stripped as it would be sent: the outputs are not compared.
    expect(JSON.stringify(options.after)).toContain('x = 1');
    expect(JSON.stringify(options.after)).not.toContain('secret');
  });

  it('rejects a file no longer linked (the restorer then forgets the tab)', async () => {
    const contents = { get: jest.fn().mockResolvedValue(file(undefined)) };
    await expect(
      diffOptionsOf(
        { kind: 'local', path: 'ward.ipynb' },
        { trans, translator: null, contents }
      )
    ).rejects.toThrow(/no longer linked/);
  });
});
