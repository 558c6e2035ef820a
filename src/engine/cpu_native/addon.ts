import {existsSync} from 'node:fs';
import {join} from 'node:path';

/** The functions of build/Release/repro_native.node (src/engine/native/*.cc). All buffers are float32. */
export interface NativeAddon {
  setThreads(n: number): void;
  getThreads(): number;
  dnnlVersion(): string;
  /** geometry: [N,H,W,C, OH,OW,O, KH,KW, SH,SW, DH,DW, PT,PL,PB,PR, G]; G (groups) optional */
  conv2dForward(x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array, geometry: Int32Array,
    relu: boolean): void;
  conv2dBackpropInput(dy: Float32Array, w: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, geometry: Int32Array): void;
  convImplInfo(geometry: Int32Array): string;
  /** dims: [batchA, batchB, M, N, K] */
  batchMatMul(a: Float32Array, b: Float32Array, c: Float32Array, dims: Int32Array, transposeA: boolean,
    transposeB: boolean): void;
  /** y = bn(x), or relu(bn(x) + residual) with a residual and/or relu. */
  batchNormTrain(x: Float32Array, gamma: Float32Array, beta: Float32Array, y: Float32Array, mean: Float32Array,
    variance: Float32Array, channels: number, epsilon: number, residual?: Float32Array | null, relu?: boolean): void;
  /** With z (a fused relu's output) dy is masked first; dresidual receives the masked dy. */
  batchNormTrainGrad(dy: Float32Array, x: Float32Array, gamma: Float32Array, mean: Float32Array,
    variance: Float32Array, dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array, channels: number,
    epsilon: number, z?: Float32Array | null, dresidual?: Float32Array | null): void;
  binary(op: number, a: Float32Array, b: Float32Array, out: Float32Array, mode: number, inner: number,
    mid?: number): void;
  relu(x: Float32Array, y: Float32Array): void;
  step(x: Float32Array, y: Float32Array, alpha: number): void;
  sigmoid(x: Float32Array, y: Float32Array): void;
  /** y = relu(x): the gradient reads the output. */
  reluGrad(dy: Float32Array, y: Float32Array, dx: Float32Array): void;
  sigmoidGrad(dy: Float32Array, y: Float32Array, dx: Float32Array): void;
  /** y = x · (kept ? scale : 0); the mask hash is src/engine/ops/dropout.ts's keepMask. */
  sgdMomentum(param: Float32Array, grad: Float32Array, buf: Float32Array, paramOut: Float32Array, bufOut: Float32Array,
    lr: number, momentum: number, weightDecay: number): void;
  dropout(x: Float32Array, y: Float32Array, seed: number, threshold: number, scale: number): void;
  copyRegion(src: Float32Array, srcShape: Int32Array, srcBegin: Int32Array, dst: Float32Array, dstShape: Int32Array,
    dstBegin: Int32Array, size: Int32Array): void;
  /** geometry: [N,H,W,C, OH,OW, KH,KW, SH,SW, PT,PL,PB,PR] */
  poolForward(isMax: boolean, x: Float32Array, y: Float32Array, geometry: Int32Array): void;
  /** scratchY (max only) receives the recomputed forward output. */
  poolBackward(isMax: boolean, dy: Float32Array, x: Float32Array, dx: Float32Array, scratchY: Float32Array | null,
    geometry: Int32Array): void;
  sumAxes(x: Float32Array, out: Float32Array, outer: number, mid: number, inner: number, scale: number): void;
}

/**
 * How long an OpenMP thread spins at a barrier before it sleeps (libgomp's GOMP_SPINCOUNT, used
 * when OMP_WAIT_POLICY is not set). libgomp's default (300,000 spins) stalls every parallel region
 * whenever another process holds a core: ResNet-20 at 67 img/s against 474 sleeping at once
 * (OMP_WAIT_POLICY=PASSIVE) beside a training run on 2 cores. Sleeping at once costs a futex wake
 * per kernel on a quiet machine (11,756 context switches in 8 ResNet-50 steps, PyTorch 181): 1,000
 * spins cover the gap between two kernels and gave +6% to +13% quiet (ResNet-20/56/50) for −2% loaded.
 */
export const DEFAULT_SPIN_COUNT = 1000;

/** The OpenMP wait the engine runs with under `env` (each `repro bench` row records it). */
export function openmpWait(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OMP_WAIT_POLICY !== undefined) return `OMP_WAIT_POLICY=${env.OMP_WAIT_POLICY}`;
  return `GOMP_SPINCOUNT=${env.GOMP_SPINCOUNT ?? DEFAULT_SPIN_COUNT}`;
}

/** Where scripts/build-native.mjs puts the addon (dist/src/engine/cpu_native → repo root). */
export const ADDON_PATH = join(__dirname, '..', '..', '..', '..', 'build', 'Release', 'repro_native.node');

export type AddonLoad = {ok: true; addon: NativeAddon} | {ok: false; reason: string};

let cached: AddonLoad | undefined;

/** Loads the addon once; never throws: the reason it is unavailable is part of the result. */
export function loadAddon(): AddonLoad {
  if (cached) return cached;
  if (!existsSync(ADDON_PATH)) {
    cached = {ok: false, reason: `native addon not built (${ADDON_PATH} missing): run \`npm run setup\` ` +
      '(needs `apt-get install libdnnl-dev g++ make`)'};
    return cached;
  }
  // libgomp reads its wait settings once, when the addon loads it; an explicit setting wins.
  if (process.env.OMP_WAIT_POLICY === undefined) process.env.GOMP_SPINCOUNT ??= String(DEFAULT_SPIN_COUNT);
  try {
    // A native module cannot be imported statically; require keeps the CommonJS loader semantics.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const addon = require(ADDON_PATH) as NativeAddon;
    cached = {ok: true, addon};
  } catch (err) {
    cached = {ok: false, reason: `native addon failed to load: ${(err as Error).message}`};
  }
  return cached;
}
