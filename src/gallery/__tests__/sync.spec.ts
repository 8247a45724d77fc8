import { AtriumRequestError } from '../../common/request';
import { GallerySync, ISyncApi, computeStatus } from '../sync';
import { IGalleryLink, INotebookSummary, ITaggedSummary } from '../types';

const LINK: IGalleryLink = {
  id: 'nb1',
  version: 2,
  contentHash: 'hash-v2',
  role: 'owner'
};

function summary(
  version: number,
  contentHash = `hash-v${version}`
): INotebookSummary {
  return {
    id: 'nb1',
    title: 'T',
    description: '',
    tags: [],
    owner: 'alice',
    visibility: 'public',
    version,
    contentHash,
    createdAt: '',
    updatedAt: '',
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

function remote(version: number, contentHash?: string) {
  return {
    kind: 'summary' as const,
    summary: summary(version, contentHash),
    etag: `"v${version}"`
  };
}

describe('computeStatus', () => {
  it.each([
    ['up-to-date', 'hash-v2', remote(2)],
    ['local-changes', 'edited', remote(2)],
    ['behind', 'hash-v2', remote(3)],
    ['diverged', 'edited', remote(3)]
  ] as const)('%s', (status, local, state) => {
    expect(computeStatus(LINK, local, state)).toBe(status);
  });

  it('is null without a link, unknown without an answer, gone after 404', () => {
    expect(computeStatus(null, 'x', remote(1))).toBeNull();
    expect(computeStatus(LINK, 'hash-v2', null)).toBe('unknown');
    expect(
      computeStatus(LINK, 'hash-v2', { kind: 'error', error: new Error('x') })
    ).toBe('unknown');
    expect(computeStatus(LINK, 'hash-v2', { kind: 'gone' })).toBe('gone');
    expect(computeStatus(LINK, null, remote(2))).toBe('unknown');
  });

  it("accepts the gallery's own hash of the linked version as unchanged", () => {
    expect(
      computeStatus(
        { ...LINK, contentHash: 'other' },
        'server',
        remote(2, 'server')
      )
    ).toBe('up-to-date');
    // ... but not of a newer version: that is still "behind".
    expect(
      computeStatus(
        { ...LINK, contentHash: 'other' },
        'server',
        remote(3, 'server')
      )
    ).toBe('diverged');
  });

  it('does not compare with a summary of another entry', () => {
    expect(computeStatus({ ...LINK, id: 'other' }, 'hash-v2', remote(2))).toBe(
      'unknown'
    );
  });
});

class FakeApi implements ISyncApi {
  calls: Array<{ id: string; etag: string | null | undefined }> = [];
  answer: () => Promise<ITaggedSummary | 'not-modified'> = async () => ({
    summary: summary(this.version),
    etag: `"v${this.version}"`
  });
  version = 2;
  getNotebook(id: string, etag?: string | null) {
    this.calls.push({ id, etag });
    return this.answer();
  }
}

function setup() {
  const state = { link: LINK as IGalleryLink | null, hash: 'hash-v2' };
  const api = new FakeApi();
  const sync = new GallerySync({
    host: {
      readLink: () => state.link,
      localHash: async () => state.hash
    },
    api,
    intervalSeconds: 60,
    editDelayMs: 5,
    poll: false
  });
  const seen: Array<string | null> = [];
  sync.changed.connect((_, status) => seen.push(status));
  return { state, api, sync, seen };
}

describe('GallerySync', () => {
  it('checks, then sends the ETag and keeps the summary on 304', async () => {
    const { api, sync, state, seen } = setup();
    await sync.check();
    expect(sync.status).toBe('up-to-date');
    expect(api.calls).toEqual([{ id: 'nb1', etag: null }]);
    api.answer = async () => 'not-modified';
    state.hash = 'edited';
    await sync.check();
    expect(api.calls[1]).toEqual({ id: 'nb1', etag: '"v2"' });
    expect(sync.status).toBe('local-changes');
    expect(sync.summary?.version).toBe(2);
    expect(seen).toEqual(['up-to-date', 'local-changes']);
    sync.dispose();
  });

  it('goes behind when the gallery has a newer version', async () => {
    const { api, sync } = setup();
    api.version = 3;
    await sync.check();
    expect(sync.status).toBe('behind');
    sync.dispose();
  });

  it('is unknown with the error while the gallery fails, and recovers', async () => {
    const { api, sync } = setup();
    const down = new AtriumRequestError('', 0, 'network-error');
    api.answer = () => Promise.reject(down);
    await sync.check();
    expect(sync.status).toBe('unknown');
    expect(sync.error).toBe(down);
    api.answer = async () => ({ summary: summary(2), etag: '"v2"' });
    await sync.check();
    expect(sync.status).toBe('up-to-date');
    expect(sync.error).toBeNull();
    sync.dispose();
  });

  it('is gone after a 404 not-found, but not after a missing server extension', async () => {
    const { api, sync } = setup();
    api.answer = () =>
      Promise.reject(new AtriumRequestError('gone', 404, 'not-found'));
    await sync.check();
    expect(sync.status).toBe('gone');
    api.answer = () =>
      Promise.reject(new AtriumRequestError('', 404, 'not-installed'));
    await sync.check();
    expect(sync.status).toBe('unknown');
    sync.dispose();
  });

  it('asks nothing for an unlinked notebook, and forgets the ETag when relinked', async () => {
    const { api, sync, state } = setup();
    state.link = null;
    await sync.check();
    expect(sync.status).toBeNull();
    expect(api.calls).toEqual([]);
    state.link = LINK;
    await sync.check();
    expect(api.calls).toEqual([{ id: 'nb1', etag: null }]);
    state.link = { ...LINK, id: 'nb2' };
    api.answer = async () => ({
      summary: { ...summary(1), id: 'nb2' },
      etag: '"v1"'
    });
    await sync.check();
    expect(api.calls[1]).toEqual({ id: 'nb2', etag: null });
    sync.dispose();
  });

  it('recomputes the local side after an edit pause without a request', async () => {
    const { api, sync, state } = setup();
    await sync.check();
    state.hash = 'edited';
    sync.localChanged();
    sync.localChanged();
    await new Promise(resolve => setTimeout(resolve, 30));
    expect(sync.status).toBe('local-changes');
    expect(api.calls).toHaveLength(1);
    sync.dispose();
  });

  it('coalesces concurrent checks and runs one more after', async () => {
    const { api, sync } = setup();
    let release: () => void = () => undefined;
    api.answer = () =>
      new Promise(resolve => {
        release = () => resolve({ summary: summary(2), etag: '"v2"' });
      });
    const first = sync.check();
    const second = sync.check();
    const third = sync.check();
    expect(second).toBe(first);
    expect(third).toBe(first);
    await Promise.resolve();
    release();
    await new Promise(resolve => setTimeout(resolve, 0));
    release();
    await first;
    expect(api.calls).toHaveLength(2);
    sync.dispose();
  });

  it('takes a publish result without asking again', async () => {
    const { api, sync, state } = setup();
    state.link = null;
    await sync.check();
    state.link = { ...LINK, version: 5, contentHash: 'new' };
    state.hash = 'new';
    sync.setRemote({ summary: summary(5, 'new'), etag: '"v5"' });
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(sync.status).toBe('up-to-date');
    expect(sync.etag).toBe('"v5"');
    expect(api.calls).toEqual([]);
    sync.dispose();
  });
});
