import * as tf from '@tensorflow/tfjs';
import type {OptimizerSpec} from '../runs/spec';
import {sgdMomentum} from '../engine/ops/sgd_momentum';

/**
 * Optimizers with PyTorch's update rules (the papers' recipes are PyTorch/Torch recipes) and a
 * state that can be checkpointed and restored exactly. tfjs's own optimizers differ in weight
 * decay handling and hide their state behind unstable variable names.
 */
export interface Optimizer {
  /** Applies one update; `grads[i]` is the gradient of `params[i]`. */
  step(params: readonly tf.Variable[], grads: readonly tf.Tensor[], lr: number): void;
  /** Named state tensors for checkpoints (names are stable across processes). */
  stateTensors(): Map<string, tf.Tensor>;
  /** Restores state saved by `stateTensors` (shapes must match). */
  loadState(state: ReadonlyMap<string, tf.Tensor>): void;
  /** Scalars of the state (Adam's step count). */
  readonly scalars: Record<string, number>;
  dispose(): void;
}

function zerosLike(params: readonly tf.Variable[]): tf.Variable[] {
  // In a tidy: tf.variable keeps its own reference, the zeros tensor itself must not outlive it.
  return tf.tidy(() => params.map((p) => tf.variable(tf.zerosLike(p), false)));
}

function restore(slots: tf.Variable[] | undefined, prefix: string, state: ReadonlyMap<string, tf.Tensor>): void {
  slots?.forEach((slot, i) => {
    const saved = state.get(`${prefix}/${i}`);
    if (!saved) throw new Error(`optimizer state: missing "${prefix}/${i}" in checkpoint`);
    slot.assign(saved);
  });
}

/** SGD with momentum and L2 weight decay, exactly torch.optim.SGD (dampening 0, no Nesterov). */
class Sgd implements Optimizer {
  private buf?: tf.Variable[];
  readonly scalars: Record<string, number> = {};
  constructor(private readonly momentum: number, private readonly weightDecay: number) {}

  step(params: readonly tf.Variable[], grads: readonly tf.Tensor[], lr: number): void {
    this.buf ??= zerosLike(params);
    const buf = this.buf;
    tf.tidy(() => {
      params.forEach((p, i) => {
        if (this.momentum) {
          // One op (one native kernel on cpu-native), the same bits as the separate ops.
          const [np, nb] = sgdMomentum(p, grads[i], buf[i], {lr, momentum: this.momentum, weightDecay: this.weightDecay});
          buf[i].assign(nb);
          p.assign(np);
          return;
        }
        const g = this.weightDecay ? tf.add(grads[i], tf.mul(p, this.weightDecay)) : grads[i];
        p.assign(tf.sub(p, tf.mul(g, lr)));
      });
    });
  }

  stateTensors(): Map<string, tf.Tensor> {
    return new Map((this.buf ?? []).map((b, i) => [`momentum/${i}`, b]));
  }

  loadState(state: ReadonlyMap<string, tf.Tensor>, params?: readonly tf.Variable[]): void {
    if (!this.buf && params) this.buf = zerosLike(params);
    restore(this.buf, 'momentum', state);
  }

  dispose(): void { this.buf?.forEach((b) => b.dispose()); }
}

/** Adam with L2 weight decay, exactly torch.optim.Adam (amsgrad off). */
class Adam implements Optimizer {
  private m?: tf.Variable[];
  private v?: tf.Variable[];
  readonly scalars: Record<string, number> = {t: 0};
  constructor(private readonly beta1: number, private readonly beta2: number, private readonly epsilon: number,
    private readonly weightDecay: number) {}

  step(params: readonly tf.Variable[], grads: readonly tf.Tensor[], lr: number): void {
    this.m ??= zerosLike(params);
    this.v ??= zerosLike(params);
    const m = this.m, v = this.v;
    const t = ++this.scalars.t;
    const c1 = 1 - this.beta1 ** t, c2 = 1 - this.beta2 ** t;
    tf.tidy(() => {
      params.forEach((p, i) => {
        const g = this.weightDecay ? tf.add(grads[i], tf.mul(p, this.weightDecay)) : grads[i];
        const mi = tf.add(tf.mul(m[i], this.beta1), tf.mul(g, 1 - this.beta1));
        const vi = tf.add(tf.mul(v[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        m[i].assign(mi);
        v[i].assign(vi);
        const denom = tf.add(tf.div(tf.sqrt(vi), Math.sqrt(c2)), this.epsilon);
        p.assign(tf.sub(p, tf.mul(tf.div(mi, denom), lr / c1)));
      });
    });
  }

  stateTensors(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    (this.m ?? []).forEach((x, i) => out.set(`adam_m/${i}`, x));
    (this.v ?? []).forEach((x, i) => out.set(`adam_v/${i}`, x));
    return out;
  }

  loadState(state: ReadonlyMap<string, tf.Tensor>, params?: readonly tf.Variable[]): void {
    if (params) { this.m ??= zerosLike(params); this.v ??= zerosLike(params); }
    restore(this.m, 'adam_m', state);
    restore(this.v, 'adam_v', state);
  }

  dispose(): void { [...(this.m ?? []), ...(this.v ?? [])].forEach((x) => x.dispose()); }
}

export interface RestorableOptimizer extends Optimizer {
  loadState(state: ReadonlyMap<string, tf.Tensor>, params?: readonly tf.Variable[]): void;
}

export function makeOptimizer(spec: OptimizerSpec): RestorableOptimizer {
  switch (spec.type) {
    case 'sgd': return new Sgd(spec.momentum, spec.weightDecay);
    case 'adam': return new Adam(spec.beta1 ?? 0.9, spec.beta2 ?? 0.999, spec.epsilon ?? 1e-8, spec.weightDecay ?? 0);
  }
}
