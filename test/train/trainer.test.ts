import {strict as assert} from 'node:assert';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {train} from '../../src/train/trainer';
import {silentProgress} from '../../src/train/progress';
import {stripTimes, toyData, toyModel, toySpec} from './fixtures';

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
});
