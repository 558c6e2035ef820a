import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';

/**
 * TensorFlow.js's pure-JS CPU backend prints "install our node backend" on first use. Here that
 * advice is wrong (the toolkit chose its engine on purpose, and says which and why), so the banner
 * is turned off for every instance: a prototype accessor swallows the constructor's
 * `this.firstUse = true`. Called on import of the CLI and of the package (notebooks); idempotent.
 */
export function silenceTfjsBanner(): void {
  const proto = MathBackendCPU.prototype as unknown as {firstUse?: boolean};
  if (Object.getOwnPropertyDescriptor(proto, 'firstUse')?.get) return;
  Object.defineProperty(proto, 'firstUse', {get: () => false, set: () => {}, configurable: true});
}

silenceTfjsBanner();
