/**
 * The dialogs' logic: field rules, what-will-be-removed lines, the submit dialog that
 * keeps the user's input on a server error, the conflict loop (never a silent write) and
 * the outgoing notebook prepared straight from a real notebook model.
 */
import * as fs from 'fs';
import * as path from 'path';

import { Dialog } from '@jupyterlab/apputils';
import { dismissDialog, waitForDialog } from '@jupyterlab/testing';
import { nullTranslator } from '@jupyterlab/translation';

import { AtriumRequestError } from '../../common/request';
import {
  ConflictChoice,
  IFlowApi,
  IFlowContext,
  INotebookTarget,
  changeRequestFlow,
  describeFailure,
  diffFlow,
  prepareOutgoing,
  publishFlow,
  resolveConflict,
  updateFlow
} from '../actions';
import { GalleryConflictError, GalleryNotStrippedError } from '../api';
import {
  IPublishFields,
  formatBytes,
  parseTags,
  removalLines,
  validateFields
} from '../dialogs/fields';
import { SubmitDialog } from '../dialogs/form';
import { PublishBody } from '../dialogs/forms';
import { contentHash } from '../hash';
import { readLink, writeLink } from '../link';
import { emptyReport } from '../rules';
import { stripNotebook } from '../strip';
import { GallerySync } from '../sync';
import {
  DEFAULT_SETTINGS,
  IGalleryPolicy,
  INotebookSummary,
  normalizeSettings
} from '../types';

const trans = nullTranslator.load('jupyterlab_atrium');

const POLICY: IGalleryPolicy = {
  maxNotebookBytes: 16 * 1024 * 1024,
  allowAttachments: false,
  admin: false,
  user: 'alice',
  apiVersion: 1
};

function summary(version: number): INotebookSummary {
  return {
    id: 'nb1',
    title: 'Analysis',
    description: '',
    tags: [],
    owner: 'alice',
    visibility: 'public',
    version,
    contentHash: `h${version}`,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-02T00:00:00Z',
    stars: 0,
    starred: false,
    parentId: null,
    canEdit: true,
    health: {
      label: 'unknown',
      score: null,
      reason: 'Too few runs to judge.'
    },
    openChangeRequests: 0
  };
}

describe('fields', () => {
  it('parses tags from commas and spaces, dropping # and duplicates', () => {
    expect(parseTags(' #pandas, stats  Pandas,,ml ')).toEqual([
      'pandas',
      'stats',
      'ml'
    ]);
    expect(parseTags('')).toEqual([]);
  });

  it('checks the limits the service enforces', () => {
    const ok = { title: 'A', description: '', tags: 'a, b' };
    expect(validateFields(ok, trans)).toBeNull();
    expect(validateFields({ ...ok, title: '  ' }, trans)).toMatch(/title/);
    expect(validateFields({ ...ok, title: 'x'.repeat(201) }, trans)).toMatch(
      /200/
    );
    expect(
      validateFields({ ...ok, description: 'x'.repeat(5001) }, trans)
    ).toMatch(/5000/);
    expect(
      validateFields(
        {
          ...ok,
          tags: Array.from({ length: 21 }, (_, i) => `t${i}`).join(',')
        },
        trans
      )
    ).toMatch(/20/);
    expect(validateFields({ ...ok, tags: 'x'.repeat(41) }, trans)).toMatch(
      /40/
    );
    expect(validateFields({ ...ok, tags: 'bad/tag' }, trans)).toMatch(
      /bad\/tag/
    );
  });

  it('lists what will be removed, per kind, without the local link', () => {
    const report = {
      ...emptyReport(),
      outputs: 3,
      widgetState: 1,
      attachments: 2,
      galleryLink: 1
    };
    expect(removalLines(report, trans)).toEqual([
      { kind: 'outputs', text: '3 outputs' },
      { kind: 'widgetState', text: 'widget state (1 entry)' },
      { kind: 'attachments', text: '2 attachments' }
    ]);
    expect(removalLines(emptyReport(), trans)).toEqual([]);
  });

  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3.4 * 1024)).toBe('3.4 KB');
    expect(formatBytes(16 * 1024 * 1024)).toBe('16 MB');
  });

  it('shows the problems of a 422 and the message of a 413', () => {
    expect(
      describeFailure(
        new GalleryNotStrippedError('Refused', ['Cell 1 still has outputs.']),
        trans
      )
    ).toEqual({ message: 'Refused', details: ['Cell 1 still has outputs.'] });
    expect(
      describeFailure(
        new AtriumRequestError('Too big', 413, 'too-large'),
        trans
      ).message
    ).toBe('Too big');
  });
});

