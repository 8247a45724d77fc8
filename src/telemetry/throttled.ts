/*
 * A view of a busy signal that fires at most once per `limitMs`, and always after the
 * last change: a page listing records must not re-render for each of a thousand cell
 * runs (a run-all would pay for every render), yet must end showing the latest state.
 */

import { IDisposable } from '@lumino/disposable';
import { Throttler } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

export interface IThrottledSignal extends IDisposable {
  readonly signal: ISignal<unknown, void>;
}

export function throttledSignal(
  source: ISignal<unknown, unknown>,
  limitMs: number
): IThrottledSignal {
  const owner = {};
  const view = new Signal<unknown, void>(owner);
  const throttler = new Throttler(() => view.emit(), {
    limit: limitMs,
    edge: 'trailing'
  });
  const onChanged = () => {
    void throttler.invoke();
  };
  source.connect(onChanged);
  let disposed = false;
  return {
    signal: view,
    get isDisposed() {
      return disposed;
    },
    dispose() {
      if (disposed) {
        return;
      }
      disposed = true;
      source.disconnect(onChanged);
      throttler.dispose();
      Signal.clearData(owner);
    }
  };
}
