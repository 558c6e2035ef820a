import {strict as assert} from 'node:assert';
import type {Training} from '../../src/pipeline/plan';
import {describeChoice, fitWithin, makespan, trainWithin} from '../../src/pipeline/time_budget';
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Executor} from '../../src/executors/executor';
import {missingSeconds} from '../../src/pipeline/estimate';
import type {ProfilePlan} from '../../src/pipeline/plan';
import {RunStore} from '../../src/runs/store';
import {storedResult} from './stored_result';

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

  it('one run at a time, chooses again after each run: a machine slower than the imported results said defers the run it could no longer finish', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'repro-within-'));
    try {
      const store = new RunStore(dir);
      store.importResult(storedResult(1, 10)); // elsewhere: 20 s for the 2 epochs
      // Two missing runs like it, which this machine trains at a third of that speed (60 s each).
      const slow = [storedResult(2, 30), storedResult(3, 30)];
      const trainings = slow.map((r): Training => ({spec: r.spec, hash: r.hash, cached: false, dataChecksum: 'sum', work: 2 * 1000 * 20}));
      const plan = {trainings} as unknown as ProfilePlan;
      const estimate = missingSeconds(trainings, store);
      assert.deepEqual([...estimate!.seconds.values()], [20, 20]);
      const first = fitWithin(trainings, estimate!.seconds, 50, 1);
      assert.equal(first.train.length, 2, 'by the imported results both fit in 50 s');
      const handed: string[][] = [];
      const lines: string[] = [];
      const executor: Executor = {name: 'fake', concurrency: 1, async trainMissing(p) {
        const todo = p.trainings.filter((t) => !t.cached);
        handed.push(todo.map((t) => t.spec.name));
        for (const t of todo) {
          store.writeResult(slow.find((r) => r.hash === t.hash)!);
          mkdirSync(join(store.checkpointDir(t.hash), 'epoch-0002'), {recursive: true}); // what training leaves
        }
        return {trained: todo.length, failed: []};
      }};
      let clock = 0;
      const {outcome, deferred} = await trainWithin(plan, executor, {store, log: (l) => lines.push(l), deps: async () => { throw new Error('unused'); }},
        50, first, () => (clock += 1000));
      assert.deepEqual(handed, [['resnet20.s2']], 'the second run is not started');
      assert.equal(outcome.trained, 1);
      assert.deepEqual(deferred.map((t) => t.spec.name), ['resnet20.s3']);
      assert.match(lines.join('\n'), /^--within 50 s \(49 s left\): trains none of the 1 missing run\(s\)/);

      // With two jobs the first choice goes to the executor whole.
      const again = new RunStore(mkdtempSync(join(dir, 'again-')));
      handed.length = 0;
      const jobs: Executor = {...executor, concurrency: 2, async trainMissing(p) {
        handed.push(p.trainings.filter((t) => !t.cached).map((t) => t.spec.name));
        return {trained: 0, failed: []};
      }};
      await trainWithin(plan, jobs, {store: again, log: () => {}, deps: async () => { throw new Error('unused'); }}, 50, first);
      assert.deepEqual(handed, [['resnet20.s2', 'resnet20.s3']]);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
