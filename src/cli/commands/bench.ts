import {loadavg} from 'node:os';
import {join} from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type {Command} from '../command';
import {intOption, parseArgs} from '../args';
import {ReproError} from '../../util/errors';
import {writeJsonAtomic} from '../../util/atomic';
import {initBackend} from '../../engine/select_backend';
import {buildModel} from '../../models/registry';
import {makeOptimizer} from '../../train/optimizers';
import {lossFn} from '../../train/losses';
import {bestTorch, measureTraining, type TrainStep, type TrainingThroughput} from '../../engine/benchmark';

const USAGE = `usage: repro bench [--json] [--models resnet20,resnet56] [--steps N] [--warmup N] [--block N] [--batch 128]
                   [--no-torch]

Trains each CIFAR ResNet of the model zoo on random data (the trainer's step: forward, softmax
cross-entropy, backward, SGD with momentum 0.9 and weight decay 1e-4; batch 128, warm-up excluded) on the backend the engine chooses, and prints images per
second, peak RSS, the tensor count and RSS after warm-up and at the end (the leak check), and, when
Debian's PyTorch is installed for /usr/bin/python3, the same models trained by PyTorch with the same
thread count (best of NCHW and channels_last, and of OpenMP's ACTIVE and PASSIVE wait policies)
and the ratio ours/PyTorch.
img/s is the fastest run of --block (10) consecutive steps, on both sides: on shared cores other
processes slow either side at random, and the best sustained block is what each engine does when
left alone; the mean over all steps is printed too. Writes reports/bench/bench.json. Threads: REPRO_THREADS (default: all cores); backend: REPRO_BACKEND.`;

/** One row of reports/bench/bench.json. */
export interface BenchRow {
  model: string;
  batch: number;
  backend: string;
  threads: number;
  steps: number;
  /** Fastest `block` consecutive steps; imgPerSecMean: over all timed steps. */
  imgPerSec: number;
  imgPerSecMean: number;
  peakRssMb: number;
  tensors: TrainingThroughput['tensors'];
  rssMb: TrainingThroughput['rssMb'];
  /** OpenMP wait policy the engine ran under (libgomp's OMP_WAIT_POLICY). */
  ompWaitPolicy: string;
  torchImgPerSec: number | null;
  /** PyTorch's best memory format and OpenMP wait policy for this model. */
  torchFormat: string | null;
  torchOmpWaitPolicy: string | null;
  ratio: number | null;
}

/** The CIFAR ResNets bench/torch_bench.py defines too (the PyTorch peer trains the same nets). */
export const BENCH_MODELS = ['resnet20', 'resnet32', 'resnet44', 'resnet56', 'resnet110'] as const;

/**
 * The trainer's own step on a fixed random batch: forward, cross-entropy on logits, backward,
 * then the project's PyTorch-exact SGD (momentum 0.9, weight decay 1e-4, as in the paper's
 * recipe). The loss is read back every step, as the trainer does.
 */
function trainStep(model: tf.LayersModel, batch: number): {step: TrainStep; dispose: () => void} {
  const [h, w, c] = (model.inputs[0].shape.slice(1) as number[]);
  const classes = model.outputs[0].shape[1] as number;
  const x = tf.randomNormal([batch, h, w, c], 0, 1, 'float32', 1);
  const labels = tf.tensor1d(Array.from({length: batch}, (_, i) => (i * 7) % classes), 'int32');
  const optimizer = makeOptimizer({type: 'sgd', lr: 0.01, momentum: 0.9, weightDecay: 1e-4});
  const params = model.trainableWeights.map((v) => v.read() as tf.Variable);
  const step = async () => {
    const {value, grads} = tf.variableGrads(() =>
      lossFn('cross-entropy', model.apply(x, {training: true}) as tf.Tensor2D, labels), params);
    const loss = (await value.data())[0];  // awaited: GPU backends cannot read synchronously
    optimizer.step(params, params.map((p) => grads[p.name]), 0.01);
    tf.dispose([value, ...Object.values(grads)]);
    return loss;
  };
  return {step, dispose: () => { x.dispose(); labels.dispose(); optimizer.dispose(); }};
}

function fmt(n: number | null, digits = 1): string {
  return n === null ? '—' : n.toFixed(digits);
}

