import { JupyterFrontEnd } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { Widget } from '@lumino/widgets';

import { activate, deactivate } from '../plugin';
import { IBrandingPolicy } from '../types';
import { demoPolicy } from './sample';
import { publishServerPolicy } from '../../common/__tests__/serverPolicy';

function publish(branding: unknown): void {
  publishServerPolicy({ branding });
}

async function until(probe: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !probe(); i++) {
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

/** A stock JupyterLab page: favicon links, title, logo widget and shell. */
function stockPage(): { shell: Widget; app: JupyterFrontEnd } {
  document.head.innerHTML =
    '<title>JupyterLab</title>' +
    '<link rel="icon" class="idle favicon" href="/static/favicons/favicon.ico">' +
    '<link rel="" class="busy favicon" href="/static/favicons/favicon-busy-1.ico">';
  const shell = new Widget();
  shell.id = 'main';
  const logo = document.createElement('div');
  logo.id = 'jp-MainLogo';
  logo.innerHTML = '<svg></svg>';
  shell.node.appendChild(logo);
  Widget.attach(shell, document.body);
  const app = {
    started: Promise.resolve(),
    shell
  } as unknown as JupyterFrontEnd;
  return { shell, app };
}

/**
 * Everything on the page the plugin may change. Left out: <style> elements and <body>
 * style tokens that JupyterLab's UI toolkit adds when it is first imported, and attributes
 * left empty after a class or property was removed again.
 */
function snapshot(): string {
  const head = Array.from(document.head.children)
    .filter(
      e => e.tagName !== 'STYLE' || e.hasAttribute('data-atrium-branding')
    )
    .map(e => e.outerHTML)
    .join('');
  const atriumProperties = Array.from(document.body.style).filter(name =>
    name.startsWith('--jp-atrium')
  );
  const body = document.body.cloneNode(true) as HTMLElement;
  body.removeAttribute('style');
  const html = body.outerHTML.replace(/ (class|style)=""/g, '');
  return `${head}${html}${atriumProperties.join()}`;
}

describe('the branding plugin', () => {
  let page: { shell: Widget; app: JupyterFrontEnd };

  beforeEach(() => {
    page = stockPage();
  });

  afterEach(() => {
    deactivate();
    page.shell.dispose();
    document.head.innerHTML = '';
    document.body.innerHTML = '';
    PageConfig.setOption('atrium', '');
  });

  it('applies the published brand and restores the stock page when deactivated', async () => {
    publish(demoPolicy());
    const stock = snapshot();
    activate(page.app, null);
    await until(
      () => document.querySelectorAll('.jp-Atrium-Branding-notice').length > 0
    );

    expect(document.title).toBe('Northbridge Notebooks');
    expect(
      document.querySelector('style[data-atrium-branding]')?.textContent
    ).toContain('--jp-brand-color1: #0b5394;');
    expect(document.querySelector('link.idle')?.getAttribute('href')).toBe(
      'http://localhost/atrium/branding/assets/favicon-idle.svg?v=1f945cf11189'
    );
    expect(
      document.querySelector('#jp-MainLogo img')?.getAttribute('src')
    ).toBe(
      'http://localhost/atrium/branding/assets/logo-light.svg?v=a1dec8b366a9'
    );
    expect(
      Array.from(document.querySelectorAll('.jp-Atrium-Branding-notice')).map(
        n => (n as HTMLElement).dataset.position
      )
    ).toEqual(['top', 'bottom']);

    deactivate();
    expect(snapshot()).toBe(stock);
  });

  it.each<[string, unknown]>([
    ['no spec', { enabled: false, branding: null, error: null, warnings: [] }],
    [
      'an invalid spec',
      {
        enabled: true,
        branding: null,
        error: 'brand.json: colors.light.brand: not a colour',
        warnings: []
      } as IBrandingPolicy
    ]
  ])('keeps the stock page with %s', async (_label, policy) => {
    publish(policy);
    const warn = jest
      .spyOn(console, 'warn')
      .mockImplementation(() => undefined);
    const stock = snapshot();
    activate(page.app, null);
    await page.app.started;
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(snapshot()).toBe(stock);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('keeps the stock page, with a console warning, when the branding is malformed', async () => {
    const policy = demoPolicy() as unknown as {
      branding: { css: { light: Record<string, string> } };
    };
    policy.branding.css.light['--jp-brand-color1'] =
      'red; } body { display:none';
    publish(policy);
    const warn = jest
      .spyOn(console, 'warn')
      .mockImplementation(() => undefined);
    const stock = snapshot();
    activate(page.app, null);
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(snapshot()).toBe(stock);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it('brands the shell before JupyterLab puts it in the page', () => {
    // What the page holds while the plugins start: the shell, with its logo, not attached.
    page.shell.dispose();
    const shell = new Widget();
    shell.id = 'main';
    const logo = document.createElement('div');
    logo.id = 'jp-MainLogo';
    shell.node.appendChild(logo);
    const app = {
      started: new Promise(() => undefined),
      shell
    } as unknown as JupyterFrontEnd;
    page = { shell, app };
    publish(demoPolicy());

    activate(app, null);
    expect(logo.querySelector('img')?.getAttribute('src')).toBe(
      'http://localhost/atrium/branding/assets/logo-light.svg?v=a1dec8b366a9'
    );
    expect(
      Array.from(document.querySelectorAll('.jp-Atrium-Branding-notice')).map(
        n => (n as HTMLElement).dataset.position
      )
    ).toEqual(['top', 'bottom']);
  });

  it('brands a logo that is added only after activation once the application has started', async () => {
    page.shell.dispose();
    const shell = new Widget();
    shell.id = 'main';
    let started!: () => void;
    const app = {
      started: new Promise<void>(resolve => (started = resolve)),
      shell
    } as unknown as JupyterFrontEnd;
    page = { shell, app };
    publish(demoPolicy());

    activate(app, null);
    const logo = document.createElement('div');
    logo.id = 'jp-NotebookLogo';
    shell.node.appendChild(logo);
    Widget.attach(shell, document.body);
    expect(logo.querySelector('img')).toBeNull();
    started();
    await app.started;
    expect(logo.querySelector('img')?.getAttribute('src')).toBe(
      'http://localhost/atrium/branding/assets/logo-light.svg?v=a1dec8b366a9'
    );
  });
});
