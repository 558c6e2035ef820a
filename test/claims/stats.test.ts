import {strict as assert} from 'node:assert';
import {mean, median, pairedDifferences, sd, seedsToDecide, tCdf, tInterval, tQuantile} from '../../src/claims/stats';

const near = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

describe('claims/stats', () => {
  it('Student-t quantiles match the published table', () => {
    // Two-sided 95% critical values t(0.975, df): 12.706 (1), 4.303 (2), 2.776 (4), 2.228 (10), 1.960 (∞ → df 1e6).
    for (const [df, t] of [[1, 12.7062], [2, 4.3027], [4, 2.7764], [10, 2.2281], [30, 2.0423], [1e6, 1.95996]] as const) {
      near(tQuantile(0.975, df), t, 1e-4, `t(0.975, ${df})`);
    }
    near(tQuantile(0.025, 4), -2.7764, 1e-4, 'lower tail');
    near(tCdf(0, 7), 0.5, 1e-12, 'symmetry');
    near(tCdf(2.7764, 4), 0.975, 1e-5, 'cdf inverts the quantile');
  });

  it('the median of odd and even counts, whatever the order; none of no values', () => {
    assert.equal(median([10, 3600, 10]), 10);
    assert.equal(median([14, 10, 3600, 12]), 13);
    assert.throws(() => median([]), /median of no values/);
  });

  it('the t-interval of a known sample', () => {
    const xs = [1, 2, 3, 4, 5];
    assert.equal(mean(xs), 3);
    near(sd(xs), Math.sqrt(2.5), 1e-12, 'sd');
    const iv = tInterval(xs);
    // 3 ± 2.7764 · 1.5811 / √5 = 3 ± 1.9632
    near(iv.ci[0], 1.0368, 1e-4, 'low');
    near(iv.ci[1], 4.9632, 1e-4, 'high');
    assert.equal(iv.n, 5);
    assert.ok(iv.defined);
  });

  it('one seed gives no interval', () => {
    const iv = tInterval([0.3]);
    assert.ok(!iv.defined);
    assert.deepEqual(iv.ci, [-Infinity, Infinity]);
  });

  it('pairs by seed: a shared seed effect cancels in the differences', () => {
    const seedEffect = [0.10, -0.05, 0.20, 0.0];
    const a = seedEffect.map((s) => 0.30 + s + 0.01), b = seedEffect.map((s) => 0.30 + s);
    const paired = tInterval(pairedDifferences(a, b));
    near(paired.estimate, 0.01, 1e-12, 'paired estimate');
    assert.ok(paired.ci[0] > 0.0099 && paired.ci[1] < 0.0101, 'paired differences are exact here');
    // Unpaired, the seed effect swamps the 0.01 difference.
    assert.ok(tInterval(a).ci[0] < tInterval(b).estimate);
    assert.throws(() => pairedDifferences([1], [1, 2]), /differ in length/);
  });

  it('estimates the seeds that would decide an interval', () => {
    const iv = tInterval([0.01, -0.005, 0.02]); // mean 0.00833, sd 0.01258: straddles 0
    const n = seedsToDecide(iv, 0)!;
    assert.ok(n > 3, `needs more than 3 seeds, got ${n}`);
    // With that many seeds at the same spread, the half-width falls below the mean.
    assert.ok(tQuantile(0.975, n - 1) * iv.sd / Math.sqrt(n) < iv.estimate);
    assert.ok(tQuantile(0.975, n - 2) * iv.sd / Math.sqrt(n - 1) >= iv.estimate);
    assert.equal(seedsToDecide(tInterval([1, 1, 1]), 1), undefined, 'a mean on the threshold is not decided by seeds');
  });
});
