import * as fs from 'fs';
import * as path from 'path';

import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import * as React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

import { DISMISSAL_PREFIX, IKeyValueStore } from '../dismissal';
import {
  BANNER_HEIGHT,
  NoticeBanner,
  renderTokens,
  showNotice,
  WITH_NOTICE_CLASS
} from '../notice';
import { IBrandNotice, InlineToken } from '../types';
import { demoPolicy } from './sample';

const trans = nullTranslator.load('jupyterlab_atrium');

function html(node: React.ReactElement): HTMLElement {
  const host = document.createElement('div');
  host.innerHTML = renderToStaticMarkup(node);
  return host;
}

function notice(change: Partial<IBrandNotice> = {}): IBrandNotice {
  return { ...demoPolicy().branding!.notice!, ...change };
}

class MemoryStore implements IKeyValueStore {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

async function until<T>(probe: () => T | null | undefined): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = probe();
    if (value) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  throw new Error('timed out');
}

describe('renderTokens', () => {
  it('renders text as text, never as markup', () => {
    const tokens: InlineToken[] = [
      { t: 'text', v: '<img src=x onerror=alert(1)>' },
      { t: 'strong', c: [{ t: 'text', v: '<b>bold</b>' }] },
      { t: 'code', v: '<script>x</script>' }
    ];
    const host = html(<p>{renderTokens(tokens)}</p>);
    expect(host.querySelector('img, b, script')).toBeNull();
    expect(host.querySelector('strong')?.textContent).toBe('<b>bold</b>');
    expect(host.querySelector('code')?.textContent).toBe('<script>x</script>');
    expect(host.textContent).toBe(
      '<img src=x onerror=alert(1)><b>bold</b><script>x</script>'
    );
  });

  it('opens links in a new tab without access to the page', () => {
    const host = html(<p>{renderTokens(notice().tokens)}</p>);
    const link = host.querySelector('a');
    expect(link?.getAttribute('href')).toBe(
      'https://example.org/northbridge/data-protection'
    );
    expect(link?.getAttribute('target')).toBe('_blank');
    expect(link?.getAttribute('rel')).toBe('noopener noreferrer');
    expect(link?.textContent).toBe('data protection rules');
  });

  it.each(['javascript:alert(1)', 'data:text/html,x', '//evil.example/'])(
    'shows a link to %p as plain text',
    href => {
      const host = html(
        <p>
          {renderTokens([{ t: 'link', href, c: [{ t: 'text', v: 'click' }] }])}
        </p>
      );
      expect(host.querySelector('a')).toBeNull();
      expect(host.innerHTML).not.toContain(href);
      expect(host.textContent).toBe('click');
    }
  );
});

describe('NoticeBanner', () => {
  it.each<[IBrandNotice['level'], string, string | null]>([
    ['info', 'status', 'polite'],
    ['warning', 'alert', null],
    ['critical', 'alert', null]
  ])('announces a %s notice as %s', (level, role, live) => {
    const host = html(
      <NoticeBanner
        notice={notice({ level })}
        announce={true}
        trans={trans}
        onDismiss={null}
      />
    );
    const region = host.querySelector(`[role="${role}"]`);
    expect(region?.textContent).toBe(
      'Restricted: pseudonymised patient data. Follow the data protection rules.'
    );
    expect(region?.getAttribute('aria-live')).toBe(live);
  });

  it('announces a second copy of the notice only once', () => {
    const host = html(
      <NoticeBanner
        notice={notice()}
        announce={false}
        trans={trans}
        onDismiss={null}
      />
    );
    expect(host.querySelector('[role]')).toBeNull();
    expect(host.querySelector('[aria-hidden="true"]')).not.toBeNull();
  });

  it('has a close button only when the notice is dismissible', () => {
    const fixed = html(
      <NoticeBanner
        notice={notice({ dismissible: false })}
        announce={true}
        trans={trans}
        onDismiss={() => undefined}
      />
    );
    expect(fixed.querySelector('button')).toBeNull();
    const closable = html(
      <NoticeBanner
        notice={notice({ dismissible: true })}
        announce={true}
        trans={trans}
        onDismiss={() => undefined}
      />
    );
    expect(closable.querySelector('button')?.getAttribute('aria-label')).toBe(
      'Dismiss notice'
    );
  });
});

