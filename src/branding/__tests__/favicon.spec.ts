import { brandFavicons } from '../favicon';

const ICONS = {
  idle: 'http://x/atrium/branding/assets/favicon-idle.svg?v=1',
  busy: 'http://x/atrium/branding/assets/favicon-busy.svg?v=2'
};

/** MutationObserver callbacks run as microtasks. */
const settle = () => new Promise(resolve => setTimeout(resolve, 0));

function link(cls: string, rel: string, href: string): HTMLLinkElement {
  const element = document.createElement('link');
  element.className = cls;
  element.rel = rel;
  element.setAttribute('href', href);
  document.head.appendChild(element);
  return element;
}

afterEach(() => {
  document.head.innerHTML = '';
});

describe('brandFavicons in JupyterLab', () => {
  it("brands both links, so the busy indicator's rel swap keeps working", () => {
    const idle = link('idle favicon', 'icon', '/static/favicons/favicon.ico');
    const busy = link(
      'busy favicon',
      '',
      '/static/favicons/favicon-busy-1.ico'
    );
    const branded = brandFavicons(ICONS);
    expect(idle.getAttribute('href')).toBe(ICONS.idle);
    expect(busy.getAttribute('href')).toBe(ICONS.busy);

    // What @jupyterlab/application-extension:faviconbusy does while a kernel runs.
    idle.rel = '';
    busy.rel = 'icon';
    expect(
      document.querySelector('link[rel="icon"]')?.getAttribute('href')
    ).toBe(ICONS.busy);

    branded.dispose();
    expect(idle.getAttribute('href')).toBe('/static/favicons/favicon.ico');
    expect(busy.getAttribute('href')).toBe(
      '/static/favicons/favicon-busy-1.ico'
    );
  });
});

describe('brandFavicons in Notebook 7', () => {
  it('maps the stock icons Notebook 7 writes to the brand icons', async () => {
    const single = link(
      'favicon',
      'icon',
      '/static/favicons/favicon-notebook.ico'
    );
    const branded = brandFavicons(ICONS);
    expect(single.getAttribute('href')).toBe(ICONS.idle);

    // What @jupyter-notebook/notebook-extension:tab-icon does on kernel status.
    single.href = 'http://x/static/favicons/favicon-busy-1.ico';
    await settle();
    expect(single.getAttribute('href')).toBe(ICONS.busy);
    single.href = 'http://x/static/favicons/favicon-notebook.ico';
    await settle();
    expect(single.getAttribute('href')).toBe(ICONS.idle);

    branded.dispose();
    expect(single.getAttribute('href')).toBe(
      '/static/favicons/favicon-notebook.ico'
    );
    single.href = 'http://x/static/favicons/favicon-busy-1.ico';
    await settle();
    expect(single.getAttribute('href')).toBe(
      'http://x/static/favicons/favicon-busy-1.ico'
    );
  });

  it('does nothing on a page without favicon links', () => {
    const branded = brandFavicons(ICONS);
    expect(document.querySelectorAll('link')).toHaveLength(0);
    branded.dispose();
  });
});
