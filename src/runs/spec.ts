import type {AugmentSpec} from '../data/types';
import {pretrainedNames} from '../models/pretrained';
import {check, opt, req, type Schema} from '../util/validate';
import {checkRunSpecLimits} from './spec_limits';

/**
 * One training run, fully described as data: everything that can change its result is in here
 * (plus the code version and the data identity, which the run hash adds). `repro train --spec`
 * reads exactly this from JSON; `repro plan` prints it.
 */
export interface RunSpec {
  /** Experiment module id, e.g. 'B1'. */
  readonly experiment: string;
  /** Run name within the experiment, e.g. 'plain56'. */
  readonly name: string;
  /** Model registry name, e.g. 'resnet20' (src/models). */
  readonly model: string;
  readonly data: DataSpec;
  readonly augment: AugmentSpec;
  readonly optimizer: OptimizerSpec;
  readonly schedule: ScheduleSpec;
  readonly loss: 'cross-entropy' | 'nll';
  readonly epochs: number;
  readonly batchSize: number;
  /** Seeds weights, data order, augmentation and dropout. */
  readonly seed: number;
  /** Record the per-layer gradient norms at initialisation (claim B5). */
  readonly gradientNorms?: boolean;
  /**
   * When the test set is evaluated: after every epoch (absent or 'epoch'), or only after the last
   * ('final': the per-epoch curves then come from the validation split, and the reported set is
   * touched once, at the end).
   */
  readonly evalTest?: 'epoch' | 'final';
  /**
   * With evalTest 'final': evaluate the test set after each of the last N epochs, not the last
   * alone. Their mean is the level a constant-rate run has converged to, where one epoch's
   * snapshot is wherever the oscillation happens to be (claim B6). No schedule reads it.
   */
  readonly testWindow?: number;
  /**
   * Evaluate this many training images (the first N of the training split, un-augmented, in
   * inference mode: BN moving statistics, no dropout) after every epoch: the training accuracy of
   * a train−validation gap (claim C2), free of dropout and augmentation.
   */
  readonly evalTrain?: number;
  /** Start from pretrained weights instead of a seeded initialisation (transfer learning, claims D). */
  readonly init?: InitSpec;
}

/**
 * `pretrained`: a registry name of src/models/pretrained.ts (e.g. 'resnet18.tv_in1k', for model
 * 'resnet18'). Every tensor of the file is loaded except the classifier `fc`, which is new (the
 * run's number of classes) and initialised as PyTorch's nn.Linear default from the run's seed.
 * The weights' pinned checksum is part of the training code, so the run hash covers them.
 */
export interface InitSpec {
  readonly pretrained: string;
}

export interface DataSpec {
  /** Data set registry name: 'cifar10', 'fashion-mnist', 'tiny-imagenet', 'image-folder', 'synthetic'. */
  readonly name: string;
  /** Directory for image-folder data (other sets resolve their own location). */
  readonly dir?: string;
  /** Hold out this many training images as the validation split (45k/5k: 5000). */
  readonly valSize?: number;
  /** Use only the first N images (per class, stratified) of the training split. */
  readonly trainPerClass?: number;
  /** Use only N test images per class. */
  readonly testPerClass?: number;
  /** Keep only these classes, relabelled 0..k-1 in this order (seed 000's two-class subset). */
  readonly classes?: readonly number[];
  /** Options of the synthetic generator (tests and the smoke profile). */
  readonly synthetic?: {readonly count: number; readonly testCount: number; readonly size: number;
    readonly channels: number; readonly classes: number};
}

export type OptimizerSpec =
  | {readonly type: 'sgd'; readonly lr: number; readonly momentum: number; readonly weightDecay: number}
  | {readonly type: 'adam'; readonly lr: number; readonly beta1?: number; readonly beta2?: number;
      readonly epsilon?: number; readonly weightDecay?: number};

