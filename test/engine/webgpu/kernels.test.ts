import {strict as assert} from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import {batchNormTrain} from '../../../src/engine/ops/batch_norm_train';
import {withSyncReads} from '../../../src/engine/sync_reads';
import {TorchBatchNorm} from '../../../src/models/layers/batch_norm';
import {SeededDropout, setDropoutStepSeed, setTrainingRandomContext} from '../../../src/models/layers/seeded_dropout';
import {ZeroPadShortcut} from '../../../src/models/layers/zero_pad_shortcut';
import {lossFn} from '../../../src/train/losses';
import {makeOptimizer} from '../../../src/train/optimizers';
import {Rng} from '../../../src/util/rng';
import {CPU_NATIVE, relativeError, requireNative} from '../native_available';
import {requireWebGpu, WEBGPU} from './webgpu_available';

// Every op the model zoo trains with, forward and gradients, on webgpu (lavapipe here) against
// cpu-native from the same input values. GPU reductions sum in another order: float32 rounding
// differences only (tolerance 1e-4 relative to the largest reference value).

const TOL = 1e-4;

function values(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({length: n}, () => rng.next() * 2 - 1);
}

type Input = {shape: number[]; values: Float32Array};
const input = (shape: number[], seed: number): Input => ({shape, values: values(shape.reduce((a, b) => a * b, 1), seed)});

/** Output and (when `grads`) every input gradient of `f`, on `backend`. */
async function run(backend: string, inputs: Input[], f: (...xs: tf.Tensor[]) => tf.Tensor, grads: boolean): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const out = tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
    const y = f(...xs);
    // A fixed, varied upstream gradient, so gradients are not plain sums.
    const dy = tf.sin(tf.mul(tf.reshape(tf.range(0, y.size), y.shape), 0.37));
    const gs = grads ? tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), dy)))(xs) : [];
    return [y, ...gs];
  });
  const data: Float32Array[] = [];
  for (const t of out) data.push(Float32Array.from(await t.data()));
  tf.dispose(out);
  return data;
}

async function parity(inputs: Input[], f: (...xs: tf.Tensor[]) => tf.Tensor, grads = true): Promise<void> {
  const ref = await run(CPU_NATIVE, inputs, f, grads);
  const gpu = await run(WEBGPU, inputs, f, grads);
  assert.equal(gpu.length, ref.length);
  ref.forEach((r, i) => {
    const err = relativeError(gpu[i], r);
    assert.ok(err < TOL, `${i === 0 ? 'output' : `gradient of input ${i - 1}`}: relative error ${err.toExponential(2)} ≥ ${TOL}`);
  });
}

const conv = (stride: 1 | 2, pad: 'same' | 'valid') => (x: tf.Tensor, w: tf.Tensor) =>
  tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad);

