import * as tf from '@tensorflow/tfjs-core';
import type {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {BATCH_NORM_RELU_TRAIN, BATCH_NORM_RELU_TRAIN_GRAD, BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD} from '../ops/batch_norm_train';
import {DROPOUT, DROPOUT_GRAD, dropoutConstants, type DropoutAttrs} from '../ops/dropout';
import {RELU_GRAD, SIGMOID_GRAD} from '../ops/activation_grads';
import {SGD_MOMENTUM, type SgdMomentumAttrs} from '../ops/sgd_momentum';
import {RUNNING_STATS, runningStatsInto, type RunningStatsAttrs} from '../ops/running_stats';
import {GROUPED_CONV2D, GROUPED_CONV2D_BACKPROP_FILTER, GROUPED_CONV2D_BACKPROP_INPUT,
  type GroupedConvAttrs} from '../ops/grouped_conv2d';
import type {NativeAddon} from './addon';
import {PooledCpuBackend} from './pooled_backend';
import {broadcastMode, contiguousReduction} from './broadcast';

/**
 * The kernels cpu-native runs natively. Each handles the float32 NHWC cases our models produce
 * and hands every other case to the stock 'cpu' kernel of the same name, so the backend is
 * complete whatever the inputs.
 */

// Required inputs are present by the kernel's contract; optional ones are read as `| undefined`.
type Inputs = Record<string, tf.TensorInfo>;
type Attrs = tf.NamedAttrMap;
type KernelResult = tf.TensorInfo | tf.TensorInfo[];

interface KernelArgs {
  inputs: Inputs;
  backend: MathBackendCPU;
  attrs?: Attrs;
}

function stock(name: string, args: KernelArgs): KernelResult {
  const k = tf.getKernel(name, 'cpu');
  if (!k) throw new Error(`cpu-native: the stock cpu backend has no kernel ${name}`);
  return k.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as KernelResult;
}

function values(backend: MathBackendCPU, t: tf.TensorInfo): Float32Array {
  return backend.data.get(t.dataId).values as Float32Array;
}

const size = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);
/**
 * Whether every given tensor is float32 *and stored as a Float32Array*. The two differ: tfjs-cpu's
 * Cast from bool (or int32) to float32 has no encoding loss, so it shares the source's Uint8Array
 * (Int32Array) under a float32 dtype (e.g. the mask of a dropout layer); such a tensor goes to the stock kernel.
 */
const allF32 = (backend: MathBackendCPU, ...ts: Array<tf.TensorInfo | undefined | null>): boolean =>
  ts.every((t) => t == null || (t.dtype === 'float32' && backend.data.get(t.dataId).values instanceof Float32Array));

/** For the project's own kernels, which have no stock kernel to hand other dtypes to. */
function requireF32(name: string, backend: MathBackendCPU, ...ts: tf.TensorInfo[]): void {
  if (!allF32(backend, ...ts)) {
    throw new Error(`${name}: float32 inputs expected (got ${ts.map((t) => t.dtype).join(', ')}); cast them first`);
  }
}

/**
 * An output array of `n` floats, from the buffer pool on cpu-native. Its contents are arbitrary:
 * only for kernels that write every element.
 */
function alloc(backend: MathBackendCPU, n: number): Float32Array {
  return backend instanceof PooledCpuBackend ? backend.alloc(n) : new Float32Array(n);
}

function output(backend: MathBackendCPU, shape: number[], data: Float32Array): tf.TensorInfo {
  return backend.makeTensorInfo(shape, 'float32', data);
}

type ConvAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

function geometry(info: tf.backend_util.Conv2DInfo, groups = 1): Int32Array {
  const p = info.padInfo;
  return Int32Array.from([info.batchSize, info.inHeight, info.inWidth, info.inChannels,
    info.outHeight, info.outWidth, info.outChannels, info.filterHeight, info.filterWidth,
    info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth,
    p.top, p.left, p.bottom, p.right, groups]);
}

function convInfo(xShape: number[], filterShape: number[], a: ConvAttrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number],
    filterShape as [number, number, number, number], a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, false,
    'channelsLast');
}

