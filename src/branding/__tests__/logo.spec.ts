import { findStockLogo, LOGO_HOST_CLASS, replaceLogo } from '../logo';

const LOGO = {
  light: 'http://x/atrium/branding/assets/logo-light.svg?v=1',
  dark: 'http://x/atrium/branding/assets/logo-dark.svg?v=2',
  href: null,
  name: 'Northbridge Notebooks'
};

afterEach(() => {
  document.body.innerHTML = '';
});

function jupyterLabLogo(): HTMLElement {
  const node = document.createElement('div');
  node.id = 'jp-MainLogo';
  node.innerHTML = '<svg data-icon="ui-components:jupyter"></svg>';
  document.body.appendChild(node);
  return node;
}

function notebookLogo(): HTMLAnchorElement {
  const node = document.createElement('a');
  node.id = 'jp-NotebookLogo';
  node.href = 'http://x/tree';
  node.target = '_blank';
  node.rel = 'noopener noreferrer';
  node.innerHTML = '<svg data-icon="notebook-ui-components:jupyter"></svg>';
  document.body.appendChild(node);
  return node;
}

describe('replaceLogo', () => {
  it("puts light and dark images into JupyterLab's logo and restores it", () => {
    const node = jupyterLabLogo();
    const stockSvg = node.firstChild;
    expect(findStockLogo()).toBe(node);
    const replaced = replaceLogo(node, LOGO);
    const images = Array.from(node.querySelectorAll('img'));
    expect(images.map(i => i.getAttribute('src'))).toEqual([
      LOGO.light,
      LOGO.dark
    ]);
    expect(images.map(i => i.className)).toEqual([
      'jp-Atrium-Branding-logo jp-Atrium-Branding-logo-light',
      'jp-Atrium-Branding-logo jp-Atrium-Branding-logo-dark'
    ]);
    expect(images.every(i => i.alt === 'Northbridge Notebooks')).toBe(true);
    expect(node.querySelector('svg, a')).toBeNull();
    expect(node.classList.contains(LOGO_HOST_CLASS)).toBe(true);

    replaced.dispose();
    expect(node.firstChild).toBe(stockSvg);
    expect(node.childNodes).toHaveLength(1);
    expect(node.classList.contains(LOGO_HOST_CLASS)).toBe(false);
    expect(node.hasAttribute('title')).toBe(false);
  });

  it('links the logo when the brand gives a link', () => {
    const node = jupyterLabLogo();
    replaceLogo(node, { ...LOGO, dark: LOGO.light, href: '/hub/home' });
    const link = node.querySelector('a');
    expect(link?.getAttribute('href')).toBe('/hub/home');
    // Same-site: opens in place, like JupyterHub's own logo.
    expect(link?.hasAttribute('target')).toBe(false);
    expect(node.querySelectorAll('img')).toHaveLength(1);
    expect(node.querySelector('img')?.className).toContain('logo-any');
  });

  it("keeps Notebook 7's logo a link, to the brand's target when given", () => {
    const node = notebookLogo();
    const replaced = replaceLogo(node, {
      ...LOGO,
      href: 'https://intranet.example/'
    });
    expect(findStockLogo()).toBe(node);
    expect(node.getAttribute('href')).toBe('https://intranet.example/');
    expect(node.target).toBe('_blank');
    expect(node.rel).toBe('noopener noreferrer');
    expect(node.querySelector('a')).toBeNull();
    replaced.dispose();
    expect(node.getAttribute('href')).toBe('http://x/tree');
    expect(node.querySelector('svg')).not.toBeNull();
    expect(node.querySelector('img')).toBeNull();
  });

  it("keeps Notebook 7's own link when the brand gives none", () => {
    const node = notebookLogo();
    replaceLogo(node, LOGO);
    expect(node.getAttribute('href')).toBe('http://x/tree');
    expect(node.querySelectorAll('img')).toHaveLength(2);
  });

  it('finds nothing on a page without a stock logo', () => {
    expect(findStockLogo()).toBeNull();
  });
});
