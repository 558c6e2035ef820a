import {spawn, spawnSync} from 'node:child_process';
import {loadavg} from 'node:os';
import {join} from 'node:path';
import type {Command} from '../command';
import {intOption, parseArgs} from '../args';
import {ReproError} from '../../util/errors';
import {writeJsonAtomic} from '../../util/atomic';
import {bestTorch, torchMatmulGflops, trainingFlopsPerImage, type TorchBest, type TrainingThroughput} from '../bench/measure';
import {BENCH_NETS, benchNet} from '../bench/nets';
import {openmpWait} from '../../engine/cpu_native/addon';
import type {WorkerRequest, WorkerResult} from '../bench/worker';

const NET_NAMES = BENCH_NETS.map((n) => n.name);

const USAGE = `usage: repro bench [--nets all|NET,…] [--steps 10] [--warmup 2] [--block 5] [--batch N] [--rounds 2]
                   [--torch-formats channels_last[,nchw]] [--torch-policies ACTIVE,PASSIVE]
                   [--matmul 2048] [--jobs N] [--no-torch] [--json]

Trains each net on random data with the trainer's step (forward, softmax cross-entropy,
backward, SGD momentum 0.9 + weight decay 1e-4; dropout masks drawn every step; warm-up
excluded) on the backend the engine chooses, each net in a process of its own, and beside it
the same net trained by PyTorch (Debian's python3-torch via /usr/bin/python3) with the same
threads, in its own process too: best of --torch-formats and of OpenMP's wait policies.
Each net is measured --rounds times on both sides, interleaved (ours, then PyTorch's every
format and policy, then again), and each side's best round is kept: a neighbour's burst on
shared cores then costs a round, not the comparison.

Nets (default all): ${NET_NAMES.join(', ')}.
CIFAR nets at 32×32, batch 128; the others at 64×64, batch 32 (--batch overrides all).

Per net: img/s of the fastest --block consecutive steps (and the mean over all steps), achieved
GFLOP/s = img/s × 6 × the counted multiply-adds of one forward pass (2 FLOPs per multiply-add,
×3 for forward + input gradient + weight gradient; BN, ReLU, pooling not counted), the fraction of
this machine's FP32 peak, estimated as the best of ours and PyTorch's float32 --matmul n×n
product measured in the same run, peak RSS on both sides, tensor count and RSS after warm-up and
at the end (the leak check), and the ratios ours/PyTorch (speed) and ours/PyTorch (peak RSS).
--jobs N (default 2 on cpu-native with 2 threads or more; 1: off): N of our processes side by side,
each on 1/N of the threads, their timed steps started together after every warm-up: the sum of
their mean img/s and its ratio to one process's mean, what \`repro reproduce --jobs N\` gains.
Writes a table (stdout; JSON with --json) and reports/bench/bench.json.
Threads: REPRO_THREADS (default: all cores); backend: REPRO_BACKEND.`;

/** One row of reports/bench/bench.json. */
export interface BenchRow {
  model: string;
  inputSize: number;
  batch: number;
  backend: string;
  threads: number;
  steps: number;
  /** Fastest `block` consecutive steps of the best round; imgPerSecMean: over all timed steps of that round. */
  imgPerSec: number;
  imgPerSecMean: number;
  /** imgPerSec of every round, in order. */
  imgPerSecRounds: number[];
  /** Multiply-adds of one forward pass of one image (src/models/count.ts). */
  forwardMacs: number;
  /** imgPerSec × 6 × forwardMacs / 1e9. */
  gflops: number;
  /** gflops / the measured FP32 peak (null when no peak was measured). */
  peakFraction: number | null;
  peakRssMb: number;
  tensors: TrainingThroughput['tensors'];
  rssMb: TrainingThroughput['rssMb'];
  /** How the engine's OpenMP threads waited (src/engine/cpu_native/addon.ts, openmpWait). */
  ompWait: string;
  torch: TorchBest | null;
  torchGflops: number | null;
  torchPeakFraction: number | null;
  /** imgPerSec / PyTorch's best. */
  ratio: number | null;
  /** peakRssMb / PyTorch's peak RSS. */
  rssRatio: number | null;
  /** N processes of ours side by side (--jobs), or null when not measured. */
  jobs: JobsMeasure | null;
}

/** `repro bench --jobs N`: what N runs at once on 1/N of the threads each train together. */
export interface JobsMeasure {
  n: number;
  threadsEach: number;
  /** Each process's mean img/s over its timed steps. */
  perJob: number[];
  /** Their sum. */
  imgPerSec: number;
  /** imgPerSec / one process's imgPerSecMean (all the threads, best round). */
  vsOne: number;
}

