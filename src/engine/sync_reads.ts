import * as tf from '@tensorflow/tfjs';
import {loadAddon} from './cpu_native/addon';
import {CPU_NATIVE, registerCpuNative} from './cpu_native/register';

/** Backends whose tensors cannot be read synchronously in Node (dataSync throws there). */
const ASYNC_ONLY = new Set(['webgpu']);

/**
 * Runs `fn`, which reads tensors synchronously, on a CPU backend when the active one cannot
 * (webgpu in Node), then switches back. For the few synchronous in-process measurements outside
 * the training path (claims A6 and A7 check the model zoo's structure, not the engine; claim
 * measures are synchronous). `fn` must create every tensor it uses: tensors of the GPU backend
 * cannot be moved to the CPU synchronously.
 */
export function withSyncReads<T>(fn: () => T): T {
  const active = tf.getBackend();
  if (!ASYNC_ONLY.has(active)) return fn();
  if (!tf.findBackend(CPU_NATIVE)) {
    const a = loadAddon();
    if (a.ok) registerCpuNative(a.addon);
  }
  const host = tf.findBackend(CPU_NATIVE) ? CPU_NATIVE : 'cpu';
  tf.findBackend(host);  // initialises it, so that setBackend below completes synchronously
  void tf.setBackend(host);
  if (tf.getBackend() !== host) throw new Error(`could not switch from ${active} to ${host} for a synchronous read`);
  try {
    return fn();
  } finally {
    void tf.setBackend(active);
  }
}
