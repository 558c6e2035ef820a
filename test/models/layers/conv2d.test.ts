import {strict as assert} from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import {Conv2D} from '../../../src/models/layers/conv2d';
import {variableGrads} from '../../../src/engine/variable_grads';
import {CPU_NATIVE, requireNative} from '../../engine/native_available';

type Args = Parameters<typeof tf.layers.conv2d>[0];

/** Output, kernel gradient and input gradient of a conv layer on fixed weights and input. */
function run(make: (a: Args) => tf.layers.Layer, args: Args): Float32Array[] {
  const layer = make(args);
  layer.apply(tf.input({shape: [9, 9, 5]}));
  layer.setWeights(layer.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 1, 'float32', 10 + i)));
  const x = tf.randomNormal([3, 9, 9, 5], 0, 1, 'float32', 1);
  const loss = (t: tf.Tensor) => tf.sum(tf.square(layer.apply(t) as tf.Tensor)) as tf.Scalar;
  const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const {value, grads} = variableGrads(() => loss(x), vars);
  const dx = tf.grad(loss)(x);
  return [value, ...vars.map((v) => grads[v.name]), dx, layer.apply(x) as tf.Tensor].map((t) => t.dataSync() as Float32Array);
}

/** Kernel names that one gradient step of a one-conv model runs (the image needs no gradient). */
async function kernelsOfStep(make: (a: Args) => tf.layers.Layer): Promise<string[]> {
  const layer = make({filters: 4, kernelSize: 3, padding: 'same', useBias: false});
  layer.apply(tf.input({shape: [6, 6, 3]}));
  const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 2);
  const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const prof = await tf.profile(() => {
    const {value, grads} = variableGrads(() => tf.sum(layer.apply(x) as tf.Tensor) as tf.Scalar, vars);
    tf.dispose([value, ...Object.values(grads)]);
  });
  return prof.kernels.map((k) => k.name);
}

/**
 * Value, kernel gradient and input gradient of a k×k stride-2 conv with torch's padding k/2 inside
 * (ours) and of ZeroPadding2D + the same conv 'valid' (outside), on one kernel, input and output
 * gradient. Also checks that both give one output shape.
 */
function paddedBothWays(k: number, xShape: [number, number, number, number], filters: number, kernelSd: number):
  {inside: Float32Array[]; outside: Float32Array[]} {
  const p = Math.floor(k / 2);
  const [n, h, w, c] = xShape;
  const args = {filters, kernelSize: k, strides: 2, padding: 'valid' as const, useBias: false};
  const ours = new Conv2D({...args, torchPadding: p});
  const padLayer = tf.layers.zeroPadding2d({padding: [[p, p], [p, p]]});
  const stock = tf.layers.conv2d(args);
  const xIn = tf.input({shape: [h, w, c]});
  const ySym = ours.apply(xIn) as tf.SymbolicTensor;
  assert.deepEqual(ySym.shape, (stock.apply(padLayer.apply(xIn)) as tf.SymbolicTensor).shape);
  const kernel = tf.randomNormal([k, k, c, filters], 0, kernelSd, 'float32', 5);
  ours.setWeights([kernel]);
  stock.setWeights([kernel]);
  const x = tf.randomNormal(xShape, 0, 1, 'float32', 6);
  const dy = tf.randomNormal(ySym.shape.map((d) => d ?? n), 0, 1, 'float32', 7);
  const measure = (layer: tf.layers.Layer, f: (t: tf.Tensor) => tf.Tensor) => {
    const v = layer.trainableWeights[0].read() as tf.Variable;
    const {grads} = variableGrads(() => tf.sum(tf.mul(f(x), dy)) as tf.Scalar, [v]);
    const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), dy)))(x);
    return [f(x), grads[v.name], dx].map((t) => t.dataSync() as Float32Array);
  };
  return {inside: measure(ours, (t) => ours.apply(t) as tf.Tensor),
    outside: measure(stock, (t) => stock.apply(padLayer.apply(t)) as tf.Tensor)};
}

