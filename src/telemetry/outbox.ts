/*
 * The browser's outbox of execution records (issue 13): batched (a request per
 * `batchSize` records or per `flushIntervalMs`, not one per cell as nbgallery did), kept in
 * localStorage so a reload loses nothing, retried with backoff while the server is away,
 * and bounded (the oldest records go first, and are counted).
 *
 * Delivery is at least once: a batch whose reply was lost, or the records of a tab that
 * another tab adopted, may arrive twice. The service drops repeated event ids, so that
 * costs a request, never a count.
 */

import { ISignal, Signal } from '@lumino/signaling';

import { AtriumRequestError } from '../common/request';
import { isRecord, ITelemetryRecord } from './record';

/** Why records were dropped unsent, for the help page. */
export interface IDropped {
  /** The outbox was full (the server was away a long time). */
  full: number;
  /** The server refused them (too old, or this version and the server disagree). */
  refused: number;
}

export type RecentState = 'pending' | 'sent' | 'dropped';

export interface IRecent {
  record: ITelemetryRecord;
  state: RecentState;
}

export interface IOutboxOptions {
  /** POST a batch; throws an `AtriumRequestError` when it is not accepted. */
  send(records: ITelemetryRecord[], keepalive: boolean): Promise<unknown>;
  /** Where pending records survive a reload; null: memory only. */
  storage: Storage | null;
  /** The prefix of this server's storage keys (one outbox per server and tab). */
  storageKey: string;
  batchSize: number;
  flushIntervalMs: number;
  /** Most records kept unsent; past it the oldest are dropped. */
  maxStored: number;
  /** The policy was turned off on the server: stop, keep nothing. */
  onOff?(): void;
  /**
   * Whether cells are running now. A full batch waits until they are done (call
   * `idle()` then), so that sending and the server's ingest never compete with the
   * user's run; the interval still sends within `flushIntervalMs` of the oldest record.
   */
  busy?(): boolean;
  now?(): number;
  random?(): number;
}

/** Records in one request when catching up (the server's limit is 500). */
const MAX_REQUEST_RECORDS = 200;
/** What `keepalive` may carry in all (the browser's limit is 64 KiB). */
const KEEPALIVE_RECORDS = 150;
const BACKOFF_FIRST_MS = 1000;
const BACKOFF_MAX_MS = 5 * 60 * 1000;
/** A key not written for this long belongs to a closed tab: its records are adopted. */
const STALE_MS = 10 * 1000;
/** Records older than the service's window are refused there: drop them here. */
const WINDOW_MS = 30 * 24 * 3600 * 1000;
/** Writes to storage are coalesced to one per this interval (and one on page hide). */
const PERSIST_MS = 1000;
const RECENT_SIZE = 50;
const RECORD_POSITION = /^Record (\d+):/;

interface IStored {
  updated: number;
  records: ITelemetryRecord[];
}

interface IStoredRecent {
  recent: IRecent[];
  dropped: IDropped;
}

export class Outbox {
  constructor(private readonly options: IOutboxOptions) {
    const random = options.random ?? Math.random;
    this._key = `${options.storageKey}:outbox:${Math.floor(random() * 1e12).toString(36)}`;
    this._recentKey = `${options.storageKey}:recent`;
    const saved = this._read<IStoredRecent>(this._recentKey);
    if (saved && Array.isArray(saved.recent)) {
      this._recent = saved.recent
        .filter(item => item && isRecord(item.record))
        .slice(-RECENT_SIZE);
      this._dropped = {
        full: Number(saved.dropped?.full) || 0,
        refused: Number(saved.dropped?.refused) || 0
      };
    }
    this._adopt();
  }

  /** Emitted when the pending records, the recent list or the counts change. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get pending(): readonly ITelemetryRecord[] {
    return this._queue;
  }

  /** The newest records of this browser, newest last. */
  get recent(): readonly IRecent[] {
    return this._recent;
  }

  get dropped(): IDropped {
    return { ...this._dropped };
  }

  /** When the next attempt after a failure is due (ms since the epoch), or null. */
  get retryAt(): number | null {
    return this._retryAt;
  }

  add(record: ITelemetryRecord): void {
    if (this._stopped) {
      return;
    }
    this._queue.push(record);
    // A new record cannot be in the list yet: append without the search (once per run).
    this._recent.push({ record, state: 'pending' });
    if (this._recent.length > RECENT_SIZE) {
      this._recent.shift();
    }
    this._trim();
    this._schedulePersist();
    if (this._fullBatchDue()) {
      void this._startDrain(false);
    } else {
      this._scheduleFlush(this.options.flushIntervalMs);
    }
    this._changed.emit();
  }

  /** The cells that were running are done: send the full batches they left waiting. */
  idle(): void {
    if (this._fullBatchDue()) {
      void this._startDrain(false);
    }
  }

