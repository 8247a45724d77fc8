import { URLExt } from '@jupyterlab/coreutils';
import { Contents, ServerConnection } from '@jupyterlab/services';

import { IAtriumPolicy } from '../common/policy';
import {
  API_PREFIX,
  AtriumRequestError,
  requestAPI,
  requestResponse
} from '../common/request';
import { IConnectRequest, IDriveInfo, INetDrivePolicy } from './types';

/**
 * Typed wrappers of the network-drive REST API. Every call goes through `requestAPI`
 * (same origin, token and XSRF handled by `ServerConnection`); failures are
 * `AtriumRequestError`s carrying the server's `reason`. `settings` is for tests.
 */

type Settings = ServerConnection.ISettings | undefined;

const JSON_HEADERS = { 'Content-Type': 'application/json' };

function call<T>(
  endPoint: string,
  init: RequestInit,
  settings: Settings
): Promise<T> {
  return settings
    ? requestAPI<T>(endPoint, init, settings)
    : requestAPI<T>(endPoint, init);
}

function post<T>(
  endPoint: string,
  body: unknown,
  settings: Settings
): Promise<T> {
  return call<T>(
    endPoint,
    { method: 'POST', body: JSON.stringify(body), headers: JSON_HEADERS },
    settings
  );
}

function drivePath(name: string, ...rest: string[]): string {
  return ['netdrive/drives', encodeURIComponent(name), ...rest].join('/');
}

/** A drive-relative path as URL segments (each encoded, no leading slash). */
function encodePath(path: string): string {
  return URLExt.encodeParts(path.replace(/^\/+/, ''));
}

