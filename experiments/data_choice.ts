import {resolveDatasetDir} from '../src/data/registry';
import {pretrainedNames} from '../src/models/pretrained';
import {listPretrained} from '../src/models/pretrained_files';
import type {DataSpec} from '../src/runs/spec';
import type {Profile} from './profile';

/** The data set a profile's CIFAR experiments train on, and what the report must say about it. */
export interface DataChoice {
  readonly name: 'cifar10' | 'fashion-mnist' | 'synthetic';
  /** True when it stands in for CIFAR-10; `note` then goes on the row of every claim that uses it. */
  readonly standIn: boolean;
  readonly note?: string;
  /** False when not even the chosen set is on this machine: the CIFAR-type experiments are then 'not run'. */
  readonly present: boolean;
}

/** What an experiment may look at when it declares its runs: the profile and the data present on this machine. */
export interface ExperimentContext {
  readonly profile: Profile;
  readonly data: DataChoice;
  readonly tinyImagenetPresent: boolean;
  readonly intelScenePresent: boolean;
  /** Registry names of the pretrained weights whose files are on this machine (src/models/pretrained.ts). */
  readonly weightsPresent: readonly string[];
}

/** The smoke profile's synthetic stand-in: tiny, learnable, generated (no file is read). */
export const SMOKE_SYNTHETIC = {count: 48, testCount: 24, size: 8, channels: 3, classes: 4} as const;

/**
 * CIFAR-10 when present; otherwise the quick profile uses Fashion-MNIST (always available
 * offline here: Debian's dataset-fashion-mnist) and says so. The paper profile insists on
 * CIFAR-10 (its runs then fail to load with the data registry's message on how to fetch it).
 */
export function chooseData(profile: Profile, present: (name: 'cifar10' | 'fashion-mnist') => boolean): DataChoice {
  if (profile === 'smoke') {
    return {name: 'synthetic', standIn: true, present: true,
      note: 'smoke profile: synthetic 8×8 images stand in for CIFAR-10 (a pipeline test, not evidence)'};
  }
  if (present('cifar10') || profile === 'paper') return {name: 'cifar10', standIn: false, present: present('cifar10')};
  if (present('fashion-mnist')) {
    return {name: 'fashion-mnist', standIn: true, present: true,
      note: 'Fashion-MNIST stands in for CIFAR-10 (CIFAR-10 not present: `repro data fetch cifar10`)'};
  }
  return {name: 'cifar10', standIn: false, present: false};
}

/** The context from the data registry (cheap: only looks for the files). */
export function experimentContext(profile: Profile): ExperimentContext {
  const present = (name: string) => resolveDatasetDir(name).present;
  return {profile, data: chooseData(profile, present), tinyImagenetPresent: present('tiny-imagenet'),
    intelScenePresent: present('intel-scene'), weightsPresent: listPretrained().filter((w) => w.present).map((w) => w.name)};
}

/** The DataSpec of the CIFAR-type experiments: the chosen set, optionally subset per class. */
export function mainData(ctx: ExperimentContext, sizes: {trainPerClass?: number; testPerClass?: number; valSize?: number} = {}): DataSpec {
  if (ctx.data.name === 'synthetic') return {name: 'synthetic', synthetic: SMOKE_SYNTHETIC};
  return {name: ctx.data.name, ...sizes};
}

/** A context that looks at no files (the paper profile's specs do not depend on what is present; it assumes its data and weights). */
export function experimentContextFor(profile: Profile, data?: DataChoice): ExperimentContext {
  return {profile, data: data ?? chooseData(profile, () => profile === 'paper'), tinyImagenetPresent: false, intelScenePresent: false,
    weightsPresent: profile === 'paper' ? pretrainedNames() : []};
}

/** 'not run' for the CIFAR-type experiments when their data set is absent, with the command that fetches it. */
export function mainDataNotRun(ctx: ExperimentContext, experiment: string): {reason: string; command: string} | undefined {
  if (ctx.data.present) return undefined;
  return {reason: ctx.profile === 'paper' ? 'CIFAR-10 is not present (the paper profile does not use a stand-in)'
    : 'neither CIFAR-10 nor the Fashion-MNIST stand-in is present',
  command: `repro data fetch cifar10 && npm run reproduce -- --profile ${ctx.profile} --only ${experiment}`};
}
