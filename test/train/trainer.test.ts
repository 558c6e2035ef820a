import {strict as assert} from 'node:assert';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {isTrainingInterrupted, stopOnSigint} from '../../src/train/interrupt';
import {train} from '../../src/train/trainer';
import {testsAfterEpoch, type RunSpec} from '../../src/runs/spec';
import {silentProgress} from '../../src/train/progress';
import {stripTimes, toyData, toyModel, toySpec} from './fixtures';
import {SeededDropout, setDropoutStepSeed, setTrainingRandomContext} from '../../src/models/layers/seeded_dropout';
import {CPU_NATIVE, requireNative} from '../engine/native_available';

/** The toy model with a dropout layer (its mask drawn by the native kernel on cpu-native). */
function toyDropoutModel(seed: number): tf.LayersModel {
  const input = tf.input({shape: [8, 8, 1]});
  let x = tf.layers.conv2d({filters: 4, kernelSize: 3, padding: 'same', name: 'conv1',
    kernelInitializer: tf.initializers.glorotUniform({seed})}).apply(input) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  x = new SeededDropout({name: 'drop', rate: 0.3}).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({units: 4, name: 'fc', kernelInitializer: tf.initializers.glorotUniform({seed: seed + 1})})
    .apply(x) as tf.SymbolicTensor;
  return tf.model({inputs: input, outputs: x});
}

