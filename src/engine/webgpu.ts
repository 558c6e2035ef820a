import {existsSync, mkdirSync, readdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import * as tf from '@tensorflow/tfjs';

/**
 * The WebGPU engine: TensorFlow.js's webgpu backend on Dawn's Node bindings (npm `webgpu`), which
 * reach the GPU through Vulkan. Why this path: tfjs-node-gpu needs CUDA 11.2 + cuDNN 8.1, which
 * today's GPU hosts do not have; Vulkan drivers ship with every NVIDIA/AMD/Intel Linux driver.
 *
 * Facts this module is built on (measured on Debian 12, Dawn 0.6.2, tfjs 4.22):
 * - `navigator.gpu` (and Dawn's globals: GPUBufferUsage, …) must exist before
 *   @tensorflow/tfjs-backend-webgpu is loaded, or the backend never registers.
 * - Mesa's lavapipe (the CPU Vulkan driver) is a "fallback" adapter; Dawn refuses Mesa 22.3's and
 *   accepts Mesa 25's (bookworm-backports).
 * - Synchronous reads (dataSync) throw on this backend in Node: everything on the training path
 *   reads with `await tensor.data()`.
 */

/** The adapter Dawn found, as recorded in provenance and on the report's title page. */
export interface GpuAdapter {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  /** Dawn's description: the Vulkan driver's name and version (e.g. "llvmpipe: Mesa 25.0.7 …"). */
  readonly driver: string;
  /** True for a CPU rasteriser (lavapipe/SwiftShader): correct, but no faster than the CPU engine. */
  readonly fallback: boolean;
  /** The limits that bound what the backend can allocate and dispatch. */
  readonly limits: Readonly<Record<string, number>>;
}

export type WebGpuProbe = {ok: true; adapter: GpuAdapter} | {ok: false; reason: string};

const LIMITS = ['maxBufferSize', 'maxStorageBufferBindingSize', 'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupsPerDimension'] as const;

interface DawnAdapter {
  readonly info: {vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean};
  readonly limits: Record<string, number>;
}
interface DawnGpu {requestAdapter(o?: {powerPreference?: string}): Promise<DawnAdapter | null>}

/** The Vulkan driver manifests the loader will look at (for the message when none works). */
function vulkanManifests(): string {
  const named = process.env.VK_DRIVER_FILES ?? process.env.VK_ICD_FILENAMES;
  if (named) return `VK_DRIVER_FILES/VK_ICD_FILENAMES=${named}`;
  const found = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d']
    .flatMap((d) => (existsSync(d) ? readdirSync(d).map((f) => join(d, f)) : []));
  return found.length ? `driver manifests: ${found.join(', ')}` : 'no Vulkan driver manifest in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d';
}

let gpu: DawnGpu | undefined;

/** Loads Dawn once and installs `navigator.gpu` and its globals (needed before the tfjs backend loads). */
async function dawn(): Promise<DawnGpu> {
  if (gpu) return gpu;
  // Dawn's Vulkan layer warns when XDG_RUNTIME_DIR is unset; a private directory silences it.
  if (!process.env.XDG_RUNTIME_DIR) {
    const dir = join(tmpdir(), `repro-xdg-${process.getuid?.() ?? 'user'}`);
    mkdirSync(dir, {recursive: true, mode: 0o700});
    process.env.XDG_RUNTIME_DIR = dir;
  }
  const mod = await import('webgpu') as unknown as {create(flags: string[]): DawnGpu; globals: Record<string, unknown>};
  Object.assign(globalThis, mod.globals);
  gpu = mod.create([]);
  Object.defineProperty(globalThis, 'navigator', {value: {gpu}, configurable: true, writable: true});
  // The Dawn instance can keep Node's event loop alive: drop it when the process has nothing left to do.
  process.once('beforeExit', () => { delete (globalThis as {navigator?: unknown}).navigator; gpu = undefined; });
  return gpu;
}

/** Asks Dawn for its preferred (high-performance) adapter and describes it, or says why there is none. */
export async function probeWebGpu(): Promise<WebGpuProbe> {
  let g: DawnGpu;
  try {
    g = await dawn();
  } catch (err) {
    return {ok: false, reason: `the npm package webgpu (Dawn) failed to load: ${(err as Error).message.split('\n')[0]}`};
  }
  const a = await g.requestAdapter({powerPreference: 'high-performance'});
  if (!a) {
    return {ok: false, reason: `Dawn found no WebGPU adapter over Vulkan (${vulkanManifests()}); it needs libvulkan1 and ` +
      'a Vulkan driver: the GPU vendor\'s, or Mesa >= 23 lavapipe (mesa-vulkan-drivers from bookworm-backports on Debian 12)'};
  }
  const limits = Object.fromEntries(LIMITS.map((k) => [k, Number(a.limits[k])]));
  return {ok: true, adapter: {vendor: a.info.vendor, architecture: a.info.architecture, device: a.info.device,
    driver: a.info.description, fallback: a.info.isFallbackAdapter === true, limits}};
}

/** One line for logs and the report: what the adapter is. */
export function describeAdapter(a: GpuAdapter): string {
  const kind = a.fallback ? 'CPU Vulkan driver (fallback adapter)' : 'GPU';
  return `${kind} via WebGPU/Vulkan: ${a.device || '?'} (${[a.vendor, a.architecture].filter(Boolean).join(' ') || 'vendor ?'}; driver ${a.driver || '?'})`;
}

/** Loads tfjs's webgpu backend (after Dawn) and activates it; false when it does not start. */
export async function startWebGpuBackend(): Promise<boolean> {
  await dawn();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@tensorflow/tfjs-backend-webgpu');  // registers 'webgpu' now that navigator.gpu exists
  // setBackend can return false yet leave getBackend() saying 'webgpu': trust only the return value.
  return tf.setBackend('webgpu');
}

/** GPU buffers in use by the active webgpu backend (undefined on any other backend): for leak checks. */
export function gpuBuffersInUse(): number | undefined {
  if (tf.getBackend() !== 'webgpu') return undefined;
  const b = tf.backend() as unknown as {bufferManager?: {getNumUsedBuffers(): number}};
  return b.bufferManager?.getNumUsedBuffers();
}