/** Runs src/cli/bench/worker.ts in a fresh node process (its own peak RSS) and parses its line. */
function runWorker(req: WorkerRequest): WorkerResult {
  const r = spawnSync(process.execPath, [join(__dirname, '..', 'bench', 'worker.js'), JSON.stringify(req)],
    {encoding: 'utf8', env: process.env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 24});
  if (r.status !== 0) {
    const tail = (r.stderr || '').trim().split('\n').slice(-3).join('\n');
    throw new ReproError(`repro bench: the measurement ${JSON.stringify(req)} failed (exit ${r.status ?? r.signal})`,
      {expected: 'a JSON line from src/cli/bench/worker.ts', fix: `see its error:\n${tail}`});
  }
  return JSON.parse(r.stdout.trim().split('\n').slice(-1)[0]) as WorkerResult;
}

/**
 * `n` workers at once, each with REPRO_THREADS = `threads`: every one warms up, says "ready", and
 * all are told to go at the same moment, so that their timed steps share the cores.
 */
export function runWorkersTogether(req: WorkerRequest, n: number, threads: number): Promise<WorkerResult[]> {
  const children = Array.from({length: n}, () => spawn(process.execPath,
    [join(__dirname, '..', 'bench', 'worker.js'), JSON.stringify({...req, together: true})],
    {env: {...process.env, REPRO_THREADS: String(threads)}, stdio: ['pipe', 'pipe', 'pipe']}));
  let ready = 0;
  return Promise.all(children.map((child) => new Promise<WorkerResult>((resolve, reject) => {
    let out = '', err = '', saidReady = false;
    child.stdout.on('data', (d) => {
      out += d;
      if (!saidReady && out.startsWith('ready\n')) {
        saidReady = true;
        if (++ready === n) for (const c of children) c.stdin.end('go\n');
      }
    });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => {
      if (code !== 0) {
        for (const c of children) c.kill();
        reject(new ReproError(`repro bench: ${n} side-by-side measurements of ${JSON.stringify(req)} failed (exit ${code})`,
          {expected: 'a JSON line from each src/cli/bench/worker.ts', fix: `see its error:\n${err.trim().split('\n').slice(-3).join('\n')}`}));
        return;
      }
      resolve(JSON.parse(out.trim().split('\n').slice(-1)[0]) as WorkerResult);
    });
  })));
}

function fmt(n: number | null, digits = 1): string {
  return n === null ? '—' : n.toFixed(digits);
}

const pct = (f: number | null) => (f === null ? '—' : `${(100 * f).toFixed(0)}%`);

