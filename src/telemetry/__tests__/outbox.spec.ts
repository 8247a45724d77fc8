import { AtriumRequestError } from '../../common/request';
import { IOutboxOptions, Outbox } from '../outbox';
import { ITelemetryRecord } from '../record';
import { aRecord, MemoryStorage } from './helpers';

const KEY = 'atrium-telemetry:/base/';

/** A server that takes batches, or fails them with `failWith` while it is set. */
class Server {
  batches: { records: ITelemetryRecord[]; keepalive: boolean }[] = [];
  failWith: (() => Error) | null = null;
  received = new Set<string>();

  send = async (records: ITelemetryRecord[], keepalive: boolean) => {
    if (this.failWith) {
      throw this.failWith();
    }
    this.batches.push({ records: [...records], keepalive });
    records.forEach(r => this.received.add(r.eventId));
  };
}

function outbox(
  server: Server,
  storage: Storage | null,
  options: Partial<IOutboxOptions> = {}
): Outbox {
  return new Outbox({
    send: server.send,
    storage,
    storageKey: KEY,
    batchSize: 50,
    flushIntervalMs: 30000,
    maxStored: 1000,
    ...options
  });
}

const networkDown = () => new AtriumRequestError('', 0, 'network-error');

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  jest.useRealTimers();
});

describe('batching', () => {
  it('sends 1,000 runs in 20 requests', async () => {
    const server = new Server();
    const box = outbox(server, new MemoryStorage());
    for (let i = 0; i < 1000; i++) {
      box.add(aRecord());
      // Runs finish a few at a time, some while a request is in flight.
      if (i % 7 === 6) {
        await jest.advanceTimersByTimeAsync(1);
      }
    }
    await jest.advanceTimersByTimeAsync(30000);
    expect(server.received.size).toBe(1000);
    expect(server.batches.length).toBe(20);
    expect(box.pending.length).toBe(0);
    // A deadline for a loaded machine, not a speed target (that is bench/'s job).
  }, 60000);

  it('sends a partial batch when the interval is up, not before', async () => {
    const server = new Server();
    const box = outbox(server, null);
    for (let i = 0; i < 7; i++) {
      box.add(aRecord());
    }
    await jest.advanceTimersByTimeAsync(29000);
    expect(server.batches.length).toBe(0);
    await jest.advanceTimersByTimeAsync(1000);
    expect(server.batches.map(b => b.records.length)).toEqual([7]);
  });

  it('holds full batches while cells run and sends them when the run is done', async () => {
    const server = new Server();
    let busy = true;
    const box = outbox(server, null, { busy: () => busy });
    for (let i = 0; i < 120; i++) {
      box.add(aRecord());
    }
    await jest.advanceTimersByTimeAsync(1000);
    expect(server.batches.length).toBe(0);
    busy = false;
    box.idle();
    await jest.advanceTimersByTimeAsync(1);
    // One request for what waited (a catch-up request holds up to 200).
    expect(server.batches.map(b => b.records.length)).toEqual([120]);
    expect(box.pending.length).toBe(0);
  });

  it('still sends within the interval during a run that never ends', async () => {
    const server = new Server();
    const box = outbox(server, null, { busy: () => true });
    for (let i = 0; i < 60; i++) {
      box.add(aRecord());
    }
    box.idle(); // a stray call changes nothing while cells run
    await jest.advanceTimersByTimeAsync(29000);
    expect(server.batches.length).toBe(0);
    await jest.advanceTimersByTimeAsync(1000);
    expect(server.received.size).toBe(60);
  });

  it('sends what is pending with keepalive when the page is hidden', async () => {
    const server = new Server();
    const storage = new MemoryStorage();
    const box = outbox(server, storage);
    box.add(aRecord());
    box.add(aRecord());
    await box.flush(true);
    expect(server.batches).toEqual([
      expect.objectContaining({ keepalive: true })
    ]);
    // Written to storage before the request, in case the page dies with it.
    expect(storage.length).toBe(2);
    await jest.advanceTimersByTimeAsync(0);
    expect(box.pending.length).toBe(0);
  });
});

describe('a reload', () => {
  it('loses nothing: the next page sends what the last one held', async () => {
    const server = new Server();
    const storage = new MemoryStorage();
    let now = 1_000_000;
    const first = outbox(server, storage, { now: () => now });
    const records = [aRecord(), aRecord(), aRecord()];
    records.forEach(r => first.add(r));
    first.persistNow();
    // The page is gone without a word (a crash, a killed tab).
    now += 60_000;
    const second = outbox(server, storage, { now: () => now });
    expect(second.pending.map(r => r.eventId)).toEqual(
      records.map(r => r.eventId)
    );
    await jest.advanceTimersByTimeAsync(0);
    expect([...server.received]).toEqual(records.map(r => r.eventId));
    // Sent and then forgotten (storage is written within a second), so a third page
    // does not send them again.
    await jest.advanceTimersByTimeAsync(1000);
    const third = outbox(server, storage, { now: () => now + 60_000 });
    expect(third.pending.length).toBe(0);
  });

  it('sends at once what a page closing a moment ago left', async () => {
    const server = new Server();
    const storage = new MemoryStorage();
    const now = 1_000_000;
    const closing = outbox(new Server(), storage, { now: () => now });
    closing.add(aRecord());
    closing.persistNow(true);
    const reloaded = outbox(server, storage, { now: () => now + 500 });
    expect(reloaded.pending.length).toBe(1);
    await jest.advanceTimersByTimeAsync(0);
    expect(server.received.size).toBe(1);
  });

  it('leaves another live tab its own records', () => {
    const storage = new MemoryStorage();
    const now = 1_000_000;
    const live = outbox(new Server(), storage, { now: () => now });
    live.add(aRecord());
    live.persistNow();
    const other = outbox(new Server(), storage, { now: () => now + 2000 });
    expect(other.pending.length).toBe(0);
  });

  it('ignores what it cannot read back', () => {
    const storage = new MemoryStorage();
    storage.setItem(`${KEY}:outbox:x`, '{not json');
    storage.setItem(
      `${KEY}:outbox:y`,
      JSON.stringify({
        updated: 0,
        records: [{ ...aRecord(), source: 'secret' }, 42, aRecord()]
      })
    );
    const box = outbox(new Server(), storage);
    expect(box.pending.length).toBe(1);
  });
});

