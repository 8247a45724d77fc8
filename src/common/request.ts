import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';

/**
 * Where the server extension mounts Atrium's REST API, relative to the base URL.
 */
export const API_PREFIX = 'atrium/api';

/**
 * Why a request failed, as far as the frontend can tell.
 *
 * `network-error`: the Jupyter server did not answer; `not-installed`: the server answered
 * but has no Atrium API; anything else is the `reason` the Atrium server sent.
 */
export type RequestFailure = 'network-error' | 'not-installed' | string;

/**
 * An Atrium API call that failed. `message` is the server's own, already meant for users,
 * or empty when the server gave none; use `describeError` to show it.
 */
export class AtriumRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason: RequestFailure,
    /** The request field the server named as wrong (`invalid-field`), if any. */
    readonly field?: string,
    /** The whole error reply, parsed: what else the server said (findings, `current`). */
    readonly body?: unknown
  ) {
    super(message);
    this.name = 'AtriumRequestError';
  }
}

interface IErrorBody {
  message?: unknown;
  reason?: unknown;
  field?: unknown;
}

function parseBody(text: string): unknown {
  if (!text) {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Turn an error reply into an `AtriumRequestError`.
 */
export function errorFromReply(
  status: number,
  text: string
): AtriumRequestError {
  const body = parseBody(text) as IErrorBody | undefined;
  const message = body && typeof body.message === 'string' ? body.message : '';
  const reason = body && typeof body.reason === 'string' ? body.reason : '';
  if (status === 404 && !message) {
    // Jupyter's own 404 page: the route does not exist on this server at all.
    return new AtriumRequestError('', status, 'not-installed');
  }
  const field = body && typeof body.field === 'string' ? body.field : undefined;
  return new AtriumRequestError(
    message,
    status,
    reason || `http-${status}`,
    field,
    body
  );
}

/**
 * Call the Atrium API of the user's own Jupyter server and hand back the successful
 * `Response` unread (for bodies that are not JSON, e.g. a file's raw bytes).
 *
 * Requests go through `ServerConnection.makeRequest`, so the token, the XSRF cookie and the
 * base URL are handled as for every JupyterLab request; the browser never leaves its origin.
 */
export async function requestResponse(
  endPoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<Response> {
  const url = URLExt.join(settings.baseUrl, API_PREFIX, endPoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new AtriumRequestError('', 0, 'network-error');
  }
  if (!response.ok) {
    throw errorFromReply(response.status, await response.text());
  }
  return response;
}

/**
 * Call the Atrium API of the user's own Jupyter server (see `requestResponse`) and parse
 * its JSON reply.
 */
export async function requestAPI<T>(
  endPoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const response = await requestResponse(endPoint, init, settings);
  const text = await response.text();
  const data = parseBody(text);
  if (text && data === undefined) {
    throw new AtriumRequestError('', response.status, 'invalid-reply');
  }
  return data as T;
}

/**
 * A sentence for the user about any error, in their language.
 */
export function describeError(
  error: unknown,
  trans: TranslationBundle
): string {
  if (error instanceof AtriumRequestError) {
    switch (error.reason) {
      case 'network-error':
        return trans.__(
          'The Jupyter server does not answer. Check your connection and try again.'
        );
      case 'not-installed':
        return trans.__(
          'The Atrium server extension is not installed or not enabled on this server. An administrator can fix it with: pip install jupyterlab-atrium'
        );
      case 'invalid-reply':
        return trans.__('The server sent a reply Atrium cannot read.');
      case 'invalid-content':
        return trans.__(
          'The file content is not valid base64, so nothing was written.'
        );
      default:
        if (error.message) {
          return error.message;
        }
        return trans.__(
          'The server refused the request (HTTP %1).',
          error.status
        );
    }
  }
  if (error instanceof Error && error.message) {
    return error.message;
  }
  return trans.__('An unknown error occurred.');
}

/**
 * A reply of the Atrium API with its status and ETag, for calls that need them (sync
 * checks with `If-None-Match`, updates with `If-Match`).
 */
export interface IReply<T> {
  status: number;
  /** The `ETag` header, or null when the server sent none. */
  etag: string | null;
  /** The parsed JSON body; undefined for an empty body (204, 304). */
  body: T | undefined;
}

/**
 * Call the Atrium API and return the whole reply. 304 never throws; statuses listed in
 * `accept` do not either, so the caller can read their body (a 409 carrying the current
 * state). Every other failure throws an `AtriumRequestError`, as `requestAPI` does.
 */
export async function requestReply<T>(
  endPoint: string,
  init: RequestInit & { accept?: readonly number[] } = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<IReply<T>> {
  const { accept = [], ...request } = init;
  const url = URLExt.join(settings.baseUrl, API_PREFIX, endPoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, request, settings);
  } catch (error) {
    throw new AtriumRequestError('', 0, 'network-error');
  }
  const text = await response.text();
  const status = response.status;
  if (!response.ok && status !== 304 && !accept.includes(status)) {
    throw errorFromReply(status, text);
  }
  const body = parseBody(text);
  if (text && body === undefined) {
    throw new AtriumRequestError('', status, 'invalid-reply');
  }
  return { status, etag: response.headers.get('ETag'), body: body as T };
}
