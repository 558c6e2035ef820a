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
 */
export async function measureTraining(step: TrainStep, batch: number, steps: number, warmup: number,
  block = 10): Promise<TrainingThroughput> {
  for (let i = 0; i < warmup; i++) await step();
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

/** What bench/torch_bench.py reports for one model. */
export interface TorchThroughput {
  imgPerSec: {nchw: number; channels_last: number};
  best: number;
  bestFormat: 'nchw' | 'channels_last';
}

export type TorchOutcome =
  | {ok: true; torch: string; threads: number; results: Record<string, TorchThroughput>}
  | {ok: false; reason: string};

export const TORCH_PYTHON = '/usr/bin/python3';

/**
 * Runs the PyTorch peer (Debian's python3-torch, always through /usr/bin/python3: the python3
 * first on PATH may be another interpreter without torch) with the same threads and batch.
 */
export function runTorchBench(root: string, opts: {models: readonly string[]; batch: number; steps: number;
  warmup: number; threads: number; block: number; ompWaitPolicy: string}, python = TORCH_PYTHON): TorchOutcome {
  if (!existsSync(python)) return {ok: false, reason: `${python} not found (install Debian's python3-torch)`};
  const script = join(root, 'bench', 'torch_bench.py');
  const r = spawnSync(python, [script, '--models', opts.models.join(','), '--batch', String(opts.batch),
    '--steps', String(opts.steps), '--warmup', String(opts.warmup), '--threads', String(opts.threads),
    '--block', String(opts.block)],
  {encoding: 'utf8',
    env: {...process.env, OMP_NUM_THREADS: String(opts.threads), OMP_WAIT_POLICY: opts.ompWaitPolicy}});
  if (r.status !== 0) {
    const why = (r.stderr || '').trim().split('\n').slice(-1)[0] || `exit ${r.status ?? r.signal}`;
    return {ok: false, reason: /No module named 'torch'/.test(r.stderr ?? '') ?
      'PyTorch is not installed for /usr/bin/python3 (apt-get install python3-torch)' : `torch_bench.py failed: ${why}`};
  }
  try {
    const parsed = JSON.parse(r.stdout) as {torch: string; threads: number; results: Record<string, TorchThroughput>};
    return {ok: true, ...parsed};
  } catch {
    return {ok: false, reason: `torch_bench.py printed no JSON: ${r.stdout.slice(0, 200)}`};
  }
}

/** PyTorch's best for one model over memory formats and OpenMP wait policies. */
export interface TorchBest {imgPerSec: number; format: string; ompWaitPolicy: string}

/**
 * The PyTorch peer's best per model over both OpenMP wait policies. libgomp's default (spinning
 * barriers) is fastest on an idle machine and collapses when another process holds a core;
 * PASSIVE is the reverse. The engine runs PASSIVE unless told otherwise, so comparing against
 * PyTorch's best of the two is the honest ratio.
 */
export function bestTorch(root: string, opts: {models: readonly string[]; batch: number; steps: number;
  warmup: number; threads: number; block: number}, policies: readonly string[] = ['ACTIVE', 'PASSIVE'], python = TORCH_PYTHON):
  {ok: true; torch: string; best: Record<string, TorchBest>; runs: Record<string, TorchOutcome>} | {ok: false; reason: string} {
  const runs: Record<string, TorchOutcome> = {};
  const best: Record<string, TorchBest> = {};
  let version = '';
  for (const policy of policies) {
    const r = runTorchBench(root, {...opts, ompWaitPolicy: policy}, python);
    runs[policy] = r;
    if (!r.ok) return {ok: false, reason: r.reason};
    version = r.torch;
    for (const [model, t] of Object.entries(r.results)) {
      if (best[model] === undefined || t.best > best[model].imgPerSec) {
        best[model] = {imgPerSec: t.best, format: t.bestFormat, ompWaitPolicy: policy};
      }
    }
  }
  return {ok: true, torch: version, best, runs};
}
