import {strict as assert} from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import {setDropoutStepSeed, setTrainingRandomContext} from '../../src/models/layers/seeded_dropout';
import {buildModel} from '../../src/models/registry';

/** One SGD step the way src/train's trainer takes it: tf.variableGrads over model.apply(training). */
function sgdStep(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, lr: number): number {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const {value, grads} = tf.variableGrads(() =>
    tf.losses.softmaxCrossEntropy(y, model.apply(x, {training: true}) as tf.Tensor) as tf.Scalar, vars);
  for (const v of vars) {
    const g = grads[v.name];
    assert.ok(g !== undefined, `no gradient for ${v.name}`);
    assert.ok(tf.tidy(() => tf.sum(tf.abs(g)).dataSync()[0]) > 0, `zero gradient for ${v.name}`);
    v.assign(tf.tidy(() => tf.sub(v, tf.mul(g, lr))));
  }
  const loss = value.dataSync()[0];
  tf.dispose([value, ...Object.values(grads)]);
  return loss;
}

describe('models: training steps through the custom layers (BN, option-A shortcut, dropout)', () => {
  before(async () => { await tf.setBackend('cpu'); });
  afterEach(() => setTrainingRandomContext(undefined));

  it('resnet9 with dropout blocks: every weight gets a gradient, loss falls, BN statistics move, reproducibly', () => {
    const run = () => {
      // 8×8 inputs keep the pure-JS backend's convolution gradients quick (the net ends at 2×2).
      const model = buildModel('resnet9_drop0.2', {seed: 3, inputShape: [8, 8, 3]});
      const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 1);
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 10);
      const losses: number[] = [];
      for (let step = 0; step < 3; step++) {
        setDropoutStepSeed(1000 + step);
        losses.push(sgdStep(model, x, y, 0.05));
      }
      const runningMean = Array.from(model.getLayer('bn1').getWeights()[2].dataSync());
      model.dispose();
      return {losses, runningMean};
    };
    const a = run();
    assert.ok(a.losses[2] < a.losses[0], `losses ${a.losses}`);
    assert.ok(a.runningMean.some((v) => v !== 0), 'running_mean updated in training mode');
    assert.deepEqual(run(), a, 'same seeds, same losses and statistics');
  });
});
