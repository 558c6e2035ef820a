import * as tf from '@tensorflow/tfjs';
import {variableGrads} from '../engine/variable_grads';
import type {ImageSet} from '../data/types';
import {testsAfterEpoch, type RunSpec} from '../runs/spec';
import {ReproError} from '../util/errors';
import {Rng} from '../util/rng';
import {checkCheckpointFits, loadLatestCheckpoint, saveCheckpoint, type CheckpointState} from './checkpoint';
import {countWrong, lossFn} from './losses';
import {RunningMean, type EpochMetrics} from './metrics';
import {makeOptimizer} from './optimizers';
import type {ProgressSink} from './progress';
import {clearStopRequest, isStopRequested, TrainingInterrupted, yieldToEventLoop} from './interrupt';
import {initialScheduleState, learningRate, observeEpoch, observeTrainError} from './schedule';

/** The data a run trains on, already split and subset, with its batch maker. */
export interface TrainData {
  readonly train: ImageSet;
  readonly val?: ImageSet;
  readonly test: ImageSet;
  /**
   * A float32 NHWC batch of the images at `indices`, normalised; augmented (with draws from `rng`)
   * only when `rng` is given.
   */
  batch(set: ImageSet, indices: Int32Array, rng?: Rng): {x: Float32Array; shape: [number, number, number, number]};
}

export interface TrainHooks {
  readonly progress: ProgressSink;
  /** Called after every epoch's checkpoint is on disk (the store appends metrics.jsonl). */
  onEpoch?(metrics: EpochMetrics, history: readonly EpochMetrics[]): void;
  /** Called before each optimizer step with a seed for that step's randomness (dropout masks). */
  setStepSeed?(seed: number): void;
  /** Testing hook: called after each batch (lets a test kill the process mid-epoch). */
  afterBatch?(epoch: number, batchIndex: number): void;
  /** What to tell the user to resume after an interrupt (default: run the same command again). */
  readonly resumeHint?: string;
}

export type TrainOutcome =
  | {status: 'done'; history: EpochMetrics[]; gradientNorms?: GradientNorm[]; resumedFromEpoch: number}
  | {status: 'diverged'; history: EpochMetrics[]; gradientNorms?: GradientNorm[]; resumedFromEpoch: number;
      divergedAt: {epoch: number; iteration: number; loss: number}};

export interface GradientNorm {
  /** The weight's name (torchvision state-dict style). */
  readonly weight: string;
  /** Position of its layer from the input (0 = first). */
  readonly index: number;
  readonly norm: number;
}

/** Mixes a run seed with a counter into an independent 32-bit seed (splitmix-style). */
export function deriveSeed(seed: number, stream: number, counter: number): number {
  let z = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35) ^ Math.imul(counter + 1, 0x27d4eb2f)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

const STREAM_DATA = 1;
const STREAM_STEP = 2;
const EVAL_BATCH = 250;

function weightName(w: tf.LayerVariable): string {
  return w.originalName;
}

function toTensors(data: TrainData, set: ImageSet, indices: Int32Array, rng?: Rng): {x: tf.Tensor4D; y: tf.Tensor1D} {
  const b = data.batch(set, indices, rng);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) labels[i] = set.labels[indices[i]];
  return {x: tf.tensor4d(b.x, b.shape), y: tf.tensor1d(labels, 'int32')};
}

/** The first value of a scalar tensor, read asynchronously (GPU backends cannot read synchronously). */
async function scalar(t: tf.Tensor): Promise<number> {
  return (await t.data())[0];
}

/** The first `n` images of a set (all when it has fewer): the training images evaluated in inference mode. */
function firstImages(set: ImageSet, n: number): ImageSet {
  return n >= set.count ? set : {...set, count: n};
}

