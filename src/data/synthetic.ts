import {Rng} from '../util/rng';
import {ReproError} from '../util/errors';
import {sha256Hex} from './identity';
import type {ImageSet, LoadedDataset} from './types';

/** Parameters of a synthetic data set; together they are its identity. */
export interface SyntheticSpec {
  readonly classes: number;
  readonly trainCount: number;
  readonly testCount: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly seed: number;
  /** Standard deviation of the per-pixel noise in 0..255 units (default 40): higher is harder. */
  readonly noise?: number;
}

export const SYNTHETIC_DEFAULTS: SyntheticSpec = {classes: 10, trainCount: 512, testCount: 128, height: 32, width: 32, channels: 3, seed: 0, noise: 40};

/**
 * A learnable, class-dependent image set for tests and the smoke profile: each class has a
 * smooth prototype (a random mix of low-frequency sinusoids per channel); an image is its class
 * prototype, randomly shifted by up to 2 pixels (so that convolutions help), plus Gaussian noise.
 * Fully determined by the spec; the checksum is sha256 of the spec.
 */
export function makeSynthetic(partial: Partial<SyntheticSpec> = {}): LoadedDataset {
  const spec: SyntheticSpec = {...SYNTHETIC_DEFAULTS, ...partial};
  const {classes, height: h, width: w, channels: c} = spec;
  for (const [k, v] of Object.entries(spec)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (k !== 'noise' && !Number.isInteger(v))) {
      throw new ReproError(`synthetic data: ${k} = ${String(v)}`, {expected: 'a non-negative integer (noise: a non-negative number)'});
    }
  }
  if (classes < 2 || h < 1 || w < 1 || c < 1 || spec.trainCount < 1 || spec.testCount < 1) {
    throw new ReproError(`synthetic data: ${JSON.stringify(spec)}`, {expected: 'at least 2 classes, 1 image per split and a non-empty image size'});
  }
  const rng = new Rng(spec.seed);
  const protos: Float32Array[] = [];
  for (let k = 0; k < classes; k++) {
    const p = new Float32Array(h * w * c);
    for (let ch = 0; ch < c; ch++) {
      const waves = Array.from({length: 3}, () => ({
        fy: 1 + rng.int(3), fx: 1 + rng.int(3), phase: rng.next() * 2 * Math.PI, amp: 30 + rng.next() * 40,
      }));
      const base = 70 + rng.next() * 115;
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
        let v = base;
        for (const wv of waves) v += wv.amp * Math.sin(2 * Math.PI * (wv.fy * y / h + wv.fx * x / w) + wv.phase);
        p[(y * w + x) * c + ch] = v;
      }
    }
    protos.push(p);
  }
  const noise = spec.noise ?? 40;
  const makeSet = (count: number): ImageSet => {
    const images = new Uint8Array(count * h * w * c);
    const labels = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const label = i % classes; // balanced classes
      labels[i] = label;
      const dy = rng.int(5) - 2;
      const dx = rng.int(5) - 2;
      const p = protos[label];
      const o = i * h * w * c;
      for (let y = 0; y < h; y++) {
        const sy = Math.min(h - 1, Math.max(0, y + dy));
        for (let x = 0; x < w; x++) {
          const sx = Math.min(w - 1, Math.max(0, x + dx));
          for (let ch = 0; ch < c; ch++) {
            const v = p[(sy * w + sx) * c + ch] + noise * rng.normal();
            images[o + (y * w + x) * c + ch] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v); // Uint8Array would wrap
          }
        }
      }
    }
    return {images, labels, count, height: h, width: w, channels: c, classes: Array.from({length: classes}, (_, k) => `class${k}`)};
  };
  const train = makeSet(spec.trainCount);
  const test = makeSet(spec.testCount);
  const canonical = JSON.stringify(Object.keys(spec).sort().map((k) => [k, spec[k as keyof SyntheticSpec]]));
  return {name: 'synthetic', train, test, checksum: sha256Hex(`synthetic-v1 ${canonical}`), source: `synthetic ${canonical}`};
}
