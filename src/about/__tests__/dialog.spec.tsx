import { nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

import { AboutFacts } from '../dialog';
import { IAboutFacts } from '../facts';

const trans = nullTranslator.load('jupyterlab_atrium');

const base: IAboutFacts = {
  frontendVersion: '0.1.0',
  serverVersion: '0.1.0',
  versionMismatch: false,
  policy: { version: '0.1.0', apiVersion: 1, service: { mode: 'embedded' } },
  plugins: [
    {
      id: 'jupyterlab-atrium:about',
      label: 'About Atrium',
      state: 'active',
      locked: true
    }
  ],
  service: { ok: false, error: '<img src=x onerror=alert(1)>' }
};

function render(facts: IAboutFacts): HTMLElement {
  const host = document.createElement('div');
  host.innerHTML = renderToStaticMarkup(
    <AboutFacts facts={facts} trans={trans} />
  );
  return host;
}

describe('AboutFacts', () => {
  it('shows the version, mode, plugin state and policy', () => {
    const host = render(base);
    const fact = (name: string) =>
      host.querySelector(`[data-atrium-fact="${name}"]`)?.textContent;
    expect(fact('version')).toBe('0.1.0');
    expect(fact('mode')).toBe('embedded');
    expect(fact('policy')).toContain('"mode": "embedded"');
    const row = host.querySelector(
      '[data-atrium-plugin="jupyterlab-atrium:about"]'
    );
    expect(row?.textContent).toContain('enabled, active · locked');
  });

  it('shows error text as text, never as markup', () => {
    const host = render(base);
    expect(host.querySelector('img')).toBeNull();
    expect(
      host.querySelector('[data-atrium-fact="service"]')?.textContent
    ).toBe('does not answer: <img src=x onerror=alert(1)>');
  });

  it('warns about a version mismatch and a database that needs upgrading', () => {
    const host = render({
      ...base,
      serverVersion: '0.2.0',
      versionMismatch: true,
      service: {
        ok: true,
        elapsedMs: 12.4,
        status: {
          ok: true,
          version: '0.2.0',
          mode: 'embedded',
          database: {
            backend: 'postgresql',
            revision: '0001',
            head: '0002',
            upToDate: false,
            installation: null
          }
        }
      }
    });
    expect(host.querySelector('[role="alert"]')?.textContent).toContain(
      'the server runs 0.2.0'
    );
    expect(
      host.querySelector('[data-atrium-fact="service"]')?.textContent
    ).toBe(
      'answers in 12 ms · database postgresql, schema 0001 (needs upgrade)'
    );
  });

  it('says so when the server published no policy', () => {
    const host = render({ ...base, policy: null });
    expect(host.textContent).toContain(
      'The server published no Atrium policy.'
    );
    expect(host.querySelector('[data-atrium-fact="mode"]')?.textContent).toBe(
      'unknown'
    );
  });
});
