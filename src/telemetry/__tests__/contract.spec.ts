/**
 * The rules the browser and the service must agree on, held to the fixtures pytest reads
 * too (tests/test_telemetry_contract.py).
 */
import * as fs from 'fs';
import * as path from 'path';
import { webcrypto } from 'crypto';

import { fingerprint } from '../fingerprint';
import { RECORD_KEYS } from '../record';

const fixtures = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'tests',
  'fixtures',
  'telemetry'
);

interface ICase {
  name: string;
  source: string | string[];
  sha256: string;
}

const cases: ICase[] = JSON.parse(
  fs.readFileSync(path.join(fixtures, 'fingerprints.json'), 'utf-8')
);
const table = cases.map(c => [c.name, c] as [string, ICase]);
const text = (c: ICase) =>
  Array.isArray(c.source) ? c.source.join('') : c.source;

describe('fingerprint', () => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
  afterEach(() => {
    if (saved) {
      Object.defineProperty(globalThis, 'crypto', saved);
    } else {
      delete (globalThis as { crypto?: unknown }).crypto;
    }
  });

  it.each(table)('%s: WebCrypto gives the fixture', async (_, c) => {
    Object.defineProperty(globalThis, 'crypto', {
      value: webcrypto,
      configurable: true
    });
    expect(await fingerprint(text(c))).toBe(c.sha256);
  });

  it.each(table)(
    '%s: without WebCrypto (plain HTTP) the same',
    async (_, c) => {
      Object.defineProperty(globalThis, 'crypto', {
        value: {},
        configurable: true
      });
      expect(await fingerprint(text(c))).toBe(c.sha256);
    }
  );
});

describe('record keys', () => {
  it('are the ones the service accepts', () => {
    const keys = JSON.parse(
      fs.readFileSync(path.join(fixtures, 'record-keys.json'), 'utf-8')
    );
    expect([...RECORD_KEYS]).toEqual(keys);
  });
});
