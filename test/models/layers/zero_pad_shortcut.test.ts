import {strict as assert} from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import {ZeroPadShortcut} from '../../../src/models/layers/zero_pad_shortcut';

describe('models/layers/zero_pad_shortcut (option A)', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('is x[:, ::2, ::2, :] padded with out/4 zero channels on each side (akamaster\'s LambdaLayer)', () => {
    const [n, h, w, c] = [1, 4, 4, 2];
    const values = Array.from({length: n * h * w * c}, (_, i) => i + 1);
    const x = tf.tensor4d(values, [n, h, w, c]);
    const layer = new ZeroPadShortcut({name: 'layer2.0.shortcut', stride: 2, outChannels: 4});
    const y = layer.apply(x) as tf.Tensor;
    assert.deepEqual(y.shape, [1, 2, 2, 4]);
    const out = y.arraySync() as number[][][][];
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const src = ((2 * i) * w + 2 * j) * c;
        assert.deepEqual(out[0][i][j], [0, values[src], values[src + 1], 0]);
      }
    }
    assert.deepEqual(layer.computeOutputShape([null, 4, 4, 2]), [null, 2, 2, 4]);
  });
});