  private _fullBatchDue(): boolean {
    return (
      this._queue.length >= this.options.batchSize &&
      !this._retryAt &&
      !this._stopped &&
      !this.options.busy?.()
    );
  }

  /**
   * Send what is pending, in requests of at most `MAX_REQUEST_RECORDS`. With
   * `keepalive` (the page is going away) only what the browser lets outlive the page is
   * sent, and nothing waits for the reply: storage keeps the rest for the next load.
   */
  async flush(keepalive = false): Promise<void> {
    if (keepalive) {
      this.persistNow();
      const batch = this._queue.slice(0, KEEPALIVE_RECORDS);
      if (batch.length && !this._stopped) {
        // If the page lives on (a tab switched away), the reply settles the batch; if
        // not, storage still holds it and the next load sends it again (counted once).
        this.options.send(batch, true).then(
          () => this._settle(batch, 'sent'),
          () => undefined
        );
      }
      return;
    }
    return this._startDrain(true);
  }

  /** One drain at a time; `all`: also a last, partial batch (the interval is up). */
  private _startDrain(all: boolean): Promise<void> {
    if (this._stopped) {
      return Promise.resolve();
    }
    if (this._sending) {
      this._drainAll ||= all;
      return this._sending;
    }
    this._clearTimer();
    this._drainAll = all;
    this._sending = this._drain().finally(() => {
      this._sending = null;
      if (this._queue.length && !this._stopped) {
        this._scheduleFlush(this.options.flushIntervalMs);
      }
    });
    return this._sending;
  }

  /**
   * Write pending records to storage now (the page is being hidden or unloaded). With
   * `closing` (the page is going away) they are marked free to adopt: a reload's page
   * sends them at once instead of waiting for them to look abandoned.
   */
  persistNow(closing = false): void {
    if (this._persistTimer !== null) {
      clearTimeout(this._persistTimer);
      this._persistTimer = null;
    }
    this._persist(closing);
  }

  /** Forget what is not sent yet (the user said no): it is never sent. */
  withdraw(): void {
    const pending = this._queue;
    if (pending.length) {
      this._queue = [];
      this._remember(pending, 'dropped');
      this._persist();
      this._changed.emit();
    }
  }

  /** Stop for good: no more records, no timers; with `forget`, nothing kept either. */
  stop(forget: boolean): void {
    this._stopped = true;
    this._clearTimer();
    if (this._persistTimer !== null) {
      clearTimeout(this._persistTimer);
      this._persistTimer = null;
    }
    if (forget) {
      this._queue = [];
      this._remove(this._key);
    } else {
      this._persist();
    }
    this._changed.emit();
  }

  private async _drain(): Promise<void> {
    let size = MAX_REQUEST_RECORDS;
    this._dropOld();
    // Full batches only, unless the interval is up: a record that arrives while a
    // batch is in flight waits for the next batch instead of making a request of its own.
    while (
      this._queue.length &&
      !this._stopped &&
      (this._drainAll || this._fullBatchDue())
    ) {
      const batch = this._queue.slice(0, size);
      try {
        await this.options.send(batch, false);
      } catch (error) {
        const next = this._onFailure(error, batch);
        if (next === 'retry-later') {
          return;
        }
        if (next === 'smaller') {
          size = Math.max(1, Math.floor(size / 2));
        }
        continue;
      }
      this._backoff = 0;
      this._retryAt = null;
      this._settle(batch, 'sent');
    }
  }

  /** What to do after a refused batch; the refused records are dropped here. */
  private _onFailure(
    error: unknown,
    batch: ITelemetryRecord[]
  ): 'retry-now' | 'retry-later' | 'smaller' {
    const status = error instanceof AtriumRequestError ? error.status : 0;
    const reason = error instanceof AtriumRequestError ? error.reason : '';
    if (status === 403 && reason === 'telemetry-off') {
      this.stop(true);
      this.options.onOff?.();
      return 'retry-later';
    }
    if (status === 413) {
      if (batch.length > 1) {
        return 'smaller';
      }
      this._refuse(batch);
      return 'retry-now';
    }
    if (status === 400 || status === 422) {
      // The service names the first bad record; the rest of the batch is good.
      const match = RECORD_POSITION.exec(
        error instanceof Error ? error.message : ''
      );
      const position = match ? Number(match[1]) : NaN;
      this._refuse(
        position >= 0 && position < batch.length ? [batch[position]] : batch
      );
      return 'retry-now';
    }
    // The server is away, overloaded, restarting, or the user is logged out: wait.
    const delay = Math.min(
      BACKOFF_MAX_MS,
      BACKOFF_FIRST_MS * 2 ** this._backoff
    );
    this._backoff = Math.min(this._backoff + 1, 20);
    const jittered =
      delay / 2 + (this.options.random ?? Math.random)() * (delay / 2);
    this._retryAt = this._now() + jittered;
    this._scheduleFlush(jittered);
    this._changed.emit();
    return 'retry-later';
  }

