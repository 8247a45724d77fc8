/*
 * What the first screen does not need loads once JupyterLab has restored its layout
 * (issue 16): the splash screen is gone and the user sees the page, and the chunk is in
 * well before the first click. A part of the first screen that needs it sooner (a sidebar
 * panel restored open) asks for it and gets it at once.
 *
 * Never awaited inside a plugin's `activate`: `app.restored` waits for every plugin to
 * activate, so that would never settle.
 */

/**
 * `load` run once, when `restored` settles or on the first call, whichever comes first.
 * A failed load is logged and not remembered: the next call tries again.
 */
export function afterRestored<T>(
  restored: Promise<unknown>,
  load: () => Promise<T>,
  what: string
): () => Promise<T> {
  let promise: Promise<T> | null = null;
  const get = () => {
    if (!promise) {
      promise = load().catch(error => {
        promise = null;
        throw error;
      });
    }
    return promise;
  };
  void restored
    .then(get)
    .catch(error => console.warn(`Atrium: ${what} could not be loaded`, error));
  return get;
}
