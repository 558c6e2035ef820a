import * as tf from '@tensorflow/tfjs-core';
import type {NativeAddon} from './addon';
import {makeKernels} from './kernels';
// ReLU's and sigmoid's gradients dispatch to the native kernels (a side effect of the import).
import '../ops/activation_grads';
import {PooledCpuBackend} from './pooled_backend';

/** The name of the native CPU backend. */
export const CPU_NATIVE = 'cpu-native';

/**
 * Registers 'cpu-native': a MathBackendCPU with every stock 'cpu' kernel copied under the new
 * name and the hot ones replaced by native ones. A new name (rather than overriding 'cpu') keeps
 * the pure-JS backend intact as the reference and avoids "kernel already registered" warnings.
 * Idempotent. The pure-JS 'cpu' kernels must be registered first (importing tfjs does it).
 */
/**
 * The pure-JS CPU backend with the buffer pool that native kernels allocate their outputs from,
 * without its "install tfjs-node" banner (on this backend that advice is wrong).
 */
class CpuNativeBackend extends PooledCpuBackend {
  constructor() {
    super();
    (this as unknown as {firstUse: boolean}).firstUse = false;
  }
}

export function registerCpuNative(addon: NativeAddon): void {
  if (tf.findBackendFactory(CPU_NATIVE) !== null) return;
  const native = makeKernels(addon);
  const stock = tf.getKernelsForBackend('cpu');
  if (stock.length === 0) throw new Error('cpu-native: the pure-JS cpu kernels are not registered');
  for (const k of stock) {
    if (k.kernelName in native) continue;
    tf.registerKernel({...k, backendName: CPU_NATIVE});
  }
  for (const [kernelName, fn] of Object.entries(native)) {
    tf.registerKernel({kernelName, backendName: CPU_NATIVE, kernelFunc: fn as unknown as tf.KernelFunc});
  }
  // Priority below 'cpu' (1): never picked implicitly; initBackend chooses it explicitly.
  tf.registerBackend(CPU_NATIVE, () => new CpuNativeBackend(), 0);
}
