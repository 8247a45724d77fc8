/**
 * The content hash, held to the fixture shared with pytest
 * (tests/fixtures/hash/cases.json, also read by tests for content_hash.py).
 */
import * as fs from 'fs';
import * as path from 'path';

import {
  canonicalJSON,
  compareCodePoints,
  contentHash,
  sha256Hex,
  utf8
} from '../hash';
import { notebookView } from '../view';

const root = path.resolve(__dirname, '..', '..', '..');
const fixture = path.join(root, 'tests', 'fixtures', 'hash', 'cases.json');

interface ICase {
  name: string;
  sha256: string;
  canonical?: string;
  notebook: unknown;
}

const cases: ICase[] = JSON.parse(fs.readFileSync(fixture, 'utf-8'));

describe('content hash fixture', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(5);
  });

  it.each(cases.map(c => [c.name, c] as [string, ICase]))(
    '%s: canonical JSON and sha256 match',
    (_, c) => {
      if (c.canonical !== undefined) {
        expect(canonicalJSON(notebookView(c.notebook))).toBe(c.canonical);
      }
      expect(contentHash(c.notebook)).toBe(c.sha256);
    }
  );
});

describe('sha256Hex', () => {
  it('matches the standard test vectors', () => {
    expect(sha256Hex(utf8(''))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    );
    expect(sha256Hex(utf8('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    );
    expect(
      sha256Hex(
        utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')
      )
    ).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('handles a million bytes across many blocks', () => {
    expect(sha256Hex(utf8('a'.repeat(1_000_000)))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'
    );
  });
});

describe('utf8', () => {
  it('encodes like TextEncoder', () => {
    const text = 'aé€😀\ud800x';
    expect(Array.from(utf8(text))).toEqual([
      0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xef, 0xbf,
      0xbd, 0x78
    ]);
  });
});

describe('canonicalJSON', () => {
  it('sorts keys by code point, not UTF-16 unit', () => {
    const astral = '😀'; // U+1F600: surrogates D83D DE00
    const bmpHigh = '\uff01'; // U+FF01
    expect(compareCodePoints(astral, bmpHigh)).toBeGreaterThan(0);
    expect(canonicalJSON({ [astral]: 1, [bmpHigh]: 2, a: 3 })).toBe(
      `{"a":3,"${bmpHigh}":2,"${astral}":1}`
    );
  });

  it('writes numbers as ECMAScript does and no whitespace', () => {
    expect(canonicalJSON({ b: [1.0, 1e-7, 1e21, -0], a: 'x"\n' })).toBe(
      '{"a":"x\\"\\n","b":[1,1e-7,1e+21,0]}'
    );
  });

  it('is independent of key order', () => {
    const nb = (metadata: unknown) => ({ cells: [], metadata, nbformat: 4 });
    expect(contentHash(nb({ a: 1, b: { c: 2, d: 3 } }))).toBe(
      contentHash(nb({ b: { d: 3, c: 2 }, a: 1 }))
    );
    expect(contentHash(nb({ a: 1 }))).not.toBe(contentHash(nb({ a: 2 })));
  });
});
