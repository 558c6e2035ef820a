import {strict as assert} from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import {countParams} from '../../src/models/count';
import {buildModel} from '../../src/models/registry';

describe('models: the sequential head of seed 000 (A6)', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('ResNet-18 + Linear→ReLU→Dropout→Linear→LogSoftmax on 224×224×3 outputs log-probabilities', function () {
    this.timeout(300_000);
    const model = buildModel('resnet18_seqhead', {seed: 1});
    // torchvision resnet18 with fc (512·1000 + 1000) replaced by 512→512 and 512→2 Linear layers
    assert.equal(countParams(model), 11_689_512 - (512 * 1000 + 1000) + (512 * 512 + 512) + (512 * 2 + 2));
    assert.deepEqual(model.layers.filter((l) => l.name.startsWith('fc.')).map((l) => l.name),
      ['fc.0', 'fc.1', 'fc.2', 'fc.3', 'fc.4']);
    const y = model.predict(tf.randomUniform([1, 224, 224, 3], 0, 1, 'float32', 4)) as tf.Tensor;
    assert.deepEqual(y.shape, [1, 2]);
    const logp = Array.from(y.dataSync());
    assert.ok(logp.every((v) => v <= 0), `log-probabilities are ≤ 0: ${logp}`);
    const total = logp.reduce((s, v) => s + Math.exp(v), 0);
    assert.ok(Math.abs(total - 1) < 1e-5, `exp sums to ${total}`);
    model.dispose();
  });
});