describe('when the server is away', () => {
  it('retries with growing waits and sends everything once it is back', async () => {
    const server = new Server();
    server.failWith = networkDown;
    const box = outbox(server, null, { batchSize: 1, random: () => 1 });
    box.add(aRecord());
    await jest.advanceTimersByTimeAsync(0);
    const first = box.retryAt! - Date.now();
    await jest.advanceTimersByTimeAsync(first);
    const second = box.retryAt! - Date.now();
    expect(second).toBeGreaterThan(first);
    box.add(aRecord());
    server.failWith = null;
    await jest.advanceTimersByTimeAsync(second);
    expect(server.received.size).toBe(2);
    expect(box.retryAt).toBeNull();
  });

  it('keeps at most maxStored, dropping the oldest and counting them', async () => {
    const server = new Server();
    server.failWith = networkDown;
    const box = outbox(server, null, { maxStored: 100 });
    const records = Array.from({ length: 150 }, () => aRecord());
    for (const r of records) {
      box.add(r);
      await jest.advanceTimersByTimeAsync(0);
    }
    expect(box.pending.map(r => r.eventId)).toEqual(
      records.slice(50).map(r => r.eventId)
    );
    expect(box.dropped).toEqual({ full: 50, refused: 0 });
  });

  it('drops records older than the service window instead of sending them', async () => {
    const server = new Server();
    const box = outbox(server, null);
    const old = aRecord({
      timestamp: new Date(Date.now() - 31 * 24 * 3600 * 1000).toISOString()
    });
    box.add(old);
    box.add(aRecord());
    await box.flush();
    expect(server.received.has(old.eventId)).toBe(false);
    expect(server.received.size).toBe(1);
    expect(box.dropped.refused).toBe(1);
  });
});

describe('what the server refuses', () => {
  it('stops and keeps nothing when the policy was turned off', async () => {
    const server = new Server();
    const storage = new MemoryStorage();
    server.failWith = () => new AtriumRequestError('off', 403, 'telemetry-off');
    const onOff = jest.fn();
    const box = outbox(server, storage, { onOff });
    box.add(aRecord());
    box.persistNow();
    await box.flush();
    expect(onOff).toHaveBeenCalledTimes(1);
    expect(box.pending.length).toBe(0);
    expect(
      [...Array(storage.length).keys()].map(i => storage.key(i))
    ).not.toContainEqual(expect.stringContaining(':outbox:'));
    server.failWith = null;
    box.add(aRecord());
    await jest.advanceTimersByTimeAsync(60000);
    expect(server.batches.length).toBe(0);
  });

  it('drops only the record the server names, and sends the rest', async () => {
    const server = new Server();
    const records = [aRecord(), aRecord(), aRecord()];
    const send = server.send;
    server.send = async (batch, keepalive) => {
      if (batch.length === 3) {
        throw new AtriumRequestError(
          "Record 1: 'timestamp' is in the future.",
          400,
          'invalid-record'
        );
      }
      return send(batch, keepalive);
    };
    const box = outbox(server, null);
    records.forEach(r => box.add(r));
    await box.flush();
    expect([...server.received]).toEqual([
      records[0].eventId,
      records[2].eventId
    ]);
    expect(box.dropped.refused).toBe(1);
    expect(box.recent.find(r => r.record === records[1])?.state).toBe(
      'dropped'
    );
  });

  it('splits a batch the server finds too large', async () => {
    const server = new Server();
    const send = server.send;
    server.send = async (batch, keepalive) => {
      if (batch.length > 60) {
        throw new AtriumRequestError('too many', 413, 'too-many-records');
      }
      return send(batch, keepalive);
    };
    const box = outbox(server, null, { batchSize: 1000 });
    for (let i = 0; i < 150; i++) {
      box.add(aRecord());
    }
    await box.flush();
    expect(server.received.size).toBe(150);
    expect(Math.max(...server.batches.map(b => b.records.length))).toBe(50);
  });
});

describe('the user says no', () => {
  it('withdraws what is not sent yet', async () => {
    const server = new Server();
    const box = outbox(server, new MemoryStorage());
    box.add(aRecord());
    box.withdraw();
    await jest.advanceTimersByTimeAsync(60000);
    expect(server.batches.length).toBe(0);
    expect(box.recent.map(r => r.state)).toEqual(['dropped']);
  });
});
