import * as tf from '@tensorflow/tfjs';

/**
 * One parameter's SGD step with momentum and L2 weight decay, exactly torch.optim.SGD
 * (dampening 0, no Nesterov), as one op:
 *   g' = g + wd·p;  buf' = momentum·buf + g';  p' = p − lr·buf'
 * each product and sum rounded to float32 in that order, so the native kernel and the composite
 * form give the same bits. Why an op: as 6 tfjs ops per parameter the update cost ~390 kernel
 * calls (plus scalar uploads) per ResNet-20 step, ~1,000 for ResNet-56.
 *
 * Kernel contract (float32): ReproSgdMomentum inputs {param, grad, buf}, attrs {lr, momentum,
 * weightDecay}; outputs [param', buf'].
 */
export const SGD_MOMENTUM = 'ReproSgdMomentum';

export interface SgdMomentumAttrs {
  lr: number;
  momentum: number;
  weightDecay: number;
}

/** The same maths as separate tfjs ops (any backend). */
export function sgdMomentumComposite(param: tf.Tensor, grad: tf.Tensor, buf: tf.Tensor,
  a: SgdMomentumAttrs): [tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    const g = a.weightDecay ? tf.add(grad, tf.mul(param, a.weightDecay)) : grad;
    const b = tf.add(tf.mul(buf, a.momentum), g);
    return [tf.sub(param, tf.mul(b, a.lr)), b];
  });
}

/** [param', buf'] after one step; not differentiable (an update, not a layer). */
export function sgdMomentum(param: tf.Tensor, grad: tf.Tensor, buf: tf.Tensor, a: SgdMomentumAttrs): [tf.Tensor, tf.Tensor] {
  const native = tf.getKernel(SGD_MOMENTUM, tf.getBackend()) !== undefined &&
    [param, grad, buf].every((t) => t.dtype === 'float32');
  if (!native) return sgdMomentumComposite(param, grad, buf, a);
  const [p, b] = tf.engine().runKernel(SGD_MOMENTUM, {param, grad, buf}, a as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return [p, b];
}
