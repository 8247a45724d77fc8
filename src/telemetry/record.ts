/*
 * One execution record: what the browser reports about one run of one code cell of a
 * gallery notebook, and nothing else (issue 13). The service refuses a record with any
 * other key; tests/fixtures/telemetry/record-keys.json holds the list both sides check.
 */

/** `true` passed, `false` raised, `'expected'` raised in a cell tagged `raises-exception`. */
export type Outcome = boolean | 'expected';

export interface ITelemetryRecord {
  /** The gallery id of the notebook (`metadata.atrium.gallery.id`). */
  notebookId: string;
  /** The gallery version the copy came from. */
  version: number;
  /** The nbformat cell id. */
  cellId: string;
  /** SHA-256 of the cell source, lower-case hex; the service keys it before storing. */
  fingerprint: string;
  success: Outcome;
  durationMs: number;
  /** When the run finished, ISO 8601 in UTC (the browser's clock). */
  timestamp: string;
  /** Random, so that a batch sent twice is counted once. */
  eventId: string;
}

/** The keys of a record, in the order the help page lists them. */
export const RECORD_KEYS: readonly (keyof ITelemetryRecord)[] = [
  'notebookId',
  'version',
  'cellId',
  'fingerprint',
  'success',
  'durationMs',
  'timestamp',
  'eventId'
];

/** The tag that says a cell is meant to raise (JupyterLab's and nbconvert's own). */
export const RAISES_TAG = 'raises-exception';

/** The service's cell-id rule (nbformat 4.5): a cell with another id is not reported. */
const CELL_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const NOTEBOOK_ID = /^[0-9a-f]{32}$/;

export function isReportableCellId(id: unknown): id is string {
  return typeof id === 'string' && CELL_ID.test(id);
}

export function isReportableNotebookId(id: unknown): id is string {
  return typeof id === 'string' && NOTEBOOK_ID.test(id);
}

/**
 * How a finished run counts. `null`: it does not count at all — the user interrupted it,
 * or it never ran (the kernel aborted it after an earlier cell raised: an error reply
 * without an exception name).
 */
export function outcomeOf(
  success: boolean,
  errorName: string | undefined | null,
  tags: readonly unknown[]
): Outcome | null {
  if (success) {
    return true;
  }
  if (!errorName || errorName === 'KeyboardInterrupt') {
    return null;
  }
  return tags.includes(RAISES_TAG) ? 'expected' : false;
}

const BASE64URL =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Unpadded base64url, as the service reads event ids. */
function base64url(bytes: Uint8Array): string {
  let text = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    text +=
      BASE64URL[n >> 18] +
      BASE64URL[(n >> 12) & 63] +
      BASE64URL[(n >> 6) & 63] +
      BASE64URL[n & 63];
  }
  if (i < bytes.length) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8);
    text += BASE64URL[n >> 18] + BASE64URL[(n >> 12) & 63];
    if (i + 1 < bytes.length) {
      text += BASE64URL[(n >> 6) & 63];
    }
  }
  return text;
}

const ID_BYTES = 16;
// Random bytes for 256 ids per call into the browser's generator: one call per run of a
// cell was a measurable part of the hook's cost on a 1,000-cell run-all.
const pool = new Uint8Array(ID_BYTES * 256);
let poolAt = pool.length;

function pooledRandom(): Uint8Array {
  if (poolAt + ID_BYTES > pool.length) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  // Each byte is used once: an id never shares randomness with another.
  const bytes = pool.subarray(poolAt, poolAt + ID_BYTES);
  poolAt += ID_BYTES;
  return bytes;
}

/** 22 random URL-safe characters (128 bits): the service accepts 16 to 64. */
export function newEventId(random?: (bytes: Uint8Array) => Uint8Array): string {
  return base64url(random ? random(new Uint8Array(ID_BYTES)) : pooledRandom());
}

/** Whether a value read back from storage is a record this version would send. */
export function isRecord(value: unknown): value is ITelemetryRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const r = value as Record<string, unknown>;
  return (
    Object.keys(r).length === RECORD_KEYS.length &&
    isReportableNotebookId(r.notebookId) &&
    typeof r.version === 'number' &&
    isReportableCellId(r.cellId) &&
    typeof r.fingerprint === 'string' &&
    /^[0-9a-f]{64}$/.test(r.fingerprint) &&
    (typeof r.success === 'boolean' || r.success === 'expected') &&
    typeof r.durationMs === 'number' &&
    typeof r.timestamp === 'string' &&
    typeof r.eventId === 'string'
  );
}
