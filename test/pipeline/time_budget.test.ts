import {strict as assert} from 'node:assert';
import type {Training} from '../../src/pipeline/plan';
import {describeChoice, fitWithin, makespan} from '../../src/pipeline/time_budget';

/** A missing training named `name`, of `work` units, whose estimate is `seconds`. */
function training(name: string, work: number): Training {
  return {spec: {experiment: 'B1B2', name} as Training['spec'], hash: name.padEnd(20, '0'), cached: false, dataChecksum: 's', work};
}

describe('pipeline/time_budget (reproduce --within)', () => {
  // ResNet-56 and ResNet-20 at 100 epochs on this machine: ≈ 1.8 h and ≈ 0.65 h alone.
  const r56a = training('r56a', 56), r56b = training('r56b', 56), r20a = training('r20a', 20), r20b = training('r20b', 20), r20c = training('r20c', 20);
  const todo = [r20a, r56a, r20b, r56b, r20c];
  const seconds = new Map(todo.map((t) => [t.hash, t.work === 56 ? 6480 : 2340]));
  const secondsOf = (t: Training) => seconds.get(t.hash)!;

  it('predicts when the last run ends: one after the other, or N at once each N times as long', () => {
    assert.equal(makespan([r56a, r20a], secondsOf, 1), 6480 + 2340);
    // Two jobs: the ResNet-56 and a ResNet-20 start together (each twice as long), the second ResNet-20 follows the first.
    assert.equal(makespan([r20a, r56a, r20b], secondsOf, 2), Math.max(2 * 6480, 2 * 2340 * 2));
    assert.equal(makespan([], secondsOf, 2), 0);
  });

  it('trains the longest runs that fit and fills the rest with short ones, deferring what does not', () => {
    const c = fitWithin(todo, seconds, 3 * 3600, 1);
    assert.deepEqual(c.train.map((t) => t.spec.name), ['r20a', 'r56a'], 'plan order is kept');
    assert.deepEqual(c.deferred.map((t) => t.spec.name), ['r20b', 'r56b', 'r20c']);
    assert.equal(c.seconds, 6480 + 2340);
    assert.equal(c.deferredSeconds, 6480 + 2 * 2340);
    assert.match(describeChoice(c, 3 * 3600), /^--within 3\.0 h: trains 2 of 5 missing run\(s\) \(≈ 2\.5 h: B1B2\/r20a, B1B2\/r56a\); defers 3 \(≈ 3\.1 h in one process\)/);
  });

  it('with two jobs, a long run that would take twice as long no longer fits: short ones train instead', () => {
    const c = fitWithin(todo, seconds, 3 * 3600, 2);
    assert.deepEqual(c.train.map((t) => t.spec.name), ['r20a', 'r20b', 'r20c']);
    assert.ok(c.seconds <= 3 * 3600);
  });

  it('trains everything when it all fits, nothing when the shortest alone does not', () => {
    assert.equal(fitWithin(todo, seconds, 100 * 3600, 1).deferred.length, 0);
    const none = fitWithin(todo, seconds, 600, 1);
    assert.equal(none.train.length, 0);
    assert.match(describeChoice(none, 600), /trains none of the 5 missing run\(s\)/);
  });

  it('defers a run it has no estimate for', () => {
    const c = fitWithin(todo, new Map([[r20a.hash, 10]]), 100 * 3600, 1);
    assert.deepEqual(c.train, [r20a]);
    assert.equal(c.deferred.length, 4);
  });
});
