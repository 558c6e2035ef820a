import {strict as assert} from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import {gpuBuffersInUse} from '../../../src/engine/webgpu';
import {TorchBatchNorm} from '../../../src/models/layers/batch_norm';
import {buildModel} from '../../../src/models/registry';
import {lossFn} from '../../../src/train/losses';
import {makeOptimizer} from '../../../src/train/optimizers';
import {Rng} from '../../../src/util/rng';
import {CPU_NATIVE, requireNative} from '../native_available';
import {requireWebGpu, WEBGPU} from './webgpu_available';

// Training on webgpu (lavapipe here) as the trainer does it: the model zoo's ResNet-20, the
// project's SGD (momentum 0.9, weight decay 1e-4), cross-entropy, losses read asynchronously.

interface Steps {losses: number[]; tensors: number[]; buffers: number[]}

/** conv → the model zoo's batch norm → relu → global average pool → dense: the leak check's tiny net. */
function tinyNet(inputShape: [number, number, number]): tf.LayersModel {
  const input = tf.input({shape: inputShape});
  let x = tf.layers.conv2d({filters: 4, kernelSize: 3, padding: 'same', useBias: false,
    kernelInitializer: tf.initializers.heNormal({seed: 1})}).apply(input) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(new TorchBatchNorm({name: 'bn'}).apply(x)) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  return tf.model({inputs: input, outputs: tf.layers.dense({units: 10, kernelInitializer: tf.initializers.glorotNormal({seed: 2})})
    .apply(x) as tf.SymbolicTensor});
}

/** `steps` training steps of `model` on `backend` from the model's seeded initialisation and fixed data. */
async function trainSteps(backend: string, model: string, inputShape: [number, number, number], batch: number,
  steps: number): Promise<Steps> {
  await tf.setBackend(backend);
  const net = model === 'tiny' ? tinyNet(inputShape) : buildModel(model, {seed: 3, inputShape, numClasses: 10});
  const rng = new Rng(5);
  const x = tf.tensor4d(Float32Array.from({length: batch * inputShape[0] * inputShape[1] * inputShape[2]}, () => rng.normal()),
    [batch, ...inputShape]);
  const y = tf.tensor1d(Array.from({length: batch}, (_, i) => (i * 3) % 10), 'int32');
  const optimizer = makeOptimizer({type: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 1e-4});
  const params = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const out: Steps = {losses: [], tensors: [], buffers: []};
  for (let i = 0; i < steps; i++) {
    const {value, grads} = tf.variableGrads(() => lossFn('cross-entropy', net.apply(x, {training: true}) as tf.Tensor2D, y), params);
    out.losses.push((await value.data())[0]);
    optimizer.step(params, params.map((p) => grads[p.name]), 0.05);
    tf.dispose([value, ...Object.values(grads)]);
    out.tensors.push(tf.memory().numTensors);
    out.buffers.push(gpuBuffersInUse() ?? -1);
  }
  tf.dispose([x, y]);
  optimizer.dispose();
  net.dispose();
  return out;
}

describe('engine/webgpu: training', function () {
  this.timeout(300_000);
  before(async function () {
    requireNative(this);
    await requireWebGpu(this);
  });
  after(async () => { await tf.setBackend(CPU_NATIVE); });

  it('ResNet-20 (32×32, batch 4): 3 SGD steps with losses equal to cpu-native\'s within 1e-4', async () => {
    const ref = await trainSteps(CPU_NATIVE, 'resnet20', [32, 32, 3], 4, 3);
    const gpu = await trainSteps(WEBGPU, 'resnet20', [32, 32, 3], 4, 3);
    const diffs = gpu.losses.map((l, i) => Math.abs(l - ref.losses[i]));
    assert.ok(diffs.every((d) => d < 1e-4), `losses webgpu ${gpu.losses.join(', ')} vs cpu-native ${ref.losses.join(', ')}`);
    assert.ok(ref.losses[2] !== ref.losses[0], 'the weights moved');
  });

  it('no leak: tensor count and GPU buffer count are flat over 100 steps (conv-BN-relu-pool-dense, 8×8, batch 4)', async () => {
    const r = await trainSteps(WEBGPU, 'tiny', [8, 8, 3], 4, 100);
    assert.ok(r.buffers[0] > 0, 'the webgpu backend reports its buffers');
    assert.equal(r.tensors[99], r.tensors[4], `tensors: ${r.tensors[4]} after step 5, ${r.tensors[99]} after step 100`);
    assert.equal(r.buffers[99], r.buffers[4], `GPU buffers in use: ${r.buffers[4]} after step 5, ${r.buffers[99]} after step 100`);
    assert.ok(r.losses.every(Number.isFinite));
  });
});
