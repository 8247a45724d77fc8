import { DisposableDelegate, IDisposable } from '@lumino/disposable';

/**
 * The names JupyterLab and Notebook 7 put in the tab title themselves.
 */
export const STOCK_APP_NAMES = ['JupyterLab', 'Jupyter Notebook'];

/**
 * The tab title with the brand: the application's own name is replaced by the brand
 * (`Untitled.ipynb - JupyterLab` → `Untitled.ipynb - Brand`, `JupyterLab (ws)` →
 * `Brand (ws)`), and a title without it (Notebook 7 shows only the file name) gets
 * ` - Brand` appended.
 *
 * Idempotent — `brandTitle(brandTitle(t)) === brandTitle(t)` — so the observer that calls it
 * on every title change settles after one write.
 */
export function brandTitle(
  title: string,
  brand: string,
  appNames: readonly string[] = STOCK_APP_NAMES
): string {
  const current = title.trim();
  if (
    !current ||
    current === brand ||
    current.endsWith(` - ${brand}`) ||
    current.startsWith(`${brand} (`)
  ) {
    return current || brand;
  }
  for (const app of appNames) {
    if (!app || app === brand) {
      continue;
    }
    if (current === app) {
      return brand;
    }
    if (current.endsWith(` - ${app}`)) {
      return `${current.slice(0, -app.length)}${brand}`;
    }
    // JupyterLab's title for a named workspace: `JupyterLab (name)`.
    if (current.startsWith(`${app} (`) && current.endsWith(')')) {
      return `${brand}${current.slice(app.length)}`;
    }
  }
  return `${current} - ${brand}`;
}

/**
 * Keep the brand in the tab title. JupyterLab rewrites `document.title` whenever the
 * current widget changes, so a one-off change would not last: a MutationObserver re-brands
 * every new title. Disposing puts back the last title the application wrote.
 */
export function keepBrandInTitle(
  brand: string,
  appNames: readonly string[] = STOCK_APP_NAMES,
  doc: Document = document
): IDisposable {
  let stock = doc.title;
  let written: string | null = null;
  const apply = () => {
    const current = doc.title;
    if (current === written) {
      return;
    }
    stock = current;
    const branded = brandTitle(current, brand, appNames);
    written = branded;
    if (branded !== current) {
      doc.title = branded;
    }
  };
  const observer = new MutationObserver(() => {
    watchTitleElement();
    apply();
  });
  // Setting `document.title` replaces the text of the <title> element; <head> itself is
  // watched (children only) in case a <title> element is added or replaced later.
  const watchTitleElement = () => {
    const element = doc.head.querySelector('title');
    if (element) {
      observer.observe(element, {
        childList: true,
        characterData: true,
        subtree: true
      });
    }
  };
  observer.observe(doc.head, { childList: true });
  watchTitleElement();
  apply();
  // DisposableDelegate runs the undo once, however often dispose() is called.
  return new DisposableDelegate(() => {
    observer.disconnect();
    if (doc.title === written) {
      doc.title = stock;
    }
  });
}
