import type {RunResult} from '../../src/runs/result';
import {runHash} from '../../src/runs/hash';
import type {RunSpec} from '../../src/runs/spec';
import {finalMetrics} from '../../src/train/metrics';

/** A stored result of seed `seed` whose 2 epochs of 1,000 images took `epochSeconds` each. */
export function storedResult(seed: number, epochSeconds: number): RunResult {
  const spec = {experiment: 'B1B2', name: `resnet20.s${seed}`, model: 'resnet20', data: {name: 'synthetic'}, augment: {normalize: 'scale01'},
    optimizer: {type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 1e-4}, schedule: {type: 'constant'}, loss: 'cross-entropy',
    epochs: 2, batchSize: 16, seed} as RunSpec;
  const history = [1, 2].map((epoch) => ({epoch, iteration: 3 * epoch, trainLoss: 1, trainError: 0.5, testLoss: 1, testError: 0.5, lr: 0.1,
    wallMs: epochSeconds * 1000, imgPerSec: 1000 / epochSeconds}));
  return {format: 1, hash: runHash(spec, 'v', 'sum'), spec, status: 'done', history, final: finalMetrics(history),
    provenance: {git: 'abc', dirty: false, node: 'v20', tfjs: '4.22.0', backend: 'cpu-native', backendReason: '', device: 'cpu', threads: 2,
      codeVersion: 'v', data: {synthetic: 'sum'}, startedAt: '', endedAt: ''}, wallMs: 2 * epochSeconds * 1000, resumedFromEpoch: 0, dataChecksum: 'sum'};
}