describe('settings', () => {
  it('the schema has a default for every setting, equal to the code defaults', () => {
    const schema = JSON.parse(
      fs.readFileSync(
        path.resolve(__dirname, '..', '..', '..', 'schema', 'gallery.json'),
        'utf-8'
      )
    );
    expect(schema.additionalProperties).toBe(false);
    const defaults = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => [
        key,
        (value as { default: unknown }).default
      ])
    );
    expect(defaults).toEqual({ ...DEFAULT_SETTINGS });
    expect(normalizeSettings(defaults)).toEqual(DEFAULT_SETTINGS);
  });

  it('replaces malformed values by defaults', () => {
    expect(
      normalizeSettings({
        pageSize: 0,
        syncIntervalSeconds: 'x',
        warnAboutSecrets: false
      })
    ).toEqual({ ...DEFAULT_SETTINGS, warnAboutSecrets: false });
  });
});

function publishBody(initial: Partial<IPublishFields> = {}) {
  return new PublishBody(
    {
      title: 'Analysis',
      description: '',
      tags: '',
      visibility: 'public',
      acknowledged: false,
      ...initial
    },
    { report: emptyReport(), secrets: [], sizeBytes: 100, maxBytes: 1000 },
    trans
  );
}

function flush() {
  return new Promise(resolve => setTimeout(resolve, 0));
}

describe('SubmitDialog', () => {
  it('shows a server error in the dialog, keeps the input, and succeeds on retry', async () => {
    const body = publishBody();
    const attempts: IPublishFields[] = [];
    const dialog = new SubmitDialog({
      title: 'Publish',
      body,
      busyText: 'busy',
      buttons: [Dialog.cancelButton(), Dialog.okButton({ label: 'Publish' })],
      describe: error => describeFailure(error, trans),
      submit: async (fields: IPublishFields) => {
        attempts.push(fields);
        if (attempts.length === 1) {
          throw new AtriumRequestError(
            'Tag "x y" is not valid',
            400,
            'bad-request'
          );
        }
        return 'published';
      }
    });
    const launched = dialog.launch();
    await flush();
    body.onChange({ ...body.value, title: 'Edited', tags: 'x y' });
    dialog.resolve(1);
    await flush();
    expect(dialog.isDisposed).toBe(false);
    expect(body.state.error).toBe('Tag "x y" is not valid');
    expect(body.value.title).toBe('Edited');
    dialog.resolve(1);
    const result = await launched;
    expect(result.button.accept).toBe(true);
    expect(dialog.result).toBe('published');
    expect(attempts.map(a => a.title)).toEqual(['Edited', 'Edited']);
  });

  it('does not send fields the service would refuse', async () => {
    const body = publishBody({ title: '' });
    const submit = jest.fn(async () => 'x');
    const dialog = new SubmitDialog({
      title: 'Publish',
      body,
      busyText: 'busy',
      buttons: [Dialog.cancelButton(), Dialog.okButton()],
      describe: () => ({ message: '' }),
      submit
    });
    const launched = dialog.launch();
    await flush();
    dialog.resolve(1);
    await flush();
    expect(submit).not.toHaveBeenCalled();
    expect(body.state.error).toBeTruthy();
    dialog.resolve(0);
    expect((await launched).button.accept).toBe(false);
  });

  it('requires the likely secrets to be acknowledged', () => {
    const body = new PublishBody(
      {
        title: 'A',
        description: '',
        tags: '',
        visibility: 'public',
        acknowledged: false
      },
      {
        report: emptyReport(),
        secrets: [
          {
            cell: 0,
            cellId: 'c',
            line: 1,
            kind: 'k',
            label: 'Token',
            excerpt: 'x'
          }
        ],
        sizeBytes: 10,
        maxBytes: 0
      },
      trans
    );
    expect(body.validate(body.value)).toMatch(/secret/);
    expect(body.validate({ ...body.value, acknowledged: true })).toBeNull();
  });
});

