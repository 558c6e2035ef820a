import {ReproError} from '../util/errors';
import {Rng} from '../util/rng';
import type {ImageSet} from './types';

/** The images at `indices` (in that order) as a new set; labels and classes carried over. */
export function subsetByIndices(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = set.height * set.width * set.channels;
  const images = new Uint8Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    images.set(set.images.subarray(j * size, (j + 1) * size), i * size);
    labels[i] = set.labels[j];
  }
  return {...set, images, labels, count: indices.length};
}

/**
 * A deterministic train/val split: a seeded permutation, the first `valCount` images are the
 * validation set (CIFAR-10 45k/5k as in the ResNet paper §4.2: `splitTrainVal(train, 5000, seed)`).
 * Both halves keep the original order of their images, so the split depends only on the seed.
 */
export function splitTrainVal(set: ImageSet, valCount: number, seed: number): {train: ImageSet; val: ImageSet} {
  if (!Number.isInteger(valCount) || valCount <= 0 || valCount >= set.count) {
    throw new ReproError(`splitTrainVal: validation size ${valCount} does not fit a set of ${set.count}`,
      {expected: `an integer in 1..${set.count - 1}`});
  }
  const perm = new Rng(seed).permutation(set.count);
  const isVal = new Uint8Array(set.count);
  for (let i = 0; i < valCount; i++) isVal[perm[i]] = 1;
  const train: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < set.count; i++) (isVal[i] ? val : train).push(i);
  return {train: subsetByIndices(set, train), val: subsetByIndices(set, val)};
}

/**
 * A stratified subset: `perClass` images of every class, picked by a seeded permutation and kept in
 * their original order (profiles train on subsets). A class with fewer images is an error.
 */
export function stratifiedSubset(set: ImageSet, perClass: number, seed: number): ImageSet {
  const perm = new Rng(seed).permutation(set.count);
  const taken = new Int32Array(set.classes.length);
  const chosen = new Uint8Array(set.count);
  for (const i of perm) {
    const l = set.labels[i];
    if (taken[l] < perClass) { taken[l]++; chosen[i] = 1; }
  }
  taken.forEach((n, c) => {
    if (n < perClass) {
      throw new ReproError(`stratifiedSubset: class ${c} (${set.classes[c]}) has only ${n} images`,
        {expected: `at least ${perClass} per class`, fix: 'ask for fewer images per class'});
    }
  });
  const idx: number[] = [];
  for (let i = 0; i < set.count; i++) if (chosen[i]) idx.push(i);
  return subsetByIndices(set, idx);
}

/**
 * The images of two classes, relabelled 0 and 1 in the order given (seed 000's binary head:
 * Linear 512→2 + LogSoftmax). Classes are given by index or by name.
 */
export function twoClassSubset(set: ImageSet, classes: readonly [number | string, number | string]): ImageSet {
  const ids = classes.map((c) => {
    const id = typeof c === 'number' ? c : set.classes.indexOf(c);
    if (id < 0 || id >= set.classes.length) {
      throw new ReproError(`twoClassSubset: unknown class ${JSON.stringify(c)}`, {expected: `an index 0..${set.classes.length - 1} or one of ${set.classes.join(', ')}`});
    }
    return id;
  });
  if (ids[0] === ids[1]) throw new ReproError(`twoClassSubset: the two classes must differ (got ${ids[0]} twice)`);
  const idx: number[] = [];
  for (let i = 0; i < set.count; i++) if (set.labels[i] === ids[0] || set.labels[i] === ids[1]) idx.push(i);
  const sub = subsetByIndices(set, idx);
  for (let i = 0; i < sub.count; i++) sub.labels[i] = sub.labels[i] === ids[0] ? 0 : 1;
  return {...sub, classes: [set.classes[ids[0]], set.classes[ids[1]]]};
}
