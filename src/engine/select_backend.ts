import {existsSync, readdirSync} from 'node:fs';
import {availableParallelism} from 'node:os';
import * as tf from '@tensorflow/tfjs';
import {ReproError} from '../util/errors';
import {loadAddon} from './cpu_native/addon';
import {CPU_NATIVE, registerCpuNative} from './cpu_native/register';
import {describeAdapter, probeWebGpu, startWebGpuBackend, type GpuAdapter} from './webgpu';

/**
 * The engines, in the order initBackend tries them: a GPU first (tfjs-node-gpu only exists on
 * CUDA 11 machines; webgpu on any GPU with a Vulkan driver), then the CPU. tfjs-node comes after
 * cpu-native so it is never preferred silently: it is used when asked for or when cpu-native
 * cannot build.
 */
export const BACKENDS = ['tfjs-node-gpu', 'webgpu', 'cpu-native', 'tfjs-node', 'cpu'] as const;
export type BackendName = typeof BACKENDS[number];
export function isBackendName(s: string): s is BackendName {
  return (BACKENDS as readonly string[]).includes(s);
}

/** What initBackend chose and why; recorded in every run's provenance. */
export interface BackendChoice {
  name: BackendName;
  /** Why this one: the override, or why each earlier one was passed over. */
  reason: string;
  threads: number;
  /** The device in words, e.g. "CUDA GPU" or "CPU (oneDNN 2.6.3)". */
  device: string;
  /** The WebGPU adapter (vendor, architecture, driver, limits) when the engine is webgpu. */
  adapter?: GpuAdapter;
}

/** A loader either activates its engine (tf.setBackend done) or says why it cannot. */
export type LoadOutcome = {ok: true; device: string; adapter?: GpuAdapter} | {ok: false; reason: string};
/** `forced`: the user asked for this engine by name (webgpu then accepts a CPU fallback adapter). */
export type BackendLoaders = Record<BackendName, (threads: number, forced: boolean) => Promise<LoadOutcome>>;

/** REPRO_THREADS, default = the machine's cores. */
export function threadSetting(env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): number {
  const raw = env.REPRO_THREADS;
  if (raw === undefined || raw === '') return cores;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new ReproError(`REPRO_THREADS="${raw}" is not a thread count`,
      {expected: 'a positive integer', fix: `unset it (default: ${cores} cores) or set e.g. REPRO_THREADS=${cores}`});
  }
  return n;
}

/**
 * The selection itself, pure apart from the injected loaders: REPRO_BACKEND forces one engine
 * (and fails loudly if it cannot load); otherwise the first that loads, in BACKENDS order.
 */
export async function selectBackend(loaders: BackendLoaders, env: NodeJS.ProcessEnv = process.env,
  cores = availableParallelism()): Promise<BackendChoice> {
  const threads = threadSetting(env, cores);
  const forced = env.REPRO_BACKEND;
  if (forced !== undefined && forced !== '') {
    if (!isBackendName(forced)) {
      throw new ReproError(`REPRO_BACKEND="${forced}" is not a backend`,
        {expected: `one of ${BACKENDS.join(', ')}`, fix: 'unset REPRO_BACKEND to choose automatically'});
    }
    const r = await loaders[forced](threads, true);
    if (!r.ok) {
      throw new ReproError(`REPRO_BACKEND=${forced} cannot be used: ${r.reason}`,
        {expected: 'a backend that loads on this machine', fix: 'unset REPRO_BACKEND or fix the cause above'});
    }
    return {name: forced, reason: `REPRO_BACKEND=${forced}`, threads, device: r.device, ...(r.adapter ? {adapter: r.adapter} : {})};
  }
  const passed: string[] = [];
  for (const name of BACKENDS) {
    const r = await loaders[name](threads, false);
    if (r.ok) {
      const reason = passed.length === 0 ? `${name} is the first choice` : `${passed.join('; ')}`;
      return {name, reason, threads, device: r.device, ...(r.adapter ? {adapter: r.adapter} : {})};
    }
    passed.push(`${name}: ${r.reason}`);
  }
  throw new Error(`no backend could be loaded: ${passed.join('; ')}`);
}

/** A GPU device node: DRM render nodes (AMD, Intel, NVIDIA open) or NVIDIA's own nodes. */
function gpuDeviceNodePresent(): boolean {
  try { if (readdirSync('/dev/dri').some((f) => f.startsWith('renderD'))) return true; } catch { /* no /dev/dri */ }
  return existsSync('/dev/nvidia0');
}

