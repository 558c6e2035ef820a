import type {Context} from 'mocha';
import * as tf from '@tensorflow/tfjs';
import {loadAddon} from '../../src/engine/cpu_native/addon';
import {CPU_NATIVE, registerCpuNative} from '../../src/engine/cpu_native/register';

/**
 * For native tests: registers cpu-native, or marks the test pending with the reason; under
 * CI=true (where set-up must have built the addon) a missing addon fails instead.
 */
export function requireNative(ctx: Context): void {
  const a = loadAddon();
  if (!a.ok) {
    if (process.env.CI === 'true') throw new Error(`CI=true but the native engine is unavailable: ${a.reason}`);
    process.stderr.write(`      (pending: ${a.reason})\n`);
    ctx.skip();
    return;
  }
  registerCpuNative(a.addon);
}

export {CPU_NATIVE};

/** Relative error max|a−b| / max(max|b|, 1e-6), b the reference. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return Number.isNaN(diff) ? Infinity : diff / scale;
}

/**
 * Runs `f` on both backends with the same input values; returns each output's (and, when
 * `grads`, each input gradient's) values: [native, reference].
 */
export async function onBoth(inputs: Array<{shape: number[]; values: Float32Array}>,
  f: (...xs: tf.Tensor[]) => tf.Tensor, grads: boolean): Promise<{native: Float32Array[]; reference: Float32Array[]}> {
  const run = async (backend: string): Promise<Float32Array[]> => {
    await tf.setBackend(backend);
    const out = tf.tidy(() => {
      const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
      const y = f(...xs);
      // A fixed random-looking upstream gradient, so gradients are not just sums.
      const dy = tf.sin(tf.range(0, y.size).reshape(y.shape).mul(0.37));
      const gs = grads ? tf.grads((...a: tf.Tensor[]) => f(...a).mul(dy).sum())(xs) : [];
      return [y, ...gs];
    });
    const data = await Promise.all(out.map(async (t) => Float32Array.from(await t.data())));
    tf.dispose(out);
    return data;
  };
  const native = await run(CPU_NATIVE);
  const reference = await run('cpu');
  return {native, reference};
}
