/*
 * The fingerprint of a cell's source: SHA-256 of its UTF-8 bytes (a lone surrogate as
 * U+FFFD), lower-case hex. The service computes the same of every stored version's cells
 * (health/store.py `source_sha256`), so a cell keeps its history across versions while its
 * source is unchanged; both are tested against tests/fixtures/telemetry/fingerprints.json.
 */

import { sha256Hex, utf8 } from '../gallery/hash';

const HEX = Array.from({ length: 256 }, (_, b) =>
  b.toString(16).padStart(2, '0')
);

function hex(digest: ArrayBuffer): string {
  let text = '';
  for (const b of new Uint8Array(digest)) {
    text += HEX[b];
  }
  return text;
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

/**
 * Fingerprints of recently run sources. A cell is mostly run again unchanged (run all,
 * run a cell until it works), and its fingerprint was the largest part of what the hook
 * spends per run; sources are kept only in this page's memory, as the notebook itself is.
 * The oldest entry goes first once `size` are held.
 */
export class FingerprintCache {
  constructor(
    private readonly size = 4096,
    private readonly compute: (source: string) => Promise<string> = fingerprint
  ) {}

  get(source: string): Promise<string> {
    const held = this._held.get(source);
    if (held !== undefined) {
      // Refreshed: what is run again stays.
      this._held.delete(source);
      this._held.set(source, held);
      return held;
    }
    const computed = this.compute(source);
    this._held.set(source, computed);
    if (this._held.size > this.size) {
      this._held.delete(this._held.keys().next().value as string);
    }
    return computed;
  }

  private _held = new Map<string, Promise<string>>();
}
