import {strict as assert} from 'node:assert';
import {evaluateClaim, meets, describeCriterion, effectSeeds, roleOf, seedsOfRoles} from '../../src/claims/evaluate';
import {fakeResults} from './fake_results';
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

  it('an effect that names its roles is decided over the seeds every one of them has', () => {
    const r = fakeResults([{role: 'a', seed: 1}, {role: 'b', seed: 1}, {role: 'a', seed: 2}, {role: 'c', seed: 3}, {role: 'b', seed: 4}, {role: 'a', seed: 4}]);
    assert.equal(roleOf('resnet20_e100.s10'), 'resnet20_e100');
    assert.deepEqual(seedsOfRoles(r, ['a', 'b']), [1, 4]);
    assert.deepEqual(seedsOfRoles(r, ['a']), [1, 2, 4]);
    const rule = {kind: 'above', threshold: 0} as const;
    assert.deepEqual(effectSeeds({name: 'x', perSeed: () => 1, rule}, r), [1, 2, 3, 4]);
    assert.deepEqual(effectSeeds({name: 'x', perSeed: () => 1, rule, roles: ['a', 'b']}, r), [1, 4]);
    assert.deepEqual(effectSeeds({name: 'x', perSeed: () => 1, rule, roles: ['a', 'b'], seeds: () => [2]}, r), [2]);
    // No seed with every role: the claim cannot be measured (not run), never decided on nothing.
    const claim: Claim = {id: 'X', statement: 's', source: {doc: '0', where: 'w'}, expected: {holds: 'gt'},
      effects: [{name: 'c − b', perSeed: () => 1, rule, roles: ['b', 'c']}]};
    const v = evaluateClaim(claim, r);
    assert.equal(v.verdict, 'not run');
    assert.match(v.note ?? '', /no seed has every run c − b reads \(b, c\)/);
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
