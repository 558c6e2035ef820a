import type * as tf from '@tensorflow/tfjs';
import {buildPretrainedModel} from '../models/fine_tune';
import type {PretrainedWeights} from '../models/pretrained';
import {buildModel} from '../models/registry';
import type {TrainData} from '../train/trainer';
import type {RunSpec} from './spec';

/**
 * The model a run trains: `spec.model` at the input size the augmentation produces, with the data's
 * number of classes; initialised from `spec.seed`, or, with `spec.init.pretrained`, from pretrained
 * weights with a fresh classifier (transfer learning). `weights` points tests at generated files.
 */
export function buildRunModel(spec: RunSpec, data: TrainData,
  weights: {dir?: string; registry?: readonly PretrainedWeights[]} = {}): tf.LayersModel {
  const inputShape = [spec.augment.resize ?? data.train.height, spec.augment.resize ?? data.train.width, data.train.channels] as const;
  const numClasses = data.train.classes.length;
  if (spec.init?.pretrained) {
    return buildPretrainedModel(spec.model, {pretrained: spec.init.pretrained, seed: spec.seed, inputShape, numClasses, ...weights});
  }
  return buildModel(spec.model, {seed: spec.seed, inputShape, numClasses});
}