/** Loss and error of `set` in inference mode (batch-norm moving statistics, no dropout). */
export async function evaluate(model: tf.LayersModel, data: TrainData, set: ImageSet, loss: RunSpec['loss']):
  Promise<{loss: number; error: number}> {
  const acc = new RunningMean();
  for (let start = 0; start < set.count; start += EVAL_BATCH) {
    const idx = new Int32Array(Math.min(EVAL_BATCH, set.count - start)).map((_, i) => start + i);
    const {x, y} = toTensors(data, set, idx);
    const out = tf.tidy(() => model.apply(x, {training: false}) as tf.Tensor2D);
    const lT = lossFn(loss, out, y);
    const l = await scalar(lT);
    const wrong = await countWrong(out, y);
    tf.dispose([x, y, out, lT]);
    acc.add(l, wrong, idx.length);
  }
  return {loss: acc.loss, error: acc.error};
}

/**
 * ‖g‖ as m·‖g/m‖ with m = max|g| (LAPACK's nrm2 idea). The plain sum of squares underflows for
 * gradients below ~1e-19 (squares under float32's smallest normal, 1.2e-38): to zero on GPUs,
 * which flush subnormals (WebGPU/Vulkan), and to imprecise subnormals on CPUs. B5's sigmoid nets
 * at initialisation have first-layer gradients of that size.
 */
async function euclideanNorm(g: tf.Tensor): Promise<number> {
  const mT = tf.tidy(() => tf.max(tf.abs(g)));
  const m = await scalar(mT);
  mT.dispose();
  if (m === 0 || !Number.isFinite(m)) return m;
  const nT = tf.tidy(() => tf.norm(tf.div(g, tf.scalar(m))));
  const n = await scalar(nT);
  nT.dispose();
  return m * n;
}

/**
 * Per-weight gradient norms of the loss on one batch at the current weights (claim B5). The
 * training-mode forward would move the batch-norm statistics: they are restored afterwards, so
 * measuring changes nothing about the run.
 */
export async function gradientNorms(model: tf.LayersModel, data: TrainData, spec: RunSpec,
  setStepSeed?: (seed: number) => void): Promise<GradientNorm[]> {
  // The first batch of the run's first epoch (seeded order, un-augmented): each seed measures its own batch.
  const order = new Rng(deriveSeed(spec.seed, STREAM_DATA, 0)).permutation(data.train.count);
  const idx = order.subarray(0, Math.min(spec.batchSize, data.train.count));
  const {x, y} = toTensors(data, data.train, idx);
  const saved = model.nonTrainableWeights.map((w) => tf.clone(w.read()));
  setStepSeed?.(deriveSeed(spec.seed, STREAM_STEP, -1));
  const weights = model.trainableWeights.filter((w) => w.shape.length > 1);
  const vars = weights.map((w) => w.read() as tf.Variable);
  const {value, grads} = variableGrads(() => lossFn(spec.loss, model.apply(x, {training: true}) as tf.Tensor2D, y), vars);
  const norms: GradientNorm[] = [];
  for (const [i, w] of weights.entries()) norms.push({weight: weightName(w), index: i, norm: await euclideanNorm(grads[vars[i].name])});
  model.nonTrainableWeights.forEach((w, i) => w.write(saved[i]));
  tf.dispose([value, x, y, ...saved, ...Object.values(grads)]);
  return norms;
}

/**
 * Trains `model` per `spec`, resuming from the newest checkpoint under `checkpointDir` when one
 * exists. Same spec, seed and backend → the same metrics, whether or not the run was interrupted.
 */