describe('train/trainer', async () => {
  let dir: string;
  before(async () => { await tf.setBackend('cpu'); });
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'repro-train-')); });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  it('learns the toy task and records every epoch', async () => {
    const out = await train(toySpec({epochs: 4}), toyModel(1), toyData(), join(dir, 'ck'), {progress: silentProgress});
    assert.equal(out.status, 'done');
    assert.equal(out.history.length, 4);
    assert.ok(out.history[3].trainLoss < out.history[0].trainLoss, 'training loss falls');
    assert.ok(out.history[3].testError! < 0.5, `test error ${out.history[3].testError} should be well below chance 0.75`);
    assert.equal(out.history[3].iteration, 4 * 6);
  });

  it('tests after every epoch, the last alone (evalTest final), or the last N (testWindow); a stored run is checked for them', async () => {
    const tested = async (over: Partial<RunSpec>, name: string) =>
      (await train(toySpec({epochs: 4, ...over}), toyModel(1), toyData(), join(dir, name), {progress: silentProgress}))
        .history.map((m) => m.testError !== undefined);
    assert.deepEqual(await tested({}, 'every'), [true, true, true, true]);
    assert.deepEqual(await tested({evalTest: 'final'}, 'final'), [false, false, false, true]);
    assert.deepEqual(await tested({evalTest: 'final', testWindow: 3}, 'window'), [false, true, true, true]);
    assert.equal(testsAfterEpoch(toySpec({epochs: 4, evalTest: 'final', testWindow: 2}), 2), false);
    assert.equal(testsAfterEpoch(toySpec({epochs: 4, evalTest: 'final', testWindow: 2}), 3), true);
  });

  it('gives identical metrics for the same seed', async () => {
    const a = await train(toySpec(), toyModel(1), toyData(), join(dir, 'a'), {progress: silentProgress});
    const b = await train(toySpec(), toyModel(1), toyData(), join(dir, 'b'), {progress: silentProgress});
    assert.deepEqual(stripTimes(a.history), stripTimes(b.history));
    const c = await train(toySpec({seed: 6}), toyModel(1), toyData(), join(dir, 'c'), {progress: silentProgress});
    assert.notDeepEqual(stripTimes(c.history), stripTimes(a.history), 'a different seed changes data order');
  });

  it('resumes from the last checkpoint and ends exactly as an uninterrupted run', async () => {
    const full = await train(toySpec({epochs: 4}), toyModel(1), toyData(), join(dir, 'full'), {progress: silentProgress});
    // Interrupt during epoch 3: the exception stands in for a crash after epoch 2's checkpoint.
    await assert.rejects(train(toySpec({epochs: 4}), toyModel(1), toyData(), join(dir, 'cut'), {
      progress: silentProgress,
      afterBatch: (epoch, batch) => { if (epoch === 2 && batch === 3) throw new Error('simulated crash'); },
    }), /simulated crash/);
    // A fresh model (different init seed: the checkpoint must overwrite every weight).
    const resumed = await train(toySpec({epochs: 4}), toyModel(99), toyData(), join(dir, 'cut'), {progress: silentProgress});
    assert.equal(resumed.resumedFromEpoch, 2);
    assert.deepEqual(stripTimes(resumed.history), stripTimes(full.history));
  });

  it('with dropout on cpu-native: repeats exactly and resumes exactly after a crash', async function () {
    requireNative(this);
    await tf.setBackend(CPU_NATIVE);
    try {
      const hooks = {progress: silentProgress, setStepSeed: setDropoutStepSeed};
      const full = await train(toySpec({epochs: 3}), toyDropoutModel(1), toyData(), join(dir, 'full'), hooks);
      const again = await train(toySpec({epochs: 3}), toyDropoutModel(1), toyData(), join(dir, 'again'), hooks);
      assert.deepEqual(stripTimes(again.history), stripTimes(full.history));
      await assert.rejects(() => train(toySpec({epochs: 3}), toyDropoutModel(1), toyData(), join(dir, 'cut'), {...hooks,
        afterBatch: (epoch, batch) => { if (epoch === 2 && batch === 2) throw new Error('simulated crash'); },
      }), /simulated crash/);
      const resumed = await train(toySpec({epochs: 3}), toyDropoutModel(99), toyData(), join(dir, 'cut'), hooks);
      assert.equal(resumed.resumedFromEpoch, 2);
      assert.deepEqual(stripTimes(resumed.history), stripTimes(full.history));
    } finally {
      setTrainingRandomContext(undefined);
      await tf.setBackend('cpu');
    }
  });

  it('ends a run whose loss becomes NaN as diverged, with the step', async () => {
    const out = await train(toySpec({optimizer: {type: 'sgd', lr: 1e30, momentum: 0.9, weightDecay: 0}}), toyModel(1), toyData(),
      join(dir, 'nan'), {progress: silentProgress});
    assert.equal(out.status, 'diverged');
    if (out.status === 'diverged') {
      assert.ok(out.divergedAt.iteration >= 1);
      assert.ok(!Number.isFinite(out.divergedAt.loss));
    }
  });

  it('records per-weight gradient norms at initialisation when asked', async () => {
    const out = await train(toySpec({epochs: 1, gradientNorms: true}), toyModel(1), toyData(), join(dir, 'g'), {progress: silentProgress});
    assert.deepEqual(out.gradientNorms?.map((g) => g.weight), ['conv1/kernel', 'fc/kernel']);
    assert.ok(out.gradientNorms!.every((g) => g.norm > 0 && Number.isFinite(g.norm)));
  });

  it('trains with Adam', async () => {
    const out = await train(toySpec({optimizer: {type: 'adam', lr: 0.01}, epochs: 3}), toyModel(1), toyData(), join(dir, 'adam'),
      {progress: silentProgress});
    assert.ok(out.history[2].trainLoss < out.history[0].trainLoss);
  });

  it('does not leak tensors across epochs', async () => {
    const model = toyModel(1);
    const before = tf.memory().numTensors;
    await train(toySpec({epochs: 2}), model, toyData(), join(dir, 'leak'), {progress: silentProgress});
    assert.equal(tf.memory().numTensors, before);
    model.dispose();
  });

  it('stops at the next step after a SIGINT (Ctrl-C, a kernel interrupt), says how to resume, and resumes exactly', async () => {
    const full = await train(toySpec({epochs: 4}), toyModel(1), toyData(), join(dir, 'full-int'), {progress: silentProgress});
    const remove = stopOnSigint(() => {});
    let stoppedAt: [number, number] | undefined;
    let sentAt: [number, number] | undefined;
    try {
      await assert.rejects(train(toySpec({epochs: 4}), toyModel(1), toyData(), join(dir, 'int'), {
        progress: silentProgress,
        afterBatch: (epoch, batch) => {
          stoppedAt = [epoch, batch];
          if (epoch === 2 && batch === 1 && !sentAt) { sentAt = [epoch, batch]; process.kill(process.pid, 'SIGINT'); }
        },
      }), (err: unknown) => isTrainingInterrupted(err) && /run the same command again/.test((err as Error).message));
    } finally {
      remove();
    }
    // The signal is seen within a step or two of being sent, not at the end of the run.
    assert.ok(stoppedAt && stoppedAt[0] === 2 && stoppedAt[1] - 1 <= 2, `stopped at ${String(stoppedAt)}`);
    const resumed = await train(toySpec({epochs: 4}), toyModel(99), toyData(), join(dir, 'int'), {progress: silentProgress});
    assert.equal(resumed.resumedFromEpoch, 2);
    assert.deepEqual(stripTimes(resumed.history), stripTimes(full.history));
  });
});
