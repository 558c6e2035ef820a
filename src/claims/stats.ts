/**
 * The statistics behind every trained verdict: a mean over seeds with its Student-t interval.
 *
 * Why t and not a bootstrap: the designs here have 3–10 seeds. A percentile bootstrap over so few
 * values is too narrow (it cannot see beyond the observed extremes, so its 95% interval covers far
 * less than 95% at n = 3); the t interval is exact for normal per-seed effects and the usual choice
 * for small-n seed studies (rliable recommends stratified bootstraps only for many runs or tasks).
 */

export function mean(xs: readonly number[]): number {
  if (!xs.length) throw new Error('mean of no values');
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** The middle value (the mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  if (!xs.length) throw new Error('median of no values');
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Sample standard deviation (n − 1); 0 for a single value. */
export function sd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: ~15 significant digits). */
function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61503916999185,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularised incomplete beta function I_x(a, b) (continued fraction, Numerical Recipes' betacf). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  let f = 1, c = 1, d = 1 - ((a + b) * x) / (a + 1);
  d = Math.abs(d) < 1e-300 ? 1e-300 : d;
  d = 1 / d;
  f = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d; d = Math.abs(d) < 1e-300 ? 1e-300 : d; d = 1 / d;
    c = 1 + num / c; c = Math.abs(c) < 1e-300 ? 1e-300 : c;
    f *= d * c;
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d; d = Math.abs(d) < 1e-300 ? 1e-300 : d; d = 1 / d;
    c = 1 + num / c; c = Math.abs(c) < 1e-300 ? 1e-300 : c;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return (front * f) / a;
}

/** The Student-t cumulative distribution with `df` degrees of freedom. */
export function tCdf(t: number, df: number): number {
  const x = df / (df + t * t);
  const tail = 0.5 * incompleteBeta(x, df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t with `df` degrees of freedom (bisection on tCdf; |error| < 1e-12). */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) throw new Error(`tQuantile: p ${p} must be in (0, 1) and df ${df} > 0`);
  if (p < 0.5) return -tQuantile(1 - p, df);
  let lo = 0, hi = 1;
  while (tCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface Interval {
  readonly estimate: number;
  /** [low, high]; both equal `estimate` when n = 1 is impossible to widen (see `defined`). */
  readonly ci: readonly [number, number];
  readonly n: number;
  readonly sd: number;
  /** False for n < 2: one seed gives no interval (ci is then [−∞, +∞]). */
  readonly defined: boolean;
}

/** Mean of `xs` with its two-sided `level` t-interval (n − 1 degrees of freedom). */
export function tInterval(xs: readonly number[], level = 0.95): Interval {
  const n = xs.length;
  const m = mean(xs);
  if (n < 2) return {estimate: m, ci: [-Infinity, Infinity], n, sd: 0, defined: false};
  const s = sd(xs);
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * s / Math.sqrt(n);
  return {estimate: m, ci: [m - half, m + half], n, sd: s, defined: true};
}

/** Per-seed differences a − b of paired samples (same seeds, same order). */
export function pairedDifferences(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) throw new Error(`paired samples differ in length (${a.length} vs ${b.length})`);
  return a.map((x, i) => x - b[i]);
}

/**
 * Roughly how many seeds would make the interval exclude `threshold`, if the mean and spread stay as
 * measured: the smallest n with t(n−1) · sd/√n < |mean − threshold|. Undefined when the mean sits on
 * the threshold or nothing was spread (no number of seeds decides it).
 */
export function seedsToDecide(iv: Interval, threshold: number, level = 0.95, maxN = 1000): number | undefined {
  const gap = Math.abs(iv.estimate - threshold);
  if (!iv.defined || gap === 0 || iv.sd === 0) return undefined;
  for (let n = 2; n <= maxN; n++) {
    if (tQuantile(1 - (1 - level) / 2, n - 1) * iv.sd / Math.sqrt(n) < gap) return n;
  }
  return undefined;
}
