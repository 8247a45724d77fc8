import { isReporting, ITelemetryState, parseTelemetryState } from '../state';

const state = (policy: ITelemetryState['policy']): ITelemetryState => ({
  policy,
  enabled: policy !== 'off',
  userChoice: policy === 'opt_in' || policy === 'opt_out',
  defaultOn: policy === 'opt_out' || policy === 'on'
});

describe('isReporting', () => {
  it.each([
    ['off', 'default', false],
    ['off', 'yes', false],
    ['opt_in', 'default', false],
    ['opt_in', 'yes', true],
    ['opt_in', 'no', false],
    ['opt_out', 'default', true],
    ['opt_out', 'no', false],
    ['opt_out', 'yes', true],
    ['on', 'default', true],
    ['on', 'no', true]
  ] as const)('policy %s, choice %s: %s', (policy, choice, expected) => {
    expect(isReporting(state(policy), choice)).toBe(expected);
  });

  it('does not report without a policy from the server', () => {
    expect(isReporting(null, 'yes')).toBe(false);
  });
});

describe('parseTelemetryState', () => {
  it('reads what the server publishes', () => {
    expect(parseTelemetryState(state('opt_out'))).toEqual(state('opt_out'));
  });

  it.each([
    null,
    'on',
    { ...state('on'), policy: 'always' },
    { policy: 'on' },
    { ...state('on'), enabled: 'yes' }
  ])('refuses %p', raw => {
    expect(parseTelemetryState(raw)).toBeNull();
  });
});
