/**
 * Dismissed notices are remembered per notice id (a hash of the notice text, so a new
 * notice shows again) in the browser's localStorage.
 */
export const DISMISSAL_PREFIX = 'jupyterlab-atrium:notice-dismissed:';

/** The subset of `Storage` used here, so tests and private windows can pass a stand-in. */
export interface IKeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function defaultStore(): IKeyValueStore | null {
  try {
    return window.localStorage;
  } catch {
    // Storage disabled by the browser: dismissals last until the page is reloaded.
    return null;
  }
}

export function isDismissed(
  id: string,
  store: IKeyValueStore | null = defaultStore()
): boolean {
  if (!store) {
    return false;
  }
  try {
    return store.getItem(DISMISSAL_PREFIX + id) !== null;
  } catch {
    return false;
  }
}

export function rememberDismissal(
  id: string,
  store: IKeyValueStore | null = defaultStore(),
  now: () => Date = () => new Date()
): void {
  try {
    store?.setItem(DISMISSAL_PREFIX + id, now().toISOString());
  } catch {
    // Quota or privacy settings: the notice is still closed for this page.
  }
}
