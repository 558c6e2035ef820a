import {strict as assert} from 'node:assert';
import {evaluateClaim, meets, describeCriterion} from '../../src/claims/evaluate';
import type {Claim} from '../../src/claims/claim';

describe('claims/evaluate', () => {
  it('judges lt/gt/approx/true expectations', () => {
    assert.ok(meets({holds: 'gt'}, 0.01));
    assert.ok(!meets({holds: 'gt'}, 0));
    assert.ok(meets({holds: 'lt', threshold: 0.5}, 0.4));
    assert.ok(meets({holds: 'approx', paper: 3.6, tolerance: {rel: 0.05}}, 3.77));
    assert.ok(!meets({holds: 'approx', paper: 3.6, tolerance: {rel: 0.05}}, 3.79));
    assert.ok(meets({holds: 'approx', paper: 11689512}, 11689512));
    assert.ok(!meets({holds: 'approx', paper: 11689512}, 11689513));
    assert.ok(meets({holds: 'true'}, true));
    assert.ok(!meets({holds: 'gt'}, NaN));
    assert.equal(describeCriterion({holds: 'approx', paper: 3.6, tolerance: {rel: 0.05}}), 'ours ≈ 3.6 (±5.0%)');
    assert.equal(describeCriterion({holds: 'approx', paper: 0.18366346938775508, tolerance: {rel: 0.05}}), 'ours ≈ 0.1837 (±5.0%)');
    assert.equal(describeCriterion({holds: 'approx', paper: 11689512, tolerance: {abs: 0}}), 'ours ≈ 11689512 (±0)');
  });

  it('reports a claim whose measurement fails as not run, with the reason', () => {
    const claim: Claim = {id: 'X', statement: 's', source: {doc: '002', where: '§1'}, expected: {holds: 'gt'},
      measure: () => { throw new Error('run "plain56" is missing'); }};
    const v = evaluateClaim(claim, new Map());
    assert.equal(v.verdict, 'not run');
    assert.match(v.note ?? '', /plain56/);
    const skipped = evaluateClaim({...claim, measure: () => 1}, new Map(), {reason: 'no Tiny-ImageNet', command: 'repro data fetch tiny-imagenet'});
    assert.equal(skipped.verdict, 'not run');
    assert.equal(skipped.command, 'repro data fetch tiny-imagenet');
  });
});
