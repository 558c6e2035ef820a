import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** One model's training throughput on the active backend, with what the leak check needs. */
export interface TrainingThroughput {
  /**
   * Images per second of the fastest block of `block` consecutive steps: what the engine does
   * when the shared cores are not taken by other processes (the figure the ratio uses).
   */
  imgPerSec: number;
  /** Images per second over all timed steps (includes every disturbance by other processes). */
  imgPerSecMean: number;
  /** Process peak resident set so far (process.resourceUsage().maxRSS), MiB. */
  peakRssMb: number;
  /** tf.memory().numTensors after the warm-up steps and after the last measured step. */
  tensors: {afterWarmup: number; atEnd: number};
  /** Resident set after the warm-up steps and after the last measured step, MiB. */
  rssMb: {afterWarmup: number; atEnd: number};
}

/** One training step (forward, loss, backward, update) on a fixed batch; returns the loss. */
export type TrainStep = () => Promise<number>;

const mib = (bytes: number) => bytes / (1024 * 1024);

/**
 * Times `steps` training steps after `warmup` untimed ones (primitive creation, buffer pool
 * fill). Each step reads its loss back, so the time includes all the work of the step.
 * `ready`, awaited between the two, lets processes measured side by side start timing together.
 */
export async function measureTraining(step: TrainStep, batch: number, steps: number, warmup: number,
  block = 10, ready?: () => Promise<void>): Promise<TrainingThroughput> {
  for (let i = 0; i < warmup; i++) await step();
  if (ready) await ready();
  const afterWarmup = {tensors: tf.memory().numTensors, rss: mib(process.memoryUsage.rss())};
  const seconds: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = process.hrtime.bigint();
    const loss = await step();
    seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (!Number.isFinite(loss)) throw new Error(`benchmark: the loss became ${loss} at step ${i}`);
  }
  return {
    imgPerSec: bestBlockRate(seconds, batch, block),
    imgPerSecMean: (batch * steps) / seconds.reduce((a, b) => a + b, 0),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    tensors: {afterWarmup: afterWarmup.tensors, atEnd: tf.memory().numTensors},
    rssMb: {afterWarmup: afterWarmup.rss, atEnd: mib(process.memoryUsage.rss())},
  };
}

/**
 * Images per second of the fastest run of `block` consecutive steps (all steps when fewer).
 * Consecutive, not the best single steps: a block still has to sustain the rate.
 */
export function bestBlockRate(stepSeconds: readonly number[], batch: number, block: number): number {
  const n = Math.min(Math.max(1, block), stepSeconds.length);
  let window = stepSeconds.slice(0, n).reduce((a, b) => a + b, 0);
  let best = window;
  for (let i = n; i < stepSeconds.length; i++) {
    window += stepSeconds[i] - stepSeconds[i - n];
    best = Math.min(best, window);
  }
  return (batch * n) / best;
}

/**
 * Floating-point operations of one training step per image, from the counted multiply-adds of
 * one forward pass: 2 FLOPs per multiply-add, times 3 for forward + backward (the input
 * gradient and the weight gradient each cost about one forward). BN, ReLU, pooling and the
 * optimizer are not counted.
 */
export function trainingFlopsPerImage(forwardMacs: number): number {
  return 2 * 3 * forwardMacs;
}

export const TORCH_PYTHON = '/usr/bin/python3';

/** One run of bench/torch_bench.py: one net, one memory format, one OpenMP wait policy. */
export type TorchRun =
  | {ok: true; torch: string; imgPerSec: number; imgPerSecMean: number; peakRssMb: number}
  | {ok: false; reason: string};

export interface TorchNetOptions {
  net: string;
  batch: number;
  steps: number;
  warmup: number;
  threads: number;
  block: number;
}

/** The peer's environment: our GOMP_SPINCOUNT would override libgomp's meaning of its wait policy. */
function torchEnv(threads: number, ompWaitPolicy: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...process.env, OMP_NUM_THREADS: String(threads), OMP_WAIT_POLICY: ompWaitPolicy};
  delete env.GOMP_SPINCOUNT;
  return env;
}

