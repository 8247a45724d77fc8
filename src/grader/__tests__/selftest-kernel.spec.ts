import { ISelfTestSessions, withFreshKernel } from '../selftest/kernel';

/** A session whose kernel answers only once it has been connected `failures + 1` times. */
function fakeSessions(failures: number) {
  let answer!: (value: unknown) => void;
  const kernel = {
    info: new Promise(resolve => (answer = resolve)),
    reconnect: jest.fn(async () => {
      if (kernel.reconnect.mock.calls.length > failures - 1) {
        answer({ status: 'ok' });
      }
    }),
    dispose: jest.fn()
  };
  const session = {
    id: 's1',
    kernel: { id: 'k1', name: 'python3' },
    shutdown: jest.fn(async (id: string) => undefined)
  };
  const sessions = {
    start: jest.fn(async () => session),
    connect: jest.fn(() => kernel),
    shutdown: session.shutdown
  };
  return {
    sessions: sessions as unknown as ISelfTestSessions,
    kernel,
    session
  };
}

describe('a fresh kernel for a self-test', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('connects again to a kernel whose first connection never answers', async () => {
    const { sessions, kernel, session } = fakeSessions(1);
    const run = withFreshKernel(
      sessions,
      'week1/squares.ipynb',
      'python3',
      60000,
      new AbortController().signal,
      async () => 'ran'
    );
    await jest.advanceTimersByTimeAsync(5000);
    await expect(run).resolves.toBe('ran');
    expect(kernel.reconnect).toHaveBeenCalledTimes(1);
    // Its own connection, closed; the session shut down by id.
    expect(kernel.dispose).toHaveBeenCalled();
    expect(session.shutdown).toHaveBeenCalledWith('s1');
  });

  it('gives up at the deadline, and shuts the kernel down', async () => {
    const { sessions, kernel, session } = fakeSessions(Infinity);
    const run = withFreshKernel(
      sessions,
      'squares.ipynb',
      'python3',
      12000,
      new AbortController().signal,
      async () => 'ran'
    );
    const failed = expect(run).rejects.toThrow(/did not answer within 12 s/);
    await jest.advanceTimersByTimeAsync(12000);
    await failed;
    expect(kernel.reconnect).toHaveBeenCalledTimes(2);
    expect(session.shutdown).toHaveBeenCalledWith('s1');
  });
});
