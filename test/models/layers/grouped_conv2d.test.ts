import {strict as assert} from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import {GroupedConv2D} from '../../../src/models/layers/grouped_conv2d';

describe('models/layers/grouped_conv2d', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('equals a full conv with the block-diagonal kernel (torch group semantics)', () => {
    const groups = 2, cin = 4, cout = 6, k = 3;
    const x = tf.randomNormal([1, 5, 5, cin], 0, 1, 'float32', 1);
    const kernel = tf.randomNormal([k, k, cin / groups, cout], 0, 1, 'float32', 2);
    const layer = new GroupedConv2D({name: 'g', filters: cout, kernelSize: k, strides: 2, padding: 'valid', groups});
    layer.apply(tf.input({shape: [5, 5, cin]}));
    layer.setWeights([kernel]);
    const y = layer.apply(x) as tf.Tensor;
    // dense equivalent: input channel i only feeds outputs of its group
    const k4 = kernel.arraySync() as number[][][][];
    const full = tf.buffer([k, k, cin, cout]);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) for (let o = 0; o < cout; o++) {
      const g = Math.floor(o / (cout / groups));
      for (let i = 0; i < cin / groups; i++) full.set(k4[a][b][i][o], a, b, g * (cin / groups) + i, o);
    }
    const ref = tf.conv2d(x as tf.Tensor4D, full.toTensor() as tf.Tensor4D, 2, 'valid');
    assert.deepEqual(y.shape, [1, 2, 2, cout]);
    assert.ok(tf.max(tf.abs(tf.sub(y, ref))).dataSync()[0] < 1e-5);
  });

  it('has a gradient with respect to its kernel and its input', () => {
    const layer = new GroupedConv2D({name: 'g2', filters: 4, kernelSize: 3, strides: 1, padding: 'same', groups: 2});
    layer.apply(tf.input({shape: [4, 4, 4]}));
    layer.setWeights([tf.randomNormal([3, 3, 2, 4], 0, 1, 'float32', 3)]);
    const v = layer.trainableWeights[0].read() as tf.Variable;
    const x = tf.randomNormal([1, 4, 4, 4], 0, 1, 'float32', 4);
    const {grads} = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar, [v]);
    assert.deepEqual(grads[v.name].shape, [3, 3, 2, 4]);
    assert.ok(tf.sum(tf.abs(grads[v.name])).dataSync()[0] > 0);
    const dx = tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t) as tf.Tensor))(x);
    assert.ok(tf.sum(tf.abs(dx)).dataSync()[0] > 0);
  });
});