describe('showNotice', () => {
  let shell: Widget;

  beforeEach(() => {
    shell = new Widget();
    shell.id = 'main';
    Widget.attach(shell, document.body);
  });

  afterEach(() => {
    shell.dispose();
    document.body.innerHTML = '';
  });

  const banners = () =>
    Array.from(
      document.querySelectorAll<HTMLElement>(
        'body > .jp-Atrium-Branding-notice'
      )
    );

  it('shows a non-dismissible notice top and bottom, around the shell', async () => {
    const store = new MemoryStore();
    const shown = showNotice(notice(), { shell, trans, store });
    const [top, bottom] = banners();
    expect(top.dataset.position).toBe('top');
    expect(bottom.dataset.position).toBe('bottom');
    // Top banner first in the page, bottom banner after the shell.
    expect(top.nextElementSibling).toBe(shell.node);
    expect(shell.node.nextElementSibling).toBe(bottom);
    expect(document.body.classList.contains(WITH_NOTICE_CLASS)).toBe(true);
    expect(
      document.body.style.getPropertyValue('--jp-atrium-notice-top-height')
    ).toBe(`${BANNER_HEIGHT}px`);
    await until(() => top.querySelector('[role="alert"]'));
    await until(() => bottom.querySelector('[aria-hidden="true"]'));
    expect(top.querySelector('button')).toBeNull();
    expect(bottom.querySelector('button')).toBeNull();

    shown.dispose();
    expect(banners()).toHaveLength(0);
    expect(document.body.classList.contains(WITH_NOTICE_CLASS)).toBe(false);
    expect(
      document.body.style.getPropertyValue('--jp-atrium-notice-top-height')
    ).toBe('');
    expect(store.items.size).toBe(0);
  });

  it('shows a non-dismissible notice even if a dismissal was stored', () => {
    const store = new MemoryStore();
    store.setItem(DISMISSAL_PREFIX + notice().id, 'x');
    const shown = showNotice(notice(), { shell, trans, store });
    expect(banners()).toHaveLength(2);
    shown.dispose();
  });

  it('remembers a dismissal per notice id', async () => {
    const store = new MemoryStore();
    const first = notice({ id: 'first', dismissible: true, position: ['top'] });
    showNotice(first, { shell, trans, store });
    expect(banners()).toHaveLength(1);
    const button = await until(() =>
      document.querySelector<HTMLButtonElement>(
        '.jp-Atrium-Branding-notice-close'
      )
    );
    button.click();
    expect(banners()).toHaveLength(0);
    expect(store.getItem(`${DISMISSAL_PREFIX}first`)).not.toBeNull();
    expect(document.body.classList.contains(WITH_NOTICE_CLASS)).toBe(false);

    // The same notice stays closed on the next page load...
    showNotice(first, { shell, trans, store });
    expect(banners()).toHaveLength(0);
    // ...while a new notice text (another id) shows again.
    const second = showNotice(
      notice({ id: 'second', dismissible: true, position: ['bottom'] }),
      { shell, trans, store }
    );
    expect(banners().map(b => b.dataset.position)).toEqual(['bottom']);
    second.dispose();
  });

  it('closes both copies of a dismissible notice at once', async () => {
    const store = new MemoryStore();
    showNotice(notice({ id: 'both', dismissible: true }), {
      shell,
      trans,
      store
    });
    expect(banners()).toHaveLength(2);
    const buttons = await until(() => {
      const found = document.querySelectorAll<HTMLButtonElement>(
        '.jp-Atrium-Branding-notice-close'
      );
      return found.length === 2 ? found : null;
    });
    buttons[1].click();
    expect(banners()).toHaveLength(0);
  });

  it('still closes a notice when the browser refuses storage', async () => {
    const store: IKeyValueStore = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      }
    };
    showNotice(notice({ dismissible: true, position: ['top'] }), {
      shell,
      trans,
      store
    });
    const button = await until(() =>
      document.querySelector<HTMLButtonElement>(
        '.jp-Atrium-Branding-notice-close'
      )
    );
    button.click();
    expect(banners()).toHaveLength(0);
  });

  it('uses localStorage by default', async () => {
    window.localStorage.clear();
    showNotice(notice({ id: 'local', dismissible: true, position: ['top'] }), {
      shell,
      trans
    });
    const button = await until(() =>
      document.querySelector<HTMLButtonElement>(
        '.jp-Atrium-Branding-notice-close'
      )
    );
    button.click();
    expect(
      window.localStorage.getItem('jupyterlab-atrium:notice-dismissed:local')
    ).not.toBeNull();
    window.localStorage.clear();
  });
});

