import {strict as assert} from 'node:assert';
import {assertSameClaims, assertSameRuns} from './baseline_compare';

const KIND_A = 'avx512_core_amx, L1d 48K, L2 2048K, L3 107520K';
const KIND_B = 'avx2, L1d 32K, L2 512K, L3 32768K';

describe('test/pipeline/baseline_compare: a rerun against committed baselines', () => {
  const committed = [{id: 'A7', verdict: 'reproduced', measured: 3.5315752029418945e-6}, {id: 'B1', verdict: 'inconclusive', measured: 0.0123}];

  it("accepts A7's rounding error measured on another CPU (PyTorch runs live) when it is of the same size", () => {
    assertSameClaims([{...committed[0], measured: 3.3676624298095703e-6}, committed[1]], committed);
  });

  it('refuses an A7 error twice as large or more, a changed verdict, and any other claim off by one bit', () => {
    assert.throws(() => assertSameClaims([{...committed[0], measured: 7.1e-6}, committed[1]], committed));
    assert.throws(() => assertSameClaims([{...committed[0], verdict: 'not reproduced'}, committed[1]], committed));
    const nextDouble = 0.0123 + Number.EPSILON * 0.0123;
    assert.notEqual(nextDouble, 0.0123);
    assert.throws(() => assertSameClaims([committed[0], {...committed[1], measured: nextDouble}], committed));
  });

  it('on the same kind of CPU: holds every run to the last bit, naming those that differ and those not rerun', () => {
    const run = (name: string, trainLoss: number) => ({experiment: 'E', name, cpu: KIND_A, final: {trainLoss, trainError: 0.25}});
    const committedRuns = [run('a.s1', 0.6363310615221659), run('a.s2', 0.5636761784553528)];
    const lines: string[] = [];
    assert.equal(assertSameRuns(committedRuns.map((r) => ({...r})), committedRuns, (l) => lines.push(l)), true);
    assert.deepEqual(lines, []);
    assert.throws(() => assertSameRuns([committedRuns[0], run('a.s2', 0.5637701948483785)], committedRuns), /1 of 2 runs differ .*\(E\/a\.s2\)/);
    assert.throws(() => assertSameRuns([committedRuns[0]], committedRuns), /not rerun: E\/a\.s2/);
  });

  it('on another kind of CPU (or one not recorded): accepts losses within 1e-3 and says so, refuses anything more', () => {
    const run = (name: string, cpu: string | undefined, trainLoss: number, trainError = 0.25) =>
      ({experiment: 'E', name, ...(cpu ? {cpu} : {}), final: {trainLoss, trainError}});
    const committedRuns = [run('a.s1', KIND_A, 0.6363310615221659), run('a.s2', undefined, 0.5636761784553528)];
    const lines: string[] = [];
    // The two Xeons' numbers for E's ResNet-18 seed 2: 1.7e-4 apart.
    const ours = [run('a.s1', KIND_B, 0.6363310615221659), run('a.s2', KIND_B, 0.5637701948483785)];
    assert.equal(assertSameRuns(ours, committedRuns, (l) => lines.push(l)), false);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /2 of 2 runs are not on the committed baselines' kind of CPU .*here: avx2, L1d 32K.*baselines: avx512_core_amx.*; not recorded\).*1 differ in the last bits: E\/a\.s2/);
    assert.throws(() => assertSameRuns([ours[0], run('a.s2', KIND_B, 0.5636761784553528 * 1.002)], committedRuns, () => {}), /1 of 2 runs differ .*\(E\/a\.s2\)/);
    // Errors count predictions: one that flips is not rounding.
    assert.throws(() => assertSameRuns([ours[0], run('a.s2', KIND_B, 0.5636761784553528, 0.3125)], committedRuns, () => {}), /E\/a\.s2/);
  });

  it('claims on another kind of CPU: measured values within 1e-3, verdicts equal', () => {
    const near = 0.0123 * (1 + 5e-4);
    assert.throws(() => assertSameClaims([committed[0], {...committed[1], measured: near}], committed));
    assertSameClaims([committed[0], {...committed[1], measured: near}], committed, false);
    assert.throws(() => assertSameClaims([committed[0], {...committed[1], measured: 0.0123 * 1.002}], committed, false));
    assert.throws(() => assertSameClaims([committed[0], {...committed[1], verdict: 'reproduced', measured: near}], committed, false));
  });
});
