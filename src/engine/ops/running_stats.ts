import * as tf from '@tensorflow/tfjs';

/**
 * A batch norm's running-statistics update in torch's convention, as one op:
 *   mean' = (1 − m)·mean + m·batchMean
 *   var'  = (1 − m)·var + m·batchVar·n/(n − 1)   (the unbiased batch variance; n = count > 1)
 * each product and sum rounded to float32 in that order, so the kernel and the composite form
 * give the same bits. Why an op: as separate tfjs ops the update is 7 kernel calls per BN layer
 * (371 per ResNet-50 step), whose dispatch cost ~3% of the step on channel vectors of at most
 * 2,048 floats.
 *
 * Kernel contract (float32, 1-D, one length): ReproRunningStats inputs {mean, variance, batchMean,
 * batchVariance}, attrs {momentum, count}; outputs [mean', variance'].
 */
export const RUNNING_STATS = 'ReproRunningStats';

export interface RunningStatsAttrs {
  momentum: number;
  /** How many values each channel's batch statistics were taken over. */
  count: number;
}

/** The same maths as separate tfjs ops (any backend). */
export function runningStatsComposite(mean: tf.Tensor1D, variance: tf.Tensor1D, batchMean: tf.Tensor1D,
  batchVariance: tf.Tensor1D, a: RunningStatsAttrs): [tf.Tensor1D, tf.Tensor1D] {
  const m = a.momentum;
  const n = a.count;
  return tf.tidy(() => {
    const unbiased = n > 1 ? tf.mul(batchVariance, n / (n - 1)) : batchVariance;
    return [tf.add(tf.mul(mean, 1 - m), tf.mul(batchMean, m)), tf.add(tf.mul(variance, 1 - m), tf.mul(unbiased, m))];
  });
}

/**
 * The kernel's arithmetic on plain arrays: Math.fround after each operation of two float32 values
 * is float32 arithmetic exactly (a double holds more than twice float32's precision, so rounding
 * twice equals rounding once).
 */
export function runningStatsInto(mean: Float32Array, variance: Float32Array, batchMean: Float32Array,
  batchVariance: Float32Array, a: RunningStatsAttrs, meanOut: Float32Array, varianceOut: Float32Array): void {
  const f = Math.fround;
  const m = f(a.momentum);
  const keep = f(1 - a.momentum);
  const n = a.count;
  const bessel = f(n / (n - 1));
  for (let i = 0; i < mean.length; i++) {
    meanOut[i] = f(f(mean[i] * keep) + f(batchMean[i] * m));
    const unbiased = n > 1 ? f(batchVariance[i] * bessel) : batchVariance[i];
    varianceOut[i] = f(f(variance[i] * keep) + f(unbiased * m));
  }
}

/** [mean', variance'] after one training step; not differentiable (an update, not a layer). */
export function runningStats(mean: tf.Tensor1D, variance: tf.Tensor1D, batchMean: tf.Tensor1D,
  batchVariance: tf.Tensor1D, a: RunningStatsAttrs): [tf.Tensor1D, tf.Tensor1D] {
  const ts = [mean, variance, batchMean, batchVariance];
  const kernel = tf.getKernel(RUNNING_STATS, tf.getBackend()) !== undefined && ts.every((t) => t.dtype === 'float32');
  if (!kernel) return runningStatsComposite(mean, variance, batchMean, batchVariance, a);
  const [m, v] = tf.engine().runKernel(RUNNING_STATS, {mean, variance, batchMean, batchVariance},
    a as unknown as tf.NamedAttrMap) as tf.Tensor1D[];
  return [m, v];
}