type PoolAttrs = {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

function poolInfo(xShape: number[], a: PoolAttrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computePool2DInfo(xShape as [number, number, number, number], a.filterSize, a.strides, 1,
    a.pad, a.dimRoundingMode);
}

function poolGeometry(info: tf.backend_util.Conv2DInfo): Int32Array {
  const p = info.padInfo;
  return Int32Array.from([info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight,
    info.outWidth, info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth,
    p.top, p.left, p.bottom, p.right]);
}

export function makeKernels(addon: NativeAddon): Record<string, (args: KernelArgs) => KernelResult> {
  const conv = (name: string, args: KernelArgs, bias: tf.TensorInfo | undefined, relu: boolean): KernelResult => {
    const {x, filter} = args.inputs;
    const a = args.attrs as unknown as ConvAttrs;
    const info = convInfo(x.shape, filter.shape, a);
    if (bias && size(bias.shape) !== info.outChannels) return stock(name, args);
    const y = alloc(args.backend, size(info.outShape));
    addon.conv2dForward(values(args.backend, x), values(args.backend, filter),
      bias ? values(args.backend, bias) : null, y, geometry(info), relu);
    return output(args.backend, info.outShape, y);
  };

  /**
   * A fused activation gradient. Inputs that are float32 but stored in another typed array (a
   * cast from bool shares its Uint8Array) take the same formula in JS, rounded as the kernel rounds.
   */
  const activationGrad = (name: string, args: KernelArgs, saved: tf.TensorInfo,
    f: (dy: Float32Array, s: Float32Array, dx: Float32Array) => void,
    js: (dy: number, s: number) => number): KernelResult => {
    const {dy} = args.inputs;
    if (dy.dtype !== 'float32' || saved.dtype !== 'float32' || size(dy.shape) !== size(saved.shape)) {
      throw new Error(`${name}: float32 dy and saved tensor of one size expected`);
    }
    const dx = alloc(args.backend, size(dy.shape));
    if (allF32(args.backend, dy, saved)) {
      f(values(args.backend, dy), values(args.backend, saved), dx);
    } else {
      const [d, v] = [dy, saved].map((t) => args.backend.data.get(t.dataId).values as ArrayLike<number>);
      for (let i = 0; i < dx.length; i++) dx[i] = js(d[i], v[i]);
    }
    return output(args.backend, [...dy.shape], dx);
  };

  // Forward and gradient are the same product with the same regenerated mask.
  const dropoutKernel = (name: string, x: tf.TensorInfo, args: KernelArgs): KernelResult => {
    requireF32(name, args.backend, x);
    const a = args.attrs as unknown as DropoutAttrs;
    const {threshold, scale} = dropoutConstants(a.rate);
    const y = alloc(args.backend, size(x.shape));
    addon.dropout(values(args.backend, x), y, a.seed >>> 0, threshold, scale);
    return output(args.backend, [...x.shape], y);
  };

  const convSupported = (args: KernelArgs, ...ts: Array<tf.TensorInfo | undefined>): boolean =>
    (args.attrs as unknown as ConvAttrs).dataFormat !== 'NCHW' && allF32(args.backend, ...ts);

  const binaryKernel = (name: string, op: number) => (args: KernelArgs): KernelResult => {
    const {a, b} = args.inputs;
    const m = allF32(args.backend, a, b) ? broadcastMode(a.shape, b.shape) : undefined;
    if (!m) return stock(name, args);
    const out = alloc(args.backend, size(m.outShape));
    addon.binary(op, values(args.backend, a), values(args.backend, b), out, m.mode, m.inner, m.mid);
    return output(args.backend, m.outShape, out);
  };

  const reduceKernel = (name: string, mean: boolean) => (args: KernelArgs): KernelResult => {
    const {x} = args.inputs;
    const {axis, keepDims} = args.attrs as {axis: number | number[]; keepDims: boolean};
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const r = allF32(args.backend, x) ? contiguousReduction(x.shape, axes) : undefined;
    if (!r || r.mid === 0) return stock(name, args);
    const outShape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) :
      x.shape.filter((_, i) => !axes.includes(i));
    const out = alloc(args.backend, r.outer * r.inner);
    addon.sumAxes(values(args.backend, x), out, r.outer, r.mid, r.inner, mean ? 1 / r.mid : 1);
    return output(args.backend, outShape, out);
  };

  const matmul = (args: KernelArgs): {shape: number[]; data: Float32Array} | undefined => {
    const {a, b} = args.inputs;
    const {transposeA, transposeB} = args.attrs as {transposeA: boolean; transposeB: boolean};
    if (!allF32(args.backend, a, b) || a.shape.length < 2 || a.shape.length !== b.shape.length) return undefined;
    const ra = a.shape.length;
    const batchA = size(a.shape.slice(0, -2));
    const batchB = size(b.shape.slice(0, -2));
    const bShapeA = a.shape.slice(0, -2);
    const bShapeB = b.shape.slice(0, -2);
    const batchShape = batchA === 1 ? bShapeB : batchB === 1 ? bShapeA :
      (bShapeA.every((d, i) => d === bShapeB[i]) ? bShapeA : undefined);
    if (!batchShape) return undefined;
    const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const kb = transposeB ? b.shape[ra - 1] : b.shape[ra - 2];
    const n = transposeB ? b.shape[ra - 2] : b.shape[ra - 1];
    if (k !== kb) return undefined;  // the stock kernel raises tfjs's own error
    const shape = [...batchShape, m, n];
    const data = alloc(args.backend, size(shape));
    addon.batchMatMul(values(args.backend, a), values(args.backend, b), data,
      Int32Array.from([batchA, batchB, m, n, k]), transposeA, transposeB);
    return {shape, data};
  };

  const pool = (name: string, isMax: boolean, args: KernelArgs): KernelResult => {
    const {x} = args.inputs;
    if (!allF32(args.backend, x) || x.shape.length !== 4) return stock(name, args);
    const info = poolInfo(x.shape, args.attrs as unknown as PoolAttrs);
    // A 1×1 window with stride 1 is the identity; tfjs returns its input there too.
    if (info.filterHeight === 1 && info.filterWidth === 1 && tf.util.arraysEqual(info.inShape, info.outShape)) {
      return stock(name, args);
    }
    const y = alloc(args.backend, size(info.outShape));
    addon.poolForward(isMax, values(args.backend, x), y, poolGeometry(info));
    return output(args.backend, info.outShape, y);
  };

  const poolGrad = (name: string, isMax: boolean, args: KernelArgs): KernelResult => {
    const {dy, input} = args.inputs;
    if (!allF32(args.backend, dy, input) || input.shape.length !== 4) return stock(name, args);
    const info = poolInfo(input.shape, args.attrs as unknown as PoolAttrs);
    const p = info.padInfo;
    // tfjs's AvgPoolGrad divides by the whole window even where the forward pass excluded the
    // padding (the exact gradient would not); keep the pure-JS result there, for parity.
    if (!isMax && p.top + p.left + p.bottom + p.right > 0) return stock(name, args);
    const dx = alloc(args.backend, size(input.shape));
    const scratch = isMax ? alloc(args.backend, size(info.outShape)) : null;
    addon.poolBackward(isMax, values(args.backend, dy), values(args.backend, input), dx, scratch, poolGeometry(info));
    if (scratch && args.backend instanceof PooledCpuBackend) {
      // Hand the scratch array straight back: a balanced retain/release returns it to the pool.
      args.backend.pool.retain(scratch);
      args.backend.pool.release(scratch);
    }
    return output(args.backend, [...input.shape], dx);
  };

  // Training batch norm, plain or with the block's add and ReLU fused in (relu(bn(x) [+ residual])).
  const batchNormTrainKernel = (name: string, relu: boolean): (args: KernelArgs) => KernelResult => (args) => {
    const {x, gamma, beta, residual} = args.inputs;
    const {epsilon} = args.attrs as {epsilon: number};
    const c = x.shape[x.shape.length - 1];
    if (!allF32(args.backend, x, gamma, beta) || size(gamma.shape) !== c || size(beta.shape) !== c ||
      (residual !== undefined && (!allF32(args.backend, residual) || size(residual.shape) !== size(x.shape)))) {
      throw new Error(`${name}: float32 x (and residual of its shape) with gamma and beta of its last-axis length ${c} expected`);
    }
    const y = alloc(args.backend, size(x.shape));
    const mean = alloc(args.backend, c);
    const variance = alloc(args.backend, c);
    addon.batchNormTrain(values(args.backend, x), values(args.backend, gamma), values(args.backend, beta), y,
      mean, variance, c, epsilon, residual === undefined ? null : values(args.backend, residual), relu);
    return [output(args.backend, [...x.shape], y), output(args.backend, [c], mean),
      output(args.backend, [c], variance)];
  };

  const batchNormTrainGradKernel = (args: KernelArgs): KernelResult => {
    const {dy, x, gamma, mean, variance, z} = args.inputs;
    const {epsilon, residual} = args.attrs as {epsilon: number; residual?: boolean};
    const c = x.shape[x.shape.length - 1];
    const dx = alloc(args.backend, size(x.shape));
    const dgamma = alloc(args.backend, c);
    const dbeta = alloc(args.backend, c);
    const dres = residual === true ? alloc(args.backend, size(x.shape)) : null;
    addon.batchNormTrainGrad(values(args.backend, dy), values(args.backend, x), values(args.backend, gamma),
      values(args.backend, mean), values(args.backend, variance), dx, dgamma, dbeta, c, epsilon,
      z === undefined ? null : values(args.backend, z), dres);
    const outs = [output(args.backend, [...x.shape], dx), output(args.backend, [...gamma.shape], dgamma),
      output(args.backend, [...gamma.shape], dbeta)];
    return dres ? [...outs, output(args.backend, [...x.shape], dres)] : outs;
  };

  return {
    Conv2D: (args) => (convSupported(args, args.inputs.x, args.inputs.filter) ?
      conv('Conv2D', args, undefined, false) : stock('Conv2D', args)),
    FusedConv2D: (args) => {
      const {x, filter} = args.inputs;
      const bias = args.inputs.bias as tf.TensorInfo | undefined;
      const {activation} = args.attrs as {activation?: string};
      const act = activation ?? 'linear';
      if (!convSupported(args, x, filter, bias) || (act !== 'linear' && act !== 'relu')) {
        return stock('FusedConv2D', args);
      }
      return conv('FusedConv2D', args, bias ?? undefined, act === 'relu');
    },
    Conv2DBackpropInput: (args) => {
      const {dy, filter} = args.inputs;
      if (!convSupported(args, dy, filter)) return stock('Conv2DBackpropInput', args);
      const a = args.attrs as unknown as ConvAttrs & {inputShape: number[]};
      const info = convInfo(a.inputShape, filter.shape, a);
      const dx = alloc(args.backend, size(a.inputShape));
      addon.conv2dBackpropInput(values(args.backend, dy), values(args.backend, filter), dx, geometry(info));
      return output(args.backend, [...a.inputShape], dx);
    },
    Conv2DBackpropFilter: (args) => {
      const {x, dy} = args.inputs;
      if (!convSupported(args, x, dy)) return stock('Conv2DBackpropFilter', args);
      const a = args.attrs as unknown as ConvAttrs & {filterShape: number[]};
      const info = convInfo(x.shape, a.filterShape, a);
      const dw = alloc(args.backend, size(a.filterShape));
      addon.conv2dBackpropFilter(values(args.backend, x), values(args.backend, dy), dw, geometry(info));
      return output(args.backend, [...a.filterShape], dw);
    },
    // Grouped convolutions (src/engine/ops/grouped_conv2d.ts): one primitive for all groups.
    // The op only dispatches here for float32 NHWC; no stock kernel exists to fall back to.
    [GROUPED_CONV2D]: (args) => {
      const {x, filter} = args.inputs;
      const a = args.attrs as unknown as GroupedConvAttrs;
      requireF32(GROUPED_CONV2D, args.backend, x, filter);
      const info = convInfo(x.shape, filter.shape, {...a, dataFormat: 'NHWC'});
      const y = alloc(args.backend, size(info.outShape));
      addon.conv2dForward(values(args.backend, x), values(args.backend, filter), null, y, geometry(info, a.groups), false);
      return output(args.backend, info.outShape, y);
    },
    [GROUPED_CONV2D_BACKPROP_INPUT]: (args) => {
      const {dy, filter} = args.inputs;
      const a = args.attrs as unknown as GroupedConvAttrs & {inputShape: number[]};
      requireF32(GROUPED_CONV2D_BACKPROP_INPUT, args.backend, dy, filter);
      const info = convInfo(a.inputShape, filter.shape, {...a, dataFormat: 'NHWC'});
      const dx = alloc(args.backend, size(a.inputShape));
      addon.conv2dBackpropInput(values(args.backend, dy), values(args.backend, filter), dx, geometry(info, a.groups));
      return output(args.backend, [...a.inputShape], dx);
    },
    [GROUPED_CONV2D_BACKPROP_FILTER]: (args) => {
      const {x, dy} = args.inputs;
      const a = args.attrs as unknown as GroupedConvAttrs & {filterShape: number[]};
      requireF32(GROUPED_CONV2D_BACKPROP_FILTER, args.backend, x, dy);
      const info = convInfo(x.shape, a.filterShape, {...a, dataFormat: 'NHWC'});
      const dw = alloc(args.backend, size(a.filterShape));
      addon.conv2dBackpropFilter(values(args.backend, x), values(args.backend, dy), dw, geometry(info, a.groups));
      return output(args.backend, [...a.filterShape], dw);
    },
    BatchMatMul: (args) => {
      const r = matmul(args);
      return r ? output(args.backend, r.shape, r.data) : stock('BatchMatMul', args);
    },
    _FusedMatMul: (args) => {
      const bias = args.inputs.bias as tf.TensorInfo | undefined;
      const preluActivationWeights = args.inputs.preluActivationWeights as tf.TensorInfo | undefined;
      const {activation} = args.attrs as {activation?: string};
      const act = activation ?? 'linear';
      const r = (act === 'linear' || act === 'relu') && !preluActivationWeights && allF32(args.backend, bias) ?
        matmul(args) : undefined;
      const n = r?.shape[r.shape.length - 1];
      if (!r || (bias && (size(bias.shape) !== n && size(bias.shape) !== 1))) return stock('_FusedMatMul', args);
      let data = r.data;
      if (bias) {
        const biased = alloc(args.backend, data.length);
        addon.binary(0, data, values(args.backend, bias), biased, size(bias.shape) === 1 ? 1 : 3, n ?? 1);
        data = biased;
      }
      if (act === 'relu') addon.relu(data, data);
      return output(args.backend, r.shape, data);
    },
    Add: binaryKernel('Add', 0),
    Sub: binaryKernel('Sub', 1),
    Multiply: binaryKernel('Multiply', 2),
    RealDiv: binaryKernel('RealDiv', 3),
    Relu: (args) => {
      const {x} = args.inputs;
      if (!allF32(args.backend, x)) return stock('Relu', args);
      const y = alloc(args.backend, size(x.shape));
      addon.relu(values(args.backend, x), y);
      return output(args.backend, [...x.shape], y);
    },
    Sigmoid: (args) => {
      const {x} = args.inputs;
      if (!allF32(args.backend, x)) return stock('Sigmoid', args);
      const y = alloc(args.backend, size(x.shape));
      addon.sigmoid(values(args.backend, x), y);
      return output(args.backend, [...x.shape], y);
    },
    [SGD_MOMENTUM]: (args) => {
      const {param, grad, buf} = args.inputs;
      requireF32(SGD_MOMENTUM, args.backend, param, grad, buf);
      const a = args.attrs as unknown as SgdMomentumAttrs;
      const n = size(param.shape);
      const p = alloc(args.backend, n);
      const b = alloc(args.backend, n);
      addon.sgdMomentum(values(args.backend, param), values(args.backend, grad), values(args.backend, buf), p, b, a.lr,
        a.momentum, a.weightDecay);
      return [output(args.backend, [...param.shape], p), output(args.backend, [...param.shape], b)];
    },
    // In JS: at most a few thousand floats, where a native call would cost more than the loop.
    [RUNNING_STATS]: (args) => {
      const {mean, variance, batchMean, batchVariance} = args.inputs;
      requireF32(RUNNING_STATS, args.backend, mean, variance, batchMean, batchVariance);
      const n = size(mean.shape);
      if ([variance, batchMean, batchVariance].some((t) => size(t.shape) !== n)) {
        throw new Error(`${RUNNING_STATS}: mean, variance and the batch statistics must have one length`);
      }
      const m = alloc(args.backend, n);
      const v = alloc(args.backend, n);
      runningStatsInto(values(args.backend, mean), values(args.backend, variance), values(args.backend, batchMean),
        values(args.backend, batchVariance), args.attrs as unknown as RunningStatsAttrs, m, v);
      return [output(args.backend, [...mean.shape], m), output(args.backend, [...mean.shape], v)];
    },
    [RELU_GRAD]: (args) => activationGrad(RELU_GRAD, args, args.inputs.y, addon.reluGrad,
      (d, y) => Math.fround(d * (Number.isNaN(y) ? y : y > 0 ? 1 : 0))),
    [SIGMOID_GRAD]: (args) => activationGrad(SIGMOID_GRAD, args, args.inputs.y, addon.sigmoidGrad,
      (d, y) => Math.fround(d * Math.fround(y * Math.fround(1 - y)))),
    [DROPOUT]: (args) => dropoutKernel(DROPOUT, args.inputs.x, args),
    [DROPOUT_GRAD]: (args) => dropoutKernel(DROPOUT_GRAD, args.inputs.dy, args),
    Step: (args) => {
      const {x} = args.inputs;
      if (!allF32(args.backend, x)) return stock('Step', args);
      const y = alloc(args.backend, size(x.shape));
      addon.step(values(args.backend, x), y, (args.attrs as {alpha: number}).alpha);
      return output(args.backend, [...x.shape], y);
    },
    Slice: (args) => {
      const {x} = args.inputs;
      if (!allF32(args.backend, x) || x.shape.length === 0) return stock('Slice', args);
      const {begin, size: sz} = args.attrs as {begin: number | number[]; size: number | number[]};
      const [b, s] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, begin, sz);
      tf.slice_util.assertParamsValid(x as unknown as tf.Tensor, b, s);
      const out = alloc(args.backend, size(s));
      const i32 = (v: number[]) => Int32Array.from(v);
      addon.copyRegion(values(args.backend, x), i32(x.shape), i32(b), out, i32(s), i32(s.map(() => 0)), i32(s));
      return output(args.backend, s, out);
    },
    PadV2: (args) => {
      const {x} = args.inputs;
      if (!allF32(args.backend, x) || x.shape.length === 0) return stock('PadV2', args);
      const {paddings, constantValue} = args.attrs as {paddings: Array<[number, number]>; constantValue: number};
      const outShape = x.shape.map((d, i) => paddings[i][0] + d + paddings[i][1]);
      const out = alloc(args.backend, size(outShape));
      out.fill(constantValue);  // pooled arrays are not zeroed
      const i32 = (v: number[]) => Int32Array.from(v);
      addon.copyRegion(values(args.backend, x), i32(x.shape), i32(x.shape.map(() => 0)), out, i32(outShape),
        i32(paddings.map((p) => p[0])), i32(x.shape));
      return output(args.backend, outShape, out);
    },
    MaxPool: (args) => pool('MaxPool', true, args),
    AvgPool: (args) => pool('AvgPool', false, args),
    MaxPoolGrad: (args) => poolGrad('MaxPoolGrad', true, args),
    AvgPoolGrad: (args) => poolGrad('AvgPoolGrad', false, args),
    Sum: reduceKernel('Sum', false),
    Mean: reduceKernel('Mean', true),
    // y = bn(x); the relu variant is relu(bn(x) [+ residual]) in one pass (a block's BN, add and ReLU).
    [BATCH_NORM_TRAIN]: batchNormTrainKernel(BATCH_NORM_TRAIN, false),
    [BATCH_NORM_RELU_TRAIN]: batchNormTrainKernel(BATCH_NORM_RELU_TRAIN, true),
    [BATCH_NORM_TRAIN_GRAD]: batchNormTrainGradKernel,
    [BATCH_NORM_RELU_TRAIN_GRAD]: batchNormTrainGradKernel,
  };
}