describe('models/layers/conv2d', () => {
  const stock = (a: Args) => tf.layers.conv2d(a);
  const ours = (a: Args) => new Conv2D(a);
  const cases: [string, Args][] = [
    ['no bias, same, stride 1', {filters: 6, kernelSize: 3, padding: 'same', useBias: false}],
    ['no bias, valid, stride 2', {filters: 6, kernelSize: 3, strides: 2, padding: 'valid', useBias: false}],
    ['1×1, no bias', {filters: 7, kernelSize: 1, padding: 'valid', useBias: false}],
    ['bias + relu (tfjs\'s own path)', {filters: 6, kernelSize: 3, padding: 'same', useBias: true, activation: 'relu'}],
  ];

  for (const backend of ['cpu', CPU_NATIVE]) {
    describe(`on ${backend}`, () => {
      before(async function () {
        if (backend === CPU_NATIVE) requireNative(this);
        await tf.setBackend(backend);
      });

      for (const [name, args] of cases) {
        it(`gives tfjs's Conv2D bits: value, kernel and input gradients (${name})`, () => {
          const want = run(stock, args), got = run(ours, args);
          assert.equal(got.length, want.length);
          got.forEach((g, i) => assert.deepEqual(g, want[i], `output ${i}`));
        });
      }

      for (const [k, h] of [[3, 8], [3, 9], [7, 12]]) {
        it(`torchPadding ${Math.floor(k / 2)} inside a ${k}×${k}/2 conv gives ZeroPadding2D + 'valid' bits (input ${h}×${h})`, () => {
          const {inside, outside} = paddedBothWays(k, [2, h, h, 5], 6, 1);
          inside.forEach((got, i) => assert.deepEqual(got, outside[i], ['value', 'kernel gradient', 'input gradient'][i]));
        });
      }

      // On cpu-native only: oneDNN picks its kernel-gradient blocking per geometry and, for the
      // padded input, can sum batch and pixels in another order (the last bits differ here). The
      // pure-JS backend sums in one order whatever the padding, and takes 18 s at this size.
      if (backend === CPU_NATIVE) it('torchPadding at a training shape (batch 56, 14×14×32 → 64): value and input gradient bits; kernel gradient to rounding', () => {
        const {inside: a, outside: b} = paddedBothWays(3, [56, 14, 14, 32], 64, 0.1);
        assert.deepEqual(a[0], b[0], 'value');
        assert.deepEqual(a[2], b[2], 'input gradient');
        const scale = Math.max(...b[1].map(Math.abs));
        const worst = Math.max(...a[1].map((g, i) => Math.abs(g - b[1][i]))) / scale;
        assert.ok(worst <= 1e-5, `kernel gradient: largest difference ${worst.toExponential(2)} of the largest entry`);
      });

      it('computes no gradient for an input that needs none (tfjs\'s fused op does)', async () => {
        assert.ok((await kernelsOfStep(stock)).includes('Conv2DBackpropInput'), 'the stock layer was expected to compute it');
        const names = await kernelsOfStep(ours);
        assert.ok(names.includes('Conv2DBackpropFilter'), names.join(', '));
        assert.ok(!names.includes('Conv2DBackpropInput'), names.join(', '));
      });
    });
  }

  it('says torchPadding goes with padding \'valid\', and keeps it in its config', () => {
    assert.throws(() => new Conv2D({filters: 2, kernelSize: 3, padding: 'same', torchPadding: 1, name: 'bad'}),
      /Conv2D bad: torchPadding goes with padding 'valid'/);
    assert.equal(new Conv2D({filters: 2, kernelSize: 3, strides: 2, torchPadding: 1}).getConfig().torchPadding, 1);
  });

  it('keeps tfjs\'s class name and config', () => {
    const a: Args = {filters: 3, kernelSize: 3, strides: 2, padding: 'valid', useBias: false, name: 'c'};
    const l = new Conv2D(a);
    assert.equal(l.getClassName(), 'Conv2D');
    assert.deepEqual(l.getConfig(), tf.layers.conv2d(a).getConfig());
  });
});