/**
 * webgpu: automatically only on a real GPU adapter. Without a GPU device node Dawn is not even
 * loaded (it would find at most lavapipe, and prints driver warnings). A fallback adapter
 * (lavapipe, a CPU rasteriser) is used only when asked for: it is slower than cpu-native.
 */
async function loadWebGpu(forced: boolean): Promise<LoadOutcome> {
  if (!forced && !gpuDeviceNodePresent()) return {ok: false, reason: 'no GPU device (/dev/dri/renderD*, /dev/nvidia0)'};
  const probe = await probeWebGpu();
  if (!probe.ok) return probe;
  if (probe.adapter.fallback && !forced) {
    return {ok: false, reason: `only a fallback adapter (${probe.adapter.driver}), a CPU rasteriser used only with REPRO_BACKEND=webgpu`};
  }
  if (!(await startWebGpuBackend())) return {ok: false, reason: `the tfjs webgpu backend did not start on ${describeAdapter(probe.adapter)}`};
  return {ok: true, device: describeAdapter(probe.adapter), adapter: probe.adapter};
}

function cudaDevicePresent(): boolean {
  if (existsSync('/dev/nvidia0')) return true;
  try { return readdirSync('/proc/driver/nvidia/gpus').length > 0; } catch { return false; }
}

async function loadTfjsNode(pkg: string): Promise<LoadOutcome> {
  try {
    require.resolve(pkg);
  } catch {
    return {ok: false, reason: `${pkg} is not installed (optional dependency; its install downloads libtensorflow)`};
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(pkg);  // registers the 'tensorflow' backend with tfjs
    if (!(await tf.setBackend('tensorflow'))) return {ok: false, reason: `${pkg} loaded but its backend did not start`};
    return {ok: true, device: pkg === '@tensorflow/tfjs-node-gpu' ? 'CUDA GPU (libtensorflow)' : 'CPU (libtensorflow)'};
  } catch (err) {
    return {ok: false, reason: `${pkg} failed to load: ${(err as Error).message.split('\n')[0]}`};
  }
}

/** The real loaders. */
export const REAL_LOADERS: BackendLoaders = {
  'tfjs-node-gpu': async () => (cudaDevicePresent() ? loadTfjsNode('@tensorflow/tfjs-node-gpu') :
    {ok: false, reason: 'no CUDA device present'}),
  webgpu: async (_threads, forced) => loadWebGpu(forced),
  'tfjs-node': async () => loadTfjsNode('@tensorflow/tfjs-node'),
  'cpu-native': async (threads) => {
    const a = loadAddon();
    if (!a.ok) return {ok: false, reason: a.reason};
    a.addon.setThreads(threads);
    registerCpuNative(a.addon);
    if (!(await tf.setBackend(CPU_NATIVE))) return {ok: false, reason: 'cpu-native did not start'};
    return {ok: true, device: `CPU (oneDNN ${a.addon.dnnlVersion()}, ${threads} threads)`};
  },
  cpu: async () => {
    if (!(await tf.setBackend('cpu'))) return {ok: false, reason: 'the pure-JS cpu backend did not start'};
    return {ok: true, device: 'CPU (pure JavaScript)'};
  },
};

let chosen: Promise<BackendChoice> | undefined;

/**
 * Picks and activates the backend once per process, logs the choice and its reason (loudly when
 * it is the slow pure-JS one) and returns it for the run's provenance.
 */
export async function initBackend(log: (line: string) => void = (l) => process.stderr.write(l + '\n')):
  Promise<BackendChoice> {
  chosen ??= selectBackend(REAL_LOADERS).then((c) => {
    log(`[engine] backend ${c.name} on ${c.device} (${c.reason})`);
    if (c.adapter?.fallback) {
      log('[engine] note: the webgpu adapter is a CPU Vulkan driver (lavapipe): a correctness device, far slower than cpu-native');
    }
    if (c.name === 'cpu') {
      log('[engine] WARNING: training on the pure-JS cpu backend is ~1000x slower than cpu-native; ' +
        'build the native engine with `npm run setup` (needs libdnnl-dev)');
    }
    return c;
  });
  const c = await chosen;
  // The choice is made once, but something in this process may have switched the active backend
  // since (a test, a synchronous read on a CPU backend): runs must train on the chosen engine.
  const tfName = c.name === 'tfjs-node' || c.name === 'tfjs-node-gpu' ? 'tensorflow' : c.name;
  if (tf.getBackend() !== tfName) await tf.setBackend(tfName);
  return c;
}