export async function train(spec: RunSpec, model: tf.LayersModel, data: TrainData, checkpointDir: string, hooks: TrainHooks): Promise<TrainOutcome> {
  clearStopRequest();
  const optimizer = makeOptimizer(spec.optimizer);
  const params = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const allWeights = model.weights;
  let schedule = initialScheduleState(spec.schedule);
  let history: EpochMetrics[] = [];
  let iteration = 0;
  let startEpoch = 0;
  let gradNorms: GradientNorm[] | undefined;

  const ckpt = loadLatestCheckpoint(checkpointDir, (m) => hooks.progress.epoch(`warning: ${m}`));
  if (ckpt) {
    const prefixes = spec.optimizer.type === 'sgd' ? ['momentum'] : ['adam_m', 'adam_v'];
    try {
      checkCheckpointFits(ckpt, checkpointDir, spec.epochs, allWeights.map((w) => ({name: weightName(w), shape: w.shape as number[]})),
        prefixes.flatMap((p) => params.map((v, i) => ({name: `${p}/${i}`, shape: v.shape}))));
    } catch (err) {
      tf.dispose([...ckpt.tensors.values()]);
      throw err;
    }
    allWeights.forEach((w) => w.write(ckpt.tensors.get(`weight/${weightName(w)}`) as tf.Tensor));
    const optState = new Map([...ckpt.tensors].filter(([k]) => k.startsWith('optimizer/')).map(([k, v]) => [k.slice(10), v]));
    optimizer.loadState(optState, params);
    Object.assign(optimizer.scalars, ckpt.state.optimizerScalars);
    tf.dispose([...ckpt.tensors.values()]);
    schedule = {...ckpt.state.schedule};
    history = [...ckpt.state.history];
    iteration = ckpt.state.iteration;
    startEpoch = ckpt.state.epoch;
    gradNorms = ckpt.state.gradientNorms ? [...ckpt.state.gradientNorms] : undefined;
    hooks.progress.epoch(`resuming ${spec.experiment}/${spec.name} after epoch ${startEpoch} (iteration ${iteration})`);
  } else if (spec.gradientNorms) {
    gradNorms = await gradientNorms(model, data, spec, hooks.setStepSeed);
  }

  if (spec.schedule.type === 'plateau' && !data.val) {
    throw new ReproError(`${spec.experiment}/${spec.name}: a plateau schedule needs a validation split to watch`,
      {expected: 'data.valSize > 0 with schedule.type "plateau" (the reported test set never steers training)',
        fix: 'add "valSize" to the spec\'s data'});
  }
  const baseLr = spec.optimizer.lr;
  const recentErrors: number[] = [];
  const train = data.train;
  const trainEvalSet = spec.evalTrain ? firstImages(train, spec.evalTrain) : undefined;
  for (let epoch = startEpoch; epoch < spec.epochs; epoch++) {
    const rng = new Rng(deriveSeed(spec.seed, STREAM_DATA, epoch));
    const order = rng.permutation(train.count);
    const acc = new RunningMean();
    const t0 = Date.now();
    let lr = baseLr;
    let batchIndex = 0;
    for (let start = 0; start < train.count; start += spec.batchSize, batchIndex++) {
      const idx = order.subarray(start, Math.min(start + spec.batchSize, train.count));
      if (idx.length < 2) break; // batch norm needs two samples; PyTorch's drop_last for a singleton tail
      const {x, y} = toTensors(data, train, idx, rng);
      hooks.setStepSeed?.(deriveSeed(spec.seed, STREAM_STEP, iteration));
      lr = learningRate(spec.schedule, baseLr, iteration, schedule);
      let wrongT: tf.Tensor | undefined;
      const {value, grads} = variableGrads(() => {
        const out = model.apply(x, {training: true}) as tf.Tensor2D;
        wrongT = tf.keep(tf.sum(tf.cast(tf.notEqual(tf.argMax(out, 1), y), 'int32')));
        return lossFn(spec.loss, out, y);
      }, params);
      const loss = await scalar(value);
      const wrong = await scalar(wrongT as tf.Tensor);
      if (!Number.isFinite(loss)) {
        tf.dispose([value, x, y, wrongT as tf.Tensor, ...Object.values(grads)]);
        optimizer.dispose();
        hooks.progress.epoch(`${spec.experiment}/${spec.name}: loss became ${loss} at iteration ${iteration} (epoch ${epoch + 1}): diverged`);
        return {status: 'diverged', history, gradientNorms: gradNorms, resumedFromEpoch: startEpoch,
          divergedAt: {epoch: epoch + 1, iteration, loss}};
      }
      optimizer.step(params, params.map((p) => grads[p.name]), lr);
      tf.dispose([value, x, y, wrongT as tf.Tensor, ...Object.values(grads)]);
      iteration++;
      acc.add(loss, wrong, idx.length);
      recentErrors.push(wrong / idx.length);
      if (recentErrors.length > 20) recentErrors.shift();
      observeTrainError(spec.schedule, recentErrors.reduce((a, b) => a + b, 0) / recentErrors.length, schedule);
      const elapsed = (Date.now() - t0) / 1000;
      const rate = acc.n / Math.max(elapsed, 1e-3);
      hooks.progress.batch(`${spec.experiment}/${spec.name} epoch ${epoch + 1}/${spec.epochs}`, acc.n, train.count, rate,
        (train.count - acc.n) / rate);
      hooks.afterBatch?.(epoch, batchIndex);
      // One event-loop turn per step, so that an interrupt (SIGINT) is seen at the next step.
      await yieldToEventLoop();
      if (isStopRequested()) {
        clearStopRequest();
        optimizer.dispose();
        throw new TrainingInterrupted(`${spec.experiment}/${spec.name}`, epoch + 1, hooks.resumeHint ?? 'run the same command again');
      }
    }
    const wallMs = Date.now() - t0;
    const val = data.val ? await evaluate(model, data, data.val, spec.loss) : undefined;
    const test = testsAfterEpoch(spec, epoch + 1) ? await evaluate(model, data, data.test, spec.loss) : undefined;
    const trainEval = trainEvalSet ? await evaluate(model, data, trainEvalSet, spec.loss) : undefined;
    // Only a plateau schedule reads this, and it always has a validation split (checked above).
    if (val) observeEpoch(spec.schedule, baseLr, val.loss, schedule);
    const metrics: EpochMetrics = {
      epoch: epoch + 1, iteration, trainLoss: acc.loss, trainError: acc.error,
      ...(val ? {valLoss: val.loss, valError: val.error} : {}),
      ...(test ? {testLoss: test.loss, testError: test.error} : {}),
      ...(trainEval ? {trainEvalLoss: trainEval.loss, trainEvalError: trainEval.error} : {}),
      lr, wallMs, imgPerSec: acc.n / Math.max(wallMs / 1000, 1e-3),
    };
    history.push(metrics);
    const state: CheckpointState = {
      format: 1, epoch: epoch + 1, iteration, history, schedule, optimizerScalars: {...optimizer.scalars},
      weights: allWeights.map(weightName), ...(gradNorms ? {gradientNorms: gradNorms} : {}),
    };
    const tensors = new Map<string, tf.Tensor>();
    allWeights.forEach((w) => tensors.set(`weight/${weightName(w)}`, w.read()));
    optimizer.stateTensors().forEach((t, k) => tensors.set(`optimizer/${k}`, t));
    await saveCheckpoint(checkpointDir, state, tensors);
    hooks.progress.epoch(
      `${spec.experiment}/${spec.name} epoch ${epoch + 1}/${spec.epochs}: train loss ${metrics.trainLoss.toFixed(4)} ` +
      `err ${(metrics.trainError * 100).toFixed(2)}%` +
      (val ? `, val err ${(val.error * 100).toFixed(2)}%` : '') +
      (test ? `, test err ${(test.error * 100).toFixed(2)}%` : '') + `, lr ${+lr.toPrecision(6)}, ${metrics.imgPerSec.toFixed(0)} img/s`);
    hooks.onEpoch?.(metrics, history);
  }
  optimizer.dispose();
  return {status: 'done', history, gradientNorms: gradNorms, resumedFromEpoch: startEpoch};
}