function filePath(name: string, kind: string, path: string): string {
  return drivePath(name, kind, encodePath(path));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The policy the server put into page config (`atrium.netdrive`), or null when it is
 * missing or malformed (then ask `getPolicy`).
 */
export function policyFromPage(
  policy: IAtriumPolicy | null
): INetDrivePolicy | null {
  const raw = policy?.netdrive;
  if (!isRecord(raw)) {
    return null;
  }
  const servers = raw.allowedServers;
  if (
    !Array.isArray(servers) ||
    !servers.every(s => typeof s === 'string') ||
    typeof raw.defaultDomain !== 'string' ||
    typeof raw.maxDrives !== 'number' ||
    typeof raw.fuseEnabled !== 'boolean' ||
    typeof raw.readOnlyDefault !== 'boolean'
  ) {
    return null;
  }
  return {
    allowedServers: servers as string[],
    defaultDomain: raw.defaultDomain,
    maxDrives: raw.maxDrives,
    fuseEnabled: raw.fuseEnabled,
    readOnlyDefault: raw.readOnlyDefault
  };
}

/** `GET netdrive/policy`. */
export function getPolicy(settings?: Settings): Promise<INetDrivePolicy> {
  return call('netdrive/policy', {}, settings);
}

/** `GET netdrive/drives`: remembered drives, never with passwords. */
export async function listDrives(settings?: Settings): Promise<IDriveInfo[]> {
  const reply = await call<{ items: IDriveInfo[] }>(
    'netdrive/drives',
    {},
    settings
  );
  return reply.items;
}

/** `POST netdrive/drives`: connect a new drive (201, connected). */
export function createDrive(
  body: IConnectRequest,
  settings?: Settings
): Promise<IDriveInfo> {
  return post('netdrive/drives', body, settings);
}

/** `POST netdrive/drives/{name}/connect`: reconnect a remembered drive. */
export function connectDrive(
  name: string,
  password: string,
  settings?: Settings
): Promise<IDriveInfo> {
  return post(drivePath(name, 'connect'), { password }, settings);
}

/** `POST netdrive/reconnect`: every drive of `server` with one password. */
export async function reconnectServer(
  server: string,
  password: string,
  settings?: Settings
): Promise<IDriveInfo[]> {
  const reply = await post<{ items: IDriveInfo[] }>(
    'netdrive/reconnect',
    { server, password },
    settings
  );
  return reply.items;
}

/** `POST netdrive/drives/{name}/disconnect`: forget the password, keep the entry. */
export function disconnectDrive(
  name: string,
  settings?: Settings
): Promise<IDriveInfo> {
  return post(drivePath(name, 'disconnect'), {}, settings);
}

/** `DELETE netdrive/drives/{name}`: forget the drive entirely. */
export async function forgetDrive(
  name: string,
  settings?: Settings
): Promise<void> {
  await call(drivePath(name), { method: 'DELETE' }, settings);
}

// Files: contents models shaped like jupyter_server's `/api/contents`, paths relative
// to the drive root.

/** `GET …/contents/{path}`. */
export function getContents(
  name: string,
  path: string,
  options: Contents.IFetchOptions = {},
  settings?: Settings
): Promise<Contents.IModel> {
  const query: Record<string, string> = {
    content: options.content === false ? '0' : '1'
  };
  if (options.type) {
    query.type = options.type;
  }
  if (options.format && options.type !== 'notebook') {
    query.format = options.format;
  }
  if (options.hash) {
    query.hash = '1';
  }
  const endPoint =
    filePath(name, 'contents', path) + URLExt.objectToQueryString(query);
  return call(endPoint, {}, settings);
}

/** `PUT …/contents/{path}`: save (and chunked upload, with `chunk`). */
export function saveContents(
  name: string,
  path: string,
  model: Partial<Contents.IModel>,
  settings?: Settings
): Promise<Contents.IModel> {
  return call(
    filePath(name, 'contents', path),
    { method: 'PUT', body: JSON.stringify(model), headers: JSON_HEADERS },
    settings
  );
}

/** A file's contents model and its bytes, from one read of the share. */
export interface IRawFile {
  model: Contents.IModel;
  bytes: Uint8Array;
}

/**
 * `GET raw/{name}/{path}`: the file's bytes, with its model (no content) in the
 * `X-Atrium-Model` header. No JSON, no base64 on the server or the wire.
 */
export async function getRaw(
  name: string,
  path: string,
  settings?: Settings
): Promise<IRawFile> {
  // `undefined` settings take requestResponse's default.
  const response = await requestResponse(rawPath(name, path), {}, settings);
  let model: Contents.IModel;
  try {
    model = JSON.parse(response.headers.get('X-Atrium-Model') ?? '');
  } catch {
    throw new AtriumRequestError('', response.status, 'invalid-reply');
  }
  if (!isRecord(model) || typeof model.path !== 'string') {
    throw new AtriumRequestError('', response.status, 'invalid-reply');
  }
  return { model, bytes: new Uint8Array(await response.arrayBuffer()) };
}

/**
 * `PUT raw/{name}/{path}[?chunk=N]`: the bytes of a whole file, or of one chunk of an
 * upload (1, 2, ..., -1 for the last), streamed to the share as they arrive.
 */
export function putRaw(
  name: string,
  path: string,
  bytes: Uint8Array | Blob,
  chunk?: number,
  settings?: Settings
): Promise<Contents.IModel> {
  const query =
    chunk === undefined
      ? ''
      : URLExt.objectToQueryString({ chunk: String(chunk) });
  return call(
    rawPath(name, path) + query,
    {
      method: 'PUT',
      // A Blob, not the typed array itself: Chromium uploads a 1 MiB ArrayBuffer body
      // about three times slower than the same bytes as a Blob (bench/RESULTS.md).
      body: bytes instanceof Blob ? bytes : new Blob([bytes]),
      headers: { 'Content-Type': 'application/octet-stream' }
    },
    settings
  );
}

function rawPath(name: string, path: string): string {
  return ['netdrive/raw', encodeURIComponent(name), encodePath(path)].join('/');
}

/** `POST …/contents/{dir}`: a new untitled file, notebook or directory. */
export function newUntitled(
  name: string,
  dir: string,
  body: { type: Contents.ContentType; ext?: string },
  settings?: Settings
): Promise<Contents.IModel> {
  return post(filePath(name, 'contents', dir), body, settings);
}

/** `PATCH …/contents/{path}` `{path: newPath}`. */
export function renameContents(
  name: string,
  path: string,
  newPath: string,
  settings?: Settings
): Promise<Contents.IModel> {
  return call(
    filePath(name, 'contents', path),
    {
      method: 'PATCH',
      body: JSON.stringify({ path: newPath }),
      headers: JSON_HEADERS
    },
    settings
  );
}

/** `DELETE …/contents/{path}`. */
export async function deleteContents(
  name: string,
  path: string,
  settings?: Settings
): Promise<void> {
  await call(filePath(name, 'contents', path), { method: 'DELETE' }, settings);
}

/** `POST …/copy` `{from, to}`: copy `from` into the directory `to` (as IDrive.copy). */
export function copyContents(
  name: string,
  from: string,
  to: string,
  settings?: Settings
): Promise<Contents.IModel> {
  return post(drivePath(name, 'copy'), { from, to }, settings);
}

/**
 * The absolute URL of `GET …/download/{path}` (raw bytes). Like JupyterLab's own download
 * links it carries the `_xsrf` cookie value, never a token or a password.
 */
export function downloadUrl(
  name: string,
  path: string,
  settings: ServerConnection.ISettings = ServerConnection.makeSettings(),
  cookie: string = readCookie()
): string {
  let url = URLExt.join(
    settings.baseUrl,
    API_PREFIX,
    filePath(name, 'download', path)
  );
  const xsrf = cookie.match('\\b_xsrf=([^;]*)\\b');
  if (xsrf) {
    const full = new URL(url);
    full.searchParams.append('_xsrf', xsrf[1]);
    url = full.toString();
  }
  return url;
}

function readCookie(): string {
  try {
    return document.cookie;
  } catch {
    return '';
  }
}
