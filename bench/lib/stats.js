'use strict';
/**
 * The benches' statistics: one quantile rule (numpy's default, linear between the closest
 * ranks), one summary, one bootstrap interval for a ratio of medians.
 */

function quantile(sorted, q) {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function median(xs) {
  return quantile(
    [...xs].sort((x, y) => x - y),
    0.5
  );
}

function summarize(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return {
    n: s.length,
    median: quantile(s, 0.5),
    p90: quantile(s, 0.9),
    p95: quantile(s, 0.95),
    min: s[0],
    max: s[s.length - 1]
  };
}

/** mulberry32 with a fixed seed: the same samples always give the same interval. */
function seededRandom() {
  let seed = 0x9e3779b9;
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 95% bootstrap interval of median(a)/median(b). On a small shared machine the
 * run-to-run spread of a ratio is of the same order as the targets, so a bare
 * point estimate would invite over-reading one run. The PRNG is seeded so the
 * same samples always give the same interval.
 *
 * `paired`: the samples are index-aligned by round (every round measures both
 * sides), so resample rounds and keep each round's pair together; the machine's
 * drift from round to round then cancels instead of widening the interval.
 * Unpaired resamples each side on its own (a wider figure).
 */
function bootstrapRatioCI(a, b, { paired, resamples = 5000 }) {
  const rand = seededRandom();
  const pick = n => Array.from({ length: n }, () => Math.floor(rand() * n));
  const ratios = [];
  for (let i = 0; i < resamples; i++) {
    const ia = pick(a.length);
    const ib = paired ? ia : pick(b.length);
    ratios.push(median(ia.map(k => a[k])) / median(ib.map(k => b[k])));
  }
  ratios.sort((x, y) => x - y);
  return [quantile(ratios, 0.025), quantile(ratios, 0.975)];
}

/**
 * 95% paired bootstrap interval of `stat(...columns)`: `columns` are index-aligned by
 * round, each resample picks rounds and keeps every round's figures together.
 */
function bootstrapCI(columns, stat, { resamples = 5000 } = {}) {
  const rand = seededRandom();
  const n = columns[0].length;
  const values = [];
  for (let i = 0; i < resamples; i++) {
    const idx = Array.from({ length: n }, () => Math.floor(rand() * n));
    values.push(stat(...columns.map(c => idx.map(k => c[k]))));
  }
  values.sort((x, y) => x - y);
  return [quantile(values, 0.025), quantile(values, 0.975)];
}

module.exports = { quantile, median, summarize, bootstrapRatioCI, bootstrapCI };
