import { DisposableDelegate, IDisposable } from '@lumino/disposable';

/**
 * The stock logo widgets: JupyterLab's `@jupyterlab/application-extension:logo` and
 * Notebook 7's `@jupyter-notebook/application-extension:logo` (a link to /tree).
 */
export const STOCK_LOGO_IDS = ['jp-MainLogo', 'jp-NotebookLogo'];

export const LOGO_HOST_CLASS = 'jp-Atrium-Branding-logoHost';

export interface ILogoImages {
  /** Absolute image URLs. */
  light: string;
  dark: string;
  /** Where a click leads; null keeps the stock behaviour (none, or Notebook 7's /tree). */
  href: string | null;
  /** The brand name: the images' alternative text. */
  name: string;
}

function image(doc: Document, src: string, alt: string, kind: string) {
  const img = doc.createElement('img');
  img.className = `jp-Atrium-Branding-logo jp-Atrium-Branding-logo-${kind}`;
  img.src = src;
  img.alt = alt;
  img.draggable = false;
  return img;
}

function setLink(link: HTMLAnchorElement, href: string): void {
  link.href = href;
  // Same-site paths (the JupyterHub home) open in place, like JupyterHub's own logo;
  // another site opens in a new tab without access to this one.
  if (href.startsWith('/')) {
    link.removeAttribute('target');
    link.removeAttribute('rel');
  } else {
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
  }
}

/**
 * Put the brand's logo into a stock logo widget's node, keeping the node itself (its id,
 * place and rank in the top area). The light and dark images are both present and CSS
 * shows the one matching `body[data-jp-theme-light]`, so theme changes need no listener.
 * Disposing puts the stock content and link back.
 */
export function replaceLogo(
  host: HTMLElement,
  logo: ILogoImages,
  doc: Document = document
): IDisposable {
  const stockChildren = Array.from(host.childNodes);
  const stockAttributes = ['href', 'target', 'rel', 'title'].map(
    name => [name, host.getAttribute(name)] as const
  );

  const images =
    logo.dark === logo.light
      ? [image(doc, logo.light, logo.name, 'any')]
      : [
          image(doc, logo.light, logo.name, 'light'),
          image(doc, logo.dark, logo.name, 'dark')
        ];

  let content: HTMLElement[] = images;
  if (host instanceof HTMLAnchorElement) {
    if (logo.href) {
      setLink(host, logo.href);
    }
  } else if (logo.href) {
    const link = doc.createElement('a');
    link.className = 'jp-Atrium-Branding-logoLink';
    setLink(link, logo.href);
    link.append(...images);
    content = [link];
  }
  host.title = logo.name;
  host.replaceChildren(...content);
  host.classList.add(LOGO_HOST_CLASS);

  // DisposableDelegate runs the undo once, however often dispose() is called.
  return new DisposableDelegate(() => {
    host.replaceChildren(...stockChildren);
    host.classList.remove(LOGO_HOST_CLASS);
    for (const [name, value] of stockAttributes) {
      if (value === null) {
        host.removeAttribute(name);
      } else {
        host.setAttribute(name, value);
      }
    }
  });
}

/**
 * The stock logo node of the running application, if it has one: in the page, or in the
 * application shell before the shell is in the page.
 */
export function findStockLogo(
  root: Document | HTMLElement = document
): HTMLElement | null {
  for (const id of STOCK_LOGO_IDS) {
    const node = root.querySelector<HTMLElement>(`#${id}`);
    if (node) {
      return node;
    }
  }
  return null;
}
