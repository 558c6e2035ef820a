import {architectureExperiment, torchvisionExperiment} from './a_architecture';
import {degradationExperiment} from './b1_b2_degradation';
import {shallowExperiment} from './b3_shallow';
import {shortcutsExperiment} from './b4_shortcuts';
import {gradientsExperiment} from './b5_gradients';
import {cnnVsResnetExperiment} from './b6_cnn_vs_resnet';
import {recipeExperiment} from './b7_recipe';
import {tinyImagenetExperiment} from './c_tiny_imagenet';
import {transferExperiment} from './d_transfer';
import {seqheadExperiment} from './e_seqhead';
import type {OutOfScope} from '../src/report/model';
import type {ExperimentSpec} from './types';

/** Every experiment, in report order. Explicit: importing this module runs nothing. */
export const EXPERIMENTS: readonly ExperimentSpec[] = [
  architectureExperiment, torchvisionExperiment, degradationExperiment, shallowExperiment, shortcutsExperiment, gradientsExperiment,
  cnnVsResnetExperiment, recipeExperiment, tinyImagenetExperiment, transferExperiment, seqheadExperiment,
];

/** The claim ids of ../shared/CLAIMS.md, in order; a test checks the registry covers exactly these. */
export const CLAIM_IDS = ['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7',
  'C1', 'C2', 'C3', 'D1', 'D2', 'D3', 'E1'] as const;

export const OUT_OF_SCOPE: readonly OutOfScope[] = [
  {what: 'ImageNet training (ILSVRC top-5 3.57% ensemble)', why: 'no ImageNet on these machines, and far beyond their compute'},
  {what: 'COCO detection', why: 'no COCO data here and far beyond the compute of this project\'s machines'},
];

export {Profile, isProfile} from './profile';
export type {ExperimentSpec} from './types';