function conflictSetup(choices: ConflictChoice[]) {
  const calls: string[] = [];
  const api: IFlowApi = {
    publishNotebook: jest.fn(),
    getNotebook: jest.fn(async () => ({ summary: summary(5), etag: '"v5"' })),
    getContent: jest.fn(async () => {
      calls.push('content');
      return { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    }),
    createChangeRequest: jest.fn(),
    updateNotebook: jest.fn(async (id: string, etag: string) => {
      calls.push(`update ${etag}`);
      if (etag === '"v4"') {
        // Someone published again while the user was deciding.
        throw new GalleryConflictError('stale', summary(5));
      }
      return { summary: summary(6), etag: '"v6"' };
    })
  };
  const asked: number[] = [];
  const ctx: IFlowContext = {
    trans,
    translator: null,
    settings: () => DEFAULT_SETTINGS,
    policy: async () => POLICY,
    api,
    openCopy: async (id, version) => {
      calls.push(`open ${id} v${version}`);
      return 'gallery/Analysis.ipynb';
    },
    askConflict: async current => {
      asked.push(current.version);
      return choices.shift() ?? 'cancel';
    },
    showDiff: async () => {
      calls.push('diff');
    }
  };
  const link = {
    id: 'nb1',
    version: 3,
    contentHash: 'x',
    role: 'owner' as const
  };
  const sync = new GallerySync({
    host: { readLink: () => link, localHash: async () => 'x' },
    api: { getNotebook: async () => ({ summary: summary(3), etag: '"v3"' }) },
    intervalSeconds: 60,
    poll: false
  });
  const target = { sync } as unknown as INotebookTarget;
  const prepared = {
    notebook: { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 },
    hash: 'x',
    report: emptyReport(),
    secrets: [],
    sizeBytes: 1,
    maxBytes: 0
  };
  return { ctx, target, prepared, calls, asked, sync };
}

describe('resolveConflict', () => {
  it('writes nothing when the user views the diff and cancels', async () => {
    const { ctx, target, prepared, calls, asked, sync } = conflictSetup([
      'diff',
      'cancel'
    ]);
    await sync.check();
    const result = await resolveConflict(
      ctx,
      target,
      prepared,
      'note',
      new GalleryConflictError('stale', summary(4))
    );
    expect(result).toBeNull();
    expect(calls).toEqual(['content', 'diff']);
    expect(asked).toEqual([4, 4]);
    expect(ctx.api.getContent).toHaveBeenCalledWith('nb1', 4);
    sync.dispose();
  });

  it('overwrites only after the choice, with the ETag of the version shown; asks again on a second conflict', async () => {
    const { ctx, target, prepared, calls, asked, sync } = conflictSetup([
      'overwrite',
      'overwrite'
    ]);
    await sync.check();
    const result = await resolveConflict(
      ctx,
      target,
      prepared,
      'note',
      new GalleryConflictError('stale', summary(4))
    );
    expect(calls).toEqual(['update "v4"', 'update "v5"']);
    expect(asked).toEqual([4, 5]);
    expect(result?.summary.version).toBe(6);
    expect(ctx.api.updateNotebook).toHaveBeenLastCalledWith('nb1', '"v5"', {
      notebook: prepared.notebook,
      note: 'note'
    });
    sync.dispose();
  });

  it('opens the gallery version instead, and fetches the current summary when the 409 had none', async () => {
    const { ctx, target, prepared, calls, asked, sync } = conflictSetup([
      'open'
    ]);
    await sync.check();
    const result = await resolveConflict(
      ctx,
      target,
      prepared,
      '',
      new GalleryConflictError('stale', null)
    );
    expect(result).toBeNull();
    expect(asked).toEqual([5]);
    expect(calls).toEqual(['open nb1 v5']);
    sync.dispose();
  });
});

type Json = Record<string, unknown>;

/**
 * A notebook model stand-in with the parts the strip and the link read (a real
 * NotebookModel needs a single Yjs instance, which jest's module loading does not give).
 */
class FakeModel {
  constructor(nb: Json) {
    this.meta = new Map(Object.entries(nb.metadata as Json));
    this.nbformat = nb.nbformat as number;
    this.nbformatMinor = nb.nbformat_minor as number;
    this.cellData = (nb.cells as Json[]).map(cell => ({ ...cell }));
  }
  meta: Map<string, unknown>;
  nbformat: number;
  nbformatMinor: number;
  cellData: Json[];
  sharedModel = {};
  get metadata(): Json {
    return JSON.parse(JSON.stringify(Object.fromEntries(this.meta)));
  }
  get cells() {
    return this.cellData.map(cell => ({
      type: cell.cell_type as string,
      id: cell.id as string,
      outputs: Array.isArray(cell.outputs)
        ? { length: cell.outputs.length }
        : undefined,
      sharedModel: {
        getSource: () => cell.source as string,
        getMetadata: () => JSON.parse(JSON.stringify(cell.metadata)),
        execution_count: cell.execution_count as number | null | undefined
      }
    }));
  }
  getMetadata(key: string): unknown {
    const value = this.meta.get(key);
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  }
  setMetadata(key: string, value: unknown): void {
    this.meta.set(key, JSON.parse(JSON.stringify(value)));
  }
  deleteMetadata(key: string): unknown {
    const value = this.meta.get(key);
    this.meta.delete(key);
    return value;
  }
}

describe('prepareOutgoing from a notebook model', () => {
  const json = {
    cells: [
      {
        cell_type: 'code',
        id: 'c1',
        execution_count: 4,
        metadata: { tags: ['keep'], execution: { 'iopub.status.busy': 'x' } },
        outputs: [
          { output_type: 'stream', name: 'stdout', text: 'big output\n' },
          {
            output_type: 'display_data',
            data: { 'image/png': 'iVBORw0KGgo=' },
            metadata: {}
          }
        ],
        source:
          'token = "ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"\nprint(1)'
      },
      {
        cell_type: 'markdown',
        id: 'm1',
        metadata: {},
        source: '# Title'
      }
    ],
    metadata: {
      kernelspec: {
        name: 'python3',
        display_name: 'Python 3',
        language: 'python'
      },
      widgets: { 'application/vnd.jupyter.widget-state+json': { state: {} } }
    },
    nbformat: 4,
    nbformat_minor: 5
  };

  it('strips, counts, finds secrets, and hashes like the JSON strip; the link is not hashed', () => {
    const model = new FakeModel(json);
    const prepared = prepareOutgoing(model, POLICY, DEFAULT_SETTINGS);
    expect(prepared.report.outputs).toBe(2);
    expect(prepared.report.executionCounts).toBe(1);
    expect(prepared.report.widgetState).toBe(1);
    expect(JSON.stringify(prepared.notebook)).not.toContain('big output');
    expect(prepared.secrets.length).toBeGreaterThan(0);
    expect(prepared.secrets[0].excerpt).not.toContain('Q7r8');
    const fromJSON = stripNotebook(json as never, { allowAttachments: false });
    expect(prepared.hash).toBe(contentHash(fromJSON.notebook));

    writeLink(model, {
      id: 'nb1',
      version: 1,
      contentHash: prepared.hash,
      role: 'owner'
    });
    expect(readLink(model)?.id).toBe('nb1');
    const again = prepareOutgoing(model, POLICY, DEFAULT_SETTINGS);
    expect(again.hash).toBe(prepared.hash);

    model.cellData[1].source = '# Changed';
    expect(prepareOutgoing(model, POLICY, DEFAULT_SETTINGS).hash).not.toBe(
      prepared.hash
    );
    expect(
      prepareOutgoing(model, POLICY, {
        ...DEFAULT_SETTINGS,
        warnAboutSecrets: false
      }).secrets
    ).toEqual([]);
  });
});

describe('a notebook the strip refuses', () => {
  // JupyterLab converts nbformat 3 notebooks when it opens them; a model that still says
  // nbformat 3 (another front end's, say) must not be published as an empty notebook.
  const old = {
    cells: [
      {
        cell_type: 'code',
        id: 'c1',
        execution_count: null,
        metadata: {},
        outputs: [],
        source: 'print(1)'
      }
    ],
    metadata: {},
    nbformat: 3,
    nbformat_minor: 0
  };

  it.each([
    ['publish', publishFlow],
    ['update', updateFlow],
    ['change request', changeRequestFlow],
    ['diff', diffFlow]
  ])('%s: says why and sends nothing', async (_, flow) => {
    const { ctx, sync } = conflictSetup([]);
    const model = new FakeModel(old);
    const target = { sync, model, name: 'old.ipynb' } as never;
    await sync.check();
    const done = flow(ctx, target);
    await waitForDialog();
    const dialog = document.querySelector('.jp-Dialog') as HTMLElement;
    expect(dialog.textContent).toContain(
      'This notebook uses nbformat 3, and the gallery accepts nbformat 4.'
    );
    expect(dialog.textContent).toContain('Nothing was sent.');
    await dismissDialog();
    await done;
    for (const call of Object.values(ctx.api)) {
      expect(call).not.toHaveBeenCalled();
    }
    expect(model.cellData[0].source).toBe('print(1)');
    sync.dispose();
  });
});

describe('changeRequestFlow', () => {
  const json = {
    cells: [
      {
        cell_type: 'code',
        id: 'c1',
        execution_count: null,
        metadata: {},
        outputs: [],
        source: 'print(1)'
      }
    ],
    metadata: {
      kernelspec: {
        name: 'python3',
        display_name: 'Python 3 (ipykernel)',
        language: 'python'
      }
    },
    nbformat: 4,
    nbformat_minor: 5
  };
  // The gallery's copy: another display name and sources as lines, as nbformat writes.
  const gallery = {
    ...json,
    cells: [{ ...json.cells[0], source: ['print(1)'] }],
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3' }
    }
  };

  it('does not offer to send a change request without a change', async () => {
    const { ctx } = conflictSetup([]);
    const link = {
      id: 'nb1',
      version: 5,
      contentHash: contentHash(gallery),
      role: 'copy' as const
    };
    const sync = new GallerySync({
      host: { readLink: () => link, localHash: async () => link.contentHash },
      api: ctx.api,
      intervalSeconds: 60,
      poll: false
    });
    await sync.check();
    const model = new FakeModel(json);
    const target = { sync, model, name: 'Analysis.ipynb' } as never;
    const done = changeRequestFlow(ctx, target);
    await waitForDialog();
    const dialog = document.querySelector('.jp-Dialog') as HTMLElement;
    expect(dialog.textContent).toContain('Nothing to suggest');
    expect(dialog.querySelector('textarea')).toBeNull();
    await dismissDialog();
    expect(await done).toBeNull();
    expect(ctx.api.createChangeRequest).not.toHaveBeenCalled();

    // After an edit, the change request form opens.
    model.cellData[0].source = 'print(2)';
    const again = changeRequestFlow(ctx, target);
    await waitForDialog();
    expect(
      document.querySelector('.jp-Atrium-Gallery-changeRequestDialog')
    ).not.toBeNull();
    await dismissDialog();
    await again;
    sync.dispose();
  });
});
