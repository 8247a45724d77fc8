/**
 * The gallery API wrappers against a stand-in `fetch` (the edge below
 * ServerConnection): URLs, methods, headers, bodies and error mapping.
 */
import { ServerConnection } from '@jupyterlab/services';

import { AtriumRequestError } from '../../common/request';
import {
  GalleryConflictError,
  GalleryNotStrippedError,
  acceptChangeRequest,
  createChangeRequest,
  deleteNotebook,
  getCellHealth,
  getContent,
  getNotebook,
  getPolicy,
  listChangeRequests,
  listTags,
  listVersions,
  patchNotebook,
  publishNotebook,
  searchNotebooks,
  searchParams,
  setServerSettings,
  setStar,
  updateNotebook,
  versionEtag
} from '../api';
import { INotebookSummary } from '../types';

interface ISeen {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

const seen: ISeen[] = [];
let replies: Array<() => Response> = [];

function summary(version = 1): INotebookSummary {
  return {
    id: 'nb1',
    title: 'T',
    description: '',
    tags: [],
    owner: 'alice',
    visibility: 'public',
    version,
    contentHash: 'h',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
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

function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
) {
  return () =>
    new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers
    });
}

const NOTEBOOK = { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 };

beforeEach(() => {
  seen.length = 0;
  replies = [];
  setServerSettings(
    ServerConnection.makeSettings({
      baseUrl: 'http://localhost:8888/base/',
      fetch: (async (input: RequestInfo, init?: RequestInit) => {
        const request =
          input instanceof Request ? input : new Request(input, init);
        const text = await request.text();
        seen.push({
          url: request.url.split('?')[0] + queryOf(request.url),
          method: request.method,
          headers: request.headers,
          body: text ? JSON.parse(text) : undefined
        });
        const next = replies.shift();
        if (!next) {
          throw new Error('no reply queued');
        }
        return next();
      }) as ServerConnection.ISettings['fetch']
    })
  );
});

afterAll(() => setServerSettings(undefined));

/** The query without ServerConnection's cache-busting parameter. */
function queryOf(url: string): string {
  const query = new URL(url).searchParams;
  const kept = [...query.entries()].filter(([key]) => !/^\d+$/.test(key));
  return kept.length ? '?' + new URLSearchParams(kept).toString() : '';
}

const PREFIX = 'http://localhost:8888/base/atrium/api/service/gallery';

