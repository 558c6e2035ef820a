import {strict as assert} from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import {variableGrads} from '../../src/engine/variable_grads';
import {buildModel} from '../../src/models/registry';
import {lossFn} from '../../src/train/losses';
import {CPU_NATIVE, requireNative} from './native_available';

// The memory-frugal backward pass must give tf.variableGrads's gradients bit for bit (same ops,
// same order), leave no tensor behind, and hold less at its peak.

function setup(model: string, seed: number) {
  const m = buildModel(model, {seed, inputShape: [16, 16, 3], numClasses: 10});
  const x = tf.randomNormal([8, 16, 16, 3], 0, 1, 'float32', seed);
  const labels = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32');
  const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
  const f = () => lossFn('cross-entropy', m.apply(x, {training: true}) as tf.Tensor2D, labels);
  return {f, vars, dispose: () => { tf.dispose([x, labels]); m.dispose(); }};
}

async function compareWithTfjs(model: string): Promise<void> {
  const {f, vars, dispose} = setup(model, 3);
  const before = tf.memory().numTensors;
  const ref = tf.variableGrads(f, vars);
  const mine = variableGrads(f, vars);
  assert.equal((await mine.value.data())[0], (await ref.value.data())[0]);
  assert.deepEqual(Object.keys(mine.grads).sort(), Object.keys(ref.grads).sort());
  for (const name of Object.keys(ref.grads)) {
    assert.deepEqual(await mine.grads[name].data(), await ref.grads[name].data(), `${model}: gradient of ${name} differs`);
  }
  tf.dispose([ref.value, mine.value, ...Object.values(ref.grads), ...Object.values(mine.grads)]);
  assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
  dispose();
}

/**
 * Bytes alive when the backward pass reaches the first layer of a 6-layer conv net: a probe op
 * after the first convolution records tf.memory() in its gradient, which runs after every later
 * layer's. tfjs still holds every later gradient and saved tensor then.
 */
function bytesNearTheEnd(grads: typeof variableGrads): number {
  let seen = -1;
  const probe = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    save([]);
    return {value: tf.clone(x), gradFunc: (dy: tf.Tensor) => { seen = tf.memory().numBytes; return tf.clone(dy); }};
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const x = tf.randomNormal([8, 16, 16, 8], 0, 1, 'float32', 1);
  const ws = Array.from({length: 6}, (_, i) => tf.variable(tf.randomNormal([3, 3, 8, 8], 0, 0.2, 'float32', i + 2)));
  const r = grads(() => {
    let h = probe(tf.conv2d(x as tf.Tensor4D, ws[0] as tf.Tensor4D, 1, 'same')) as tf.Tensor4D;
    for (const w of ws.slice(1)) h = tf.relu(tf.conv2d(h, w as tf.Tensor4D, 1, 'same'));
    return tf.mean(tf.square(h)) as tf.Scalar;
  }, ws);
  tf.dispose([r.value, ...Object.values(r.grads), x, ...ws]);
  return seen;
}

describe('engine/variable_grads: a backward pass that frees as it goes', function () {
  this.timeout(120_000);
  for (const backend of ['cpu', CPU_NATIVE]) {
    it(`${backend}: tf.variableGrads's gradients bit for bit, nothing left behind, less held during the backward pass`, async function () {
      if (backend === CPU_NATIVE) requireNative(this);
      const saved = tf.getBackend();
      await tf.setBackend(backend);
      try {
        // The pure-JS backend is slow: one small model there, two on cpu-native.
        for (const model of backend === 'cpu' ? ['resnet8'] : ['resnet8', 'plain20']) await compareWithTfjs(model);
        const tfjs = bytesNearTheEnd((f, vars) => tf.variableGrads(f, [...vars]) as {value: tf.Scalar; grads: tf.NamedTensorMap});
        const ours = bytesNearTheEnd(variableGrads);
        // Five layers' activations and gradients (8×16×16×8 floats each) are released by then.
        assert.ok(ours > 0 && tfjs - ours >= 5 * 8 * 16 * 16 * 8 * 4, `bytes alive near the end of backward: ours ${ours}, tfjs ${tfjs}`);
      } finally {
        if (saved) await tf.setBackend(saved);
      }
    });
  }
});
