import * as tf from '@tensorflow/tfjs';
import {variableGrads} from '../../engine/variable_grads';
import {initBackend} from '../../engine/select_backend';
import {measureTraining, type TrainStep, type TrainingThroughput} from './measure';
import {buildModel} from '../../models/registry';
import {countMacs} from '../../models/count';
import {setTrainingRandomContext} from '../../models/layers/seeded_dropout';
import {makeOptimizer} from '../../train/optimizers';
import {lossFn} from '../../train/losses';
import {benchNet} from './nets';

/**
 * One measurement of `repro bench`, in a process of its own so that its peak RSS is its own:
 *   node worker.js '{"net":"resnet20","batch":128,"steps":10,"warmup":2,"block":5}'
 *   node worker.js '{"matmul":2048}'
 * prints one JSON object (WorkerResult) on stdout.
 */
export type WorkerRequest = {net: string; batch: number; steps: number; warmup: number; block: number; together?: boolean} | {matmul: number};

export type WorkerResult =
  | ({kind: 'net'; backend: string; threads: number; forwardMacs: number} & TrainingThroughput)
  | {kind: 'matmul'; backend: string; threads: number; gflops: number};

/**
 * The trainer's own step on a fixed random batch: forward, cross-entropy on logits, backward,
 * then the project's PyTorch-exact SGD (momentum 0.9, weight decay 1e-4, as in the paper's
 * recipe). The loss is read back every step, as the trainer does; dropout draws a new mask
 * every step, as in training.
 */
function trainStep(model: tf.LayersModel, batch: number): {step: TrainStep; dispose: () => void} {
  const [h, w, c] = (model.inputs[0].shape.slice(1) as number[]);
  const classes = model.outputs[0].shape[1] as number;
  const x = tf.randomNormal([batch, h, w, c], 0, 1, 'float32', 1);
  const labels = tf.tensor1d(Array.from({length: batch}, (_, i) => (i * 7) % classes), 'int32');
  const optimizer = makeOptimizer({type: 'sgd', lr: 0.01, momentum: 0.9, weightDecay: 1e-4});
  const params = model.trainableWeights.map((v) => v.read() as tf.Variable);
  let stepSeed = 0;
  // Async like the trainer's step (it awaits the loss read), so every engine, webgpu included, runs it.
  const step = async () => {
    setTrainingRandomContext({stepSeed: stepSeed++});
    const {value, grads} = variableGrads(() =>
      lossFn('cross-entropy', model.apply(x, {training: true}) as tf.Tensor2D, labels), params);
    const loss = (await value.data())[0];
    optimizer.step(params, params.map((p) => grads[p.name]), 0.01);
    tf.dispose([value, ...Object.values(grads)]);
    return loss;
  };
  return {step, dispose: () => { x.dispose(); labels.dispose(); optimizer.dispose(); }};
}

/** Best GFLOP/s of an n×n by n×n float32 product on the active backend (2n³ FLOPs). */
function matmulGflops(n: number, repeats = 5): number {
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  let best = Infinity;
  for (let i = 0; i <= repeats; i++) {
    const t0 = process.hrtime.bigint();
    const c = tf.matMul(a, b);
    c.dataSync();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    c.dispose();
    if (i > 0) best = Math.min(best, s);  // the first one creates the primitive
  }
  tf.dispose([a, b]);
  return (2 * n ** 3) / best / 1e9;
}

/**
 * For workers measured side by side (`together`): say "ready" after the warm-up and wait for the
 * parent's "go" on stdin, which it sends once every worker is ready.
 */
function startTogether(): Promise<void> {
  process.stdout.write('ready\n');
  return new Promise((resolve) => {
    // The parent writes "go" and closes stdin: its end is the signal (and frees the event loop).
    process.stdin.on('data', () => {}).once('end', () => resolve());
  });
}

export async function runWorker(req: WorkerRequest): Promise<WorkerResult> {
  const choice = await initBackend();
  if ('matmul' in req) {
    return {kind: 'matmul', backend: choice.name, threads: choice.threads, gflops: matmulGflops(req.matmul)};
  }
  const net = benchNet(req.net);
  if (!net) throw new Error(`bench worker: unknown net ${req.net}`);
  const model = buildModel(net.name, {seed: 0, inputShape: net.inputShape, numClasses: net.numClasses});
  const forwardMacs = countMacs(model);
  const {step, dispose} = trainStep(model, req.batch);
  const r = await measureTraining(step, req.batch, req.steps, req.warmup, req.block, req.together ? startTogether : undefined);
  dispose();
  model.dispose();
  return {kind: 'net', backend: choice.name, threads: choice.threads, forwardMacs, ...r};
}

if (require.main === module) {
  runWorker(JSON.parse(process.argv[2] ?? '{}') as WorkerRequest).then(
    (r) => { process.stdout.write(JSON.stringify(r) + '\n'); },
    (err: unknown) => { process.stderr.write(`${(err as Error).stack ?? String(err)}\n`); process.exitCode = 1; });
}
