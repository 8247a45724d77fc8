import { JupyterFrontEnd } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';

import { brandingPlugin } from '../../branding/index';
import { galleryPlugin } from '../../gallery/index';
import { netdrivePlugin } from '../../netdrive/index';
import { AtriumFeature, IAtriumPolicy, isFeatureOff } from '../policy';

// The plugins' first-screen code: a plugin whose feature is off must not even load it.
jest.mock('../../gallery/start', () => ({ start: jest.fn() }));
jest.mock('../../netdrive/start', () => ({ start: jest.fn() }));
jest.mock('../../branding/plugin', () => ({ activate: jest.fn() }));

const policy = (disabled?: unknown): IAtriumPolicy => ({
  version: '0.1.0',
  apiVersion: 1,
  service: { mode: 'embedded' },
  branding: { enabled: false, branding: null, error: null, warnings: [] },
  ...(disabled === undefined ? {} : { disabledFeatures: disabled })
});

function publish(value: IAtriumPolicy): void {
  PageConfig.setOption('atrium', JSON.stringify(value));
}

describe('isFeatureOff', () => {
  it('reads the list the server published', () => {
    const both = policy(['gallery', 'netdrive']);
    expect(isFeatureOff('gallery', both)).toBe(true);
    expect(isFeatureOff('netdrive', both)).toBe(true);
    expect(isFeatureOff('branding', both)).toBe(false);
  });

  it.each([
    ['no list (an older server)', undefined],
    ['not a list', 'gallery'],
    ['an empty list', []],
    ['no names', [1, null, { gallery: true }]]
  ])('is false for %s', (_label, value) => {
    expect(isFeatureOff('gallery', policy(value))).toBe(false);
  });

  it('is false without a policy', () => {
    expect(isFeatureOff('gallery', null)).toBe(false);
  });

  it('reads the page config by default', () => {
    publish(policy(['branding']));
    expect(isFeatureOff('branding')).toBe(true);
    expect(isFeatureOff('gallery')).toBe(false);
  });
});

describe('a plugin whose feature the server turned off', () => {
  const app = {} as JupyterFrontEnd;
  const cases: [AtriumFeature, () => Promise<unknown>, () => jest.Mock][] = [
    [
      'gallery',
      () => (galleryPlugin.activate as (...a: unknown[]) => Promise<void>)(app),
      () => jest.requireMock('../../gallery/start').start
    ],
    [
      'netdrive',
      () =>
        (netdrivePlugin.activate as (...a: unknown[]) => Promise<void>)(app),
      () => jest.requireMock('../../netdrive/start').start
    ],
    [
      'branding',
      () => brandingPlugin.activate(app, null) as Promise<void>,
      () => jest.requireMock('../../branding/plugin').activate
    ]
  ];

  beforeEach(() => jest.clearAllMocks());

  it.each(cases)('%s adds no UI when off', async (feature, activate, code) => {
    publish(policy([feature]));
    await activate();
    expect(code()).not.toHaveBeenCalled();
  });

  it.each(cases)(
    '%s starts as usual when on',
    async (feature, activate, code) => {
      publish(policy([]));
      await activate();
      expect(code()).toHaveBeenCalled();
    }
  );
});
