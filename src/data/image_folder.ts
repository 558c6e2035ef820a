import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {ReproError} from '../util/errors';
import {filesChecksum} from './identity';
import {decodeImage, fitImage, isImageFile} from './image';
import {splitTrainVal} from './splits';
import type {ImageSet, LoadedDataset} from './types';

export interface ImageFolderOptions {
  /** Registry name to report (default 'image-folder'). */
  readonly name?: string;
  /** Square side every image is resized to (bilinear). Without it all images must share one size. */
  readonly size?: number;
  /** 3 (RGB, default) or 1 (grayscale). */
  readonly channels?: 1 | 3;
  /** When the folder has no train/test split: the share held out as test (default 0.2, seed 0). */
  readonly testFraction?: number;
}

function subdirs(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
}

/** `dir/name`, or `dir/name/name` when an archive nested it once more (Kaggle's seg_train/seg_train). */
function splitDir(dir: string, names: readonly string[]): string | undefined {
  for (const name of names) {
    const d = join(dir, name);
    if (existsSync(d) && statSync(d).isDirectory()) {
      const inner = join(d, name);
      return existsSync(inner) && statSync(inner).isDirectory() ? inner : d;
    }
  }
  return undefined;
}

/**
 * Reads class sub-folders of JPEG/PNG files (torchvision ImageFolder's layout: class = folder
 * name, classes sorted). `classes` fixes the class list (a test split must use the train split's).
 */
export function readImageFolderSet(dir: string,
  opts: ImageFolderOptions & {classes?: readonly string[]; shape?: {height: number; width: number}} = {}): {set: ImageSet; files: string[]} {
  const channels = opts.channels ?? 3;
  const found = subdirs(dir);
  const classes = opts.classes ?? found;
  if (classes.length === 0) {
    throw new ReproError(`${dir}: no class sub-folders`, {expected: 'one sub-folder of JPEG/PNG images per class (e.g. buildings/, forest/, ...)'});
  }
  for (const c of found) {
    if (!classes.includes(c)) throw new ReproError(`${join(dir, c)}: class "${c}" is not among the training classes`, {expected: `one of ${classes.join(', ')}`});
  }
  const files: string[] = [];
  const labels: number[] = [];
  classes.forEach((c, label) => {
    const d = join(dir, c);
    if (!existsSync(d)) return;
    for (const f of readdirSync(d).filter(isImageFile).sort()) { files.push(join(d, f)); labels.push(label); }
  });
  if (files.length === 0) throw new ReproError(`${dir}: no JPEG/PNG images in the class folders`, {expected: 'files ending .jpg, .jpeg or .png'});
  // A fixed output shape: the square `size`, or the shape the training split had.
  const fixed = opts.shape ?? (opts.size ? {height: opts.size, width: opts.size} : undefined);
  let height = fixed?.height ?? 0;
  let width = fixed?.width ?? 0;
  let images = new Uint8Array(0);
  files.forEach((file, i) => {
    const img = decodeImage(readFileSync(file), file, channels);
    if (i === 0) {
      if (!fixed) { height = img.height; width = img.width; }
      images = new Uint8Array(files.length * height * width * channels);
    } else if (!fixed && (img.height !== height || img.width !== width)) {
      throw new ReproError(`${file}: ${img.width}×${img.height} differs from ${width}×${height} (${files[0]})`,
        {expected: 'images of one size', fix: 'pass a size to resize every image to (e.g. `size: 150`)'});
    }
    images.set(fitImage(img, height, width), i * height * width * channels);
  });
  return {set: {images, labels: Int32Array.from(labels), count: files.length, height, width, channels, classes}, files};
}

/**
 * Loads an image-folder data set (e.g. Intel Scene). Layouts: `train/` + `test/` (also Kaggle's
 * `seg_train/seg_train` + `seg_test/seg_test`), each with class sub-folders; or class sub-folders
 * directly, in which case a seeded 80/20 split (seed 0) makes the test set.
 */
export function loadImageFolder(dir: string, opts: ImageFolderOptions = {}): LoadedDataset {
  if (!existsSync(dir)) throw new ReproError(`image folder ${dir} does not exist`, {fix: 'pass --dir pointing at the data set'});
  const trainDir = splitDir(dir, ['train', 'seg_train']);
  const testDir = splitDir(dir, ['test', 'seg_test', 'val']);
  const name = opts.name ?? 'image-folder';
  if (trainDir && testDir) {
    const train = readImageFolderSet(trainDir, opts);
    // Test images take the training images' shape (resized when they differ, as a model needs).
    const test = readImageFolderSet(testDir, {...opts, shape: {height: train.set.height, width: train.set.width}, classes: train.set.classes});
    const files = [...train.files, ...test.files];
    return {name, train: train.set, test: test.set, checksum: filesChecksum(files, undefined, dir), source: dir};
  }
  const all = readImageFolderSet(dir, opts);
  const testCount = Math.max(1, Math.round(all.set.count * (opts.testFraction ?? 0.2)));
  const {train, val} = splitTrainVal(all.set, testCount, 0);
  return {name, train, test: val, checksum: filesChecksum(all.files, undefined, dir), source: dir};
}
