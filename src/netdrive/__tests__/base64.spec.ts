import { base64ToBytes, bytesToBase64 } from '../base64';

/** Every byte value, odd lengths (padding), and more than one fallback block. */
const samples = [
  new Uint8Array(0),
  new Uint8Array([0]),
  new Uint8Array([255, 254]),
  new Uint8Array(256).map((_, i) => i),
  new Uint8Array(100003).map((_, i) => (i * 131 + 7) % 256)
];

describe('base64', () => {
  for (const native of [true, false]) {
    describe(native ? 'native when available' : 'fallback', () => {
      it('encodes like Node, without line breaks', () => {
        for (const bytes of samples) {
          expect(bytesToBase64(bytes, native)).toBe(
            Buffer.from(bytes).toString('base64')
          );
        }
      });

      it('round-trips every sample', () => {
        for (const bytes of samples) {
          expect(
            Array.from(base64ToBytes(bytesToBase64(bytes, native), native))
          ).toEqual(Array.from(bytes));
        }
      });

      it('refuses text that is not base64', () => {
        for (const bad of ['a', 'ab!c', 'AAAA====', '😀AAA']) {
          expect(() => base64ToBytes(bad, native)).toThrow(SyntaxError);
        }
      });
    });
  }

  it('uses the native methods when the engine has them', () => {
    const proto = Uint8Array.prototype as unknown as Record<string, unknown>;
    const ctor = Uint8Array as unknown as Record<string, unknown>;
    const saved = [proto.toBase64, ctor.fromBase64];
    proto.toBase64 = function (this: Uint8Array) {
      return `native:${this.length}`;
    };
    ctor.fromBase64 = (text: string) => new Uint8Array([text.length]);
    try {
      expect(bytesToBase64(new Uint8Array(3))).toBe('native:3');
      expect(Array.from(base64ToBytes('abcd'))).toEqual([4]);
      expect(bytesToBase64(new Uint8Array([1]), false)).toBe('AQ==');
    } finally {
      [proto.toBase64, ctor.fromBase64] = saved;
      if (saved[0] === undefined) {
        delete proto.toBase64;
      }
      if (saved[1] === undefined) {
        delete ctor.fromBase64;
      }
    }
  });
});
