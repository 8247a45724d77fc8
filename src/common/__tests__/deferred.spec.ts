import { afterRestored } from '../deferred';

/** A promise with its resolve function, for a restored layout the test controls. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const promise = new Promise<void>(resolve => {
    open = resolve;
  });
  return { promise, open };
}

describe('afterRestored', () => {
  it('loads once the layout is restored, and only once', async () => {
    const restored = gate();
    const load = jest.fn(() => Promise.resolve('code'));
    const get = afterRestored(restored.promise, load, 'x');
    await Promise.resolve();
    expect(load).not.toHaveBeenCalled();
    restored.open();
    await restored.promise;
    await expect(get()).resolves.toBe('code');
    await expect(get()).resolves.toBe('code');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('loads at once when the first screen asks before the layout is restored', async () => {
    const restored = gate();
    const load = jest.fn(() => Promise.resolve(42));
    const get = afterRestored(restored.promise, load, 'x');
    await expect(get()).resolves.toBe(42);
    restored.open();
    await restored.promise;
    await expect(get()).resolves.toBe(42);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('tries again after a failed load, and says what failed', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    const load = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(new Error('chunk gone'))
      .mockResolvedValue('code');
    const get = afterRestored(Promise.resolve(), load, 'the gallery');
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(warn).toHaveBeenCalledWith(
      'Atrium: the gallery could not be loaded',
      expect.any(Error)
    );
    await expect(get()).resolves.toBe('code');
    expect(load).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });
});
