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

/** 22 random URL-safe characters (128 bits): the service accepts 16 to 64. */
export function newEventId(
  random: (bytes: Uint8Array) => Uint8Array = bytes =>
    crypto.getRandomValues(bytes)
): string {
  const bytes = random(new Uint8Array(16));
  let text = '';
  for (const byte of bytes) {
    text += String.fromCharCode(byte);
  }
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
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
