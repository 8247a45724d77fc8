import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { AtriumRequestError } from '../common/request';
import {
  IGalleryLink,
  INotebookSummary,
  ITaggedSummary,
  SyncStatus
} from './types';

/**
 * What the last check of the gallery found.
 */
export type RemoteState =
  | { kind: 'summary'; summary: INotebookSummary; etag: string }
  | { kind: 'gone' }
  | { kind: 'error'; error: unknown }
  | null;

/**
 * Whether a notebook whose stripped content hashes to `localHash` differs from the gallery
 * version its link is based on. The link's hash is the one recorded here; the gallery's own
 * hash of the same version counts too, so a copy whose link carries an older hash is not
 * "changed". The hash covers the diff view (view.ts), so this is true exactly when the
 * diff against that version shows a change.
 */
export function differsFromLink(
  link: IGalleryLink,
  localHash: string,
  summary: INotebookSummary | null
): boolean {
  return (
    localHash !== link.contentHash &&
    !(
      summary !== null &&
      summary.id === link.id &&
      summary.version === link.version &&
      summary.contentHash === localHash
    )
  );
}

/**
 * The sync status of a notebook from its link, the hash of its stripped content and what
 * the gallery said. null: the notebook is not linked.
 */
export function computeStatus(
  link: IGalleryLink | null,
  localHash: string | null,
  remote: RemoteState
): SyncStatus | null {
  if (!link) {
    return null;
  }
  if (remote === null || remote.kind === 'error') {
    return 'unknown';
  }
  if (remote.kind === 'gone') {
    return 'gone';
  }
  if (localHash === null || remote.summary.id !== link.id) {
    return 'unknown';
  }
  const summary = remote.summary;
  const changed = differsFromLink(link, localHash, summary);
  const behind = summary.version > link.version;
  if (changed && behind) {
    return 'diverged';
  }
  if (behind) {
    return 'behind';
  }
  return changed ? 'local-changes' : 'up-to-date';
}

/**
 * The notebook side of a sync, so the state machine can be tested without JupyterLab.
 */
export interface ISyncHost {
  /** The link in the notebook's metadata, read fresh. */
  readLink(): IGalleryLink | null;
  /**
   * Hash of the notebook stripped from its model; null when it cannot be computed now
   * (the gallery policy is unknown).
   */
  localHash(): Promise<string | null>;
}

export interface ISyncApi {
  getNotebook(
    id: string,
    etag?: string | null
  ): Promise<ITaggedSummary | 'not-modified'>;
}

export interface ISyncOptions {
  host: ISyncHost;
  api: ISyncApi;
  /** Seconds between background checks (settings: `syncIntervalSeconds`). */
  intervalSeconds: number;
  /** Milliseconds an edit waits before the local hash is computed again. */
  editDelayMs?: number;
  /** Start polling (tests turn it off and call `check`). */
  poll?: boolean;
}

/**
 * Keeps the sync status of one open notebook. Checks run in the background and never
 * block the UI: on open, on save, on focus, on demand and every `intervalSeconds`
 * (backing off while the gallery fails; paused while the page is hidden). The remote
 * check is cheap: `If-None-Match` with the last ETag, answered 304 when unchanged.
 */
export class GallerySync implements IDisposable {
  constructor(options: ISyncOptions) {
    this._host = options.host;
    this._api = options.api;
    this._editDelay = options.editDelayMs ?? 750;
    this._interval = Math.max(1, options.intervalSeconds) * 1000;
    if (options.poll !== false) {
      this._poll = new Poll({
        factory: () => this._tick(),
        frequency: this._frequency(),
        name: 'jupyterlab-atrium:gallery-sync',
        standby: 'when-hidden'
      });
    }
  }

  /** Emitted whenever status, summary or error change. */
  get changed(): ISignal<this, SyncStatus | null> {
    return this._changed;
  }

  get status(): SyncStatus | null {
    return this._status;
  }

  get link(): IGalleryLink | null {
    return this._link;
  }

  /** The gallery's summary from the last successful check. */
  get summary(): INotebookSummary | null {
    return this._remote?.kind === 'summary' ? this._remote.summary : null;
  }

  /** The ETag of `summary`. */
  get etag(): string | null {
    return this._remote?.kind === 'summary' ? this._remote.etag : null;
  }

  /** Why the status is `unknown`, when a request failed. */
  get error(): unknown {
    return this._remote?.kind === 'error' ? this._remote.error : null;
  }

