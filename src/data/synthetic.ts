import {ReproError} from '../util/errors';
import {Rng} from '../util/rng';
import {sha256Hex} from './identity';
import type {ImageSet, LoadedDataset} from './types';

export interface SyntheticParams {
  readonly classes: number;
  readonly trainCount: number;
  readonly testCount: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly seed: number;
  /** Per-pixel noise standard deviation relative to the class signal (0 = noiseless prototypes). */
  readonly noise: number;
}

export const SYNTHETIC_DEFAULTS: SyntheticParams = {
  classes: 10, trainCount: 512, testCount: 128, height: 32, width: 32, channels: 3, seed: 0, noise: 0.5,
};

/**
 * One smooth prototype per class: a few random plane waves per channel (orientation, frequency,
 * phase drawn from the seed), in [-1, 1]. Classes differ in spatial structure and colour, so a
 * small convnet learns them in a few steps, and the noise keeps it from being trivial.
 */
function prototypes(p: SyntheticParams, rng: Rng): Float32Array[] {
  const out: Float32Array[] = [];
  for (let c = 0; c < p.classes; c++) {
    const img = new Float32Array(p.height * p.width * p.channels);
    for (let ch = 0; ch < p.channels; ch++) {
      for (let wave = 0; wave < 2; wave++) {
        const angle = rng.next() * Math.PI;
        const freq = (1 + rng.int(3)) * 2 * Math.PI / Math.max(p.height, p.width);
        const phase = rng.next() * 2 * Math.PI;
        const fx = Math.cos(angle) * freq;
        const fy = Math.sin(angle) * freq;
        for (let y = 0; y < p.height; y++) {
          for (let x = 0; x < p.width; x++) img[(y * p.width + x) * p.channels + ch] += 0.5 * Math.sin(fx * x + fy * y + phase);
        }
      }
    }
    out.push(img);
  }
  return out;
}

function sample(p: SyntheticParams, protos: readonly Float32Array[], count: number, rng: Rng, classes: readonly string[]): ImageSet {
  const size = p.height * p.width * p.channels;
  const images = new Uint8Array(count * size);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % p.classes; // balanced
    labels[i] = label;
    const proto = protos[label];
    for (let k = 0; k < size; k++) {
      const v = 128 + 80 * (proto[k] + p.noise * rng.normal());
      images[i * size + k] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
    }
  }
  return {images, labels, count, height: p.height, width: p.width, channels: p.channels, classes};
}

/** A seeded, learnable, class-dependent image set of any size (the smoke profile and the trainer tests use it). */
export function syntheticDataset(params: Partial<SyntheticParams> = {}): LoadedDataset {
  const p: SyntheticParams = {...SYNTHETIC_DEFAULTS, ...params};
  for (const k of ['classes', 'trainCount', 'testCount', 'height', 'width', 'channels'] as const) {
    if (!Number.isInteger(p[k]) || p[k] < 1) throw new ReproError(`syntheticDataset: ${k} must be a positive integer, got ${p[k]}`);
  }
  if (!(p.noise >= 0)) throw new ReproError(`syntheticDataset: noise must be ≥ 0, got ${p.noise}`);
  const rng = new Rng(p.seed);
  const protos = prototypes(p, rng);
  const classes = Array.from({length: p.classes}, (_, c) => `class${c}`);
  const canonical = JSON.stringify(Object.keys(p).sort().map((k) => [k, p[k as keyof SyntheticParams]]));
  return {
    name: 'synthetic',
    train: sample(p, protos, p.trainCount, rng.fork(), classes),
    test: sample(p, protos, p.testCount, rng.fork(), classes),
    checksum: sha256Hex(`synthetic-v1 ${canonical}`),
    source: `synthetic ${canonical}`,
  };
}
