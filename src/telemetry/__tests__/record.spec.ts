import { isRecord, newEventId, outcomeOf, RAISES_TAG } from '../record';
import { aRecord } from './helpers';

describe('outcomeOf', () => {
  it('counts a run that passed', () => {
    expect(outcomeOf(true, undefined, [])).toBe(true);
  });

  it('counts a run that raised as a failure', () => {
    expect(outcomeOf(false, 'ZeroDivisionError', ['other'])).toBe(false);
  });

  it('counts a raise in a cell tagged raises-exception as expected', () => {
    expect(outcomeOf(false, 'ValueError', [RAISES_TAG])).toBe('expected');
  });

  it('does not count a run the user interrupted', () => {
    expect(outcomeOf(false, 'KeyboardInterrupt', [])).toBeNull();
    expect(outcomeOf(false, 'KeyboardInterrupt', [RAISES_TAG])).toBeNull();
  });

  it('does not count a cell the kernel aborted after an earlier error', () => {
    // An "aborted" reply has no exception name.
    expect(outcomeOf(false, undefined, [])).toBeNull();
    expect(outcomeOf(false, '', [])).toBeNull();
  });
});

describe('newEventId', () => {
  it('is 22 URL-safe characters, as the service accepts', () => {
    const id = newEventId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newEventId(bytes => bytes.fill(255))).toBe('_'.repeat(21) + 'w');
  });

  it('differs each time, across refills of its pool of random bytes', () => {
    const ids = Array.from({ length: 1000 }, () => newEventId());
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    }
  });

  it('asks the browser for random bytes once per 256 ids, not once per id', () => {
    const spy = jest.spyOn(crypto, 'getRandomValues');
    try {
      for (let i = 0; i < 512; i++) {
        newEventId();
      }
      expect(spy.mock.calls.length).toBeLessThanOrEqual(3);
    } finally {
      spy.mockRestore();
    }
  });

  it.each([0, 1, 2, 3, 16, 31])(
    'encodes %i bytes as unpadded base64url, as Node does',
    length => {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + 13) & 255);
      // newEventId encodes whatever its random source gives
      const encoded = newEventId(() => bytes);
      expect(encoded).toBe(Buffer.from(bytes).toString('base64url'));
    }
  );
});

describe('isRecord', () => {
  it('accepts a record this version sends', () => {
    expect(isRecord(aRecord())).toBe(true);
  });

  it.each([
    ['an extra key', { ...aRecord(), source: 'print(1)' }],
    ['a missing key', (({ eventId, ...rest }) => rest)(aRecord())],
    ['a bad notebook id', aRecord({ notebookId: 'x' })],
    ['a bad fingerprint', aRecord({ fingerprint: 'ABC' })],
    ['a bad success', { ...aRecord(), success: 'maybe' }],
    ['not an object', 'record'],
    ['null', null]
  ])('refuses %s', (_, value) => {
    expect(isRecord(value)).toBe(false);
  });
});
