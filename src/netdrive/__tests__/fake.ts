import { ServerConnection } from '@jupyterlab/services';

/** One request the fake server saw. */
export interface ISeen {
  method: string;
  /** Path below the base URL, query included. */
  path: string;
  body: unknown;
  /** The raw bytes of an `application/octet-stream` body (then `body` is undefined). */
  bytes?: Uint8Array;
}

export interface IAnswer {
  status: number;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as they are, instead of `body`. */
  raw?: Uint8Array;
  headers?: Record<string, string>;
}

export type Answer = IAnswer | ((seen: ISeen) => IAnswer);

/**
 * A stand-in for the Jupyter server at the fetch edge: answers `METHOD path` (path without
 * the query) from `routes`, 404 otherwise, and records every request.
 */
export function fakeServer(routes: Record<string, Answer>): {
  settings: ServerConnection.ISettings;
  seen: ISeen[];
} {
  const seen: ISeen[] = [];
  const base = 'http://localhost:8888/base/';
  const fetch = async (input: RequestInfo, init?: RequestInit) => {
    const request =
      typeof input === 'string' ? new BlobRequest(input, init) : input;
    const binary =
      request.headers.get('Content-Type') === 'application/octet-stream';
    const blob = request instanceof BlobRequest ? request.blobBody : null;
    const data = blob
      ? await readBlob(blob)
      : new Uint8Array(await request.arrayBuffer());
    const text = binary ? '' : new TextDecoder().decode(data);
    const url = request.url;
    // ServerConnection appends a cache buster (`?<ms>` or `&<ms>`) to every URL.
    const path = url.slice(base.length).replace(/[?&]\d{10,}$/, '');
    const entry: ISeen = {
      method: request.method,
      path,
      body: text ? JSON.parse(text) : undefined,
      ...(binary ? { bytes: data } : {})
    };
    seen.push(entry);
    const key = `${entry.method} ${entry.path.split('?')[0]}`;
    const route = routes[key];
    if (!route) {
      return new Response('', { status: 404 });
    }
    const answer = typeof route === 'function' ? route(entry) : route;
    return new Response(
      answer.raw ??
        (answer.body === undefined ? null : JSON.stringify(answer.body)),
      { status: answer.status, headers: answer.headers }
    );
  };
  return {
    settings: ServerConnection.makeSettings({
      baseUrl: base,
      fetch: fetch as ServerConnection.ISettings['fetch'],
      Request: BlobRequest as unknown as ServerConnection.ISettings['Request']
    }),
    seen
  };
}

/**
 * jsdom's Blob is not one Node's Request can read (it would send "[object Blob]"): keep
 * it aside and read it with jsdom's FileReader.
 */
class BlobRequest extends Request {
  constructor(input: RequestInfo, init?: RequestInit) {
    const blob = init?.body instanceof Blob ? init.body : null;
    super(input, blob ? { ...init, body: null } : init);
    this.blobBody = blob;
  }

  readonly blobBody: Blob | null;
}

function readBlob(blob: Blob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(blob);
  });
}

export const sampleDrive = {
  name: 'dept',
  displayName: 'Department',
  share: '\\\\fileserver\\dept\\project',
  server: 'fileserver',
  shareName: 'dept',
  folder: 'project',
  domain: 'UNI',
  username: 'ada',
  readOnly: false,
  state: 'connected' as const,
  fuseMountPath: null
};

export const samplePolicy = {
  allowedServers: [],
  defaultDomain: 'UNI',
  maxDrives: 5,
  fuseEnabled: false,
  readOnlyDefault: false
};

/** Whether `needle` appears in any string reachable from `root` (cycles allowed). */
export function holdsString(root: unknown, needle: string): boolean {
  const seen = new Set<unknown>();
  const visit = (value: unknown): boolean => {
    if (typeof value === 'string') {
      return value.includes(needle);
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) {
      return false;
    }
    seen.add(value);
    if (value instanceof Node) {
      return false;
    }
    return Object.values(value as Record<string, unknown>).some(visit);
  };
  return visit(root);
}
