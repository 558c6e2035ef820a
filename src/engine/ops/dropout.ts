import * as tf from '@tensorflow/tfjs';

/**
 * Inverted dropout with a counter-based mask: element i of the mask for seed s is kept when
 * the top 24 bits of fmix32(i·0x9E3779B9 ⊕ fmix32(s)) are at least ceil(rate·2^24); kept
 * elements are scaled by 1/(1 − rate). The mask is a pure function of (seed, index): any
 * backend and any thread split draw the same one, and the gradient regenerates it instead of
 * keeping it. A backend may register the two kernels natively (cpu-native does, in
 * src/engine/native/elementwise.cc, bit for bit the same hash); elsewhere the mask is built
 * here in JS and multiplied in.
 *
 * Kernel contract (float32, attrs {rate, seed}):
 *   ReproDropout      inputs {x}   output y = x · mask
 *   ReproDropoutGrad  inputs {dy}  output dx = dy · mask (the same mask)
 */
export const DROPOUT = 'ReproDropout';
export const DROPOUT_GRAD = 'ReproDropoutGrad';

export interface DropoutAttrs {
  rate: number;
  /** An unsigned 32-bit seed. */
  seed: number;
}

/** The integer threshold on the hash's top 24 bits, and the scale of kept elements. */
export function dropoutConstants(rate: number): {threshold: number; scale: number} {
  return {threshold: Math.ceil(rate * 16777216), scale: Math.fround(1 / (1 - rate))};
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The mask (0 or the scale) for `n` elements: what the native kernel multiplies by. */
export function dropoutMask(n: number, a: DropoutAttrs): Float32Array {
  const {threshold, scale} = dropoutConstants(a.rate);
  const mixed = fmix32(a.seed >>> 0);
  const mask = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const h = fmix32(Math.imul(i, 0x9e3779b9) ^ mixed);
    mask[i] = (h >>> 8) >= threshold ? scale : 0;
  }
  return mask;
}

tf.registerGradient({
  kernelName: DROPOUT,
  gradFunc: (dy, _saved, attrs) => ({
    x: () => tf.engine().runKernel(DROPOUT_GRAD, {dy: dy as tf.Tensor}, attrs as tf.NamedAttrMap) as tf.Tensor,
  }),
});

/** `x` with the mask of `seed` applied (training-mode inverted dropout); differentiable in x. */
export function dropout(x: tf.Tensor, a: DropoutAttrs): tf.Tensor {
  if (!(a.rate >= 0 && a.rate < 1)) throw new Error(`dropout: rate ${a.rate} is not in [0, 1)`);
  if (!Number.isInteger(a.seed) || a.seed < 0 || a.seed > 0xffffffff) {
    throw new Error(`dropout: seed ${a.seed} is not an unsigned 32-bit integer`);
  }
  if (x.dtype === 'float32' && tf.getKernel(DROPOUT, tf.getBackend()) !== undefined) {
    return tf.engine().runKernel(DROPOUT, {x}, a as unknown as tf.NamedAttrMap) as tf.Tensor;
  }
  return tf.tidy(() => tf.mul(x, tf.tensor(dropoutMask(x.size, a), x.shape, 'float32')));
}
