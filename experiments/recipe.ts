import type {AugmentSpec} from '../src/data/types';
import type {RunSpec, WarmupSpec} from '../src/runs/spec';
import {mainData, type ExperimentContext} from './data_choice';
import type {Profile} from './profile';

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
 * The CIFAR-type sizes of the CPU profiles (the paper profile uses PAPER_RECIPE). Every trained
 * claim is decided over `seeds`; the test set is whole (10,000 images) and evaluated once, after
 * the last epoch; per-epoch curves come from a validation split held out of the training set.
 * quick: a 2-core CPU in under an hour (many claims honestly inconclusive); standard: ~10 h on
 * the same machine, sized in experiments/README.md. smoke: synthetic data, a test of the machinery.
 */
export interface CifarSizes {
  readonly seeds: readonly number[];
  readonly trainPerClass?: number;
  readonly valSize?: number;
  readonly epochs: number;
  readonly batchSize: number;
}
export const SIZES: Readonly<Record<'smoke' | 'quick' | 'standard', CifarSizes>> = {
  smoke: {seeds: [1, 2], epochs: 2, batchSize: 16},
  quick: {seeds: [1, 2, 3], trainPerClass: 300, valSize: 1000, epochs: 6, batchSize: 128},
  standard: {seeds: [1, 2, 3], trainPerClass: 2000, valSize: 1000, epochs: 25, batchSize: 128},
};

/** The seeds a profile decides its trained claims over (paper: 5, as the paper's "mean of 5"). */
export function seedsOf(profile: Profile): readonly number[] {
  return profile === 'paper' ? [1, 2, 3, 4, 5] : SIZES[profile].seeds;
}

/** A run's name within its experiment: the model (or role) and its seed, e.g. "plain56.s2". */
export function runName(name: string, seed: number): string {
  return `${name}.s${seed}`;
}

export interface CifarRunOptions {
  readonly experiment: string;
  /** The role or model name; the run is called runName(name, seed). */
  readonly name: string;
  readonly model: string;
  readonly seed: number;
  readonly augment?: AugmentSpec;
  readonly gradientNorms?: boolean;
  /** Override the profile's sizes (B5 needs one epoch of a few images; B6 trains longer at a constant lr). */
  readonly epochs?: number;
  readonly trainPerClass?: number;
  /** A test subset per class, for runs whose claims use no test metric (B5's gradient norms). */
  readonly testPerClass?: number;
  readonly optimizer?: RunSpec['optimizer'];
  readonly schedule?: RunSpec['schedule'];
  /** A warm-up at the start of the profile's default schedule (the paper's ResNet-110 rule). */
  readonly warmup?: WarmupSpec;
  /** Test after each of the last N epochs, not the last alone (RunSpec.testWindow; B6's converged level). */
  readonly testWindow?: number;
}

/**
 * The budget of B1/B2's and B4's nets in the standard profile, chosen by the pilot
 * (experiments/README.md, "Sizing the standard profile"): twice the profile's epochs, and the
 * paper's ResNet-110 warm-up (lr 0.01 until the training error is below 80%) for every net, since
 * ResNet-56 needed it (the same rule for all, as B1's difference in differences compares them).
 */
export const DEPTH_BUDGET: Partial<Record<Profile, Pick<CifarRunOptions, 'epochs' | 'warmup'>>> = {
  standard: {epochs: 50, warmup: {lr: 0.01, untilTrainError: 0.8}},
};

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

/** One CIFAR-style run under the profile's recipe (paper: the published one; others: SIZES, same shape). */
export function cifarRun(ctx: ExperimentContext, o: CifarRunOptions): RunSpec {
  const base = {experiment: o.experiment, name: runName(o.name, o.seed), model: o.model, loss: 'cross-entropy' as const, seed: o.seed,
    ...(o.gradientNorms ? {gradientNorms: true} : {})};
  if (ctx.profile === 'paper') {
    return {...base, data: {name: 'cifar10', valSize: PAPER_RECIPE.valSize}, augment: o.augment ?? PAPER_RECIPE.augment,
      optimizer: o.optimizer ?? PAPER_RECIPE.optimizer, batchSize: PAPER_RECIPE.batchSize, epochs: o.epochs ?? PAPER_EPOCHS,
      schedule: o.schedule ?? {type: 'multistep', milestones: PAPER_RECIPE.milestones, gamma: PAPER_RECIPE.gamma}};
  }
  const sizes = SIZES[ctx.profile];
  const smoke = ctx.profile === 'smoke';
  const epochs = o.epochs ?? sizes.epochs;
  const trainPerClass = o.trainPerClass ?? sizes.trainPerClass;
  const data = mainData(ctx, smoke ? {} : {...(trainPerClass ? {trainPerClass} : {}), ...(sizes.valSize ? {valSize: sizes.valSize} : {}),
    ...(o.testPerClass ? {testPerClass: o.testPerClass} : {})});
  const steps = runIterations({data, epochs, batchSize: sizes.batchSize});
  return {...base, data, augment: o.augment ?? PAPER_RECIPE.augment,
    optimizer: o.optimizer ?? {...PAPER_RECIPE.optimizer, ...(smoke ? {lr: 0.05} : {})}, batchSize: sizes.batchSize, epochs,
    schedule: o.schedule ?? {type: 'multistep', milestones: [Math.max(1, Math.round(steps / 2)), Math.max(2, Math.round(steps * 3 / 4))],
      gamma: PAPER_RECIPE.gamma, ...(o.warmup ? {warmup: {...o.warmup}} : {})},
    ...(smoke ? {} : {evalTest: 'final' as const, ...(o.testWindow ? {testWindow: Math.min(o.testWindow, epochs)} : {})})};
}

/** One run per (seed, role) of the profile, seeds outermost: every role of seed 1 trains before seed 2's. */
export function seededRuns(ctx: ExperimentContext, roles: readonly Omit<CifarRunOptions, 'seed'>[], seeds = seedsOf(ctx.profile)): RunSpec[] {
  return seeds.flatMap((seed) => roles.map((r) => cifarRun(ctx, {...r, seed})));
}
