import { Signal } from '@lumino/signaling';

import { throttledSignal } from '../throttled';

describe('throttledSignal', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('fires once for a burst of changes, after the burst', async () => {
    const source = new Signal<object, void>({});
    const view = throttledSignal(source, 500);
    let fired = 0;
    view.signal.connect(() => fired++);
    for (let i = 0; i < 1000; i++) {
      source.emit();
    }
    expect(fired).toBe(0);
    await jest.advanceTimersByTimeAsync(600);
    expect(fired).toBe(1);
    view.dispose();
  });

  it('fires again for changes after the window, and never after dispose', async () => {
    const source = new Signal<object, void>({});
    const view = throttledSignal(source, 500);
    let fired = 0;
    view.signal.connect(() => fired++);
    source.emit();
    await jest.advanceTimersByTimeAsync(600);
    source.emit();
    await jest.advanceTimersByTimeAsync(600);
    expect(fired).toBe(2);
    view.dispose();
    source.emit();
    await jest.advanceTimersByTimeAsync(600);
    expect(fired).toBe(2);
    expect(view.isDisposed).toBe(true);
  });
});
