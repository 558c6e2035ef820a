import {strict as assert} from 'node:assert';
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {RunResult} from '../../src/runs/result';
import {estimateTrainingTime, secondsPerWork, undisturbedSeconds} from '../../src/pipeline/estimate';
import type {ProfilePlan, Training} from '../../src/pipeline/plan';
import {RunStore} from '../../src/runs/store';
import {storedResult} from './stored_result';

/** A finished run of `model` whose epochs took the given seconds, 1,000 images each at that speed. */
function run(model: string, epochSeconds: number[]): RunResult {
  const history = epochSeconds.map((s, i) => ({epoch: i + 1, wallMs: s * 1000, imgPerSec: 1000 / s}));
  const wallMs = epochSeconds.reduce((a, s) => a + s, 0) * 1000;
  return {status: 'done', spec: {model}, history, wallMs} as unknown as RunResult;
}

describe('pipeline/estimate', () => {
  it('takes a run as undisturbed: its median epoch time × its epochs, whatever one stalled epoch took', () => {
    assert.equal(undisturbedSeconds(run('resnet20', [10, 10, 3600, 10])), 40);
    assert.equal(undisturbedSeconds(run('resnet20', [10, 12, 3600, 14])), 52);
    assert.equal(undisturbedSeconds(run('resnet20', [])), 0);
  });

  it('scales the estimate from undisturbed runs: an hour\'s pause in one run does not move it', () => {
    const quiet = secondsPerWork([run('resnet20', [10, 10, 10, 10]), run('resnet56', [28, 28, 28, 28])]);
    const paused = secondsPerWork([run('resnet20', [10, 10, 10, 10]), run('resnet56', [28, 3628, 28, 28])]);
    assert.ok(quiet !== undefined && quiet > 0);
    assert.equal(paused, quiet);
  });

  it('counts only the epochs after a checkpoint for a run that will resume', () => {
    const dir = mkdtempSync(join(tmpdir(), 'repro-estimate-'));
    try {
      const store = new RunStore(dir);
      const training = (hash: string): Training => ({spec: {epochs: 100} as Training['spec'], hash, cached: false, dataChecksum: 's', work: 1000});
      const plan = {trainings: [training('a'.repeat(20)), training('b'.repeat(20))]} as unknown as ProfilePlan;
      const fresh = estimateTrainingTime(plan, store);
      mkdirSync(join(store.checkpointDir('b'.repeat(20)), 'epoch-0050'), {recursive: true});
      mkdirSync(join(store.checkpointDir('b'.repeat(20)), 'epoch-0049'), {recursive: true});
      const resumed = estimateTrainingTime(plan, store);
      assert.ok(fresh && resumed);
      assert.ok(Math.abs(resumed.seconds / fresh.seconds - 0.75) < 1e-12, `${resumed.seconds} vs ${fresh.seconds}`);
      assert.match(resumed.basis, /; 1 of them resume from a checkpoint$/);
      assert.doesNotMatch(fresh.basis, /resume/);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it('scales from the runs trained in this store before those imported from other machines, and says which', () => {
    const dir = mkdtempSync(join(tmpdir(), 'repro-estimate-'));
    try {
      const store = new RunStore(dir);
      const plan = {trainings: [{spec: {epochs: 100}, hash: 'c'.repeat(20), cached: false, dataChecksum: 's', work: 1000}]} as unknown as ProfilePlan;
      store.importResult(storedResult(1, 10));
      const fromImports = estimateTrainingTime(plan, store);
      assert.ok(fromImports);
      assert.match(fromImports.basis, /^scaled from the 1 run\(s\) imported into .*, trained on other machines that may be faster or slower/);
      // This machine is half as fast as the imported run said: the estimate follows this machine.
      const trained = storedResult(2, 20);
      store.writeResult(trained);
      mkdirSync(join(store.checkpointDir(trained.hash), 'epoch-0002'), {recursive: true}); // what training leaves
      store.importResult(trained); // pinned, as `reproduce` pins committed runs: still trained here
      const fromHere = estimateTrainingTime(plan, store);
      assert.ok(fromHere);
      assert.match(fromHere.basis, /^scaled from the 1 run\(s\) trained in /);
      assert.ok(Math.abs(fromHere.seconds / fromImports.seconds - 2) < 1e-12, `${fromHere.seconds} vs ${fromImports.seconds}`);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
