import type { INotebookContent } from '@jupyterlab/nbformat';
import { ServerConnection } from '@jupyterlab/services';

import { AtriumRequestError, IReply, requestReply } from '../common/request';
import {
  ChangeRequestRole,
  IAcceptResult,
  ICellHealthReply,
  IChangeRequest,
  IChangeRequestBody,
  IChangeRequestWithNotebook,
  IGalleryPolicy,
  INotebookFields,
  INotebookSummary,
  IPage,
  IPublishBody,
  ISearchQuery,
  IStarState,
  ITaggedSummary,
  ITagCount,
  IUpdateBody,
  IVersion
} from './types';
import type {
  IInboxPage,
  IInboxReadState,
  IPrincipal,
  IShare,
  IShares,
  PrincipalKind
} from './sharingTypes';
import type { IDeprecateBody } from './deprecationTypes';
import type {
  INotebookReviews,
  IReview,
  IReviewQueue,
  ReviewDecision
} from './reviewTypes';

/*
 * Typed wrappers of the gallery REST API (docs/api.md). The UI calls these, never the
 * request helper. Every failure is an `AtriumRequestError`; a stale update is the
 * subclass `GalleryConflictError` carrying the gallery's current summary, a notebook the
 * service finds unstripped is `GalleryNotStrippedError` with its problems.
 */

const BASE = 'service/gallery';

let connection: ServerConnection.ISettings | undefined;

/**
 * Use the application's server settings (the plugin passes
 * `app.serviceManager.serverSettings`); tests pass settings with a stand-in `fetch`.
 */
export function setServerSettings(
  settings: ServerConnection.ISettings | undefined
): void {
  connection = settings;
}

/**
 * An update refused because the gallery has a newer version (409 `conflict`).
 */
export class GalleryConflictError extends AtriumRequestError {
  constructor(
    message: string,
    readonly current: INotebookSummary | null
  ) {
    super(message, 409, 'conflict');
    this.name = 'GalleryConflictError';
  }
}

/**
 * A notebook the service refused because something the strip removes is still in it
 * (422 `not-stripped`). Should never happen with this frontend's strip; shown if it does.
 */
export class GalleryNotStrippedError extends AtriumRequestError {
  constructor(
    message: string,
    readonly problems: string[]
  ) {
    super(message, 422, 'not-stripped');
    this.name = 'GalleryNotStrippedError';
  }
}

interface IErrorBody {
  message?: unknown;
  reason?: unknown;
  current?: unknown;
  problems?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function problemText(problem: unknown): string {
  if (typeof problem === 'string') {
    return problem;
  }
  if (isRecord(problem) && typeof problem.message === 'string') {
    return problem.message;
  }
  return '';
}

/**
 * The typed error of a 409 or 422 reply (statuses the write calls accept so they can
 * read the body).
 */
function writeFailure(reply: IReply<IErrorBody>): AtriumRequestError {
  const body = isRecord(reply.body) ? (reply.body as IErrorBody) : {};
  const message = typeof body.message === 'string' ? body.message : '';
  const reason =
    typeof body.reason === 'string' ? body.reason : `http-${reply.status}`;
  if (reply.status === 409 && reason === 'conflict') {
    const current = isRecord(body.current)
      ? (body.current as unknown as INotebookSummary)
      : null;
    return new GalleryConflictError(message, current);
  }
  if (reply.status === 422) {
    const problems = Array.isArray(body.problems)
      ? body.problems.map(problemText).filter(text => text !== '')
      : [];
    return new GalleryNotStrippedError(message, problems);
  }
  return new AtriumRequestError(message, reply.status, reason);
}

const WRITE_FAILURES: readonly number[] = [409, 422];

async function call<T>(
  endPoint: string,
  init: RequestInit & { accept?: readonly number[] } = {}
): Promise<IReply<T>> {
  const reply = await requestReply<T>(endPoint, init, connection);
  if (reply.status >= 400) {
    throw writeFailure(reply as IReply<IErrorBody>);
  }
  return reply;
}

async function json<T>(endPoint: string, init: RequestInit = {}): Promise<T> {
  const reply = await call<T>(endPoint, { ...init, accept: WRITE_FAILURES });
  if (reply.body === undefined) {
    throw new AtriumRequestError('', reply.status, 'invalid-reply');
  }
  return reply.body;
}

function send(method: string, body?: unknown, headers?: HeadersInit) {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
  }
  if (headers) {
    init.headers = headers;
  }
  return init;
}

function notebookPath(id: string, rest = ''): string {
  return `${BASE}/notebooks/${encodeURIComponent(id)}${rest}`;
}

/**
 * The ETag of a version, as the service writes it: `"v<version>"`.
 */
export function versionEtag(version: number): string {
  return `"v${version}"`;
}