export function formatTable(rows: readonly BenchRow[], peakGflops: number | null): string {
  const head = ['net', 'size', 'batch', 'img/s (mean)', 'GFLOP/s', 'of peak', 'peak RSS MB', 'tensors warm→end',
    'RSS MB warm→end', 'torch img/s', 'torch GFLOP/s', 'torch RSS MB', 'ratio', 'RSS ratio', 'jobs img/s (vs 1)'];
  const body = rows.map((r) => [r.model, `${r.inputSize}²`, String(r.batch),
    `${fmt(r.imgPerSec)} (${fmt(r.imgPerSecMean)})`, fmt(r.gflops), pct(r.peakFraction), fmt(r.peakRssMb, 0),
    `${r.tensors.afterWarmup}→${r.tensors.atEnd}`, `${fmt(r.rssMb.afterWarmup, 0)}→${fmt(r.rssMb.atEnd, 0)}`,
    r.torch === null ? '—' : `${fmt(r.torch.imgPerSec)} (${r.torch.format}, ${r.torch.ompWaitPolicy})`,
    r.torchGflops === null ? '—' : `${fmt(r.torchGflops)} (${pct(r.torchPeakFraction)})`,
    r.torch === null ? '—' : fmt(r.torch.peakRssMb, 0), fmt(r.ratio, 2), fmt(r.rssRatio, 2),
    r.jobs === null ? '—' : `${fmt(r.jobs.imgPerSec)} (${r.jobs.n} × ${r.jobs.threadsEach} thread${r.jobs.threadsEach > 1 ? 's' : ''}, ${fmt(r.jobs.vsOne, 2)}×)`]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((s, i) => s.padEnd(widths[i])).join('  ').trimEnd();
  const peak = peakGflops === null ? 'FP32 peak: not measured' :
    `FP32 peak (best large matmul in this run): ${peakGflops.toFixed(1)} GFLOP/s`;
  return [line(head), ...body.map(line)].join('\n') + '\n' +
    `GFLOP/s = img/s × 6 × forward multiply-adds (2 FLOPs each, ×3 for forward + both gradients). ${peak}\n` +
    (rows.some((r) => r.jobs) ? 'jobs: the summed mean img/s of processes side by side (`reproduce --jobs`), against one process\'s mean.\n' : '');
}

function listOption(args: {values: Map<string, string>}, name: string, fallback: string): string[] {
  return (args.values.get(name) ?? fallback).split(',').filter((s) => s !== '');
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'training throughput of every net the profiles train, beside PyTorch (GFLOP/s, peak RSS)',
  usage: USAGE,
  async run(argv) {
    const args = parseArgs('bench', argv, {values: ['nets', 'models', 'steps', 'warmup', 'batch', 'block', 'rounds',
      'torch-formats', 'torch-policies', 'matmul', 'jobs'], flags: ['json', 'no-torch']});
    const netsArg = args.values.get('nets') ?? args.values.get('models') ?? 'all';
    const nets = netsArg === 'all' ? NET_NAMES : netsArg.split(',').filter((m) => m !== '');
    const steps = intOption('bench', args, 'steps', 10);
    const warmup = intOption('bench', args, 'warmup', 2);
    const block = intOption('bench', args, 'block', 5);
    const batchOverride = args.values.has('batch') ? intOption('bench', args, 'batch', 0) : undefined;
    const rounds = intOption('bench', args, 'rounds', 2);
    const matmulN = intOption('bench', args, 'matmul', 2048);
    const jobsArg = args.values.has('jobs') ? intOption('bench', args, 'jobs', 1) : undefined;
    if (steps < 1 || warmup < 0 || (batchOverride !== undefined && batchOverride < 1) || block < 1 || rounds < 1 ||
      matmulN < 0 || (jobsArg !== undefined && jobsArg < 1)) {
      throw new ReproError('repro bench: --steps, --batch, --block, --rounds and --jobs must be ≥ 1, --warmup and --matmul ≥ 0');
    }
    const unknown = nets.filter((m) => benchNet(m) === undefined);
    if (unknown.length > 0 || nets.length === 0) {
      throw new ReproError(`repro bench: unknown net ${unknown.join(', ') || '(none given)'}`,
        {expected: `all, or some of ${NET_NAMES.join(', ')}`, fix: 'pass e.g. --nets resnet20,resnet56'});
    }
    const formats = listOption(args, 'torch-formats', 'channels_last');
    const policies = listOption(args, 'torch-policies', 'ACTIVE,PASSIVE');
    const badFormat = formats.find((f) => f !== 'channels_last' && f !== 'nchw');
    const badPolicy = policies.find((p) => p !== 'ACTIVE' && p !== 'PASSIVE');
    if (badFormat !== undefined || badPolicy !== undefined || formats.length === 0 || policies.length === 0) {
      throw new ReproError(`repro bench: bad --torch-formats/--torch-policies value "${badFormat ?? badPolicy ?? ''}"`,
        {expected: 'formats from channels_last,nchw and policies from ACTIVE,PASSIVE', fix: 'e.g. --torch-formats channels_last,nchw'});
    }
    const root = join(__dirname, '..', '..', '..', '..');
    const say = (s: string) => { if (!args.flags.has('json')) process.stderr.write(s); };
    const withTorch = !args.flags.has('no-torch');
    // Other processes on the cores change every number here (and PyTorch's more than ours): record the load.
    const loadBefore = loadavg()[0];
    const ours = new Map<string, Extract<WorkerResult, {kind: 'net'}>>();
    const ourRounds = new Map<string, number[]>();
    const torch = new Map<string, TorchBest>();
    const torchRuns: Record<string, unknown[]> = {};
    let torchVersion: string | null = null;
    let torchWhyNot: string | null = withTorch ? null : '--no-torch';
    for (const name of nets) {
      const net = benchNet(name) as NonNullable<ReturnType<typeof benchNet>>;
      const batch = batchOverride ?? net.batch;
      for (let round = 1; round <= rounds; round++) {
        say(`[bench] ${name} (${net.inputShape[0]}×${net.inputShape[1]}, batch ${batch}), round ${round}/${rounds}: ` +
          `${warmup} warm-up + ${steps} timed steps\n`);
        const r = runWorker({net: name, batch, steps, warmup, block});
        if (r.kind !== 'net') throw new Error('bench worker answered a net request with a matmul result');
        ourRounds.set(name, [...(ourRounds.get(name) ?? []), r.imgPerSec]);
        if (r.imgPerSec > (ours.get(name)?.imgPerSec ?? -1)) ours.set(name, r);
        if (torchWhyNot !== null) continue;
        say(`[bench]   PyTorch: ${formats.join('/')} × OMP_WAIT_POLICY ${policies.join('/')}\n`);
        const t = bestTorch(root, {net: name, batch, steps, warmup, threads: r.threads, block}, formats, policies);
        if (t.ok) {
          if (t.best.imgPerSec > (torch.get(name)?.imgPerSec ?? -1)) torch.set(name, t.best);
          torchRuns[name] = [...(torchRuns[name] ?? []), t.runs];
          torchVersion = t.torch;
        } else {
          torchWhyNot = t.reason;
          say(`[bench] PyTorch peer not run: ${t.reason}\n`);
        }
      }
    }
    const threads = [...ours.values()][0].threads;
    const backend = [...ours.values()][0].backend;
    // Side by side only where the threads can be split (a GPU backend's work is not on these cores).
    const jobs = jobsArg ?? (backend === 'cpu-native' && threads >= 2 ? 2 : 1);
    const together = new Map<string, JobsMeasure>();
    if (jobs > 1) {
      const threadsEach = Math.max(1, Math.floor(threads / jobs));
      for (const name of nets) {
        const batch = batchOverride ?? (benchNet(name) as NonNullable<ReturnType<typeof benchNet>>).batch;
        say(`[bench] ${name}: ${jobs} processes side by side, ${threadsEach} thread(s) each, ${warmup} warm-up + ${steps} timed steps\n`);
        const results = await runWorkersTogether({net: name, batch, steps, warmup, block}, jobs, threadsEach);
        const perJob = results.map((r) => (r.kind === 'net' ? r.imgPerSecMean : 0));
        const sum = perJob.reduce((a, b) => a + b, 0);
        together.set(name, {n: jobs, threadsEach, perJob, imgPerSec: sum, vsOne: sum / (ours.get(name) as {imgPerSecMean: number}).imgPerSecMean});
      }
    }
    let peak: number | null = null;
    const peaks: Record<string, number | string> = {};
    if (matmulN > 0) {
      say(`[bench] FP32 peak: a ${matmulN}×${matmulN} matmul on ${backend}${torchWhyNot === null ? ' and in PyTorch' : ''}\n`);
      if (backend !== 'cpu') {
        const m = runWorker({matmul: matmulN});
        if (m.kind === 'matmul') peaks.ours = m.gflops;
      } else {
        peaks.ours = 'not measured on the pure-JS backend';
      }
      if (torchWhyNot === null) {
        const t = torchMatmulGflops(root, matmulN, threads);
        peaks.torch = t.ok ? t.gflops : t.reason;
      }
      const measured = Object.values(peaks).filter((v): v is number => typeof v === 'number');
      peak = measured.length > 0 ? Math.max(...measured) : null;
    }
    const rows: BenchRow[] = nets.map((model) => {
      const r = ours.get(model) as Extract<WorkerResult, {kind: 'net'}>;
      const net = benchNet(model) as NonNullable<ReturnType<typeof benchNet>>;
      const t = torch.get(model) ?? null;
      const flops = trainingFlopsPerImage(r.forwardMacs);
      const gflops = (r.imgPerSec * flops) / 1e9;
      const torchGflops = t ? (t.imgPerSec * flops) / 1e9 : null;
      return {model, inputSize: net.inputShape[0], batch: batchOverride ?? net.batch, backend: r.backend,
        threads: r.threads, steps, imgPerSec: r.imgPerSec, imgPerSecMean: r.imgPerSecMean,
        imgPerSecRounds: ourRounds.get(model) ?? [], forwardMacs: r.forwardMacs,
        gflops, peakFraction: peak ? gflops / peak : null, peakRssMb: r.peakRssMb, tensors: r.tensors, rssMb: r.rssMb,
        ompWait: openmpWait(), torch: t, torchGflops,
        torchPeakFraction: peak && torchGflops !== null ? torchGflops / peak : null,
        ratio: t ? r.imgPerSec / t.imgPerSec : null, rssRatio: t ? r.peakRssMb / t.peakRssMb : null, jobs: together.get(model) ?? null};
    });
    writeJsonAtomic(join(root, 'reports', 'bench', 'bench.json'), {date: new Date().toISOString(),
      loadAverage1m: {before: loadBefore, after: loadavg()[0]}, backend, threads, rounds,
      flopsConvention: '6 × forward multiply-adds per image (2 FLOPs per multiply-add, ×3 for forward + both gradients)',
      peakGflops: peak, peaks, torch: torchWhyNot === null ? {version: torchVersion, formats, policies, runs: torchRuns} :
        {notRun: torchWhyNot}, rows});
    process.stdout.write(args.flags.has('json') ? JSON.stringify({peakGflops: peak, rows}, null, 2) + '\n' :
      formatTable(rows, peak));
    return 0;
  },
};
