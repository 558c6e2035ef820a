import type {Training} from '../../src/pipeline/plan';
import {planHash} from '../../src/runs/ensure_run';
import {prepareTrainData} from '../../src/runs/prepare_data';
import type {RunSpec} from '../../src/runs/spec';

/** A small real run: ResNet-8 on synthetic 16×16 images, about a second per epoch on cpu-native. */
export function smallSpec(name: string, epochs: number, seed = 11): RunSpec {
  return {
    experiment: 'test', name, model: 'resnet8',
    data: {name: 'synthetic', synthetic: {count: 1536, testCount: 128, size: 16, channels: 3, classes: 4}},
    augment: {padCrop: 2, hflip: true, normalize: 'per-pixel-mean'},
    optimizer: {type: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 1e-4},
    schedule: {type: 'multistep', milestones: [30], gamma: 0.1},
    loss: 'cross-entropy', epochs, batchSize: 32, seed,
  };
}

/** A planned training of `spec` (its real hash unless one is forced, e.g. a wrong one). */
export async function training(spec: RunSpec, hash?: string): Promise<Training> {
  const data = await prepareTrainData(spec);
  return {spec, hash: hash ?? await planHash(spec, {prepareData: async () => data}), cached: false, dataChecksum: data.checksum, work: spec.epochs};
}
