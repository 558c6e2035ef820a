import {strict as assert} from 'node:assert';
import {BatchMaker, IMAGENET_MEAN, IMAGENET_STD, meanImage} from '../../src/data/augment';
import type {ImageSet} from '../../src/data/types';
import {Rng} from '../../src/util/rng';

/** An Rng that returns scripted draws, so crops and flips can be checked by hand. */
class ScriptedRng extends Rng {
  constructor(private readonly ints: number[], private readonly uniforms: number[]) { super(0); }
  override int(): number { return this.ints.shift() as number; }
  override next(): number { return this.uniforms.shift() as number; }
}

/** One 3×3 single-channel image: row y, column x holds 10y + x + 1. */
const ONE: ImageSet = {
  images: Uint8Array.from([1, 2, 3, 11, 12, 13, 21, 22, 23]), labels: Int32Array.from([4]),
  count: 1, height: 3, width: 3, channels: 1, classes: ['a', 'b', 'c', 'd', 'e'],
};

function grid(x: Float32Array): number[][] {
  return [0, 1, 2].map((r) => [0, 1, 2].map((c) => Math.round(x[r * 3 + c] * 255)));
}

function randomSet(count: number, h: number, w: number, c: number, seed: number): ImageSet {
  const rng = new Rng(seed);
  return {images: Uint8Array.from({length: count * h * w * c}, () => rng.int(256)), labels: Int32Array.from({length: count}, (_, i) => i % 10),
    count, height: h, width: w, channels: c, classes: Array.from({length: 10}, (_, i) => `c${i}`)};
}

describe('data/augment', () => {
  it('pad-crop and horizontal flip, checked by hand on a 3×3 image', () => {
    const m = new BatchMaker(ONE, {padCrop: 1, hflip: true, normalize: 'scale01'});
    // Crop at the padded image's top-left (shift −1, −1), no flip.
    let b = m.make([0], new ScriptedRng([0, 0], [0.9]), true);
    assert.deepEqual(grid(b.x), [[0, 0, 0], [0, 1, 2], [0, 11, 12]]);
    assert.deepEqual([...b.y], [4]);
    assert.deepEqual(b.shape, [1, 3, 3, 1]);
    // Crop at the bottom-right (shift +1, +1), then flipped left-right.
    b = m.make([0], new ScriptedRng([2, 2], [0.1]), true);
    assert.deepEqual(grid(b.x), [[0, 13, 12], [0, 23, 22], [0, 0, 0]]);
  });

  it('vertical flip (seed 003) and no augmentation when evaluating', () => {
    const m = new BatchMaker(ONE, {vflip: true, normalize: 'scale01'});
    assert.deepEqual(grid(m.make([0], new ScriptedRng([], [0.1]), true).x), [[21, 22, 23], [11, 12, 13], [1, 2, 3]]);
    const rng = new Rng(5);
    const before = rng.state;
    const pc = new BatchMaker(ONE, {padCrop: 1, hflip: true, vflip: true, normalize: 'scale01'});
    assert.deepEqual(grid(pc.make([0], rng, false).x), [[1, 2, 3], [11, 12, 13], [21, 22, 23]]);
    assert.deepEqual(rng.state, before, 'evaluation batches draw nothing from the Rng');
  });

  it('per-pixel mean subtraction uses the training set\'s mean image; padding is zero after it', () => {
    const set = randomSet(2, 4, 4, 3, 1);
    const mean = meanImage(set);
    for (let k = 0; k < mean.length; k++) assert.ok(Math.abs(mean[k] - (set.images[k] + set.images[48 + k]) / 510) < 1e-6);
    const m = new BatchMaker(set, {normalize: 'per-pixel-mean'}, mean);
    const b = m.make([0, 1], new Rng(0), false);
    for (let k = 0; k < 48; k++) {
      assert.ok(Math.abs(b.x[k] - (set.images[k] / 255 - mean[k])) < 1e-6);
      assert.ok(Math.abs(b.x[k] + b.x[48 + k]) < 1e-6, 'the two images are symmetric about their mean');
    }
    const padded = new BatchMaker(set, {padCrop: 4, normalize: 'per-pixel-mean'}, mean).make([0], new ScriptedRng([0, 0], []), true);
    assert.deepEqual([...padded.x], new Array(48).fill(0), 'a shift of 4 on a 4×4 image leaves only padding');
    assert.throws(() => new BatchMaker(set, {normalize: 'per-pixel-mean'}), /needs the training set's mean image/);
  });

  it('imagenet normalisation and bilinear resize', () => {
    const set: ImageSet = {images: Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]), labels: Int32Array.from([0]),
      count: 1, height: 2, width: 2, channels: 3, classes: ['a']};
    const b = new BatchMaker(set, {normalize: 'imagenet'}).make([0], new Rng(0), false);
    assert.ok(Math.abs(b.x[0] - (1 - IMAGENET_MEAN[0]) / IMAGENET_STD[0]) < 1e-5);
    assert.ok(Math.abs(b.x[1] - (0 - IMAGENET_MEAN[1]) / IMAGENET_STD[1]) < 1e-5);
    const r = new BatchMaker(set, {resize: 4, normalize: 'scale01'}).make([0], new Rng(0), false);
    assert.deepEqual(r.shape, [1, 4, 4, 3]);
    assert.deepEqual([...r.x.subarray(0, 3)], [1, 0, 0], 'corners keep the corner pixels (half-pixel centres)');
    assert.deepEqual([...r.x.subarray(45, 48)], [1, 1, 1]);
    // Between red (0,0) and green (0,1): output column 1 sits at 0.25 of the way.
    assert.ok(Math.abs(r.x[3] - 0.75) < 1e-6 && Math.abs(r.x[4] - 0.25) < 1e-6);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const set = randomSet(16, 32, 32, 3, 2);
    const m = new BatchMaker(set, {padCrop: 4, hflip: true, normalize: 'per-pixel-mean'}, meanImage(set));
    const idx = Int32Array.from({length: 16}, (_, i) => 15 - i);
    const a = m.make(idx, new Rng(9), true).x;
    const b = m.make(idx, new Rng(9), true).x;
    const c = m.make(idx, new Rng(10), true).x;
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });
});
