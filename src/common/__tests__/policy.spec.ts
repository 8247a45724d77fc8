import { PageConfig } from '@jupyterlab/coreutils';

import { parsePolicy, readPolicy } from '../policy';

const valid = {
  version: '0.1.0',
  apiVersion: 1,
  service: { mode: 'embedded' },
  gallery: { maxBytes: 1 }
};

describe('parsePolicy', () => {
  it('accepts the object and its JSON string form', () => {
    expect(parsePolicy(valid)).toEqual(valid);
    expect(parsePolicy(JSON.stringify(valid))).toEqual(valid);
  });

  it.each([
    ['empty', ''],
    ['not JSON', '{nope'],
    ['an array', '[]'],
    ['no service', JSON.stringify({ version: '1', apiVersion: 1 })],
    [
      'an unknown mode',
      JSON.stringify({ ...valid, service: { mode: 'cloud' } })
    ],
    ['a numeric version', JSON.stringify({ ...valid, version: 1 })],
    ['null', null]
  ])('rejects %s', (_label, raw) => {
    expect(parsePolicy(raw)).toBeNull();
  });
});

describe('readPolicy', () => {
  it('reads page_config_data["atrium"] as PageConfig serialises it', () => {
    PageConfig.setOption('atrium', JSON.stringify(valid));
    expect(readPolicy()?.service.mode).toBe('embedded');
    PageConfig.setOption('atrium', '');
    expect(readPolicy()).toBeNull();
  });
});
