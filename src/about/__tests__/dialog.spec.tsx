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
  branding: { state: 'not-configured' },
  service: { ok: false, error: '<img src=x onerror=alert(1)>' }
};

function render(facts: IAboutFacts): HTMLElement {
  const host = document.createElement('div');
  host.innerHTML = renderToStaticMarkup(
    <AboutFacts facts={facts} trans={trans} />
  );
  return host;
}

/** The policy table's body rows as [section, setting, value], section repeated. */
function policyCells(host: HTMLElement): string[][] {
  const rows: string[][] = [];
  host.querySelectorAll('[data-atrium-fact="policy"] tbody').forEach(group => {
    const section = group.querySelector('th')?.textContent ?? '';
    group.querySelectorAll('tr').forEach(tr => {
      const cells = [...tr.querySelectorAll('td')].map(
        td => td.textContent ?? ''
      );
      rows.push([section, ...cells]);
    });
  });
  return rows;
}

describe('AboutFacts', () => {
  it('says which features the server turned off', () => {
    const host = render({
      ...base,
      policy: { ...base.policy!, disabledFeatures: ['gallery'] },
      plugins: [
        {
          id: 'jupyterlab-atrium:gallery',
          label: 'Gallery',
          state: 'server-off',
          locked: false
        }
      ]
    });
    const row = host.querySelector(
      '[data-atrium-plugin="jupyterlab-atrium:gallery"]'
    );
    expect(row?.getAttribute('data-state')).toBe('server-off');
    expect(row?.textContent).toContain('turned off on the server');
    expect(policyCells(host)).toContainEqual([
      'disabledFeatures',
      '',
      'gallery'
    ]);
  });

  it('shows the server policy as a table of readable settings', () => {
    const host = render({
      ...base,
      policy: {
        ...base.policy!,
        service: { mode: 'hub-service', url: 'https://atrium.example/' },
        netdrive: {
          allowFuse: false,
          hosts: ['files.example', 'nas.example'],
          limits: { connectSeconds: 10, retry: { attempts: 3 } },
          empty: [],
          missing: null,
          defaultDomain: ''
        },
        telemetry: { enabled: true }
      }
    });
    expect(policyCells(host)).toEqual([
      ['service', 'mode', 'hub-service'],
      ['service', 'url', 'https://atrium.example/'],
      ['netdrive', 'allowFuse', 'no'],
      ['netdrive', 'hosts', 'files.example, nas.example'],
      ['netdrive', 'limits.connectSeconds', '10'],
      ['netdrive', 'limits.retry.attempts', '3'],
      ['netdrive', 'empty', 'none'],
      ['netdrive', 'missing', 'none'],
      ['netdrive', 'defaultDomain', 'none'],
      ['telemetry', 'enabled', 'yes']
    ]);
    const policy = host.querySelector('[data-atrium-fact="policy"]');
    expect(policy?.tagName).toBe('TABLE');
    expect(policy?.textContent).not.toContain('{');
    // Each section's name once, beside all its settings.
    const netdrive = host.querySelector(
      '[data-atrium-policy-section="netdrive"] th'
    );
    expect(netdrive?.getAttribute('rowspan')).toBe('7');
    expect(host.querySelectorAll('pre')).toHaveLength(0);
  });

  it('shows the version, mode, plugin state and policy', () => {
    const host = render(base);
    const fact = (name: string) =>
      host.querySelector(`[data-atrium-fact="${name}"]`)?.textContent;
    expect(fact('version')).toBe('0.1.0');
    expect(fact('mode')).toBe('embedded');
    expect(host.querySelector('[data-atrium-fact="policy"]')?.tagName).toBe(
      'TABLE'
    );
    expect(policyCells(host)).toEqual([['service', 'mode', 'embedded']]);
    const row = host.querySelector(
      '[data-atrium-plugin="jupyterlab-atrium:about"]'
    );
    expect(row?.textContent).toContain('enabled, active · locked');
  });

  it('says which execution reports the server accepts', () => {
    const fact = (facts: IAboutFacts) =>
      render(facts).querySelector('[data-atrium-fact="telemetry"]')
        ?.textContent;
    expect(fact(base)).toBe('not offered by this server');
    const telemetry = {
      policy: 'opt_out',
      enabled: true,
      userChoice: true,
      defaultOn: true
    };
    const withPolicy = { ...base, policy: { ...base.policy!, telemetry } };
    expect(fact(withPolicy)).toBe(
      'Policy of this server: opt-out. Users report unless they turn it off. (this page does not report: the plugin is off)'
    );
    const active = {
      ...withPolicy,
      plugins: [
        ...base.plugins,
        {
          id: 'jupyterlab-atrium:telemetry',
          label: 'Execution health',
          state: 'active' as const,
          locked: false
        }
      ]
    };
    expect(fact(active)).toBe(
      'Policy of this server: opt-out. Users report unless they turn it off.'
    );
    const off = {
      ...active,
      policy: {
        ...base.policy!,
        telemetry: { ...telemetry, policy: 'off', enabled: false }
      }
    };
    expect(fact(off)).toBe('Policy of this server: off. Nothing is reported.');
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

  describe('the Branding row', () => {
    const row = (host: HTMLElement) =>
      host.querySelector('[data-atrium-fact="branding"]');
    const state = (host: HTMLElement) =>
      host.querySelector('[data-atrium-fact="branding-state"]');

    it('says when no brand spec is configured', () => {
      const host = render(base);
      expect(row(host)?.previousElementSibling?.textContent).toBe('Branding');
      expect(state(host)?.textContent).toBe('not configured');
      expect(state(host)?.className).not.toContain('error');
    });

    it('names the applied brand, with its contrast warnings', () => {
      const host = render({
        ...base,
        branding: {
          state: 'configured',
          name: 'Northbridge Notebooks',
          applied: true,
          warnings: ['notice: text on background is 3.1:1, below 4.5:1']
        }
      });
      expect(state(host)?.textContent).toBe('Northbridge Notebooks');
      expect(
        host.querySelector('[data-atrium-fact="branding-warnings"]')
          ?.textContent
      ).toBe('notice: text on background is 3.1:1, below 4.5:1');
    });

    it('says when the brand is configured but the plugin is off', () => {
      const host = render({
        ...base,
        branding: {
          state: 'configured',
          name: 'Northbridge Notebooks',
          applied: false,
          warnings: []
        }
      });
      expect(state(host)?.textContent).toBe(
        'Northbridge Notebooks (not applied: the Branding plugin is off)'
      );
      expect(
        host.querySelector('[data-atrium-fact="branding-warnings"]')
      ).toBeNull();
    });

    it("shows the server's error for an invalid spec, as text, in the error style", () => {
      const host = render({
        ...base,
        branding: {
          state: 'error',
          error: 'brand.json: name: <b>required</b>',
          warnings: []
        }
      });
      expect(state(host)?.textContent).toBe(
        'brand.json: name: <b>required</b>'
      );
      expect(state(host)?.className).toBe('jp-Atrium-About-error');
      expect(row(host)?.querySelector('b')).toBeNull();
    });

    it('says so when the page cannot read the published branding', () => {
      const host = render({ ...base, branding: { state: 'unreadable' } });
      expect(state(host)?.textContent).toContain(
        'the server published branding this page cannot read'
      );
      expect(state(host)?.className).toBe('jp-Atrium-About-error');
    });

    it('keeps colour codes out of the policy dump', () => {
      const host = render({
        ...base,
        policy: {
          ...base.policy!,
          branding: { enabled: true, css: { light: { '--jp-x': '#fff' } } }
        }
      });
      expect(
        host.querySelector('[data-atrium-fact="policy"]')?.textContent
      ).not.toContain('--jp-x');
    });
  });
});
