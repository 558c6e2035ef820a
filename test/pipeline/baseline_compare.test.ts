import {strict as assert} from 'node:assert';
import {assertSameClaims, assertSameRuns} from './baseline_compare';

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

  it('names the runs whose final metrics differ from the committed ones, and those not rerun', () => {
    const run = (name: string, trainLoss: number) => ({experiment: 'E', name, final: {trainLoss}});
    const committedRuns = [run('a.s1', 0.6363310615221659), run('a.s2', 0.5636761784553528)];
    assertSameRuns(committedRuns.map((r) => ({...r})), committedRuns);
    assert.throws(() => assertSameRuns([committedRuns[0], run('a.s2', 0.5637701948483785)], committedRuns), /1 of 2 runs differ .*\(E\/a\.s2\)/);
    assert.throws(() => assertSameRuns([committedRuns[0]], committedRuns), /not rerun: E\/a\.s2/);
  });
});
