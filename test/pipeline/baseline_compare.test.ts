import {strict as assert} from 'node:assert';
import {assertSameClaims, assertSameRuns} from './baseline_compare';

const KIND_A = 'avx512_core_amx, L1d 48K, L2 2048K, L3 107520K';
const KIND_A2 = 'avx512_core, L1d 32K, L2 1024K, L3 36608K';
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

  const run = (name: string, cpu: string | undefined, trainLoss: number, trainError = 0.25, epoch = 2) =>
    ({experiment: 'E', name, status: 'done', ...(cpu ? {cpu} : {}), final: {epoch, trainLoss, trainError}});

  it('on the same kind of CPU: holds every run to the last bit, naming those that differ and those not rerun', () => {
    const committedRuns = [run('a.s1', KIND_A, 0.6363310615221659), run('a.s2', KIND_A, 0.5636761784553528)];
    const lines: string[] = [];
    assert.equal(assertSameRuns(committedRuns.map((r) => ({...r})), committedRuns, (l) => lines.push(l)), 'bits');
    assert.deepEqual(lines, []);
    assert.throws(() => assertSameRuns([committedRuns[0], run('a.s2', KIND_A, 0.5637701948483785)], committedRuns), /1 of 2 runs differ .*\(E\/a\.s2\)/);
    assert.throws(() => assertSameRuns([committedRuns[0]], committedRuns), /not rerun: E\/a\.s2/);
  });

  it('on another kind of the same family (other caches, another AVX-512 level): losses within 1e-3, said on the console; nothing more', () => {
    const committedRuns = [run('a.s1', KIND_A, 0.6363310615221659), run('a.s2', KIND_A, 0.5636761784553528)];
    const lines: string[] = [];
    // The two Xeons' numbers for E's ResNet-18 seed 2: 1.7e-4 apart.
    const ours = [run('a.s1', KIND_A2, 0.6363310615221659), run('a.s2', KIND_A2, 0.5637701948483785)];
    assert.equal(assertSameRuns(ours, committedRuns, (l) => lines.push(l)), 'rounding');
    assert.equal(lines.length, 1);
    assert.match(lines[0], /2 of 2 runs are not on the committed baselines' kind of CPU .*here: avx512_core, L1d 32K.*baselines: avx512_core_amx.*within 0\.001 .*1 differ from the baselines: E\/a\.s2/);
    assert.throws(() => assertSameRuns([ours[0], run('a.s2', KIND_A2, 0.5636761784553528 * 1.002)], committedRuns, () => {}), /1 of 2 runs differ .*\(E\/a\.s2\)/);
    // Errors count images: one that flips is not rounding.
    assert.throws(() => assertSameRuns([ours[0], run('a.s2', KIND_A2, 0.5636761784553528, 0.3125)], committedRuns, () => {}), /E\/a\.s2/);
  });

  it('on another family (AVX2 against AVX-512) or a kind not recorded: only the shape of each run, said on the console', () => {
    const committedRuns = [run('a.s1', KIND_A, 0.6363310615221659), run('a.s2', undefined, 0.5636761784553528)];
    const lines: string[] = [];
    // What capping at AVX2 did to a plain net of the smoke profile: loss 8% off, 8 of 48 images flipped.
    const ours = [run('a.s1', KIND_B, 0.6363310615221659 * 1.08, 0.0417), run('a.s2', KIND_B, 0.5636761784553528)];
    assert.equal(assertSameRuns(ours, committedRuns, (l) => lines.push(l)), 'verdicts');
    assert.match(lines[0], /here: avx2, L1d 32K.*baselines: avx512_core_amx.*; not recorded\).*only the shape .* verdicts were compared \(1 differ from the baselines: E\/a\.s1\)/);
    assert.throws(() => assertSameRuns([run('a.s1', KIND_B, 0.63, 0.25, 1), ours[1]], committedRuns, () => {}), /1 of 2 runs differ .*E\/a\.s1/);
    assert.throws(() => assertSameRuns([run('a.s1', KIND_B, NaN), ours[1]], committedRuns, () => {}), /E\/a\.s1/);
    assert.throws(() => assertSameRuns([{...ours[0], status: 'diverged'}, ours[1]], committedRuns, () => {}), /E\/a\.s1/);
  });

  it('claims: measured values within 1e-3 under rounding, not compared under verdicts; verdicts equal under both', () => {
    const near = 0.0123 * (1 + 5e-4);
    assert.throws(() => assertSameClaims([committed[0], {...committed[1], measured: near}], committed));
    assertSameClaims([committed[0], {...committed[1], measured: near}], committed, 'rounding');
    assert.throws(() => assertSameClaims([committed[0], {...committed[1], measured: 0.0123 * 1.002}], committed, 'rounding'));
    assert.throws(() => assertSameClaims([committed[0], {...committed[1], verdict: 'reproduced', measured: near}], committed, 'rounding'));
    assertSameClaims([committed[0], {...committed[1], measured: -0.0123}], committed, 'verdicts');
    assert.throws(() => assertSameClaims([committed[0], {...committed[1], verdict: 'reproduced'}], committed, 'verdicts'));
  });
});
