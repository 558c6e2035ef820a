import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {ReproError} from '../util/errors';
import {readDecodedCache, sourceFingerprint, writeDecodedCache, type DecodedSets} from './decoded_cache';
import {filesChecksum} from './identity';
import {decodeImage, fitImage, isImageFile, type DecodeProgress} from './image';
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
  /** Use and fill the decoded-image cache (default true). */
  readonly cache?: boolean;
  readonly progress?: DecodeProgress;
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

/** The files of class sub-folders (torchvision ImageFolder's layout: class = folder name, classes sorted). */
interface FolderListing {
  readonly files: string[];
  readonly labels: number[];
  readonly classes: readonly string[];
}

/** Lists class sub-folders of JPEG/PNG files; `classes` fixes the class list (a test split uses the train split's). */
export function listImageFolder(dir: string, classes?: readonly string[]): FolderListing {
  const found = subdirs(dir);
  const cls = classes ?? found;
  if (cls.length === 0) {
    throw new ReproError(`${dir}: no class sub-folders`, {expected: 'one sub-folder of JPEG/PNG images per class (e.g. buildings/, forest/, ...)'});
  }
  for (const c of found) {
    if (!cls.includes(c)) throw new ReproError(`${join(dir, c)}: class "${c}" is not among the training classes`, {expected: `one of ${cls.join(', ')}`});
  }
  const files: string[] = [];
  const labels: number[] = [];
  cls.forEach((c, label) => {
    const d = join(dir, c);
    if (!existsSync(d)) return;
    for (const f of readdirSync(d).filter(isImageFile).sort()) { files.push(join(d, f)); labels.push(label); }
  });
  if (files.length === 0) throw new ReproError(`${dir}: no JPEG/PNG images in the class folders`, {expected: 'files ending .jpg, .jpeg or .png'});
  return {files, labels, classes: cls};
}

/**
 * Decodes a listing into an ImageSet. Shape: `shape` if given (resized to it), else the square
 * `size`, else the first image's, which every other image must then share.
 */
export function decodeImageFolder(list: FolderListing,
  opts: ImageFolderOptions & {shape?: {height: number; width: number}; tick?: () => void} = {}): ImageSet {
  const channels = opts.channels ?? 3;
  const {files} = list;
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
    opts.tick?.();
  });
  return {images, labels: Int32Array.from(list.labels), count: files.length, height, width, channels, classes: list.classes};
}

/**
 * Loads an image-folder data set (e.g. Intel Scene). Layouts: `train/` + `test/` (also Kaggle's
 * `seg_train/seg_train` + `seg_test/seg_test`), each with class sub-folders; or class sub-folders
 * directly, in which case a seeded 80/20 split (seed 0) makes the test set. Test images take the
 * training images' shape. Decoded pixels are cached in data/.decoded/ (`cache: false` decodes
 * every image, as verify does).
 */
export function loadImageFolder(dir: string, opts: ImageFolderOptions = {}): LoadedDataset {
  if (!existsSync(dir)) throw new ReproError(`image folder ${dir} does not exist`, {fix: 'pass --dir pointing at the data set'});
  const trainDir = splitDir(dir, ['train', 'seg_train']);
  const testDir = splitDir(dir, ['test', 'seg_test', 'val']);
  const name = opts.name ?? 'image-folder';
  const trainList = listImageFolder(trainDir && testDir ? trainDir : dir);
  const testList = trainDir && testDir ? listImageFolder(testDir, trainList.classes) : undefined;
  const files = [...trainList.files, ...(testList?.files ?? [])];
  const key = sourceFingerprint(files, {size: opts.size, channels: opts.channels ?? 3, testFraction: opts.testFraction});
  const cached = opts.cache === false ? undefined : readDecodedCache(name, key);
  if (cached) return {name, ...cached, source: dir};
  let decoded: DecodedSets;
  let done = 0;
  const tick = () => { done++; if (done % 500 === 0 || done === files.length) opts.progress?.(done, files.length); };
  const checksum = () => filesChecksum(files, undefined, dir);
  if (testList) {
    const train = decodeImageFolder(trainList, {...opts, tick});
    decoded = {train, test: decodeImageFolder(testList, {...opts, tick, shape: {height: train.height, width: train.width}}), checksum: checksum()};
  } else {
    const all = decodeImageFolder(trainList, {...opts, tick});
    const testCount = Math.max(1, Math.round(all.count * (opts.testFraction ?? 0.2)));
    const {train, val} = splitTrainVal(all, testCount, 0);
    decoded = {train, test: val, checksum: checksum()};
  }
  if (opts.cache !== false) writeDecodedCache(name, key, decoded);
  return {name, ...decoded, source: dir};
}