  private _refuse(records: ITelemetryRecord[]): void {
    console.warn(
      `Atrium telemetry: the server refused ${records.length} record(s); they are dropped.`
    );
    this._dropped.refused += records.length;
    this._settle(records, 'dropped');
  }

  private _settle(records: ITelemetryRecord[], state: RecentState): void {
    const ids = new Set(records.map(r => r.eventId));
    this._queue = this._queue.filter(r => !ids.has(r.eventId));
    this._remember(records, state);
    this._schedulePersist();
    this._changed.emit();
  }

  private _remember(records: ITelemetryRecord[], state: RecentState): void {
    const ids = new Set(records.map(r => r.eventId));
    const kept = this._recent.filter(item => !ids.has(item.record.eventId));
    this._recent = kept
      .concat(records.map(record => ({ record, state })))
      .slice(-RECENT_SIZE);
  }

  private _trim(): void {
    const over = this._queue.length - this.options.maxStored;
    if (over > 0) {
      const dropped = this._queue.slice(0, over);
      this._dropped.full += over;
      this._settle(dropped, 'dropped');
    }
  }

  private _dropOld(): void {
    const oldest = this._now() - WINDOW_MS;
    const old = this._queue.filter(r => Date.parse(r.timestamp) < oldest);
    if (old.length) {
      this._dropped.refused += old.length;
      this._settle(old, 'dropped');
    }
  }

  /** Take over the records a closed tab (or the page before a reload) left behind. */
  private _adopt(): void {
    const storage = this.options.storage;
    if (!storage) {
      return;
    }
    const prefix = `${this.options.storageKey}:outbox:`;
    const keys: string[] = [];
    try {
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i);
        if (key?.startsWith(prefix) && key !== this._key) {
          keys.push(key);
        }
      }
    } catch {
      return;
    }
    const seen = new Set(this._queue.map(r => r.eventId));
    for (const key of keys) {
      const stored = this._read<IStored>(key);
      if (stored && this._now() - Number(stored.updated) < STALE_MS) {
        continue; // a live tab: it sends its own
      }
      this._remove(key);
      for (const record of Array.isArray(stored?.records)
        ? stored!.records
        : []) {
        if (isRecord(record) && !seen.has(record.eventId)) {
          seen.add(record.eventId);
          this._queue.push(record);
        }
      }
    }
    if (this._queue.length) {
      this._queue.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
      this._trim();
      this._persist();
      this._scheduleFlush(0);
    }
  }

  private _scheduleFlush(delay: number): void {
    if (this._timer !== null || this._stopped) {
      return;
    }
    this._timer = setTimeout(() => {
      this._timer = null;
      void this.flush();
    }, delay);
  }

  private _clearTimer(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private _schedulePersist(): void {
    if (this._persistTimer === null && !this._stopped) {
      this._persistTimer = setTimeout(() => {
        this._persistTimer = null;
        this._persist();
      }, PERSIST_MS);
    }
  }

  private _persist(closing = false): void {
    if (this._queue.length) {
      const updated = closing ? 0 : this._now();
      const stored: IStored = { updated, records: this._queue };
      this._write(this._key, stored);
    } else {
      this._remove(this._key);
    }
    const recent: IStoredRecent = {
      recent: this._recent,
      dropped: this._dropped
    };
    this._write(this._recentKey, recent);
  }

  private _read<T>(key: string): T | null {
    try {
      const text = this.options.storage?.getItem(key);
      return text ? (JSON.parse(text) as T) : null;
    } catch {
      return null;
    }
  }

  private _write(key: string, value: unknown): void {
    try {
      this.options.storage?.setItem(key, JSON.stringify(value));
    } catch {
      // Storage full or blocked (private mode): memory still holds the records.
    }
  }

  private _remove(key: string): void {
    try {
      this.options.storage?.removeItem(key);
    } catch {
      // as above
    }
  }

  private _now(): number {
    return (this.options.now ?? Date.now)();
  }

  private readonly _key: string;
  private readonly _recentKey: string;
  private _queue: ITelemetryRecord[] = [];
  private _recent: IRecent[] = [];
  private _dropped: IDropped = { full: 0, refused: 0 };
  private _changed = new Signal<this, void>(this);
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _persistTimer: ReturnType<typeof setTimeout> | null = null;
  private _sending: Promise<void> | null = null;
  private _drainAll = false;
  private _backoff = 0;
  private _retryAt: number | null = null;
  private _stopped = false;
}
