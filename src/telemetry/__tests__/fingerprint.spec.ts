import { FingerprintCache } from '../fingerprint';

function counting() {
  const computed: string[] = [];
  const compute = (source: string) => {
    computed.push(source);
    return Promise.resolve(`hash of ${source}`);
  };
  return { computed, compute };
}

describe('FingerprintCache', () => {
  it('computes a source once, however often it runs', async () => {
    const { computed, compute } = counting();
    const cache = new FingerprintCache(10, compute);
    const hashes = await Promise.all([
      cache.get('x = 1'),
      cache.get('x = 1'),
      cache.get('y = 2'),
      cache.get('x = 1')
    ]);
    expect(hashes).toEqual([
      'hash of x = 1',
      'hash of x = 1',
      'hash of y = 2',
      'hash of x = 1'
    ]);
    expect(computed).toEqual(['x = 1', 'y = 2']);
  });

  it('holds at most its size, dropping what was run longest ago', async () => {
    const { computed, compute } = counting();
    const cache = new FingerprintCache(2, compute);
    await cache.get('a');
    await cache.get('b');
    await cache.get('a'); // a is now the newest
    await cache.get('c'); // b goes
    await cache.get('a');
    await cache.get('b');
    expect(computed).toEqual(['a', 'b', 'c', 'b']);
  });

  it('gives the real fingerprint by default', async () => {
    const cache = new FingerprintCache();
    // SHA-256 of the empty string
    await expect(cache.get('')).resolves.toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    );
  });
});
