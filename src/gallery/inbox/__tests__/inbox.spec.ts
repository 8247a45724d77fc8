import { nullTranslator } from '@jupyterlab/translation';

import type { IInboxEvent, IInboxPage } from '../../sharingTypes';
import {
  describeEvent,
  eventsToNotify,
  nextDelay,
  registerInboxKind
} from '../logic';
import { IInboxHost, InboxModel } from '../model';

const trans = nullTranslator.load('jupyterlab-atrium');

function event(id: number, read = false, extra: Partial<IInboxEvent> = {}) {
  return {
    id,
    kind: 'share',
    actor: 'alice',
    via: { kind: 'user', name: 'gus' },
    detail: { access: 'read' },
    createdAt: '2026-12-07T08:00:00.000Z',
    notebookId: `nb${id}`,
    notebookTitle: `Notebook ${id}`,
    read,
    ...extra
  } as IInboxEvent;
}

function page(items: IInboxEvent[], readUpTo = 0): IInboxPage {
  return {
    items,
    nextBefore: null,
    readUpTo,
    unread: items.filter(e => !e.read).length,
    unreadMore: false
  };
}

/** A page host whose timers, visibility and restore the test drives by hand. */
class FakeHost implements IInboxHost {
  restored: Promise<unknown>;
  settle!: () => void;
  visible = true;
  timers = new Map<number, { callback: () => void; ms: number }>();
  shown: (() => void) | null = null;
  notified: IInboxEvent[][] = [];
  mark = 0;
  private _next = 1;

  constructor() {
    this.restored = new Promise<void>(resolve => (this.settle = resolve));
  }
  isVisible = () => this.visible;
  onShown(callback: () => void) {
    this.shown = callback;
    return () => (this.shown = null);
  }
  setTimer(callback: () => void, ms: number) {
    const handle = this._next++;
    this.timers.set(handle, { callback, ms });
    return handle;
  }
  clearTimer(handle: unknown) {
    this.timers.delete(handle as number);
  }
  notify = (events: IInboxEvent[]) => void this.notified.push(events);
  loadNotified = () => this.mark;
  saveNotified = (id: number) => void (this.mark = id);
  /** The one pending timer's delay. */
  pending(): number[] {
    return [...this.timers.values()].map(t => t.ms);
  }
  async fire(): Promise<void> {
    const [[handle, timer]] = [...this.timers.entries()];
    this.timers.delete(handle);
    timer.callback();
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await Promise.resolve();
  }
}

describe('inbox logic', () => {
  it('backs off from the interval while polls fail, up to the most', () => {
    const timing = { intervalMs: 1000, maxMs: 5000 };
    expect([0, 1, 2, 3, 50].map(n => nextDelay(n, timing))).toEqual([
      1000, 2000, 4000, 5000, 5000
    ]);
  });

  it('raises unread events newer than what was raised and what was read', () => {
    const items = [event(5), event(4, true), event(3), event(2)];
    expect(eventsToNotify(items, 2, 0).map(e => e.id)).toEqual([3, 5]);
    expect(eventsToNotify(items, 0, 3).map(e => e.id)).toEqual([5]);
    expect(eventsToNotify(items, 5, 0)).toEqual([]);
  });

  it('says each kind, a group share through its group, and unknown kinds plainly', () => {
    expect(describeEvent(event(1), trans)).toBe(
      'alice shared "Notebook 1" with you to read'
    );
    const viaGroup = event(2, false, {
      via: { kind: 'group', name: 'team' },
      detail: { access: 'edit' }
    });
    expect(describeEvent(viaGroup, trans)).toBe(
      'alice shared "Notebook 2" with your group team to read and edit'
    );
    const review = event(3, false, { kind: 'review-requested' });
    expect(describeEvent(review, trans)).toBe(
      'alice: "Notebook 3" (review-requested)'
    );
    registerInboxKind('review-requested', (e, t) =>
      t.__('%1 asks you to review "%2"', e.actor, e.notebookTitle)
    );
    expect(describeEvent(review, trans)).toBe(
      'alice asks you to review "Notebook 3"'
    );
  });
});