describe('gallery API', () => {
  it('reads the policy', async () => {
    const policy = {
      maxNotebookBytes: 1,
      allowAttachments: false,
      admin: false,
      user: 'a',
      apiVersion: 1
    };
    replies.push(json(200, policy));
    await expect(getPolicy()).resolves.toEqual(policy);
    expect(seen[0].url).toBe(`${PREFIX}/policy`);
  });

  it('searches with only the parameters set', async () => {
    expect(searchParams({})).toBe('');
    expect(
      searchParams({
        q: 'a b',
        mine: true,
        starred: false,
        sort: 'stars',
        page: 2
      })
    ).toBe('?q=a+b&mine=1&sort=stars&page=2');
    replies.push(json(200, { items: [], total: 0, page: 1, perPage: 20 }));
    await searchNotebooks({ q: 'pandas', tag: 'x', perPage: 50 });
    expect(seen[0].url).toBe(`${PREFIX}/notebooks?q=pandas&tag=x&perPage=50`);
  });

  it('filters by health and reads the per-cell health', async () => {
    expect(searchParams({ health: [] })).toBe('');
    expect(
      searchParams({ health: ['healthy', 'unknown'], sort: 'health' })
    ).toBe('?health=healthy%2Cunknown&sort=health');
    const cells = { notebookId: 'a/b', version: 2, items: [] };
    replies.push(json(200, cells));
    await expect(getCellHealth('a/b')).resolves.toEqual(cells);
    expect(seen[0].url).toBe(
      'http://localhost:8888/base/atrium/api/service/health/notebooks/a%2Fb/cells'
    );
  });

  it('publishes with POST and returns the ETag', async () => {
    replies.push(json(201, summary(1), { ETag: '"v1"' }));
    const result = await publishNotebook({
      title: 'T',
      description: 'd',
      tags: ['a'],
      visibility: 'private',
      parentId: 'p',
      notebook: NOTEBOOK
    });
    expect(result).toEqual({ summary: summary(1), etag: '"v1"' });
    expect(seen[0].method).toBe('POST');
    expect(seen[0].url).toBe(`${PREFIX}/notebooks`);
    expect(seen[0].body).toEqual({
      title: 'T',
      description: 'd',
      tags: ['a'],
      visibility: 'private',
      parentId: 'p',
      notebook: NOTEBOOK
    });
  });

  it('checks cheaply with If-None-Match and answers not-modified on 304', async () => {
    replies.push(json(200, summary(2), { ETag: '"v2"' }));
    replies.push(() => new Response(null, { status: 304 }));
    const first = await getNotebook('nb1');
    expect(first).toEqual({ summary: summary(2), etag: '"v2"' });
    expect(seen[0].headers.get('If-None-Match')).toBeNull();
    await expect(getNotebook('nb1', '"v2"')).resolves.toBe('not-modified');
    expect(seen[1].headers.get('If-None-Match')).toBe('"v2"');
    expect(seen[1].url).toBe(`${PREFIX}/notebooks/nb1`);
  });

  it('falls back to the version for a missing ETag header', async () => {
    replies.push(json(200, summary(4)));
    await expect(getNotebook('nb1')).resolves.toEqual({
      summary: summary(4),
      etag: versionEtag(4)
    });
  });

  it('maps 404 to not-found', async () => {
    replies.push(
      json(404, { message: 'No such notebook', reason: 'not-found' })
    );
    const error = await getNotebook('gone').catch(e => e);
    expect(error).toBeInstanceOf(AtriumRequestError);
    expect(error.status).toBe(404);
    expect(error.reason).toBe('not-found');
    expect(error.message).toBe('No such notebook');
  });

  it('updates with If-Match; a stale version is a conflict carrying the current summary', async () => {
    replies.push(json(200, summary(4), { ETag: '"v4"' }));
    await updateNotebook('nb1', '"v3"', { notebook: NOTEBOOK, note: 'n' });
    expect(seen[0].method).toBe('PUT');
    expect(seen[0].headers.get('If-Match')).toBe('"v3"');
    expect(seen[0].body).toEqual({ notebook: NOTEBOOK, note: 'n' });

    replies.push(
      json(409, { message: 'stale', reason: 'conflict', current: summary(5) })
    );
    const error = await updateNotebook('nb1', '"v3"', {
      notebook: NOTEBOOK,
      note: ''
    }).catch(e => e);
    expect(error).toBeInstanceOf(GalleryConflictError);
    expect(error).toBeInstanceOf(AtriumRequestError);
    expect(error.status).toBe(409);
    expect(error.current.version).toBe(5);
  });

  it('keeps the problems of a 422 and the message of a 413', async () => {
    replies.push(
      json(422, {
        message: 'not stripped',
        reason: 'not-stripped',
        problems: [
          { path: 'cells[0].outputs', message: 'Cell 1 still has 2 outputs.' },
          'plain'
        ]
      })
    );
    const error = await publishNotebook({
      title: 'T',
      description: '',
      tags: [],
      visibility: 'public',
      notebook: NOTEBOOK
    }).catch(e => e);
    expect(error).toBeInstanceOf(GalleryNotStrippedError);
    expect(error.problems).toEqual(['Cell 1 still has 2 outputs.', 'plain']);

    replies.push(
      json(413, { message: 'Too large: 17 MB', reason: 'too-large' })
    );
    const large = await publishNotebook({
      title: 'T',
      description: '',
      tags: [],
      visibility: 'public',
      notebook: NOTEBOOK
    }).catch(e => e);
    expect(large).toBeInstanceOf(AtriumRequestError);
    expect(large.status).toBe(413);
    expect(large.reason).toBe('too-large');
    expect(large.message).toBe('Too large: 17 MB');
  });

  it('calls the other endpoints with the right verbs', async () => {
    replies.push(json(200, summary(1), { ETag: '"v1"' }));
    await patchNotebook('nb1', '"v1"', { title: 'New' });
    replies.push(() => new Response(null, { status: 204 }));
    await deleteNotebook('nb1');
    replies.push(json(200, { items: [{ version: 1 }] }));
    await expect(listVersions('nb1')).resolves.toEqual([{ version: 1 }]);
    replies.push(json(200, { stars: 1, starred: true }));
    await setStar('nb1', true);
    replies.push(json(200, { stars: 0, starred: false }));
    await setStar('nb1', false);
    replies.push(json(200, { items: [{ tag: 'a', count: 2 }] }));
    await expect(listTags()).resolves.toEqual([{ tag: 'a', count: 2 }]);
    replies.push(json(201, { id: 'cr1' }));
    await createChangeRequest('nb1', {
      notebook: NOTEBOOK,
      comment: 'c',
      baseVersion: 1
    });
    replies.push(json(200, { items: [] }));
    await listChangeRequests('incoming', 'all');
    replies.push(json(200, { changeRequest: {}, notebook: summary(2) }));
    await acceptChangeRequest('cr1', 'ok');
    replies.push(json(200, NOTEBOOK, { ETag: '"v1"' }));
    await getContent('nb1', 1);
    expect(seen.map(s => `${s.method} ${s.url.slice(PREFIX.length)}`)).toEqual([
      'PATCH /notebooks/nb1',
      'DELETE /notebooks/nb1',
      'GET /notebooks/nb1/versions',
      'PUT /notebooks/nb1/star',
      'DELETE /notebooks/nb1/star',
      'GET /tags',
      'POST /notebooks/nb1/change-requests',
      'GET /change-requests?role=incoming&status=all',
      'POST /change-requests/cr1/accept',
      'GET /notebooks/nb1/content?version=1'
    ]);
    expect(seen[0].headers.get('If-Match')).toBe('"v1"');
    expect(seen[0].body).toEqual({ title: 'New' });
    expect(seen[8].body).toEqual({ note: 'ok' });
  });

  it('reports a server that does not answer', async () => {
    setServerSettings(
      ServerConnection.makeSettings({
        baseUrl: 'http://localhost:8888/',
        fetch: (() =>
          Promise.reject(
            new TypeError('Failed to fetch')
          )) as ServerConnection.ISettings['fetch']
      })
    );
    const error = await getPolicy().catch(e => e);
    expect(error).toBeInstanceOf(AtriumRequestError);
    expect(error.reason).toBe('network-error');
  });
});