function runTorchScript(root: string, args: string[], threads: number, ompWaitPolicy: string,
  python: string): {ok: true; out: Record<string, unknown>} | {ok: false; reason: string} {
  if (!existsSync(python)) return {ok: false, reason: `${python} not found (install Debian's python3-torch)`};
  const r = spawnSync(python, [join(root, 'bench', 'torch_bench.py'), ...args, '--threads', String(threads)],
    {encoding: 'utf8', env: torchEnv(threads, ompWaitPolicy)});
  if (r.status !== 0) {
    const why = (r.stderr || '').trim().split('\n').slice(-1)[0] || `exit ${r.status ?? r.signal}`;
    return {ok: false, reason: /No module named 'torch/.test(r.stderr ?? '') ?
      'PyTorch is not installed for /usr/bin/python3 (apt-get install python3-torch python3-torchvision)' :
      `torch_bench.py failed: ${why}`};
  }
  try {
    return {ok: true, out: JSON.parse(r.stdout) as Record<string, unknown>};
  } catch {
    return {ok: false, reason: `torch_bench.py printed no JSON: ${r.stdout.slice(0, 200)}`};
  }
}

/**
 * Trains one net with PyTorch (Debian's python3-torch, always through /usr/bin/python3: the
 * python3 first on PATH may be another interpreter without torch), in its own process so that
 * the peak RSS is that net's own.
 */
export function runTorchNet(root: string, o: TorchNetOptions & {format: string; ompWaitPolicy: string},
  python = TORCH_PYTHON): TorchRun {
  const r = runTorchScript(root, ['--net', o.net, '--format', o.format, '--batch', String(o.batch),
    '--steps', String(o.steps), '--warmup', String(o.warmup), '--block', String(o.block)], o.threads, o.ompWaitPolicy,
  python);
  if (!r.ok) return r;
  const {torch, imgPerSec, imgPerSecMean, peakRssMb} = r.out as
    {torch: string; imgPerSec: number; imgPerSecMean: number; peakRssMb: number};
  if (typeof imgPerSec !== 'number') return {ok: false, reason: 'torch_bench.py printed no imgPerSec'};
  return {ok: true, torch, imgPerSec, imgPerSecMean, peakRssMb};
}

/** PyTorch's best for one net over memory formats and OpenMP wait policies. */
export interface TorchBest {imgPerSec: number; imgPerSecMean: number; peakRssMb: number; format: string;
  ompWaitPolicy: string}

/**
 * The PyTorch peer's best for one net over the given memory formats and OpenMP wait policies.
 * libgomp's default (spinning barriers) is fastest on an idle machine and collapses when another
 * process holds a core; PASSIVE is the reverse. The engine spins briefly and then sleeps
 * (DEFAULT_SPIN_COUNT) unless told otherwise, so PyTorch's best of the two is the honest peer.
 */
export function bestTorch(root: string, o: TorchNetOptions, formats: readonly string[] = ['channels_last'],
  policies: readonly string[] = ['ACTIVE', 'PASSIVE'], python = TORCH_PYTHON):
  {ok: true; torch: string; best: TorchBest; runs: Record<string, TorchRun>} | {ok: false; reason: string} {
  const runs: Record<string, TorchRun> = {};
  let best: TorchBest | undefined;
  let version = '';
  for (const format of formats) {
    for (const policy of policies) {
      const r = runTorchNet(root, {...o, format, ompWaitPolicy: policy}, python);
      runs[`${format}/${policy}`] = r;
      if (!r.ok) return {ok: false, reason: r.reason};
      version = r.torch;
      if (best === undefined || r.imgPerSec > best.imgPerSec) {
        best = {imgPerSec: r.imgPerSec, imgPerSecMean: r.imgPerSecMean, peakRssMb: r.peakRssMb, format,
          ompWaitPolicy: policy};
      }
    }
  }
  if (best === undefined) return {ok: false, reason: 'no PyTorch memory format or wait policy was asked for'};
  return {ok: true, torch: version, best, runs};
}

/** PyTorch's float32 GFLOP/s on an n×n matrix product (best of a few), for the peak estimate. */
export function torchMatmulGflops(root: string, n: number, threads: number, python = TORCH_PYTHON):
  {ok: true; gflops: number} | {ok: false; reason: string} {
  const r = runTorchScript(root, ['--matmul', String(n)], threads, 'ACTIVE', python);
  if (!r.ok) return r;
  const g = (r.out as {gflops?: number}).gflops;
  return typeof g === 'number' ? {ok: true, gflops: g} : {ok: false, reason: 'torch_bench.py printed no gflops'};
}
