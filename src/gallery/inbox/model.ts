import { ISignal, Signal } from '@lumino/signaling';

import type { IInboxEvent, IInboxPage, IInboxReadState } from '../sharingTypes';
import {
  DEFAULT_TIMING,
  eventsToNotify,
  IPollTiming,
  nextDelay
} from './logic';

/** The service calls the inbox makes (api.ts in the app; stand-ins in tests). */
export interface IInboxSource {
  fetch(): Promise<IInboxPage>;
  markRead(upTo: number): Promise<IInboxReadState>;
}

/** What the inbox needs from the page it runs in. */
export interface IInboxHost {
  /** No request before this settles (JupyterLab's `app.restored`). */
  restored: Promise<unknown>;
  /** Whether the page is shown; a hidden page is not polled. */
  isVisible(): boolean;
  /** Call `callback` when the page is shown again; returns how to stop. */
  onShown(callback: () => void): () => void;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** Raise these new events (oldest first) in the notification area. */
  notify(events: IInboxEvent[]): void;
  /** The newest event id already raised, kept across reloads. */
  loadNotified(): number;
  saveNotified(id: number): void;
}

/**
 * The user's inbox, polled lazily: the first request once the layout is restored, then one
 * per interval while the page is shown, backing off while the service fails; a hidden page
 * is asked again as soon as it is shown. Each new event is raised once.
 */
export class InboxModel {
  constructor(
    private readonly _source: IInboxSource,
    private readonly _host: IInboxHost,
    private readonly _timing: IPollTiming = DEFAULT_TIMING
  ) {}

  /** The newest page, or null before the first answer. */
  get page(): IInboxPage | null {
    return this._page;
  }

  /** The last poll's failure, or null. */
  get error(): unknown {
    return this._error;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Start polling once `restored` settles (never before). */
  start(): Promise<void> {
    this._stopShown = this._host.onShown(() => {
      if (this._due) {
        void this.refresh();
      }
    });
    return this._host.restored.then(() => this.refresh());
  }

  /** Ask now (the inbox was opened, something was just shared); then on schedule. */
  async refresh(): Promise<void> {
    if (this._disposed) {
      return;
    }
    this._cancelTimer();
    if (!this._host.isVisible()) {
      this._due = true; // asked when the page is shown again
      return;
    }
    this._due = false;
    if (this._inFlight) {
      return this._inFlight;
    }
    this._inFlight = this._poll().finally(() => {
      this._inFlight = null;
    });
    return this._inFlight;
  }

  /** Mark everything listed read. */
  async markAllRead(): Promise<void> {
    const page = this._page;
    const newest = page?.items[0]?.id;
    if (!page || newest === undefined) {
      return;
    }
    const state = await this._source.markRead(newest);
    if (this._page === page) {
      this._page = {
        ...page,
        readUpTo: state.readUpTo,
        unread: state.unread,
        unreadMore: false,
        items: page.items.map(event => ({
          ...event,
          read: event.read || event.id <= state.readUpTo
        }))
      };
      this._changed.emit();
    }
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._cancelTimer();
    this._stopShown?.();
    Signal.clearData(this);
  }

  private async _poll(): Promise<void> {
    try {
      const page = await this._source.fetch();
      if (this._disposed) {
        return;
      }
      this._failures = 0;
      this._page = page;
      this._error = null;
      const fresh = eventsToNotify(
        page.items,
        this._host.loadNotified(),
        page.readUpTo
      );
      if (fresh.length > 0) {
        this._host.saveNotified(fresh[fresh.length - 1].id);
        this._host.notify(fresh);
      }
    } catch (error) {
      if (this._disposed) {
        return;
      }
      this._failures++;
      this._error = error;
    }
    this._changed.emit();
    this._schedule(nextDelay(this._failures, this._timing));
  }

  private _schedule(ms: number): void {
    this._cancelTimer();
    this._timer = this._host.setTimer(() => {
      this._timer = null;
      void this.refresh();
    }, ms);
  }

  private _cancelTimer(): void {
    if (this._timer !== null) {
      this._host.clearTimer(this._timer);
      this._timer = null;
    }
  }

  private _page: IInboxPage | null = null;
  private _error: unknown = null;
  private _failures = 0;
  private _timer: unknown = null;
  private _due = false;
  private _disposed = false;
  private _inFlight: Promise<void> | null = null;
  private _stopShown: (() => void) | null = null;
  private _changed = new Signal<this, void>(this);
}

let running: InboxModel | null = null;

/** The inbox the gallery started (the panel's list shows it), or null. */
export function currentInbox(): InboxModel | null {
  return running;
}

export function setCurrentInbox(model: InboxModel | null): void {
  running = model;
}
