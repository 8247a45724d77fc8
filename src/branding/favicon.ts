import { DisposableDelegate, IDisposable } from '@lumino/disposable';

/**
 * Brand the tab icon without breaking the busy indicator.
 *
 * JupyterLab's page has two links, `link.idle.favicon` and `link.busy.favicon`, and its
 * `faviconbusy` plugin swaps their `rel` while a kernel runs: giving each its brand
 * `href` keeps that working untouched. Notebook 7 pages have a single `link.favicon`
 * whose `href` its `tab-icon` plugin rewrites to stock icons on kernel status changes:
 * that link is watched and every stock icon is mapped to the brand's idle or busy one.
 */
export function brandFavicons(
  icons: { idle: string; busy: string },
  doc: Document = document
): IDisposable {
  const restore: Array<() => void> = [];
  const setHref = (link: HTMLLinkElement, href: string) => {
    const original = link.getAttribute('href');
    link.setAttribute('href', href);
    restore.push(() => {
      if (original === null) {
        link.removeAttribute('href');
      } else {
        link.setAttribute('href', original);
      }
    });
  };

  const idle = doc.querySelector<HTMLLinkElement>('link.idle.favicon');
  const busy = doc.querySelector<HTMLLinkElement>('link.busy.favicon');
  if (idle || busy) {
    if (idle) {
      setHref(idle, icons.idle);
    }
    if (busy) {
      setHref(busy, icons.busy);
    }
  } else {
    const single = doc.querySelector<HTMLLinkElement>('link.favicon');
    if (single) {
      const mapped = (href: string | null) =>
        href === icons.idle || href === icons.busy
          ? href
          : /favicon-busy/.test(href ?? '')
            ? icons.busy
            : icons.idle;
      setHref(single, mapped(single.getAttribute('href')));
      const observer = new MutationObserver(() => {
        const current = single.getAttribute('href');
        const wanted = mapped(current);
        if (current !== wanted) {
          single.setAttribute('href', wanted);
        }
      });
      observer.observe(single, { attributes: true, attributeFilter: ['href'] });
      // Stop watching before the stock icon is put back.
      restore.unshift(() => observer.disconnect());
    }
  }

  // DisposableDelegate runs the undo once, however often dispose() is called.
  return new DisposableDelegate(() => {
    restore.forEach(undo => undo());
  });
}