export function formatTable(rows: readonly BenchRow[]): string {
  const head = ['model', 'batch', 'backend', 'threads', 'img/s (mean)', 'peak RSS MB', 'tensors warm→end', 'RSS MB warm→end',
    'torch img/s', 'ratio'];
  const body = rows.map((r) => [r.model, String(r.batch), r.backend, String(r.threads),
    `${fmt(r.imgPerSec)} (${fmt(r.imgPerSecMean)})`,
    fmt(r.peakRssMb, 0), `${r.tensors.afterWarmup}→${r.tensors.atEnd}`,
    `${fmt(r.rssMb.afterWarmup, 0)}→${fmt(r.rssMb.atEnd, 0)}`,
    r.torchImgPerSec === null ? '—' : `${fmt(r.torchImgPerSec)} (${r.torchFormat}, ${r.torchOmpWaitPolicy})`,
    fmt(r.ratio, 2)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((s, i) => s.padEnd(widths[i])).join('  ');
  return [line(head), ...body.map(line)].join('\n') + '\n';
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'training throughput of CIFAR ResNet-20/56 on this machine, beside PyTorch',
  usage: USAGE,
  async run(argv) {
    const args = parseArgs('bench', argv, {values: ['models', 'steps', 'warmup', 'batch', 'block'], flags: ['json', 'no-torch']});
    const models = (args.values.get('models') ?? 'resnet20,resnet56').split(',').filter((m) => m !== '');
    const steps = intOption('bench', args, 'steps', 50);
    const warmup = intOption('bench', args, 'warmup', 3);
    const batch = intOption('bench', args, 'batch', 128);
    const block = intOption('bench', args, 'block', 10);
    if (steps < 1 || warmup < 0 || batch < 1 || block < 1) {
      throw new ReproError('repro bench: --steps, --batch and --block must be ≥ 1 and --warmup ≥ 0');
    }
    const unknown = models.filter((m) => !(BENCH_MODELS as readonly string[]).includes(m));
    if (unknown.length > 0) {
      throw new ReproError(`repro bench: unknown model ${unknown.join(', ')}`,
        {expected: `some of ${BENCH_MODELS.join(', ')}`, fix: 'pass --models resnet20,resnet56'});
    }
    const choice = await initBackend();
    const root = join(__dirname, '..', '..', '..', '..');
    const say = (s: string) => { if (!args.flags.has('json')) process.stderr.write(s); };
    // Read after initBackend: loading the addon sets libgomp's policy (PASSIVE unless given).
    const ompWaitPolicy = process.env.OMP_WAIT_POLICY ?? 'default';
    // Other processes on the cores change every number here (and PyTorch's more than ours): record the load.
    const loadBefore = loadavg()[0];
    const ours = new Map<string, TrainingThroughput>();
    for (const name of models) {
      say(`[bench] ${name}: ${warmup} warm-up + ${steps} timed steps at batch ${batch} on ${choice.name}\n`);
      const model = buildModel(name, {seed: 0});
      const {step, dispose} = trainStep(model, batch);
      ours.set(name, await measureTraining(step, batch, steps, warmup, block));
      dispose();
      model.dispose();
    }
    const torchSteps = Math.min(steps, 20);
    say(`[bench] PyTorch peer: ${torchSteps} steps per model, NCHW and channels_last, OMP_WAIT_POLICY ACTIVE and PASSIVE\n`);
    const torch = args.flags.has('no-torch') ? {ok: false as const, reason: '--no-torch'} :
      bestTorch(root, {models, batch, steps: torchSteps, warmup, threads: choice.threads, block});
    if (!torch.ok) say(`[bench] PyTorch peer not run: ${torch.reason}\n`);
    const rows: BenchRow[] = models.map((model) => {
      const r = ours.get(model) as TrainingThroughput;
      const t = torch.ok ? torch.best[model] : undefined;
      return {model, batch, backend: choice.name, threads: choice.threads, steps, imgPerSec: r.imgPerSec,
        imgPerSecMean: r.imgPerSecMean, peakRssMb: r.peakRssMb, tensors: r.tensors, rssMb: r.rssMb, ompWaitPolicy,
        torchImgPerSec: t ? t.imgPerSec : null, torchFormat: t ? t.format : null,
        torchOmpWaitPolicy: t ? t.ompWaitPolicy : null, ratio: t ? r.imgPerSec / t.imgPerSec : null};
    });
    writeJsonAtomic(join(root, 'reports', 'bench', 'bench.json'),
      {date: new Date().toISOString(), loadAverage1m: {before: loadBefore, after: loadavg()[0]}, backend: choice, torch: torch.ok ? {version: torch.torch, runs: torch.runs} :
        {notRun: torch.reason}, rows});
    process.stdout.write(args.flags.has('json') ? JSON.stringify(rows, null, 2) + '\n' : formatTable(rows));
    return 0;
  },
};
