import {strict as assert} from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import {TorchBatchNorm} from '../../../src/models/layers/batch_norm';

describe('models/layers/batch_norm', () => {
  before(async () => { await tf.setBackend('cpu'); });

  function layerOn(shape: number[]): {bn: TorchBatchNorm; model: tf.LayersModel} {
    const input = tf.input({shape: shape.slice(1)});
    const bn = new TorchBatchNorm({name: 'bn'});
    const model = tf.model({inputs: input, outputs: bn.apply(input) as tf.SymbolicTensor});
    return {bn, model};
  }

  it('training mode normalises with batch statistics and updates running stats as torch (momentum 0.1, unbiased var)', () => {
    const {bn, model} = layerOn([2, 3, 3, 2]);
    const x = tf.tensor4d(Array.from({length: 36}, (_, i) => Math.sin(i) * 3 + (i % 2) * 5), [2, 3, 3, 2]);
    const y = bn.apply(x, {training: true}) as tf.Tensor;
    const {mean, variance} = tf.moments(x, [0, 1, 2]);
    const n = 18;
    // y is (x − mean)/√(var_biased + eps)
    const expectedY = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
    assert.ok(tf.max(tf.abs(tf.sub(y, expectedY))).dataSync()[0] < 1e-4);
    const [, , runningMean, runningVar] = bn.getWeights().map((w) => Array.from(w.dataSync()));
    const m = Array.from(mean.dataSync()), v = Array.from(variance.dataSync());
    for (let c = 0; c < 2; c++) {
      assert.ok(Math.abs(runningMean[c] - 0.1 * m[c]) < 1e-5, 'running_mean = 0.9·0 + 0.1·mean');
      assert.ok(Math.abs(runningVar[c] - (0.9 + 0.1 * v[c] * n / (n - 1))) < 1e-5, 'running_var uses n/(n−1)');
    }
    model.dispose();
  });

  it('inference mode uses the running statistics and leaves them alone', () => {
    const {bn, model} = layerOn([1, 1, 1, 2]);
    bn.setWeights([tf.tensor1d([2, 1]), tf.tensor1d([0.5, 0]), tf.tensor1d([1, -1]), tf.tensor1d([4, 0.25])]);
    const y = model.predict(tf.tensor4d([3, 1], [1, 1, 1, 2])) as tf.Tensor;
    const got = Array.from(y.dataSync());
    assert.ok(Math.abs(got[0] - (2 * (3 - 1) / Math.sqrt(4 + 1e-5) + 0.5)) < 1e-5);
    assert.ok(Math.abs(got[1] - ((1 + 1) / Math.sqrt(0.25 + 1e-5))) < 1e-5);
    assert.deepEqual(Array.from(bn.getWeights()[2].dataSync()), [1, -1]);
    model.dispose();
  });
});