function tagged(reply: IReply<INotebookSummary>): ITaggedSummary {
  if (reply.body === undefined) {
    throw new AtriumRequestError('', reply.status, 'invalid-reply');
  }
  return {
    summary: reply.body,
    etag: reply.etag ?? versionEtag(reply.body.version)
  };
}

export function getPolicy(): Promise<IGalleryPolicy> {
  return json<IGalleryPolicy>(`${BASE}/policy`);
}

/**
 * The query string of a search; only the parameters that are set.
 */
export function searchParams(query: ISearchQuery): string {
  const params = new URLSearchParams();
  if (query.q) {
    params.set('q', query.q);
  }
  if (query.mine) {
    params.set('mine', '1');
  }
  if (query.starred) {
    params.set('starred', '1');
  }
  if (query.tag) {
    params.set('tag', query.tag);
  }
  if (query.owner) {
    params.set('owner', query.owner);
  }
  if (query.health && query.health.length > 0) {
    params.set('health', query.health.join(','));
  }
  if (query.verified) {
    params.set('verified', '1');
  }
  if (query.deprecated) {
    params.set('deprecated', query.deprecated);
  }
  if (query.sort) {
    params.set('sort', query.sort);
  }
  if (query.page !== undefined) {
    params.set('page', String(query.page));
  }
  if (query.perPage !== undefined) {
    params.set('perPage', String(query.perPage));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function searchNotebooks(
  query: ISearchQuery = {}
): Promise<IPage<INotebookSummary>> {
  return json<IPage<INotebookSummary>>(
    `${BASE}/notebooks${searchParams(query)}`
  );
}

/**
 * A notebook's summary. With the ETag of the summary the caller holds, an unchanged
 * notebook costs a 304 and answers 'not-modified'.
 */
export async function getNotebook(
  id: string,
  etag?: string | null
): Promise<ITaggedSummary | 'not-modified'> {
  const init: RequestInit = etag ? { headers: { 'If-None-Match': etag } } : {};
  const reply = await call<INotebookSummary>(notebookPath(id), init);
  if (reply.status === 304) {
    return 'not-modified';
  }
  return tagged(reply);
}

/**
 * The per-cell health of a notebook's current version (the health API, docs/api.md).
 */
export function getCellHealth(id: string): Promise<ICellHealthReply> {
  return json<ICellHealthReply>(
    `service/health/notebooks/${encodeURIComponent(id)}/cells`
  );
}

export function getContent(
  id: string,
  version?: number
): Promise<INotebookContent> {
  const query = version === undefined ? '' : `?version=${version}`;
  return json<INotebookContent>(notebookPath(id, `/content${query}`));
}

export async function publishNotebook(
  body: IPublishBody
): Promise<ITaggedSummary> {
  const reply = await call<INotebookSummary>(`${BASE}/notebooks`, {
    ...send('POST', body),
    accept: WRITE_FAILURES
  });
  return tagged(reply);
}

/**
 * A new version. `etag` is the version the local notebook is based on; a stale one
 * throws `GalleryConflictError` and nothing is written.
 */
export async function updateNotebook(
  id: string,
  etag: string,
  body: IUpdateBody
): Promise<ITaggedSummary> {
  const reply = await call<INotebookSummary>(notebookPath(id), {
    ...send('PUT', body, { 'If-Match': etag }),
    accept: WRITE_FAILURES
  });
  return tagged(reply);
}

export async function patchNotebook(
  id: string,
  etag: string,
  fields: Partial<INotebookFields>
): Promise<ITaggedSummary> {
  const reply = await call<INotebookSummary>(notebookPath(id), {
    ...send('PATCH', fields, { 'If-Match': etag }),
    accept: WRITE_FAILURES
  });
  return tagged(reply);
}

/**
 * Deprecate (or change the deprecation of) the notebook whose current ETag is `etag`.
 */
export async function deprecateNotebook(
  id: string,
  etag: string,
  body: IDeprecateBody
): Promise<ITaggedSummary> {
  const reply = await call<INotebookSummary>(notebookPath(id, '/deprecation'), {
    ...send('PUT', body, { 'If-Match': etag }),
    accept: WRITE_FAILURES
  });
  return tagged(reply);
}

export async function undeprecateNotebook(
  id: string,
  etag: string
): Promise<ITaggedSummary> {
  const reply = await call<INotebookSummary>(notebookPath(id, '/deprecation'), {
    ...send('DELETE', undefined, { 'If-Match': etag }),
    accept: WRITE_FAILURES
  });
  return tagged(reply);
}

export async function deleteNotebook(id: string): Promise<void> {
  await call<void>(notebookPath(id), send('DELETE'));
}

export async function listVersions(id: string): Promise<IVersion[]> {
  const page = await json<{ items: IVersion[] }>(notebookPath(id, '/versions'));
  return page.items;
}

export function setStar(id: string, on: boolean): Promise<IStarState> {
  return json<IStarState>(
    notebookPath(id, '/star'),
    send(on ? 'PUT' : 'DELETE')
  );
}

export async function listTags(): Promise<ITagCount[]> {
  const page = await json<{ items: ITagCount[] }>(`${BASE}/tags`);
  return page.items;
}

export function createChangeRequest(
  id: string,
  body: IChangeRequestBody
): Promise<IChangeRequest> {
  return json<IChangeRequest>(
    notebookPath(id, '/change-requests'),
    send('POST', body)
  );
}

export async function listChangeRequests(
  role: ChangeRequestRole,
  status: 'open' | 'all' = 'open'
): Promise<IChangeRequest[]> {
  const page = await json<{ items: IChangeRequest[] }>(
    `${BASE}/change-requests?role=${role}&status=${status}`
  );
  return page.items;
}

function changeRequestPath(crid: string, rest = ''): string {
  return `${BASE}/change-requests/${encodeURIComponent(crid)}${rest}`;
}

export function getChangeRequest(
  crid: string
): Promise<IChangeRequestWithNotebook> {
  return json<IChangeRequestWithNotebook>(changeRequestPath(crid));
}

export function acceptChangeRequest(
  crid: string,
  note?: string
): Promise<IAcceptResult> {
  return json<IAcceptResult>(
    changeRequestPath(crid, '/accept'),
    send('POST', note === undefined ? {} : { note })
  );
}

export function declineChangeRequest(
  crid: string,
  comment?: string
): Promise<IChangeRequest> {
  return json<IChangeRequest>(
    changeRequestPath(crid, '/decline'),
    send('POST', comment === undefined ? {} : { comment })
  );
}

export function withdrawChangeRequest(crid: string): Promise<IChangeRequest> {
  return json<IChangeRequest>(
    changeRequestPath(crid, '/withdraw'),
    send('POST', {})
  );
}

// --- sharing and the inbox (sharingTypes.ts) ---------------------------------------------

export function getShares(id: string): Promise<IShares> {
  return json<IShares>(notebookPath(id, '/shares'));
}

/** Share with one user or group (replacing their earlier share). */
export function putShare(id: string, share: IShare): Promise<IShares> {
  return json<IShares>(notebookPath(id, '/shares'), send('PUT', share));
}

export function deleteShare(
  id: string,
  principal: IPrincipal
): Promise<IShares> {
  const query = new URLSearchParams({
    kind: principal.kind,
    name: principal.name
  });
  return json<IShares>(
    notebookPath(id, `/shares?${query.toString()}`),
    send('DELETE')
  );
}

/** Users and groups whose name holds `q`, for the share pickers. */
export async function findPrincipals(
  q: string,
  kind?: PrincipalKind
): Promise<IPrincipal[]> {
  const query = new URLSearchParams({ q });
  if (kind) {
    query.set('kind', kind);
  }
  const page = await json<{ items: IPrincipal[] }>(
    `${BASE}/principals?${query.toString()}`
  );
  return page.items;
}

export function getInbox(
  options: { before?: number; limit?: number } = {}
): Promise<IInboxPage> {
  const query = new URLSearchParams();
  if (options.before !== undefined) {
    query.set('before', String(options.before));
  }
  if (options.limit !== undefined) {
    query.set('limit', String(options.limit));
  }
  const text = query.toString();
  return json<IInboxPage>(`${BASE}/inbox${text ? `?${text}` : ''}`);
}

/** Every event up to `upTo` is read. */
export function markInboxRead(upTo: number): Promise<IInboxReadState> {
  return json<IInboxReadState>(`${BASE}/inbox/read`, send('POST', { upTo }));
}

/**
 * A notebook's reviews with their history, and whether it is verified.
 */
export function getReviews(id: string): Promise<INotebookReviews> {
  return json<INotebookReviews>(notebookPath(id, '/reviews'));
}

export function requestReview(
  id: string,
  kind: string,
  comment = ''
): Promise<IReview> {
  return json<IReview>(
    notebookPath(id, '/reviews'),
    send('POST', { kind, comment })
  );
}

function reviewPath(reviewId: string, action: string): string {
  return `${BASE}/reviews/${encodeURIComponent(reviewId)}/${action}`;
}

/**
 * The caller's review queue: open reviews of the kinds they review that they may take,
 * unclaimed first (those asked of them again first), then those they claimed.
 */
export function getReviewQueue(): Promise<IReviewQueue> {
  return json<IReviewQueue>(`${BASE}/reviews`);
}

export function claimReview(reviewId: string): Promise<IReview> {
  return json<IReview>(reviewPath(reviewId, 'claim'), send('POST'));
}

/**
 * Approve or ask for changes; `contentHash` names the content the reviewer read (a
 * newer version meanwhile: 409 `content-changed`).
 */
export function decideReview(
  reviewId: string,
  decision: ReviewDecision,
  contentHash: string,
  comment: string
): Promise<IReview> {
  return json<IReview>(
    reviewPath(reviewId, decision),
    send('POST', { contentHash, comment })
  );
}
