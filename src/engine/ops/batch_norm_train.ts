import * as tf from '@tensorflow/tfjs';

/**
 * Training-mode batch normalisation over every axis but the last (NHWC or NC), as one op with
 * its own gradient. A backend may register the two kernels below natively (cpu-native does);
 * otherwise the same maths runs as composite tfjs ops. Why an op of our own: tfjs-layers'
 * BatchNormalization decomposes into ~25 full-tensor ops each way, which dominates CPU training.
 *
 * Kernel contract (float32):
 *   ReproBatchNormTrain     inputs {x, gamma, beta}, attrs {epsilon}
 *                           outputs [y, mean, variance]  (variance is the biased batch variance)
 *   ReproBatchNormTrainGrad inputs {dy, x, gamma, mean, variance}, attrs {epsilon}
 *                           outputs [dx, dgamma, dbeta]
 */
export const BATCH_NORM_TRAIN = 'ReproBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'ReproBatchNormTrainGrad';
/**
 * The fused variant (batchNormReluTrain), registered where a backend can fuse (cpu-native):
 *   ReproBatchNormReluTrain     inputs {x, gamma, beta[, residual]}, attrs {epsilon}
 *                               outputs [z = relu(bn(x) [+ residual]), mean, variance]
 *   ReproBatchNormReluTrainGrad inputs {dy, x, gamma, mean, variance, z}, attrs {epsilon, residual}
 *                               outputs [dx, dgamma, dbeta[, dresidual]]
 */
export const BATCH_NORM_RELU_TRAIN = 'ReproBatchNormReluTrain';
export const BATCH_NORM_RELU_TRAIN_GRAD = 'ReproBatchNormReluTrainGrad';

export interface BatchNormTrainResult {
  y: tf.Tensor;
  /** Batch mean per channel. Kept (outside any tidy): the caller disposes it. */
  mean: tf.Tensor1D;
  /** Biased batch variance per channel. Kept: the caller disposes it. */
  variance: tf.Tensor1D;
}

function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

function forward(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): tf.Tensor[] {
  if (hasKernel(BATCH_NORM_TRAIN)) {
    return tf.engine().runKernel(BATCH_NORM_TRAIN, {x, gamma, beta}, {epsilon}) as tf.Tensor[];
  }
  const axes = x.shape.map((_, i) => i).slice(0, -1);
  // Two-pass moments (tf.moments subtracts the mean before squaring): stable for large means.
  const {mean, variance} = tf.moments(x, axes);
  const y = tf.batchNorm(x, mean, variance, beta, gamma, epsilon);
  return [y, mean, variance];
}

function backward(dy: tf.Tensor, x: tf.Tensor, gamma: tf.Tensor1D, mean: tf.Tensor1D, variance: tf.Tensor1D,
  epsilon: number): tf.Tensor[] {
  if (hasKernel(BATCH_NORM_TRAIN_GRAD)) {
    return tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, {dy, x, gamma, mean, variance}, {epsilon}) as tf.Tensor[];
  }
  return tf.tidy(() => {
    const axes = x.shape.map((_, i) => i).slice(0, -1);
    const n = x.size / x.shape[x.shape.length - 1];
    const rstd = tf.rsqrt(tf.add(variance, epsilon));
    const xhat = tf.mul(tf.sub(x, mean), rstd);
    const dbeta = tf.sum(dy, axes);
    const dgamma = tf.sum(tf.mul(dy, xhat), axes);
    // dx = gamma * rstd / n * (n * dy - dbeta - xhat * dgamma)
    const inner = tf.sub(tf.sub(tf.mul(dy, n), dbeta), tf.mul(xhat, dgamma));
    const dx = tf.mul(inner, tf.div(tf.mul(gamma, rstd), n));
    return [dx, dgamma, dbeta];
  });
}

/** The batch statistics handed to the caller (for the moving averages): kept outside any tidy. */
function keptStats(mean: tf.Tensor, variance: tf.Tensor): {mean: tf.Tensor1D; variance: tf.Tensor1D} {
  return {mean: tf.keep(tf.clone(mean)) as tf.Tensor1D, variance: tf.keep(tf.clone(variance)) as tf.Tensor1D};
}

/** Normalises `x` with its own batch statistics; differentiable with respect to x, gamma and beta. */
export function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): BatchNormTrainResult {
  let stats: {mean: tf.Tensor1D; variance: tf.Tensor1D} | undefined;
  // tfjs types customGrad's callback as variadic over (Tensor | GradSaveFunc); unpack by position.
  const op = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, gammaIn, betaIn] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const [y, mean, variance] = forward(xIn, gammaIn as tf.Tensor1D, betaIn as tf.Tensor1D, epsilon);
    save([xIn, gammaIn, mean, variance]);
    stats = keptStats(mean, variance);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xs, g, m, v] = saved;
        return backward(dy as tf.Tensor, xs, g as tf.Tensor1D, m as tf.Tensor1D, v as tf.Tensor1D, epsilon);
      },
    };
  }) as Parameters<typeof tf.customGrad>[0]);
  const y = op(x, gamma, beta);
  if (stats === undefined) throw new Error('batchNormTrain: forward did not run');
  return {y, mean: stats.mean, variance: stats.variance};
}

/**
 * relu(bn(x) + residual), or relu(bn(x)) without a residual: a ResNet block's batch norm, add and
 * ReLU. Where the backend registers the fused kernels (cpu-native) it is one pass forward and one
 * backward with the same bits as the separate ops (no pass writes bn(x), the sum, or the masked
 * gradient); elsewhere it is the separate ops, differentiated by tfjs.
 */
export function batchNormReluTrain(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number,
  residual?: tf.Tensor): BatchNormTrainResult {
  if (!hasKernel(BATCH_NORM_RELU_TRAIN) || !hasKernel(BATCH_NORM_RELU_TRAIN_GRAD)) {
    const r = batchNormTrain(x, gamma, beta, epsilon);
    return {...r, y: tf.relu(residual ? tf.add(r.y, residual) : r.y)};
  }
  let stats: {mean: tf.Tensor1D; variance: tf.Tensor1D} | undefined;
  const withResidual = residual !== undefined;
  const op = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [xIn, gammaIn, betaIn, resIn] = args.slice(0, -1) as tf.Tensor[];
    const inputs: tf.NamedTensorMap = withResidual ? {x: xIn, gamma: gammaIn, beta: betaIn, residual: resIn} : {x: xIn, gamma: gammaIn, beta: betaIn};
    const [z, mean, variance] = tf.engine().runKernel(BATCH_NORM_RELU_TRAIN, inputs, {epsilon}) as tf.Tensor[];
    save([xIn, gammaIn, mean, variance, z]);
    stats = keptStats(mean, variance);
    return {
      value: z,
      gradFunc: (dz: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xs, g, m, v, zs] = saved;
        return tf.engine().runKernel(BATCH_NORM_RELU_TRAIN_GRAD, {dy: dz as tf.Tensor, x: xs, gamma: g, mean: m, variance: v, z: zs},
          {epsilon, residual: withResidual}) as tf.Tensor[];
      },
    };
  }) as Parameters<typeof tf.customGrad>[0]);
  const y = withResidual ? op(x, gamma, beta, residual) : op(x, gamma, beta);
  if (stats === undefined) throw new Error('batchNormReluTrain: forward did not run');
  return {y, mean: stats.mean, variance: stats.variance};
}
