import * as tf from '@tensorflow/tfjs';
import type {ImageSet} from '../../src/data/types';
import type {RunSpec} from '../../src/runs/spec';
import type {TrainData} from '../../src/train/trainer';
import {Rng} from '../../src/util/rng';

/** A learnable toy image set: class k brightens rows 2k..2k+1 (plus noise), so flips keep the label. 8×8×1, 4 classes. */
export function toySet(count: number, seed: number): ImageSet {
  const rng = new Rng(seed);
  const h = 8, w = 8, images = new Uint8Array(count * h * w), labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const k = n % 4;
    labels[n] = k;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const inBand = Math.floor(y / 2) === k;
      images[n * h * w + y * w + x] = Math.min(255, Math.floor((inBand ? 150 : 40) + rng.next() * 60));
    }
  }
  return {images, labels, count, height: h, width: w, channels: 1, classes: ['a', 'b', 'c', 'd']};
}

/** TrainData over toy sets: x/255, random horizontal flip when augmenting. */
export function toyData(): TrainData & {name: string; checksum: string} {
  const train = toySet(96, 1), test = toySet(40, 2);
  return {
    name: 'toy', checksum: 'toy-v1', train, test,
    batch(set, indices, rng) {
      const px = set.height * set.width;
      const x = new Float32Array(indices.length * px);
      indices.forEach((src, i) => {
        const flip = rng !== undefined && rng.next() < 0.5;
        for (let y = 0; y < set.height; y++) for (let c = 0; c < set.width; c++) {
          const from = flip ? set.width - 1 - c : c;
          x[i * px + y * set.width + c] = set.images[src * px + y * set.width + from] / 255;
        }
      });
      return {x, shape: [indices.length, set.height, set.width, 1]};
    },
  };
}

/** A small conv net from stock tfjs layers, initialised from `seed`. */
export function toyModel(seed: number): tf.LayersModel {
  const input = tf.input({shape: [8, 8, 1]});
  let x = tf.layers.conv2d({filters: 4, kernelSize: 3, padding: 'same', name: 'conv1',
    kernelInitializer: tf.initializers.glorotUniform({seed})}).apply(input) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor; // keeps position: the classes are row bands
  x = tf.layers.dense({units: 4, name: 'fc', kernelInitializer: tf.initializers.glorotUniform({seed: seed + 1})})
    .apply(x) as tf.SymbolicTensor;
  return tf.model({inputs: input, outputs: x});
}

export function toySpec(over: Partial<RunSpec> = {}): RunSpec {
  return {
    experiment: 'T', name: 'toy', model: 'toy', data: {name: 'toy'}, augment: {normalize: 'scale01', hflip: true},
    optimizer: {type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 1e-4},
    schedule: {type: 'multistep', milestones: [10], gamma: 0.1}, loss: 'cross-entropy',
    epochs: 3, batchSize: 16, seed: 5, ...over,
  };
}

/** Metrics without wall-clock fields, for exact comparisons. */
export function stripTimes<T extends {wallMs: number; imgPerSec: number}>(h: readonly T[]): Omit<T, 'wallMs' | 'imgPerSec'>[] {
  return h.map(({wallMs: _w, imgPerSec: _r, ...rest}) => rest);
}
