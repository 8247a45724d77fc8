/*
 * Startup loads only what the first screen shows (issue 16); panels, dialogs and flows
 * come in with dynamic `import()` on first use, which webpack turns into separate chunks.
 * These helpers give every such load the same busy state and caching.
 */

/** The class on <body> while a lazy part takes longer than a frame to arrive. */
export const BUSY_CLASS = 'jp-Atrium-mod-loading';

let pending = 0;

/**
 * Resolves with `work`; if it is not done by the next frame, the page shows a progress
 * cursor until it settles (a cached chunk arrives within the frame and shows nothing).
 */
export async function busy<T>(work: Promise<T>): Promise<T> {
  let shown = false;
  const frame = requestAnimationFrame(() => {
    shown = true;
    if (pending++ === 0) {
      document.body.classList.add(BUSY_CLASS);
    }
  });
  try {
    return await work;
  } finally {
    cancelAnimationFrame(frame);
    if (shown && --pending === 0) {
      document.body.classList.remove(BUSY_CLASS);
    }
  }
}

/**
 * `load` run once, its result kept; a failed load (say, the server restarted with a new
 * build) is not remembered, so the next use tries again. Every load shows `busy`.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | null = null;
  return () => {
    if (!promise) {
      promise = load().catch(error => {
        promise = null;
        throw error;
      });
    }
    return busy(promise);
  };
}
