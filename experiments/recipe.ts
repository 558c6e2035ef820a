import type {AugmentSpec} from '../src/data/types';
import type {RunSpec} from '../src/runs/spec';
import {mainData, type ExperimentContext} from './data_choice';

/**
 * The CIFAR-10 training recipe of the original paper §4.2 / 002 §3.4 (claim B7), literally: the
 * paper profile's specs are built from these numbers, and B7 checks them against this object.
 */
export const PAPER_RECIPE = {
  optimizer: {type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 1e-4},
  batchSize: 128,
  /** 45k/5k train/validation split. */
  valSize: 5000,
  milestones: [32000, 48000],
  gamma: 0.1,
  iterations: 64000,
  augment: {padCrop: 4, hflip: true, normalize: 'per-pixel-mean'},
} as const;

/** 45k images / 128 per batch = 352 steps per epoch; 182 epochs reach 64k iterations. */
export const PAPER_EPOCHS = Math.ceil(PAPER_RECIPE.iterations / Math.ceil((50000 - PAPER_RECIPE.valSize) / PAPER_RECIPE.batchSize));

/**
 * Quick-profile sizes (chosen for a 2-core CPU; budget in experiments/README.md): a stratified
 * subset per class, a few epochs, the paper's schedule shape (÷10 at 50% and 75%).
 */
export const QUICK = {trainPerClass: 1000, testPerClass: 200, epochs: 10, batchSize: 128} as const;
export const SMOKE = {epochs: 2, batchSize: 16} as const;

export interface CifarRunOptions {
  readonly experiment: string;
  readonly name: string;
  readonly model: string;
  readonly augment?: AugmentSpec;
  readonly gradientNorms?: boolean;
  /** Override the profile's epochs (B5 needs one epoch only). */
  readonly epochs?: number;
  readonly trainPerClass?: number;
  readonly seed?: number;
}

/** Full training-split sizes of the ten-class sets these runs use. */
const TRAIN_SPLIT: Readonly<Record<string, number>> = {'cifar10': 50000, 'fashion-mnist': 60000};

/** Training images per epoch of a CIFAR-style run's data (after the subset and the validation hold-out). */
function trainImageCount(data: RunSpec['data']): number {
  if (data.synthetic) return data.synthetic.count;
  const classes = data.classes?.length ?? 10;
  if (data.trainPerClass) return data.trainPerClass * classes;
  const full = TRAIN_SPLIT[data.name];
  if (full === undefined) throw new Error(`trainImageCount: no training-split size known for "${data.name}"`);
  return full - (data.valSize ?? 0);
}

/** Optimizer steps of a whole run: epochs × batches per epoch (a short last batch counts as one). */
export function runIterations(spec: Pick<RunSpec, 'data' | 'epochs' | 'batchSize'>): number {
  return spec.epochs * Math.ceil(trainImageCount(spec.data) / spec.batchSize);
}

/** One CIFAR-style run under the profile's recipe (paper: the published one; quick/smoke: scaled down). */
export function cifarRun(ctx: ExperimentContext, o: CifarRunOptions): RunSpec {
  const base = {experiment: o.experiment, name: o.name, model: o.model, loss: 'cross-entropy' as const, seed: o.seed ?? 1,
    ...(o.gradientNorms ? {gradientNorms: true} : {})};
  if (ctx.profile === 'paper') {
    return {...base, data: {name: 'cifar10', valSize: PAPER_RECIPE.valSize}, augment: o.augment ?? PAPER_RECIPE.augment,
      optimizer: PAPER_RECIPE.optimizer, batchSize: PAPER_RECIPE.batchSize, epochs: o.epochs ?? PAPER_EPOCHS,
      schedule: {type: 'multistep', milestones: PAPER_RECIPE.milestones, gamma: PAPER_RECIPE.gamma}};
  }
  const smoke = ctx.profile === 'smoke';
  const epochs = o.epochs ?? (smoke ? SMOKE.epochs : QUICK.epochs);
  const batchSize = smoke ? SMOKE.batchSize : QUICK.batchSize;
  const trainPerClass = o.trainPerClass ?? QUICK.trainPerClass;
  const data = mainData(ctx, smoke ? {} : {trainPerClass, testPerClass: QUICK.testPerClass});
  const steps = runIterations({data, epochs, batchSize});
  return {...base, data, augment: o.augment ?? PAPER_RECIPE.augment,
    optimizer: {...PAPER_RECIPE.optimizer, ...(smoke ? {lr: 0.05} : {})}, batchSize, epochs,
    schedule: {type: 'multistep', milestones: [Math.max(1, Math.round(steps / 2)), Math.max(2, Math.round(steps * 3 / 4))],
      gamma: PAPER_RECIPE.gamma}};
}