  get localHash(): string | null {
    return this._localHash;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /**
   * Check local content and the gallery now. Concurrent calls share one check; a call
   * during a check runs one more afterwards, so its outcome is never stale.
   */
  check(): Promise<void> {
    if (this._running) {
      this._again = true;
      return this._running;
    }
    this._running = this._checkLoop().finally(() => {
      this._running = null;
    });
    return this._running;
  }

  /**
   * The notebook changed locally: recompute the local hash after a pause in editing.
   */
  localChanged(): void {
    if (this._disposed) {
      return;
    }
    if (this._editTimer !== null) {
      clearTimeout(this._editTimer);
    }
    this._editTimer = setTimeout(() => {
      this._editTimer = null;
      void this.checkLocal();
    }, this._editDelay);
  }

  /**
   * Recompute the local side only (no request), e.g. after an edit.
   */
  async checkLocal(): Promise<void> {
    const link = this._host.readLink();
    if (!this._sameEntry(link)) {
      // Linked, unlinked or relinked: the gallery side must be asked again.
      await this.check();
      return;
    }
    this._link = link;
    this._localHash = link ? await this._safeLocalHash() : null;
    this._update();
  }

  /**
   * What a publish, update or fork just got from the gallery: no need to ask again.
   */
  setRemote(tagged: ITaggedSummary): void {
    // The caller has just written the link of this entry into the notebook.
    this._link = this._host.readLink();
    this._remote = {
      kind: 'summary',
      summary: tagged.summary,
      etag: tagged.etag
    };
    void this.checkLocal();
  }

  setInterval(seconds: number): void {
    this._interval = Math.max(1, seconds) * 1000;
    if (this._poll) {
      this._poll.frequency = this._frequency();
    }
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    if (this._editTimer !== null) {
      clearTimeout(this._editTimer);
    }
    this._poll?.dispose();
    Signal.clearData(this);
  }

  private _frequency() {
    return {
      interval: this._interval,
      backoff: true,
      max: this._interval * 10
    };
  }

  private async _tick(): Promise<void> {
    await this.check();
    if (this._remote?.kind === 'error') {
      // Rejecting makes the poll back off while the gallery cannot be reached.
      throw this._remote.error;
    }
  }

  private async _checkLoop(): Promise<void> {
    do {
      this._again = false;
      await this._checkOnce();
    } while (this._again && !this._disposed);
  }

  private _sameEntry(link: IGalleryLink | null): boolean {
    return (link?.id ?? null) === (this._link?.id ?? null);
  }

  private async _safeLocalHash(): Promise<string | null> {
    try {
      return await this._host.localHash();
    } catch (error) {
      console.warn('Atrium gallery: cannot hash the notebook', error);
      return null;
    }
  }

  private async _checkOnce(): Promise<void> {
    if (this._disposed) {
      return;
    }
    const link = this._host.readLink();
    if (!this._sameEntry(link)) {
      this._remote = null;
    }
    this._link = link;
    if (!link) {
      this._localHash = null;
      this._remote = null;
      this._update();
      return;
    }
    const [remote, localHash] = await Promise.all([
      this._fetchRemote(link.id),
      this._safeLocalHash()
    ]);
    if (this._disposed || !this._sameEntry(this._host.readLink())) {
      // Relinked while asking: the next check has been or will be asked for.
      return;
    }
    this._remote = remote;
    this._localHash = localHash;
    this._update();
  }

  private async _fetchRemote(id: string): Promise<RemoteState> {
    const previous = this._remote?.kind === 'summary' ? this._remote : null;
    try {
      const reply = await this._api.getNotebook(id, previous?.etag ?? null);
      if (reply === 'not-modified') {
        return previous;
      }
      return { kind: 'summary', summary: reply.summary, etag: reply.etag };
    } catch (error) {
      if (
        error instanceof AtriumRequestError &&
        error.status === 404 &&
        error.reason === 'not-found'
      ) {
        return { kind: 'gone' };
      }
      return { kind: 'error', error };
    }
  }

  private _update(): void {
    const status = computeStatus(this._link, this._localHash, this._remote);
    this._status = status;
    this._changed.emit(status);
  }

  private _host: ISyncHost;
  private _api: ISyncApi;
  private _poll: Poll | null = null;
  private _interval: number;
  private _editDelay: number;
  private _editTimer: ReturnType<typeof setTimeout> | null = null;
  private _link: IGalleryLink | null = null;
  private _localHash: string | null = null;
  private _remote: RemoteState = null;
  private _status: SyncStatus | null = null;
  private _running: Promise<void> | null = null;
  private _again = false;
  private _disposed = false;
  private _changed = new Signal<this, SyncStatus | null>(this);
}
