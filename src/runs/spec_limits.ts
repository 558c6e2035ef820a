import {ReproError} from '../util/errors';
import {limit, limitError} from '../util/limits';
import type {RunSpec} from './spec';

/**
 * What the schema cannot say about a RunSpec: the smallest batch training supports and the sizes
 * the run will allocate. Checked by parseRunSpec (CLI, plans) and again by ensureRun (library,
 * notebooks), before the store is touched, so a spec that cannot train leaves nothing behind.
 */

/** Batch normalisation in training mode needs two images to have a variance: one gives NaN. */
export const MIN_BATCH = 2;
/** The longest typed array V8 allocates (2^32 − 1 bytes) bounds one image array. */
const MAX_ARRAY_BYTES = 2 ** 32 - 1;

function refuse(where: string, field: string, what: string, expected: string, fix: string): never {
  throw new ReproError(`${where}: field "${field}" ${what}`, {expected, fix});
}

/** Throws a ReproError naming `where` and the field when the spec could not train correctly. */
export function checkRunSpecLimits(spec: RunSpec, where: string): void {
  if (spec.batchSize < MIN_BATCH) {
    refuse(where, 'batchSize', `is ${spec.batchSize}`,
      `at least ${MIN_BATCH}: batch normalisation computes a variance over the batch, which one image does not have (the loss becomes NaN)`,
      `set "batchSize" to ${MIN_BATCH} or more`);
  }
  if (spec.testWindow !== undefined && (spec.evalTest !== 'final' || spec.testWindow > spec.epochs)) {
    refuse(where, 'testWindow', `is ${spec.testWindow} with evalTest ${JSON.stringify(spec.evalTest ?? 'epoch')} and ${spec.epochs} epochs`,
      'evalTest "final" (a window of the last epochs; "epoch" already tests after every one) and at most "epochs" epochs',
      'set "evalTest": "final" and a "testWindow" no larger than "epochs", or remove "testWindow"');
  }
  const s = spec.data.synthetic;
  if (s) {
    const perImage = s.size * s.size * s.channels;
    const bytes = (s.count + s.testCount) * perImage;
    if (!(Math.max(s.count, s.testCount) * perImage <= MAX_ARRAY_BYTES)) {
      refuse(where, 'data.synthetic', `asks for ${Math.max(s.count, s.testCount)} images of ${s.size}×${s.size}×${s.channels}`,
        `at most ${MAX_ARRAY_BYTES} bytes of images per split (one array)`, 'lower count, testCount or size');
    }
    if (bytes > limit('runImageBytes')) throw limitError('runImageBytes', `${where}: field "data.synthetic"`, `${bytes} bytes of images`);
  }
  // One batch is a float32 array of batchSize × side × side × channels.
  const side = spec.augment.resize ?? s?.size ?? 0;
  const batchBytes = 4 * spec.batchSize * side * side * (s?.channels ?? 3);
  if (!(batchBytes <= MAX_ARRAY_BYTES)) {
    refuse(where, spec.augment.resize ? 'augment.resize' : 'batchSize', `makes one batch ${batchBytes} bytes`,
      `at most ${MAX_ARRAY_BYTES} bytes per batch (batchSize × side² × channels × 4)`, 'lower batchSize or augment.resize');
  }
}

/**
 * The last batch of an epoch holds `count mod batchSize` images: one image there is the NaN of a
 * batch of one (known only once the data is loaded).
 */
export function checkLastBatch(spec: RunSpec, trainCount: number, where: string): void {
  if (trainCount % spec.batchSize === 1 || trainCount === 1) {
    refuse(where, 'batchSize', `(${spec.batchSize}) leaves a last batch of one image out of ${trainCount} training images`,
      `a batch size whose last batch has at least ${MIN_BATCH} images (batch normalisation needs two)`,
      `choose another "batchSize" (e.g. ${spec.batchSize + 1}) or another data subset`);
  }
}
