import {strict as assert} from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import {batchNormTrain} from '../../src/engine/ops/batch_norm_train';

/** Reference: the same maths spelled out with autodiff through plain tfjs ops. */
function reference(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor {
  const {mean, variance} = tf.moments(x, [0, 1, 2]);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta);
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('engine/ops/batch_norm_train (composite path)', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('matches the autodiff reference forward and in all three gradients', () => {
    tf.tidy(() => {
      const x = tf.add(tf.mul(tf.randomNormal([4, 5, 5, 3], 0, 1, 'float32', 1), 3), 100);
      const gamma = tf.tensor1d([1.5, 0.5, -1]);
      const beta = tf.tensor1d([0.1, 0.2, 0.3]);
      const w = tf.randomNormal([4, 5, 5, 3], 0, 1, 'float32', 2);
      const ours = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const r = batchNormTrain(a, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5);
        r.mean.dispose(); r.variance.dispose();
        return tf.sum(tf.mul(r.y, w));
      })([x, gamma, beta]);
      const ref = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(reference(a, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5), w)))([x, gamma, beta]);
      for (let i = 0; i < 3; i++) assert.ok(maxAbsDiff(ours[i], ref[i]) < 1e-3, `gradient ${i}`);
      const r = batchNormTrain(x, gamma, beta, 1e-5);
      assert.ok(maxAbsDiff(r.y, reference(x, gamma, beta, 1e-5)) < 1e-4);
      const {mean, variance} = tf.moments(x, [0, 1, 2]);
      assert.ok(maxAbsDiff(r.mean, mean) < 1e-4);
      assert.ok(maxAbsDiff(r.variance, variance) < 1e-3);
      r.mean.dispose(); r.variance.dispose();
    });
  });
});
