import { brandTitle, keepBrandInTitle } from '../title';

const BRAND = 'Northbridge Notebooks';

/** MutationObserver callbacks run as microtasks. */
const settle = () => new Promise(resolve => setTimeout(resolve, 0));

describe('brandTitle', () => {
  it.each([
    ['JupyterLab', BRAND],
    ['Untitled.ipynb - JupyterLab', `Untitled.ipynb - ${BRAND}`],
    ['analysis.ipynb (2) - JupyterLab', `analysis.ipynb (2) - ${BRAND}`],
    ['JupyterLab (teaching)', `${BRAND} (teaching)`],
    ['Untitled.ipynb', `Untitled.ipynb - ${BRAND}`],
    ['Home', `Home - ${BRAND}`],
    ['Jupyter Notebook - Console', `Jupyter Notebook - Console - ${BRAND}`],
    ['JupyterLab.ipynb - JupyterLab', `JupyterLab.ipynb - ${BRAND}`],
    ['', BRAND]
  ])('%p becomes %p', (title, expected) => {
    expect(brandTitle(title, BRAND)).toBe(expected);
  });

  it.each([
    'JupyterLab',
    'x - JupyterLab',
    'JupyterLab (ws)',
    'Home',
    BRAND,
    `${BRAND} - ${BRAND}`
  ])('is idempotent for %p', title => {
    const once = brandTitle(title, BRAND);
    expect(brandTitle(once, BRAND)).toBe(once);
  });

  it('handles a brand that contains the application name', () => {
    const brand = 'Northbridge JupyterLab';
    const once = brandTitle('x.ipynb - JupyterLab', brand);
    expect(once).toBe('x.ipynb - Northbridge JupyterLab');
    expect(brandTitle(once, brand)).toBe(once);
  });
});

describe('keepBrandInTitle', () => {
  afterEach(() => {
    document.title = '';
  });

  it('re-brands every title the application writes, without looping', async () => {
    document.title = 'JupyterLab';
    const setter = jest.spyOn(document, 'title', 'set');
    const keeper = keepBrandInTitle(BRAND);
    expect(document.title).toBe(BRAND);

    document.title = 'Untitled.ipynb - JupyterLab';
    await settle();
    expect(document.title).toBe(`Untitled.ipynb - ${BRAND}`);
    await settle();
    // One write by the test, one by the keeper per change: no ping-pong.
    expect(setter).toHaveBeenCalledTimes(3);

    keeper.dispose();
    document.title = 'JupyterLab';
    await settle();
    expect(document.title).toBe('JupyterLab');
    setter.mockRestore();
  });

  it('puts back the last stock title when disposed', async () => {
    document.title = 'notes.ipynb - JupyterLab';
    const keeper = keepBrandInTitle(BRAND);
    expect(document.title).toBe(`notes.ipynb - ${BRAND}`);
    keeper.dispose();
    expect(document.title).toBe('notes.ipynb - JupyterLab');
  });

  it('follows a <title> element that replaces the old one', async () => {
    document.title = 'JupyterLab';
    const keeper = keepBrandInTitle(BRAND);
    document.head.querySelector('title')?.remove();
    const fresh = document.createElement('title');
    fresh.textContent = 'Home';
    document.head.appendChild(fresh);
    await settle();
    expect(document.title).toBe(`Home - ${BRAND}`);
    fresh.textContent = 'other.ipynb';
    await settle();
    expect(document.title).toBe(`other.ipynb - ${BRAND}`);
    keeper.dispose();
  });
});
