import {BatchMaker, meanImage} from '../data/augment';
import {loadDataset} from '../data/registry';
import {splitTrainVal, stratifiedSubset, twoClassSubset} from '../data/splits';
import {makeSynthetic} from '../data/synthetic';
import type {ImageSet, LoadedDataset} from '../data/types';
import type {TrainData} from '../train/trainer';
import {ReproError} from '../util/errors';
import {Rng} from '../util/rng';
import type {RunSpec} from './spec';

/**
 * Seed of every split and subset. Fixed, not the run seed: all runs of a profile see the same
 * validation images and the same subset, so only what the spec varies differs between them.
 */
const SPLIT_SEED = 20151210;

async function load(spec: RunSpec): Promise<LoadedDataset> {
  const d = spec.data;
  if (d.name === 'synthetic') {
    const s = d.synthetic;
    return s
      ? makeSynthetic({classes: s.classes, trainCount: s.count, testCount: s.testCount, height: s.size, width: s.size,
        channels: s.channels})
      : makeSynthetic();
  }
  if (d.synthetic) {
    throw new ReproError(`run ${spec.experiment}/${spec.name}: data.synthetic is only valid with data.name "synthetic"`);
  }
  return loadDataset(d.name, {dir: d.dir});
}

/** Loads `spec.data`, applies its class subset, validation split and per-class subsets, and binds the augmentation. */
export async function prepareTrainData(spec: RunSpec): Promise<TrainData & {name: string; checksum: string}> {
  const d = spec.data;
  const loaded = await load(spec);
  let train = loaded.train, test = loaded.test, val = loaded.val;
  if (d.classes) {
    if (d.classes.length !== 2) {
      throw new ReproError(`run ${spec.experiment}/${spec.name}: data.classes has ${d.classes.length} entries`,
        {expected: 'exactly two class indices (the two-class subset of seed 000)'});
    }
    const pair = [d.classes[0], d.classes[1]] as const;
    train = twoClassSubset(train, pair);
    test = twoClassSubset(test, pair);
    if (val) val = twoClassSubset(val, pair);
  }
  if (d.valSize) ({train, val} = splitTrainVal(train, d.valSize, SPLIT_SEED));
  if (d.trainPerClass) train = stratifiedSubset(train, d.trainPerClass, SPLIT_SEED);
  if (d.testPerClass) test = stratifiedSubset(test, d.testPerClass, SPLIT_SEED);
  const mean = spec.augment.normalize === 'per-pixel-mean' ? meanImage(train) : undefined;
  const makers = new Map<ImageSet, BatchMaker>();
  const evalRng = new Rng(0); // not drawn from when augmentation is off
  return {
    name: loaded.name, checksum: loaded.checksum, train, test, ...(val ? {val} : {}),
    batch(set, indices, rng) {
      let maker = makers.get(set);
      if (!maker) { maker = new BatchMaker(set, spec.augment, mean); makers.set(set, maker); }
      const b = maker.make(indices, rng ?? evalRng, rng !== undefined);
      return {x: b.x, shape: [b.shape[0], b.shape[1], b.shape[2], b.shape[3]]};
    },
  };
}