describe('engine/webgpu: kernel parity with cpu-native (forward and gradients)', function () {
  this.timeout(300_000);
  before(async function () {
    requireNative(this);
    await requireWebGpu(this);
  });
  after(async () => { await tf.setBackend(CPU_NATIVE); });

  it('conv2d 3×3 stride 1 and 2 (same), 1×1 stride 2 (projection), 7×7 stride 2 (ImageNet stem)', async () => {
    await parity([input([2, 8, 8, 3], 1), input([3, 3, 3, 4], 2)], conv(1, 'same'));
    await parity([input([2, 8, 8, 4], 3), input([3, 3, 4, 8], 4)], conv(2, 'same'));
    await parity([input([2, 8, 8, 4], 5), input([1, 1, 4, 8], 6)], conv(2, 'valid'));
    await parity([input([1, 14, 14, 3], 7), input([7, 7, 3, 4], 8)], conv(2, 'valid'));
  });

  it('fused conv2d with bias and relu (what tfjs-layers conv2d runs)', async () => {
    await parity([input([2, 6, 6, 3], 9), input([3, 3, 3, 4], 10), input([4], 11)], (x, w, b) =>
      tf.fused.conv2d({x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'relu'}));
  });

  it('grouped conv2d (split, conv, concat: ResNeXt)', async () => {
    await parity([input([2, 6, 6, 4], 12), input([3, 3, 2, 4], 13)], (x, w) => {
      const xs = tf.split(x, 2, 3) as tf.Tensor4D[];
      const ws = tf.split(w, 2, 3) as tf.Tensor4D[];
      return tf.concat(xs.map((xi, g) => tf.conv2d(xi, ws[g], 1, 'same')), 3);
    });
  });

  it('training batch norm (fused kernel on cpu-native, exact decomposition on webgpu) and inference batch norm', async () => {
    await parity([input([4, 5, 5, 6], 14), input([6], 15), input([6], 16)], (x, g, b) => {
      const r = batchNormTrain(x, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5);
      r.mean.dispose(); r.variance.dispose();
      return r.y;
    });
    // Through the layer, moving statistics included (its update is part of the forward).
    await parity([input([4, 3, 3, 5], 17)], (x) => {
      const bn = new TorchBatchNorm({name: 'bn'});
      const y = bn.apply(x, {training: true}) as tf.Tensor;
      const yInf = bn.apply(x, {training: false}) as tf.Tensor;
      const out = tf.concat([y, yInf, ...bn.getWeights()].map((t) => tf.reshape(t, [-1])));
      bn.dispose();
      return out;
    }, false);
  });

  it('relu, sigmoid, residual add', async () => {
    await parity([input([3, 7], 18)], (x) => tf.relu(x));
    await parity([input([3, 7], 19)], (x) => tf.sigmoid(tf.mul(x, 4)));
    await parity([input([3, 7], 20), input([3, 7], 21)], (a, b) => tf.add(a, b));
  });

  it('max pooling (3×3/2 after zero padding; 2×2/2), average pooling, global average pooling', async () => {
    await parity([input([2, 9, 9, 3], 22)], (x) => tf.maxPool(tf.pad(x as tf.Tensor4D, [[0, 0], [1, 1], [1, 1], [0, 0]]), 3, 2, 'valid'));
    await parity([input([2, 8, 8, 3], 23)], (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'));
    await parity([input([2, 8, 8, 3], 24)], (x) => tf.avgPool(x as tf.Tensor4D, 1, 2, 'valid'));
    await parity([input([2, 5, 5, 6], 25)], (x) => tf.mean(x, [1, 2]));
  });

  it('option-A shortcut (strided subsample + channel zero padding)', async () => {
    await parity([input([2, 8, 8, 4], 26)], (x) => new ZeroPadShortcut({name: 's', stride: 2, outChannels: 8}).apply(x) as tf.Tensor);
  });

  it('dense, permute + flatten (VGG head), log-softmax, both losses', async () => {
    await parity([input([4, 6], 27), input([6, 5], 28), input([5], 29)], (x, w, b) => tf.add(tf.matMul(x, w), b));
    await parity([input([2, 3, 3, 4], 30)], (x) => tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [2, -1]));
    await parity([input([4, 5], 31)], (x) => tf.logSoftmax(x));
    const labels = () => tf.tensor1d([0, 3, 1, 4], 'int32');
    await parity([input([4, 5], 32)], (x) => lossFn('cross-entropy', x as tf.Tensor2D, labels()));
    await parity([input([4, 5], 33)], (x) => lossFn('nll', tf.logSoftmax(x) as tf.Tensor2D, labels()));
  });

  it('seeded dropout draws the same mask on both engines', async () => {
    setDropoutStepSeed(1234);
    try {
      await parity([input([4, 50], 34)], (x) => new SeededDropout({name: 'd', rate: 0.3}).apply(x, {training: true}) as tf.Tensor);
    } finally {
      setTrainingRandomContext(undefined);
    }
  });

  it('SGD (momentum, weight decay) and Adam updates', async () => {
    for (const spec of [{type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 1e-4}, {type: 'adam', lr: 0.01}] as const) {
      const step = async (backend: string) => {
        await tf.setBackend(backend);
        const p = tf.variable(tf.tensor(values(12, 40), [3, 4]));
        const opt = makeOptimizer(spec);
        for (let i = 0; i < 3; i++) {
          const g = tf.tensor(values(12, 41 + i), [3, 4]);
          opt.step([p], [g], spec.lr);
          g.dispose();
        }
        const out = Float32Array.from(await p.data());
        p.dispose(); opt.dispose();
        return out;
      };
      const err = relativeError(await step(WEBGPU), await step(CPU_NATIVE));
      assert.ok(err < TOL, `${spec.type}: relative error ${err}`);
    }
  });

  it('withSyncReads runs a synchronous read on a CPU backend while webgpu is active, then returns to webgpu', async () => {
    await tf.setBackend(WEBGPU);
    assert.throws(() => tf.tidy(() => tf.sum(tf.ones([3])).dataSync()));
    assert.equal(withSyncReads(() => tf.tidy(() => tf.sum(tf.ones([3])).dataSync()[0])), 3);
    assert.equal(tf.getBackend(), WEBGPU);
  });
});