describe('InboxModel', () => {
  const timing = { intervalMs: 1000, maxMs: 8000 };

  it('asks nothing before the layout is restored', async () => {
    const host = new FakeHost();
    const fetch = jest.fn(() => Promise.resolve(page([])));
    const model = new InboxModel({ fetch, markRead: jest.fn() }, host, timing);
    const started = model.start();
    await flush();
    expect(fetch).not.toHaveBeenCalled();
    host.settle();
    await started;
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(host.pending()).toEqual([1000]);
    model.dispose();
    expect(host.pending()).toEqual([]);
  });

  it('raises each new event once, across polls and a reload', async () => {
    const host = new FakeHost();
    let items = [event(1)];
    const fetch = jest.fn(() => Promise.resolve(page(items)));
    const model = new InboxModel({ fetch, markRead: jest.fn() }, host, timing);
    host.settle();
    await model.start();
    expect(host.notified.map(batch => batch.map(e => e.id))).toEqual([[1]]);
    await host.fire();
    expect(host.notified).toHaveLength(1); // nothing new
    items = [event(3), event(2), event(1)];
    await host.fire();
    expect(host.notified.map(batch => batch.map(e => e.id))).toEqual([
      [1],
      [2, 3]
    ]);
    model.dispose();
    // A reload: a new model with the same stored mark raises nothing again.
    const again = new InboxModel({ fetch, markRead: jest.fn() }, host, timing);
    await again.start();
    expect(host.notified).toHaveLength(2);
    again.dispose();
  });

  it('backs off while the service fails and comes back to the interval', async () => {
    const host = new FakeHost();
    let fail = true;
    const fetch = jest.fn(() =>
      fail ? Promise.reject(new Error('down')) : Promise.resolve(page([]))
    );
    const model = new InboxModel({ fetch, markRead: jest.fn() }, host, timing);
    host.settle();
    await model.start();
    expect(model.error).toBeInstanceOf(Error);
    expect(host.pending()).toEqual([2000]);
    await host.fire();
    expect(host.pending()).toEqual([4000]);
    fail = false;
    await host.fire();
    expect(model.error).toBeNull();
    expect(host.pending()).toEqual([1000]);
    model.dispose();
  });

  it('pauses while the page is hidden and asks once it is shown', async () => {
    const host = new FakeHost();
    const fetch = jest.fn(() => Promise.resolve(page([])));
    const model = new InboxModel({ fetch, markRead: jest.fn() }, host, timing);
    host.visible = false;
    host.settle();
    await model.start();
    expect(fetch).not.toHaveBeenCalled();
    expect(host.pending()).toEqual([]); // no timer runs for a hidden page
    host.visible = true;
    host.shown?.();
    await flush();
    expect(fetch).toHaveBeenCalledTimes(1);
    // Hidden when the timer fires: that poll waits for the page to be shown.
    host.visible = false;
    await host.fire();
    expect(fetch).toHaveBeenCalledTimes(1);
    host.visible = true;
    host.shown?.();
    await flush();
    expect(fetch).toHaveBeenCalledTimes(2);
    model.dispose();
  });

  it('marks everything listed read', async () => {
    const host = new FakeHost();
    const fetch = jest.fn(() => Promise.resolve(page([event(4), event(2)])));
    const markRead = jest.fn((upTo: number) =>
      Promise.resolve({ readUpTo: upTo, unread: 0 })
    );
    const model = new InboxModel({ fetch, markRead }, host, timing);
    host.settle();
    await model.start();
    const changed = jest.fn();
    model.changed.connect(changed);
    await model.markAllRead();
    expect(markRead).toHaveBeenCalledWith(4);
    expect(model.page?.items.map(e => e.read)).toEqual([true, true]);
    expect(model.page?.unread).toBe(0);
    expect(changed).toHaveBeenCalledTimes(1);
    model.dispose();
  });
});
