import {strict as assert} from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import {countWrong, lossFn} from '../../src/train/losses';

describe('train/losses', () => {
  it('cross-entropy on logits equals NLL on their log-softmax, and matches the formula', () => {
    tf.tidy(() => {
      const logits = tf.tensor2d([[2, 0, -1], [0.5, 0.5, 3]]);
      const labels = tf.tensor1d([0, 1], 'int32');
      const ce = lossFn('cross-entropy', logits, labels).dataSync()[0];
      const nll = lossFn('nll', tf.logSoftmax(logits) as tf.Tensor2D, labels).dataSync()[0];
      const lse = (xs: number[]) => Math.log(xs.reduce((a, x) => a + Math.exp(x), 0));
      const expected = ((lse([2, 0, -1]) - 2) + (lse([0.5, 0.5, 3]) - 0.5)) / 2;
      assert.ok(Math.abs(ce - expected) < 1e-5);
      assert.ok(Math.abs(nll - expected) < 1e-5);
    });
  });

  it('countWrong counts the predictions (argmax) that differ from the labels', async () => {
    const logits = tf.tensor2d([[2, 0, -1], [0.5, 0.5, 3]]);
    const labels = tf.tensor1d([0, 1], 'int32');
    assert.equal(await countWrong(logits, labels), 1);
    tf.dispose([logits, labels]);
  });
});
