import { PromiseDelegate } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';

import { BUSY_CLASS, busy, lazy } from '../lazy';
import { LazyPanel } from '../lazyPanel';

/** Resolves after the next animation frame has run. */
function nextFrame(): Promise<void> {
  return new Promise(resolve => requestAnimationFrame(() => resolve()));
}

describe('lazy', () => {
  it('loads once and keeps the result', async () => {
    const load = jest.fn(async () => 42);
    const get = lazy(load);
    expect(await get()).toBe(42);
    expect(await get()).toBe(42);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('tries again after a failed load', async () => {
    const load = jest
      .fn<Promise<number>, []>()
      .mockRejectedValueOnce(new Error('chunk gone'))
      .mockResolvedValueOnce(7);
    const get = lazy(load);
    await expect(get()).rejects.toThrow('chunk gone');
    expect(await get()).toBe(7);
    expect(load).toHaveBeenCalledTimes(2);
  });
});

describe('busy', () => {
  it('shows the busy state only once a frame has passed', async () => {
    const slow = new PromiseDelegate<string>();
    const result = busy(slow.promise);
    expect(document.body.classList.contains(BUSY_CLASS)).toBe(false);
    await nextFrame();
    expect(document.body.classList.contains(BUSY_CLASS)).toBe(true);
    slow.resolve('done');
    expect(await result).toBe('done');
    expect(document.body.classList.contains(BUSY_CLASS)).toBe(false);
  });

  it('shows nothing for work done within the frame', async () => {
    await busy(Promise.resolve(1));
    await nextFrame();
    expect(document.body.classList.contains(BUSY_CLASS)).toBe(false);
  });
});

describe('LazyPanel', () => {
  it('creates its content only when shown, with a spinner meanwhile', async () => {
    const content = new PromiseDelegate<Widget>();
    const create = jest.fn(() => content.promise);
    const panel = new LazyPanel(create);
    panel.id = 'lazy-test';
    panel.hide();
    Widget.attach(panel, document.body);
    expect(create).not.toHaveBeenCalled();

    panel.show();
    expect(create).toHaveBeenCalledTimes(1);
    await nextFrame();
    expect(panel.node.querySelector('.jp-Spinner')).not.toBeNull();

    const inner = new Widget();
    const shown = jest.fn();
    const original = inner.processMessage.bind(inner);
    inner.processMessage = msg => {
      if (msg.type === 'after-show') {
        shown();
      }
      original(msg);
    };
    content.resolve(inner);
    expect(await panel.load()).toBe(inner);
    expect(panel.content).toBe(inner);
    expect(panel.node.querySelector('.jp-Spinner')).toBeNull();
    expect(inner.node.parentElement).toBe(panel.node);
    expect(shown).toHaveBeenCalled();

    panel.hide();
    panel.show();
    expect(create).toHaveBeenCalledTimes(1);
    panel.dispose();
  });

  it('tries again on the next show after a failed load', async () => {
    const create = jest
      .fn<Promise<Widget>, []>()
      .mockRejectedValueOnce(new Error('offline'))
      .mockResolvedValueOnce(new Widget());
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    const panel = new LazyPanel(create);
    Widget.attach(panel, document.body);
    await expect(panel.load()).rejects.toThrow('offline');
    await expect(panel.load()).resolves.toBeInstanceOf(Widget);
    expect(create).toHaveBeenCalledTimes(2);
    warn.mockRestore();
    panel.dispose();
  });
});
