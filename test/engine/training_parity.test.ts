import {strict as assert} from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import {batchNormTrain} from '../../src/engine/ops/batch_norm_train';
import {buildModel} from '../../src/models/registry';
import {lossFn} from '../../src/train/losses';
import {makeOptimizer} from '../../src/train/optimizers';
import {CPU_NATIVE, relativeError, requireNative} from './native_available';

// A few SGD-momentum steps of a small ResNet on cpu-native and on the pure-JS cpu backend from
// the same weights and data: the losses and the final weights must agree. Also: cpu-native is
// bit-for-bit deterministic from run to run, and the tensor count stays flat over steps.

/** Training-mode batch norm through batchNormTrain (the op the model zoo's BN layers use). */
class TrainBn extends tf.layers.Layer {
  static readonly className = 'TestTrainBn';
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = (inputShape as tf.Shape)[3] as number;
    this.gamma = this.addWeight('gamma', [c], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [c], 'float32', tf.initializers.zeros());
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const r = batchNormTrain(x, this.gamma.read() as tf.Tensor1D, this.beta.read() as tf.Tensor1D, 1e-5);
    r.mean.dispose();
    r.variance.dispose();
    return r.y;
  }
}

/** conv-BN-relu stem, two basic blocks (the second downsamples with a 1×1 projection), GAP, dense. */
function smallResNet(): tf.LayersModel {
  const conv = (filters: number, k: number, s: number) =>
    tf.layers.conv2d({filters, kernelSize: k, strides: s, padding: 'same', useBias: false,
      kernelInitializer: tf.initializers.heNormal({seed: filters * 10 + k})});
  const input = tf.input({shape: [8, 8, 3]});
  let x = tf.layers.reLU().apply(new TrainBn({}).apply(conv(8, 3, 1).apply(input))) as tf.SymbolicTensor;
  for (const [filters, stride] of [[8, 1], [16, 2]]) {
    let y = tf.layers.reLU().apply(new TrainBn({}).apply(conv(filters, 3, stride).apply(x))) as tf.SymbolicTensor;
    y = new TrainBn({}).apply(conv(filters, 3, 1).apply(y)) as tf.SymbolicTensor;
    const shortcut = stride === 1 ? x : new TrainBn({}).apply(conv(filters, 1, stride).apply(x)) as tf.SymbolicTensor;
    x = tf.layers.reLU().apply(tf.layers.add().apply([y, shortcut])) as tf.SymbolicTensor;
  }
  const pooled = tf.layers.globalAveragePooling2d({}).apply(x);
  const logits = tf.layers.dense({units: 5, kernelInitializer: tf.initializers.glorotNormal({seed: 7})}).apply(pooled);
  return tf.model({inputs: input, outputs: logits as tf.SymbolicTensor});
}

interface Trajectory {losses: number[]; weights: Float32Array[]; tensorCounts: number[]}

async function train(backend: string, steps: number): Promise<Trajectory> {
  await tf.setBackend(backend);
  const model = smallResNet();
  const x = tf.randomNormal([6, 8, 8, 3], 0, 1, 'float32', 3);
  const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 0], 'int32'), 5);
  const optimizer = tf.train.momentum(0.05, 0.9);
  const losses: number[] = [];
  const tensorCounts: number[] = [];
  for (let i = 0; i < steps; i++) {
    const cost = optimizer.minimize(() =>
      tf.losses.softmaxCrossEntropy(labels, model.apply(x, {training: true}) as tf.Tensor) as tf.Scalar, true);
    losses.push((cost as tf.Scalar).dataSync()[0]);
    (cost as tf.Scalar).dispose();
    tensorCounts.push(tf.memory().numTensors);
  }
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  x.dispose();
  labels.dispose();
  optimizer.dispose();
  model.dispose();
  return {losses, weights, tensorCounts};
}

