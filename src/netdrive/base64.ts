/**
 * Base64 <-> bytes for file contents that travel as raw bytes (see `NetDrive`).
 *
 * Browsers that have `Uint8Array.prototype.toBase64` / `Uint8Array.fromBase64` (TC39
 * "Uint8Array to/from base64") convert natively, which is an order of magnitude faster
 * than `btoa`/`atob` over a binary string; the fallback builds that string in blocks small
 * enough for `String.fromCharCode.apply`.
 */

interface INativeBase64 {
  toBase64?: (this: Uint8Array) => string;
}

interface INativeBase64Constructor {
  fromBase64?: (text: string) => Uint8Array;
}

/** Below the engines' argument-count limits for `String.fromCharCode.apply`. */
const BLOCK = 0x8000;

/** `bytes` as base64, without line breaks (as jupyter_server's contents API sends it). */
export function bytesToBase64(
  bytes: Uint8Array,
  native: boolean = true
): string {
  const toBase64 = (Uint8Array.prototype as INativeBase64).toBase64;
  if (native && typeof toBase64 === 'function') {
    return toBase64.call(bytes);
  }
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += BLOCK) {
    parts.push(
      String.fromCharCode.apply(
        null,
        bytes.subarray(i, i + BLOCK) as unknown as number[]
      )
    );
  }
  return btoa(parts.join(''));
}

/**
 * The bytes of base64 `text`; throws a `SyntaxError` for text that is not base64, so that
 * nothing garbled is ever written.
 */
export function base64ToBytes(
  text: string,
  native: boolean = true
): Uint8Array {
  const fromBase64 = (Uint8Array as INativeBase64Constructor).fromBase64;
  if (native && typeof fromBase64 === 'function') {
    return fromBase64(text);
  }
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new SyntaxError('The content is not valid base64.');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}
