import { nullTranslator } from '@jupyterlab/translation';

import { IAtriumPolicy } from '../../common/policy';
import { AtriumRequestError } from '../../common/request';
import { ATRIUM_VERSION } from '../../common/version';
import { IServiceStatus } from '../api';
import { demoPolicy } from '../../branding/__tests__/sample';
import { IPluginReport } from '../../common/plugins';
import { brandingFact, gatherFacts, markServerOff } from '../facts';

const trans = nullTranslator.load('jupyterlab_atrium');
const host = { hasPlugin: () => true, isPluginActivated: () => true };

const policy: IAtriumPolicy = {
  version: ATRIUM_VERSION,
  apiVersion: 1,
  service: { mode: 'embedded' }
};

const status: IServiceStatus = {
  ok: true,
  version: ATRIUM_VERSION,
  mode: 'embedded',
  database: {
    backend: 'sqlite',
    revision: '0001',
    head: '0001',
    upToDate: true,
    installation: 'x'
  }
};

function clock(...times: number[]): () => number {
  return () => times.shift() ?? 0;
}

describe('gatherFacts', () => {
  it('combines the live policy, plugins and service status', async () => {
    const facts = await gatherFacts({
      host,
      pagePolicy: null,
      trans,
      fetchInfo: async () => policy,
      fetchStatus: async () => status,
      now: clock(100, 142)
    });
    expect(facts.frontendVersion).toBe(ATRIUM_VERSION);
    expect(facts.serverVersion).toBe(ATRIUM_VERSION);
    expect(facts.versionMismatch).toBe(false);
    expect(facts.policy).toBe(policy);
    expect(facts.plugins.every(p => p.state === 'active')).toBe(true);
    expect(facts.service).toEqual({ ok: true, status, elapsedMs: 42 });
  });

  it('flags a server running another Atrium version', async () => {
    const facts = await gatherFacts({
      host,
      pagePolicy: null,
      trans,
      fetchInfo: async () => ({ ...policy, version: '9.9.9' }),
      fetchStatus: async () => status
    });
    expect(facts.serverVersion).toBe('9.9.9');
    expect(facts.versionMismatch).toBe(true);
  });

  it('falls back to the page policy and explains a silent service', async () => {
    const facts = await gatherFacts({
      host,
      pagePolicy: policy,
      trans,
      fetchInfo: () =>
        Promise.reject(new AtriumRequestError('', 0, 'network-error')),
      fetchStatus: () =>
        Promise.reject(
          new AtriumRequestError(
            'The Atrium database is not available (OperationalError).',
            503,
            'service-unavailable'
          )
        )
    });
    expect(facts.policy).toBe(policy);
    expect(facts.versionMismatch).toBe(false);
    expect(facts.service).toEqual({
      ok: false,
      error: 'The Atrium database is not available (OperationalError).'
    });
  });

  it('does not claim a version when nothing is known', async () => {
    const facts = await gatherFacts({
      host,
      pagePolicy: null,
      trans,
      fetchInfo: () => Promise.reject(new Error('x')),
      fetchStatus: () => Promise.reject(new Error('y'))
    });
    expect(facts.serverVersion).toBeNull();
    expect(facts.versionMismatch).toBe(false);
  });
});

describe('markServerOff', () => {
  it('shows the plugins of features the server turned off as such', async () => {
    const facts = await gatherFacts({
      host,
      pagePolicy: null,
      trans,
      fetchInfo: async () => ({
        ...policy,
        disabledFeatures: ['gallery', 'netdrive']
      }),
      fetchStatus: async () => status
    });
    const states = Object.fromEntries(facts.plugins.map(p => [p.id, p.state]));
    expect(states['jupyterlab-atrium:gallery']).toBe('server-off');
    expect(states['jupyterlab-atrium:netdrive']).toBe('server-off');
    expect(states['jupyterlab-atrium:about']).toBe('active');
    expect(states['jupyterlab-atrium:branding']).toBe('active');
  });

  it('leaves every plugin as the page has it on an older server', () => {
    const plugins: IPluginReport[] = [
      {
        id: 'jupyterlab-atrium:gallery',
        label: 'Gallery',
        state: 'disabled',
        locked: true
      }
    ];
    expect(markServerOff(plugins, policy)).toEqual(plugins);
    expect(markServerOff(plugins, null)).toEqual(plugins);
  });
});

describe('brandingFact', () => {
  const report = (state: IPluginReport['state']): IPluginReport[] => [
    {
      id: 'jupyterlab-atrium:branding',
      label: 'Branding',
      state,
      locked: false
    }
  ];
  const withBranding = (branding: unknown): IAtriumPolicy => ({
    ...policy,
    branding
  });

  it('names the brand and whether this page applies it', () => {
    expect(brandingFact(withBranding(demoPolicy()), report('active'))).toEqual({
      state: 'configured',
      name: 'Northbridge Notebooks',
      applied: true,
      warnings: []
    });
    expect(
      brandingFact(withBranding(demoPolicy()), report('disabled'))
    ).toMatchObject({ state: 'configured', applied: false });
  });

  it("passes on the server's error and warnings", () => {
    expect(
      brandingFact(
        withBranding({
          enabled: true,
          branding: null,
          error: 'brand.json: logo.light: file not found',
          warnings: ['w']
        }),
        report('active')
      )
    ).toEqual({
      state: 'error',
      error: 'brand.json: logo.light: file not found',
      warnings: ['w']
    });
  });

  it('is "not configured" without a spec or on an older server', () => {
    const none = { enabled: false, branding: null, error: null, warnings: [] };
    expect(brandingFact(withBranding(none), report('active'))).toEqual({
      state: 'not-configured'
    });
    expect(brandingFact(policy, report('active'))).toEqual({
      state: 'not-configured'
    });
    expect(brandingFact(null, report('active'))).toEqual({
      state: 'not-configured'
    });
  });

  it('says so when the section cannot be read', () => {
    expect(
      brandingFact(withBranding({ enabled: 'yes' }), report('active'))
    ).toEqual({ state: 'unreadable' });
  });

  it('is part of the gathered facts', async () => {
    const facts = await gatherFacts({
      host,
      pagePolicy: null,
      trans,
      fetchInfo: async () => withBranding(demoPolicy()),
      fetchStatus: async () => status
    });
    expect(facts.branding).toMatchObject({
      state: 'configured',
      name: 'Northbridge Notebooks',
      applied: true
    });
  });
});
