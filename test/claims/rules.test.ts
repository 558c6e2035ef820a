import {strict as assert} from 'node:assert';
import type {Claim} from '../../src/claims/claim';
import {evaluateClaim} from '../../src/claims/evaluate';
import {fakeResults} from './fake_results';

/** A claim "a's test error is above b's", and an equivalence claim "a ≈ b within 1 point". */
const above: Claim = {id: 'X', statement: 's', source: {doc: '0', where: '-'}, expected: {holds: 'gt', unit: '%'},
  effects: [{name: 'test error a − b', perSeed: (r, s) => r.get(`a.s${s}`)!.final!.testError - r.get(`b.s${s}`)!.final!.testError,
    rule: {kind: 'above', threshold: 0}}]};
const within: Claim = {...above, effects: [{...above.effects![0], rule: {kind: 'within', margin: 0.01}}]};

/** Seeds 1..n with the given a − b test-error differences (b at 0.2). */
function diffs(ds: readonly number[]) {
  return fakeResults(ds.flatMap((d, i) => [{role: 'a', seed: i + 1, testError: 0.2 + d}, {role: 'b', seed: i + 1, testError: 0.2}]));
}

describe('claims/evaluate: verdicts from intervals over seeds', () => {
  it('reproduced when the interval lies wholly on the claim\'s side', () => {
    const v = evaluateClaim(above, diffs([0.03, 0.04, 0.05]));
    assert.equal(v.verdict, 'reproduced');
    assert.equal(v.n, 3);
    assert.ok(Math.abs(v.estimate! - 0.04) < 1e-12);
    assert.ok(v.ci![0] > 0);
    assert.match(v.rule!, /95% t-interval over seeds of test error a − b lies above 0 points/);
    assert.deepEqual(v.perSeed!.map((x) => +x.toFixed(6)), [0.03, 0.04, 0.05]);
  });

  it('not reproduced when it lies wholly on the other side', () => {
    assert.equal(evaluateClaim(above, diffs([-0.03, -0.04, -0.05])).verdict, 'not reproduced');
  });

  it('inconclusive when it straddles the threshold, saying what would decide it', () => {
    const v = evaluateClaim(above, diffs([0.01, -0.005, 0.02]));
    assert.equal(v.verdict, 'inconclusive');
    assert.match(v.decide!, /about \d+ seeds at the measured spread/);
  });

  it('one seed is never a decision', () => {
    const v = evaluateClaim(above, diffs([0.05]));
    assert.equal(v.verdict, 'inconclusive');
    assert.match(v.decide!, /give no interval: run at least 3 seeds/);
  });

  it('equivalence: reproduced inside the margin, not reproduced wholly outside, inconclusive across it', () => {
    assert.equal(evaluateClaim(within, diffs([0.001, -0.002, 0.0, 0.001])).verdict, 'reproduced');
    assert.equal(evaluateClaim(within, diffs([0.03, 0.035, 0.04])).verdict, 'not reproduced');
    const v = evaluateClaim(within, diffs([0.0, 0.02, -0.01]));
    assert.equal(v.verdict, 'inconclusive');
  });

  it('a compound claim: any effect refuted → not reproduced; all shown → reproduced; else inconclusive', () => {
    const two: Claim = {...above, effects: [above.effects![0], {name: 'test error b − a', perSeed: (r, s) => -above.effects![0].perSeed(r, s),
      rule: {kind: 'above', threshold: -0.1}}]};
    const v = evaluateClaim(two, diffs([0.03, 0.04, 0.05]));
    assert.equal(v.verdict, 'reproduced');
    assert.equal(v.effects!.length, 2);
    const refuted = evaluateClaim({...two, effects: [two.effects![0], {...two.effects![1], rule: {kind: 'above', threshold: 0}}]}, diffs([0.03, 0.04, 0.05]));
    assert.equal(refuted.verdict, 'not reproduced');
    assert.equal(refuted.effects![1].verdict, 'not reproduced');
    assert.ok(refuted.estimate! < 0, 'the claim\'s estimate is the refuted effect\'s');
  });

  it('a missing seed\'s run makes the claim not run, naming it', () => {
    const r = diffs([0.03, 0.04, 0.05]);
    (r as Map<string, unknown>).delete('b.s2');
    const v = evaluateClaim({...above, effects: [{...above.effects![0], perSeed: (res, s) => {
      const b = res.get(`b.s${s}`);
      if (!b) throw new Error(`run "b.s${s}" is not in the store`);
      return res.get(`a.s${s}`)!.final!.testError - b.final!.testError;
    }}]}, r);
    assert.equal(v.verdict, 'not run');
    assert.match(v.note!, /b\.s2/);
  });

  it('a later look decides at its own level, names it and why, and at the last look offers no more seeds', () => {
    // Eight seeds whose 95% interval lies above 0 and whose 97.5% interval does not.
    const r = diffs([0.01, 0.02, -0.001, 0.015, 0.002, 0.012, -0.003, 0.008]);
    assert.equal(evaluateClaim(above, r).verdict, 'reproduced');
    const second = {level: 0.975, why: 'the second of two looks'};
    const looked: Claim = {...above, effects: [{...above.effects![0], look: () => second}]};
    const v = evaluateClaim(looked, r);
    assert.equal(v.verdict, 'inconclusive');
    assert.equal(v.level, 0.975);
    assert.equal(v.effects![0].level, 0.975);
    assert.ok(v.ci![0] < 0 && v.ci![0] > -0.0005, `97.5% interval from t(0.9875, 7): ${v.ci}`);
    assert.match(v.rule!, /^the 97\.5% t-interval over seeds of test error a − b lies above 0 points \(the second of two looks\)$/);
    assert.equal(v.interval, 't, n − 1 degrees of freedom; 97.5% for test error a − b');
    assert.match(v.decide!, /about \d+ seeds at the measured spread/, 'a look that is not the last may still ask for seeds');
    const last = evaluateClaim({...looked, effects: [{...looked.effects![0], look: () => ({...second, afterLast: 'a GPU would decide it'})}]}, r);
    assert.equal(last.verdict, 'inconclusive');
    assert.match(last.decide!, /^test error a − b: the design's last look \(sd [\d.]+ points over 8 seeds\): a GPU would decide it$/);
    assert.doesNotMatch(last.decide!, /about \d+ seeds/);
    // A claim with one effect at 95% and one at 97.5% says which is which; 95% everywhere leaves `level` out.
    const mixed = evaluateClaim({...above, effects: [above.effects![0], looked.effects![0]]}, r);
    assert.equal(mixed.interval, 't, n − 1 degrees of freedom; 97.5% for test error a − b, 95% for the other');
    assert.equal(evaluateClaim(above, r).level, undefined);
    assert.equal(evaluateClaim(above, r).interval, 't, n − 1 degrees of freedom, 95%');
    assert.equal(evaluateClaim({...above, effects: [{...above.effects![0], look: () => ({level: 1, why: 'x'})}]}, r).verdict, 'not run');
  });

  it('encoded checks are never "reproduced"', () => {
    const c: Claim = {id: 'B7', statement: 's', source: {doc: '0', where: '-'}, expected: {holds: 'approx', paper: 0}, measure: () => 0, encoded: true};
    assert.equal(evaluateClaim(c, new Map()).verdict, 'encoded');
    assert.equal(evaluateClaim({...c, measure: () => 2}, new Map()).verdict, 'not reproduced');
  });
});