describe('showNotice during start-up, before the shell is in the page', () => {
  let shell: Widget;
  let observed: ResizeObserverCallback[];
  const real = (globalThis as { ResizeObserver?: unknown }).ResizeObserver;

  beforeEach(() => {
    shell = new Widget();
    shell.id = 'main';
    observed = [];
    // jsdom lays nothing out: the observer's reports are ours, and nothing may measure.
    jest.spyOn(HTMLElement.prototype, 'getBoundingClientRect');
    (globalThis as { ResizeObserver?: unknown }).ResizeObserver = class {
      constructor(callback: ResizeObserverCallback) {
        observed.push(callback);
      }
      observe(): void {
        /* reported by the test through `observed` */
      }
      disconnect(): void {
        /* nothing to stop */
      }
    };
  });

  afterEach(() => {
    jest.restoreAllMocks();
    (globalThis as { ResizeObserver?: unknown }).ResizeObserver = real;
    shell.dispose();
    document.body.innerHTML = '';
    document.body.removeAttribute('style');
  });

  const banner = (position: string) =>
    document.querySelector<HTMLElement>(
      `body > .jp-Atrium-Branding-notice[data-position="${position}"]`
    )!;
  const reserved = (position: string) =>
    document.body.style.getPropertyValue(
      `--jp-atrium-notice-${position}-height`
    );
  const report = (position: string | HTMLElement, blockSize: number) => {
    const entry = {
      target: typeof position === 'string' ? banner(position) : position,
      borderBoxSize: [{ blockSize, inlineSize: 800 }]
    } as unknown as ResizeObserverEntry;
    observed.forEach(callback =>
      callback([entry], {} as unknown as ResizeObserver)
    );
  };

  it('makes room at once, and puts the bottom copy after the shell when it arrives', async () => {
    let attached!: () => void;
    const shellAttached = new Promise<void>(resolve => (attached = resolve));
    const splash = document.body.appendChild(document.createElement('div'));
    const update = jest.spyOn(shell, 'update');

    const shown = showNotice(notice(), { shell, trans, shellAttached });
    // Room for one line each, without reading a height (a layout of the whole page).
    expect(HTMLElement.prototype.getBoundingClientRect).not.toHaveBeenCalled();
    expect(reserved('top')).toBe(`${BANNER_HEIGHT}px`);
    expect(reserved('bottom')).toBe(`${BANNER_HEIGHT}px`);
    expect(document.body.classList.contains(WITH_NOTICE_CLASS)).toBe(true);
    expect(document.body.firstElementChild).toBe(banner('top'));
    expect(update).not.toHaveBeenCalled();

    // What JupyterLab does after the plugins have started.
    Widget.attach(shell, document.body);
    attached();
    await shellAttached;
    await Promise.resolve();
    expect(Array.from(document.body.children)).toEqual([
      banner('top'),
      splash,
      shell.node,
      banner('bottom')
    ]);
    expect(update).not.toHaveBeenCalled();
    shown.dispose();
    expect(reserved('top')).toBe('');
  });

  it('lays the shell out again only when a banner changed height', () => {
    const update = jest.spyOn(shell, 'update');
    const shown = showNotice(notice(), {
      shell,
      trans,
      shellAttached: new Promise(() => undefined)
    });
    expect(observed).toHaveLength(2);

    // The first layout confirms one line each: nothing to do.
    report('top', 24);
    report('bottom', 23.6);
    expect(update).not.toHaveBeenCalled();

    // A narrower window wraps the text onto a second line.
    report('top', 42.5);
    expect(reserved('top')).toBe('43px');
    expect(reserved('bottom')).toBe('24px');
    expect(update).toHaveBeenCalledTimes(1);

    const top = banner('top');
    shown.dispose();
    report(top, 60);
    expect(update).toHaveBeenCalledTimes(2); // once more by dispose, not by the report
    expect(reserved('top')).toBe('');
  });

  it('makes room for one line at once when the shell is already in the page', () => {
    Widget.attach(shell, document.body);
    const update = jest.spyOn(shell, 'update');
    const shown = showNotice(notice({ position: ['top'] }), { shell, trans });
    // Reading a height now would lay out the whole page in the middle of start-up.
    expect(HTMLElement.prototype.getBoundingClientRect).not.toHaveBeenCalled();
    expect(reserved('top')).toBe(`${BANNER_HEIGHT}px`);
    expect(reserved('bottom')).toBe('0px');
    expect(update).toHaveBeenCalledTimes(1);
    report('top', BANNER_HEIGHT);
    expect(update).toHaveBeenCalledTimes(1);
    report('top', 41);
    expect(reserved('top')).toBe('41px');
    expect(update).toHaveBeenCalledTimes(2);
    shown.dispose();
  });

  it('assumes the height that style/branding.css gives a banner of one line', () => {
    const css = fs.readFileSync(
      path.join(__dirname, '..', '..', '..', 'style', 'branding.css'),
      'utf8'
    );
    const rule = /body > \.jp-Atrium-Branding-notice \{([^}]*)\}/.exec(css);
    expect(rule).not.toBeNull();
    expect(rule![1]).toContain(`min-height: ${BANNER_HEIGHT}px;`);
  });
});