/** Learning-rate schedules. Iteration counts are global optimizer steps (the paper's "32k iterations"). */
export type ScheduleSpec =
  | {readonly type: 'constant'; readonly warmup?: WarmupSpec}
  | {readonly type: 'multistep'; readonly milestones: readonly number[]; readonly gamma: number; readonly warmup?: WarmupSpec}
  | {readonly type: 'plateau'; readonly factor: number; readonly patience: number; readonly minLr?: number;
      readonly warmup?: WarmupSpec};

/** ResNet-110's start: train at `lr` until `iterations` steps or the training error falls below `untilTrainError`. */
export interface WarmupSpec {
  readonly lr: number;
  readonly iterations?: number;
  readonly untilTrainError?: number;
}

const num = (min?: number, max?: number): Schema => ({kind: 'number', min, max});
const int = (min?: number): Schema => ({kind: 'number', integer: true, min});
const str: Schema = {kind: 'string'};
const bool: Schema = {kind: 'boolean'};

const warmup = opt({kind: 'object', fields: {lr: req(num(0)), iterations: opt(int(0)), untilTrainError: opt(num(0, 1))}});

export const RUN_SPEC_SCHEMA: Schema = {
  kind: 'object',
  fields: {
    experiment: req(str),
    name: req(str),
    model: req(str),
    data: req({kind: 'object', fields: {
      name: req(str), dir: opt(str), valSize: opt(int(0)), trainPerClass: opt(int(1)), testPerClass: opt(int(1)),
      classes: opt({kind: 'array', items: int(0), minItems: 2}),
      synthetic: opt({kind: 'object', fields: {count: req(int(1)), testCount: req(int(1)), size: req(int(1)),
        channels: req(int(1)), classes: req(int(2))}}),
    }}),
    augment: req({kind: 'object', fields: {
      padCrop: opt(int(0)), hflip: opt(bool), vflip: opt(bool), resize: opt(int(1)),
      normalize: req({kind: 'string', oneOf: ['per-pixel-mean', 'scale01', 'imagenet']}),
    }}),
    optimizer: req({kind: 'union', tag: 'type', variants: {
      sgd: {lr: req(num(0)), momentum: req(num(0, 1)), weightDecay: req(num(0))},
      adam: {lr: req(num(0)), beta1: opt(num(0, 1)), beta2: opt(num(0, 1)), epsilon: opt(num(0)), weightDecay: opt(num(0))},
    }}),
    schedule: req({kind: 'union', tag: 'type', variants: {
      constant: {warmup},
      multistep: {milestones: req({kind: 'array', items: int(1)}), gamma: req(num(0, 1)), warmup},
      plateau: {factor: req(num(0, 1)), patience: req(int(0)), minLr: opt(num(0)), warmup},
    }}),
    loss: req({kind: 'string', oneOf: ['cross-entropy', 'nll']}),
    epochs: req(int(1)),
    batchSize: req(int(1)),
    seed: req(int(0)),
    gradientNorms: opt(bool),
    evalTest: opt({kind: 'string', oneOf: ['epoch', 'final']}),
    testWindow: opt(int(1)),
    evalTrain: opt(int(1)),
    init: opt({kind: 'object', fields: {pretrained: req({kind: 'string', oneOf: pretrainedNames()})}}),
  },
};

/** Whether the run evaluates the test set after epoch `epoch` (1-based): every epoch, or the last `testWindow` (default 1). */
export function testsAfterEpoch(spec: RunSpec, epoch: number): boolean {
  return spec.evalTest !== 'final' || epoch > spec.epochs - (spec.testWindow ?? 1);
}

/**
 * Checks parsed JSON against the RunSpec schema and the limits of training (checkRunSpecLimits);
 * `file` names the source in error messages. Every entry point goes through here: the CLI, plans,
 * and ensureRun for specs built in code (library, notebooks).
 */
export function parseRunSpec(json: unknown, file: string): RunSpec {
  check(json, RUN_SPEC_SCHEMA, file);
  checkRunSpecLimits(json as RunSpec, file);
  return json as RunSpec;
}
