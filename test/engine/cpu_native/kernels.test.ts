import {strict as assert} from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import {Rng} from '../../../src/util/rng';
import {batchNormReluTrain, batchNormTrain} from '../../../src/engine/ops/batch_norm_train';
import {groupedConv2d} from '../../../src/engine/ops/grouped_conv2d';
import {dropout, dropoutMask} from '../../../src/engine/ops/dropout';
import {sgdMomentum} from '../../../src/engine/ops/sgd_momentum';
import {runningStats} from '../../../src/engine/ops/running_stats';
import {loadAddon} from '../../../src/engine/cpu_native/addon';
import {onBoth, relativeError, requireNative} from '../native_available';

const TOLERANCE = 1e-5;

function random(rng: Rng, shape: number[], offset = 0): {shape: number[]; values: Float32Array} {
  const n = shape.reduce((p, d) => p * d, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = rng.next() * 2 - 1 + offset;
  return {shape, values};
}

async function check(label: string, inputs: Array<{shape: number[]; values: Float32Array}>,
  f: (...xs: tf.Tensor[]) => tf.Tensor, grads = true): Promise<void> {
  const {native, reference} = await onBoth(inputs, f, grads);
  assert.equal(native.length, reference.length);
  native.forEach((n, i) => {
    const e = relativeError(n, reference[i]);
    assert.ok(e <= TOLERANCE, `${label}: output ${i} relative error ${e.toExponential(2)} > ${TOLERANCE}`);
  });
}

describe('cpu-native kernels against the pure-JS cpu backend', function () {
  let rng: Rng;
  before(function () { requireNative(this); });
  beforeEach(() => { rng = new Rng(1234); });
  after(async () => { await tf.setBackend('cpu'); });

  const convCases: Array<{x: number[]; f: number[]; s: number; pad: 'same' | 'valid' | number; d?: number}> = [
    {x: [2, 9, 9, 3], f: [3, 3, 3, 5], s: 1, pad: 'same'},
    {x: [2, 9, 8, 4], f: [3, 3, 4, 6], s: 2, pad: 'same'},
    {x: [1, 8, 8, 4], f: [1, 1, 4, 8], s: 2, pad: 'valid'},
    {x: [2, 7, 7, 2], f: [5, 5, 2, 3], s: 1, pad: 2},
    {x: [1, 10, 10, 3], f: [3, 3, 3, 4], s: 1, pad: 'same', d: 2},
    // Channels in multiples of 16, as in the nets: oneDNN's blocked filter layouts without padding.
    {x: [2, 6, 6, 32], f: [3, 3, 32, 48], s: 1, pad: 'same'},
    {x: [2, 7, 7, 48], f: [3, 3, 48, 16], s: 2, pad: 1},
  ];
  for (const c of convCases) {
    const label = `x${c.x} f${c.f} stride ${c.s} pad ${c.pad} dilation ${c.d ?? 1}`;
    it(`Conv2D forward and both gradients: ${label}`, async () => {
      // tfjs has no gradient for dilated convolutions: forward only there.
      await check(label, [random(rng, c.x), random(rng, c.f)],
        (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.s, c.pad, 'NHWC', c.d ?? 1), (c.d ?? 1) === 1);
    });
  }

  it('FusedConv2D with bias and relu, forward and gradients', async () => {
    await check('fused', [random(rng, [2, 8, 8, 3]), random(rng, [3, 3, 3, 4]), random(rng, [4])],
      (x, f, b) => tf.fused.conv2d({x: x as tf.Tensor4D, filter: f as tf.Tensor4D, bias: b, strides: 1,
        pad: 'same', activation: 'relu'}));
  });

  it('FusedConv2D without bias (as tfjs-layers calls it)', async () => {
    await check('fused-nobias', [random(rng, [2, 8, 8, 3]), random(rng, [3, 3, 3, 4])],
      (x, f) => tf.fused.conv2d({x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 2, pad: 'same'}));
  });

  // Native: one oneDNN primitive per direction; reference: the pure-JS backend, where the op
  // runs as `groups` separate convolutions on slices, concatenated.
  const groupedCases: Array<{x: number[]; f: number[]; g: number; s: 1 | 2; pad: 'same' | 'valid'}> = [
    {x: [2, 8, 8, 8], f: [3, 3, 2, 8], g: 4, s: 1, pad: 'same'},
    {x: [2, 9, 9, 12], f: [3, 3, 4, 6], g: 3, s: 2, pad: 'same'},
    {x: [1, 7, 7, 8], f: [3, 3, 1, 16], g: 8, s: 2, pad: 'valid'},  // depthwise with multiplier 2
    {x: [2, 8, 8, 64], f: [3, 3, 2, 64], g: 32, s: 2, pad: 'same'},  // ResNeXt-style, wider out per group
  ];
  for (const c of groupedCases) {
    it(`grouped conv forward and both gradients vs groups separate convs: x${c.x} f${c.f} groups ${c.g} stride ${c.s} ${c.pad}`, async () => {
      await check('grouped', [random(rng, c.x), random(rng, c.f)],
        (x, f) => groupedConv2d(x as tf.Tensor4D, f as tf.Tensor4D, {strides: c.s, pad: c.pad, groups: c.g}));
    });
  }

  it('ReLU and sigmoid gradients as one kernel each: the same bits as tfjs\'s formulas on the pure-JS backend', async () => {
    const x = random(rng, [3, 131, 171]);  // above the parallel threshold
    x.values[0] = 0;
    x.values[1] = -0;
    x.values[2] = NaN;
    const dy = random(rng, [3, 131, 171]);
    dy.values[3] = -1;
    x.values[3] = -2;  // dy · 0 with dy < 0 is −0: kept
    const y = {shape: x.shape, values: x.values.map((v) => 1 / (1 + Math.exp(-v)))};
    const relu = (t: tf.Tensor, d: tf.Tensor) => tf.grad((u: tf.Tensor) => tf.mul(tf.relu(u), d).sum())(t);
    const sigmoidGrad = (d: tf.Tensor, yy: tf.Tensor) => tf.engine().runKernel('ReproSigmoidGrad', {dy: d, y: yy}) as tf.Tensor;
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const [xt, dyt, yt] = [tf.tensor(x.values, x.shape), tf.tensor(dy.values, dy.shape), tf.tensor(y.values, y.shape)];
        const s = backend === 'cpu' ? tf.mul(dyt, tf.mul(yt, tf.sub(tf.scalar(1), yt))) : sigmoidGrad(dyt, yt);
        return [relu(xt, dyt), s].map((t) => t.dataSync().slice());
      });
    };
    const [native, reference] = [await run('cpu-native'), await run('cpu')];
    assert.deepEqual(native[0], reference[0], 'relu gradient');
    assert.ok(Object.is(native[0][3], -0) && Number.isNaN(native[0][2]));
    assert.deepEqual(native[1], reference[1], 'sigmoid gradient');
  });

  it('sigmoid and its gradient', async () => {
    const x = random(rng, [3, 5, 5, 4]);
    x.values[0] = 40;  // saturated ends
    x.values[1] = -40;
    await check('sigmoid', [x], (t) => tf.sigmoid(t));
  });

  it('dropout: the same mask on both backends (forward and gradient), exactly', async () => {
    // Odd size, above the parallel threshold: the native loop splits across threads.
    const x = random(rng, [3, 131, 171]);
    for (const rate of [0.5, 0.1, 0.9]) {
      const {native, reference} = await onBoth([x], (t) => dropout(t, {rate, seed: 0xdeadbeef}), true);
      native.forEach((n, i) => assert.deepEqual(n, reference[i], `rate ${rate}: output ${i}`));
      const kept = dropoutMask(x.values.length, {rate, seed: 0xdeadbeef}).filter((v) => v !== 0).length / x.values.length;
      assert.ok(Math.abs(kept - (1 - rate)) < 0.01, `rate ${rate}: kept fraction ${kept}`);
    }
  });

  it('the fused SGD-momentum step gives the same bits as the separate ops of the pure-JS backend', async () => {
    // Above the parallel threshold, with values of very different magnitudes (rounding matters).
    const [p, g, b] = [random(rng, [300, 301]), random(rng, [300, 301]), random(rng, [300, 301])];
    p.values.forEach((v, i) => { p.values[i] = v * 10 ** ((i % 7) - 3); });
    for (const attrs of [{lr: 0.1, momentum: 0.9, weightDecay: 1e-4}, {lr: 0.037, momentum: 0.5, weightDecay: 0}]) {
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        const out = tf.tidy(() => sgdMomentum(tf.tensor(p.values, p.shape), tf.tensor(g.values, g.shape),
          tf.tensor(b.values, b.shape), attrs));
        const data = await Promise.all(out.map((t) => t.data()));
        tf.dispose(out);
        return data;
      };
      const [native, reference] = [await run('cpu-native'), await run('cpu')];
      assert.deepEqual(native, reference, JSON.stringify(attrs));
    }
  });

  it('the running-statistics update gives the same bits as the separate ops of the pure-JS backend', async () => {
    // Magnitudes spread over many binades, so that every rounding shows; count 1 skips the n/(n-1).
    const [m, v, bm, bv] = [0, 1, 2, 3].map(() => random(rng, [2048]));
    [m, v, bm, bv].forEach((t, k) => t.values.forEach((x, i) => { t.values[i] = (k % 2 ? Math.abs(x) : x) * 10 ** ((i % 9) - 4); }));
    for (const attrs of [{momentum: 0.1, count: 128 * 16 * 16}, {momentum: 0.3, count: 7}, {momentum: 0.1, count: 1}]) {
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        const t = (x: {values: Float32Array}) => tf.tensor1d(x.values);
        const out = tf.tidy(() => runningStats(t(m), t(v), t(bm), t(bv), attrs));
        const data = await Promise.all(out.map((x) => x.data()));
        tf.dispose(out);
        return data;
      };
      const [native, reference] = [await run('cpu-native'), await run('cpu')];
      assert.deepEqual(native, reference, JSON.stringify(attrs));
    }
  });

  it('MatMul with transposes, BatchMatMul with broadcast batch, _FusedMatMul with bias and relu', async () => {
    await check('matmul', [random(rng, [5, 7]), random(rng, [7, 3])], (a, b) => tf.matMul(a, b));
    await check('matmul-tA', [random(rng, [7, 5]), random(rng, [7, 3])], (a, b) => tf.matMul(a, b, true, false));
    await check('matmul-tB', [random(rng, [5, 7]), random(rng, [3, 7])], (a, b) => tf.matMul(a, b, false, true));
    // Forward only: tfjs's own BatchMatMul gradient does not reduce a broadcast batch (fails on 'cpu' too).
    await check('batch', [random(rng, [4, 5, 7]), random(rng, [1, 7, 3])], (a, b) => tf.matMul(a, b), false);
    await check('batch-grad', [random(rng, [4, 5, 7]), random(rng, [4, 7, 3])], (a, b) => tf.matMul(a, b));
    await check('fused', [random(rng, [6, 8]), random(rng, [8, 10]), random(rng, [10])],
      (a, b, bias) => tf.fused.matMul({a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias, activation: 'relu'}));
  });

  const binaryCases: Array<[number[], number[]]> = [
    [[2, 4, 4, 3], [2, 4, 4, 3]], [[2, 4, 4, 3], []], [[], [2, 4, 4, 3]], [[2, 4, 4, 3], [3]],
    [[3], [2, 4, 4, 3]], [[2, 4, 4, 3], [1, 1, 1, 3]], [[2, 4, 4, 3], [2, 1, 1, 3]], [[2, 1, 1, 3], [2, 4, 4, 3]],
    [[2, 4, 5, 3], [2, 4, 1, 1]], [[2, 4, 4, 3], [4, 1]] /* JS fallback: rank-raising */, [[2, 1, 4], [1, 3, 1]] /* JS */,
  ];
  for (const [sa, sb] of binaryCases) {
    it(`add, sub, mul, div with broadcast [${sa}] ⊙ [${sb}]`, async () => {
      const a = random(rng, sa);
      const b = random(rng, sb, 3);  // away from zero for division
      await check('add', [a, b], (x, y) => tf.add(x, y));
      await check('sub', [a, b], (x, y) => tf.sub(x, y));
      await check('mul', [a, b], (x, y) => tf.mul(x, y));
      await check('div', [a, b], (x, y) => tf.div(x, y));
    });
  }

  it('relu and its gradient (step), including exact zeros', async () => {
    const x = random(rng, [3, 5, 5, 4]);
    x.values[0] = 0;
    await check('relu', [x], (t) => tf.relu(t));
  });

  it('slice and pad (forward and gradients, which use each other)', async () => {
    const x = random(rng, [2, 6, 4, 3]);
    await check('slice', [x], (t) => tf.slice(t, [0, 1, 0, 1], [2, 3, 4, 2]));
    await check('slice-1d', [random(rng, [9])], (t) => tf.slice(t, [2], [5]));
    await check('pad', [x], (t) => tf.pad(t, [[0, 0], [1, 2], [0, 0], [3, 1]]));
    await check('pad-constant', [x], (t) => tf.pad(t, [[1, 0], [0, 1], [2, 0], [0, 0]], 1.5));
  });

  const poolCases: Array<{x: number[]; k: number; s: number; pad: 'same' | 'valid'}> = [
    {x: [2, 8, 8, 3], k: 2, s: 2, pad: 'valid'},
    {x: [2, 9, 9, 4], k: 3, s: 2, pad: 'same'},
    {x: [1, 7, 6, 2], k: 3, s: 1, pad: 'same'},
  ];
  for (const c of poolCases) {
    it(`max and average pooling with gradients: x${c.x} window ${c.k} stride ${c.s} pad ${c.pad}`, async () => {
      const x = random(rng, c.x);
      await check('maxPool', [x], (t) => tf.maxPool(t as tf.Tensor4D, c.k, c.s, c.pad));
      await check('avgPool', [x], (t) => tf.avgPool(t as tf.Tensor4D, c.k, c.s, c.pad));
    });
  }

  it('sum and mean over leading, middle, trailing and all axes, with keepDims; and their gradients', async () => {
    const x = random(rng, [3, 5, 6, 4]);
    for (const axes of [[0, 1, 2], [1, 2], [3], [0, 1, 2, 3], [2]]) {
      await check(`sum ${axes}`, [x], (t) => tf.sum(t, axes));
      await check(`mean ${axes} keepDims`, [x], (t) => tf.mean(t, axes, true));
    }
  });

  it('training-mode batch norm (fused kernel): y, mean, variance and the three gradients', async () => {
    const x = random(rng, [4, 6, 6, 5], 100);  // a large mean: catches E[x²]−E[x]² cancellation
    const gamma = random(rng, [5], 1);
    const beta = random(rng, [5]);
    for (const pick of ['y', 'mean', 'variance'] as const) {
      await check(`bn ${pick}`, [x, gamma, beta], (t, g, b) => {
        const r = batchNormTrain(t, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3);
        const out = r[pick];
        if (pick !== 'y') r.y.dispose();
        if (pick !== 'mean') r.mean.dispose();
        if (pick !== 'variance') r.variance.dispose();
        return out;
      }, pick === 'y');
    }
  });

  it('batch norm + residual add + ReLU fused (a block\'s end) and batch norm + ReLU: forward and all gradients', async () => {
    // 16 channels and enough rows for the fixed-size accumulator path (row_sums.h) and parallel loops.
    const x = random(rng, [8, 8, 8, 16], 3);
    const gamma = random(rng, [16], 1);
    const beta = random(rng, [16]);
    const residual = random(rng, [8, 8, 8, 16], 1);
    await check('bn+add+relu', [x, gamma, beta, residual], (t, g, b, r) => {
      const o = batchNormReluTrain(t, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5, r);
      o.mean.dispose(); o.variance.dispose();
      return o.y;
    }, true);
    await check('bn+relu', [x, gamma, beta], (t, g, b) => {
      const o = batchNormReluTrain(t, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5);
      o.mean.dispose(); o.variance.dispose();
      return o.y;
    }, true);
  });

  it('the fused batch norm + add + ReLU gives the same bits as the separate kernels on cpu-native', async () => {
    await tf.setBackend('cpu-native');
    const x = random(rng, [16, 8, 8, 16], 2), gamma = random(rng, [16], 1), beta = random(rng, [16]);
    const residual = random(rng, [16, 8, 8, 16], 1);
    const run = (fused: boolean) => tf.tidy(() => {
      const ts = [x, gamma, beta, residual].map((v) => tf.tensor(v.values, v.shape));
      const dy = tf.sin(tf.range(0, ts[0].size).reshape(ts[0].shape).mul(0.37));
      const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor, r: tf.Tensor) => {
        const o = fused ? batchNormReluTrain(a, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5, r)
          : (() => { const u = batchNormTrain(a, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5); return {...u, y: tf.relu(tf.add(u.y, r))}; })();
        o.mean.dispose(); o.variance.dispose();
        return o.y;
      };
      const grads = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(a[0], a[1], a[2], a[3]), dy)))(ts);
      return [f(ts[0], ts[1], ts[2], ts[3]), ...grads].map((t) => t.dataSync().slice() as Float32Array);
    });
    const fused = run(true), separate = run(false);
    fused.forEach((v, i) => assert.deepEqual(v, separate[i], ['y', 'dx', 'dgamma', 'dbeta', 'dresidual'][i]));
  });

  it('the hot kernels are really the native ones, the rest the stock cpu ones', () => {
    for (const name of ['MaxPool', 'AvgPool', 'MaxPoolGrad', 'AvgPoolGrad', 'Slice', 'PadV2', 'ReproBatchNormTrainGrad',
      'Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'BatchMatMul',
      'Add', 'Multiply', 'Relu', 'Step', 'Sum', 'Mean', 'Sigmoid']) {
      assert.notEqual(tf.getKernel(name, 'cpu-native')?.kernelFunc, tf.getKernel(name, 'cpu')?.kernelFunc, name);
    }
    assert.equal(tf.getKernel('Softmax', 'cpu-native')?.kernelFunc, tf.getKernel('Softmax', 'cpu')?.kernelFunc);
    for (const name of ['ReproBatchNormTrain', 'ReproBatchNormReluTrain', 'ReproBatchNormReluTrainGrad', 'ReproGroupedConv2D', 'ReproGroupedConv2DBackpropInput',
      'ReproGroupedConv2DBackpropFilter', 'ReproDropout', 'ReproDropoutGrad', 'ReproSgdMomentum', 'ReproReluGrad', 'ReproSigmoidGrad']) {
      assert.ok(tf.getKernel(name, 'cpu-native'), name);
      assert.equal(tf.getKernel(name, 'cpu'), undefined, `${name}: the pure-JS reference keeps the composite form`);
    }
  });

  it('batch norm and reductions give the same bits on 1 and 2 threads (fixed chunking)', async () => {
    const a = loadAddon();
    if (!a.ok) throw new Error(a.reason);
    await tf.setBackend('cpu-native');
    // Large enough (131072 elements) that the native loops do go parallel (kParallelMin = 65536).
    const x = random(rng, [32, 16, 16, 16], 3);
    const g = random(rng, [16], 1);
    const b = random(rng, [16]);
    const run = (threads: number): Float32Array[] => {
      a.addon.setThreads(threads);
      return tf.tidy(() => {
        const xs = tf.tensor(x.values, x.shape);
        const [gs, bs] = [tf.tensor1d(g.values), tf.tensor1d(b.values)];
        const f = (t: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => {
          const r = batchNormTrain(t, gg as tf.Tensor1D, bb as tf.Tensor1D, 1e-5);
          return tf.add(tf.sum(tf.mul(r.y, r.y), [0, 1, 2]), tf.add(r.mean, r.variance)).sum();
        };
        const grads = tf.grads(f)([xs, gs, bs]);
        return [f(xs, gs, bs), tf.mean(xs, [1, 2]), ...grads].map((t) => t.dataSync().slice() as Float32Array);
      });
    };
    const before = a.addon.getThreads();
    try {
      const one = run(1);
      const two = run(2);
      one.forEach((v, i) => assert.deepEqual(v, two[i], `output ${i}`));
    } finally {
      a.addon.setThreads(before);
    }
  });

  it('reductions are bit-identical across runs (deterministic)', async () => {
    await tf.setBackend('cpu-native');
    const x = random(rng, [64, 16, 16, 8]);
    const once = () => tf.tidy(() => tf.sum(tf.tensor(x.values, x.shape), [0, 1, 2]).dataSync().slice());
    assert.deepEqual(once(), once());
  });

  it('a float32 tensor cast from bool (it shares the Uint8Array) goes through multiply, relu and sum (the dropout mask)', async () => {
    const x = random(rng, [4, 6]);
    await check('mul by a cast bool mask', [x], (t) => {
      const mask = tf.cast(tf.greaterEqual(t, 0), 'float32');
      return tf.add(tf.sum(tf.mul(t, mask)), tf.sum(tf.relu(mask)));
    });
  });
});
