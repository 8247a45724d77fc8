/*
 * The fingerprint of a cell's source: SHA-256 of its UTF-8 bytes (a lone surrogate as
 * U+FFFD), lower-case hex. The service computes the same of every stored version's cells
 * (health/store.py `source_sha256`), so a cell keeps its history across versions while its
 * source is unchanged; both are tested against tests/fixtures/telemetry/fingerprints.json.
 */

import { sha256Hex, utf8 } from '../gallery/hash';

function hex(digest: ArrayBuffer): string {
  return Array.from(new Uint8Array(digest), b =>
    b.toString(16).padStart(2, '0')
  ).join('');
}

export async function fingerprint(source: string): Promise<string> {
  const bytes = utf8(source);
  // WebCrypto is native and off the main thread's JavaScript, but only exists in secure
  // contexts: a server on plain HTTP gets the gallery's own implementation.
  const subtle = globalThis.crypto?.subtle;
  if (subtle) {
    try {
      return hex(await subtle.digest('SHA-256', bytes));
    } catch {
      // fall through
    }
  }
  return sha256Hex(bytes);
}