/** The trainer's step (cross-entropy on logits, PyTorch-exact SGD) on the model zoo's ResNet-20. */
async function trainResNet20(backend: string, steps: number): Promise<Trajectory> {
  await tf.setBackend(backend);
  // 8×8 input and batch 4 keep the pure-JS reference to a few seconds; the layers are ResNet-20's
  // (option-A shortcuts: strided slice + channel pad, fused BN, global average pool, dense).
  const model = buildModel('resnet20', {seed: 5, inputShape: [8, 8, 3]});
  const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 11);
  const y = tf.tensor1d([1, 3, 5, 7], 'int32');
  const optimizer = makeOptimizer({type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 1e-4});
  const params = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const losses: number[] = [];
  const tensorCounts: number[] = [];
  for (let i = 0; i < steps; i++) {
    const {value, grads} = tf.variableGrads(() =>
      lossFn('cross-entropy', model.apply(x, {training: true}) as tf.Tensor2D, y), params);
    losses.push(value.dataSync()[0]);
    optimizer.step(params, params.map((p) => grads[p.name]), 0.1);
    tf.dispose([value, ...Object.values(grads)]);
    tensorCounts.push(tf.memory().numTensors);
  }
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  return {losses, weights, tensorCounts};
}

describe('cpu-native training parity with the pure-JS cpu backend', function () {
  before(function () { requireNative(this); });
  after(async () => { await tf.setBackend('cpu'); });

  it('gives the same losses and weights over 4 SGD-momentum steps of a small ResNet', async () => {
    const native = await train(CPU_NATIVE, 4);
    const reference = await train('cpu', 4);
    // The loss must actually move, or the comparison proves nothing.
    assert.ok(reference.losses[3] < reference.losses[0], `loss did not fall: ${reference.losses}`);
    native.losses.forEach((l, i) => {
      const e = Math.abs(l - reference.losses[i]) / Math.abs(reference.losses[i]);
      assert.ok(e <= 1e-5, `step ${i}: loss ${l} vs ${reference.losses[i]} (relative ${e.toExponential(2)})`);
    });
    assert.equal(native.weights.length, reference.weights.length);
    native.weights.forEach((w, i) => {
      const e = relativeError(w, reference.weights[i]);
      assert.ok(e <= 1e-4, `weight ${i}: relative error ${e.toExponential(2)} after 4 steps`);
    });
  });

  it('is bit-for-bit deterministic from run to run, and leaks no tensors', async () => {
    const a = await train(CPU_NATIVE, 5);
    const b = await train(CPU_NATIVE, 5);
    assert.deepEqual(a.losses, b.losses);
    a.weights.forEach((w, i) => assert.deepEqual(w, b.weights[i], `weight ${i} differs between runs`));
    // After the first step (which creates the optimizer's accumulators) the count is flat.
    assert.ok(a.tensorCounts.slice(1).every((n) => n === a.tensorCounts[1]), `tensor counts ${a.tensorCounts}`);
  });

  it('the model zoo\'s ResNet-20 with the trainer\'s step: same losses and weights over 3 steps', async () => {
    const native = await trainResNet20(CPU_NATIVE, 3);
    const reference = await trainResNet20('cpu', 3);
    assert.ok(reference.losses[2] < reference.losses[0], `loss did not fall: ${reference.losses}`);
    native.losses.forEach((l, i) => {
      const e = Math.abs(l - reference.losses[i]) / Math.abs(reference.losses[i]);
      assert.ok(e <= 1e-5, `step ${i}: loss ${l} vs ${reference.losses[i]} (relative ${e.toExponential(2)})`);
    });
    native.weights.forEach((w, i) => {
      const e = relativeError(w, reference.weights[i]);
      assert.ok(e <= 1e-4, `weight ${i}: relative error ${e.toExponential(2)} after 3 steps`);
    });
    // Resume and determinism in the trainer rely on this: same inputs, same bits.
    const again = await trainResNet20(CPU_NATIVE, 3);
    assert.deepEqual(again.losses, native.losses);
    again.weights.forEach((w, i) => assert.deepEqual(w, native.weights[i], `weight ${i} differs between runs`));
    assert.ok(native.tensorCounts.slice(1).every((n) => n === native.tensorCounts[1]), `${native.tensorCounts}`);
  });
});
