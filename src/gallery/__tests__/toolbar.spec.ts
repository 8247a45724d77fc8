import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import { AtriumRequestError } from '../../common/request';
import { GallerySync } from '../sync';
import {
  CommandIDs,
  SyncIndicator,
  canEdit,
  primaryAction,
  statusLabel,
  statusTooltip
} from '../toolbar';
import { IGalleryLink, INotebookSummary, SyncStatus } from '../types';

const trans = nullTranslator.load('jupyterlab_atrium');

function summary(version: number, edit: boolean): INotebookSummary {
  return {
    id: 'nb1',
    title: 'T',
    description: '',
    tags: [],
    owner: 'alice',
    visibility: 'public',
    version,
    contentHash: `h${version}`,
    createdAt: '',
    updatedAt: '',
    stars: 0,
    starred: false,
    parentId: null,
    canEdit: edit,
    health: {
      label: 'unknown',
      score: null,
      reason: 'Too few runs to judge.'
    },
    openChangeRequests: 0
  };
}

function makeSync(
  link: IGalleryLink | null,
  answer: () => Promise<INotebookSummary>
) {
  return new GallerySync({
    host: { readLink: () => link, localHash: async () => 'h1' },
    api: {
      getNotebook: async () => {
        const s = await answer();
        return { summary: s, etag: `"v${s.version}"` };
      }
    },
    intervalSeconds: 60,
    poll: false
  });
}

const OWNER: IGalleryLink = {
  id: 'nb1',
  version: 1,
  contentHash: 'h1',
  role: 'owner'
};

describe('toolbar logic', () => {
  it('publishes an unlinked notebook', async () => {
    const sync = makeSync(null, async () => summary(1, true));
    await sync.check();
    expect(primaryAction(sync)).toBe(CommandIDs.publish);
    sync.dispose();
  });

  it('updates as owner, suggests changes otherwise: the service decides over the link', async () => {
    const owner = makeSync(OWNER, async () => summary(1, true));
    expect(canEdit(owner)).toBe(false); // not checked yet: no link read
    await owner.check();
    expect(primaryAction(owner)).toBe(CommandIDs.update);
    const notOwner = makeSync(OWNER, async () => summary(1, false));
    await notOwner.check();
    expect(canEdit(notOwner)).toBe(false);
    expect(primaryAction(notOwner)).toBe(CommandIDs.changeRequest);
    // Gallery unreachable: the link's role is used.
    const offline = makeSync(OWNER, () =>
      Promise.reject(new AtriumRequestError('', 0, 'network-error'))
    );
    await offline.check();
    expect(offline.status).toBe('unknown');
    expect(primaryAction(offline)).toBe(CommandIDs.update);
    expect(statusTooltip(offline, trans)).toMatch(/does not answer/);
    for (const s of [owner, notOwner, offline]) {
      s.dispose();
    }
  });

  it('publishes again when the entry is gone', async () => {
    const sync = makeSync(OWNER, () =>
      Promise.reject(new AtriumRequestError('x', 404, 'not-found'))
    );
    await sync.check();
    expect(sync.status).toBe('gone');
    expect(primaryAction(sync)).toBe(CommandIDs.publish);
    sync.dispose();
  });

  it('has a label for every status', () => {
    const statuses: SyncStatus[] = [
      'up-to-date',
      'local-changes',
      'behind',
      'diverged',
      'unknown',
      'gone'
    ];
    const labels = statuses.map(s => statusLabel(s, trans));
    expect(new Set(labels).size).toBe(statuses.length);
  });
});

describe('SyncIndicator', () => {
  it('is hidden while unlinked and shows the status once linked', async () => {
    let link: IGalleryLink | null = null;
    const sync = new GallerySync({
      host: { readLink: () => link, localHash: async () => 'h1' },
      api: {
        getNotebook: async () => ({ summary: summary(2, true), etag: '"v2"' })
      },
      intervalSeconds: 60,
      poll: false
    });
    const indicator = new SyncIndicator(
      sync,
      new CommandRegistry(),
      { widgetId: 'x' },
      trans
    );
    expect(indicator.isHidden).toBe(true);
    expect(indicator.node.dataset.status).toBe('unlinked');
    link = OWNER;
    await sync.check();
    expect(indicator.isHidden).toBe(false);
    expect(indicator.node.dataset.status).toBe('behind');
    expect(statusTooltip(sync, trans)).toBe(
      'The gallery has version 2; this notebook is version 1 and unchanged.'
    );
    indicator.dispose();
    sync.dispose();
  });
});
