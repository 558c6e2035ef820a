import {strict as assert} from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import {TorchMaxPool2D} from '../../../src/models/layers/max_pool';
import {CPU_NATIVE, requireNative} from '../../engine/native_available';

/** Output and input gradient of relu → pool → weighted sum, as the stem (BN-ReLU, max-pool) uses it. */
function run(pool: (t: tf.Tensor4D) => tf.Tensor, shape: [number, number, number, number]): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomNormal(shape, 0, 1, 'float32', 3);
    const f = (t: tf.Tensor) => {
      const y = pool(tf.relu(t) as tf.Tensor4D);
      return tf.sum(tf.mul(y, tf.randomNormal(y.shape, 0, 1, 'float32', 4))) as tf.Scalar;
    };
    // −0 and +0 count as one: where a window holds only zeros, the padded version routes the
    // gradient to the padding and leaves +0 below the ReLU, ours routes it to a zero input and
    // leaves ±0 (the ReLU's 0 times the gradient's sign).
    return [pool(tf.relu(x) as tf.Tensor4D), tf.grad(f)(x)].map((t) => Float32Array.from(t.dataSync(), (v) => v + 0));
  });
}

describe('models/layers/max_pool', () => {
  for (const backend of ['cpu', CPU_NATIVE]) {
    describe(`on ${backend}`, () => {
      before(async function () {
        if (backend === CPU_NATIVE) requireNative(this);
        await tf.setBackend(backend);
      });

      for (const size of [8, 9, 32]) {
        it(`after a ReLU, gives the bits of a zero-pad layer and a 'valid' pool (zero's sign aside): value and gradient (${size}×${size})`, () => {
          const ours = new TorchMaxPool2D({name: 'p', poolSize: 3, strides: 2, padding: 1});
          const padded = (t: tf.Tensor4D) => tf.maxPool(tf.pad(t, [[0, 0], [1, 1], [1, 1], [0, 0]]), 3, 2, 'valid');
          const want = run(padded, [2, size, size, 5]);
          const got = run((t) => ours.apply(t) as tf.Tensor, [2, size, size, 5]);
          got.forEach((g, i) => assert.deepEqual(g, want[i], `output ${i}`));
        });
      }

      it('never lets the padding win, as torch (−∞), and reports the shape it computes', () => {
        const layer = new TorchMaxPool2D({name: 'p', poolSize: 3, strides: 2, padding: 1});
        const x = tf.fill([1, 7, 6, 2], -1);
        const y = layer.apply(x) as tf.Tensor;
        assert.deepEqual(y.shape, layer.computeOutputShape([1, 7, 6, 2]));
        assert.deepEqual(y.shape, [1, 4, 3, 2]);  // torch: floor((7 + 2 − 3) / 2) + 1, floor((6 + 2 − 3) / 2) + 1
        assert.ok(Array.from(y.dataSync()).every((v) => v === -1));
      });
    });
  }

  it('round-trips through its config, and refuses padding a window could be made of', () => {
    const layer = new TorchMaxPool2D({name: 'maxpool', poolSize: 3, strides: 2, padding: 1});
    const back = TorchMaxPool2D.fromConfig(TorchMaxPool2D, layer.getConfig()) as TorchMaxPool2D;
    assert.deepEqual([back.name, back.poolSize, back.strides, back.padding], ['maxpool', 3, 2, 1]);
    assert.throws(() => new TorchMaxPool2D({name: 'bad', poolSize: 3, strides: 2, padding: 2}), /padding 2 exceeds half the window 3/);
  });
});
