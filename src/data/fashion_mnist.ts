import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {ReproError} from '../util/errors';
import {filesChecksum} from './identity';
import {parseIdx} from './idx';
import type {ImageSet, LoadedDataset} from './types';

export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;
/** The four IDX files (as published, gzipped; the uncompressed names are accepted too). */
export const FASHION_MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;
/** Debian's `dataset-fashion-mnist` package installs the gzipped files here. */
export const FASHION_MNIST_SYSTEM_DIR = '/usr/share/datasets/fashion-mnist';

/** The path of `base` in `dir`, gzipped or not, or undefined. */
export function findIdxFile(dir: string, base: string): string | undefined {
  for (const name of [`${base}.gz`, base]) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

function readPair(dir: string, imagesBase: string, labelsBase: string, bytes: Map<string, Uint8Array>): {set: ImageSet; paths: string[]} {
  const paths = [imagesBase, labelsBase].map((base) => {
    const p = findIdxFile(dir, base);
    if (!p) {
      throw new ReproError(`Fashion-MNIST: missing ${join(dir, base)}.gz`,
        {expected: `the four IDX files (${Object.values(FASHION_MNIST_FILES).join(', ')}, gzipped or not) in ${dir}`,
          fix: 'install Debian\'s dataset-fashion-mnist, run `repro data fetch fashion-mnist`, or point --dir / FASHION_MNIST_DIR at them'});
    }
    bytes.set(p, readFileSync(p));
    return p;
  });
  // The largest files of the MNIST family: 60,000 28×28 images and their labels, with IDX headers.
  const images = parseIdx(bytes.get(paths[0]) as Uint8Array, paths[0], 3, 60_000 * 28 * 28 + 16);
  const labels = parseIdx(bytes.get(paths[1]) as Uint8Array, paths[1], 1, 60_000 + 8);
  const [count, height, width] = images.dims;
  if (labels.dims[0] !== count) {
    throw new ReproError(`${paths[1]}: ${labels.dims[0]} labels for ${count} images in ${paths[0]}`,
      {expected: 'one label per image', fix: 'the two files do not belong together: fetch the data set again'});
  }
  const lab = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const l = labels.data[i];
    if (l > 9) throw new ReproError(`${paths[1]}: label ${l} at index ${i}`, {expected: 'labels 0..9'});
    lab[i] = l;
  }
  // Copy out of the decompressed buffer so the header bytes are not kept alive twice.
  return {set: {images: images.data.slice(), labels: lab, count, height, width, channels: 1, classes: FASHION_MNIST_CLASSES}, paths};
}

/** Loads Fashion-MNIST (60,000 train + 10,000 test, 28×28 grayscale) from the IDX files in `dir`. */
export function loadFashionMnist(dir: string): LoadedDataset {
  const bytes = new Map<string, Uint8Array>();
  const train = readPair(dir, FASHION_MNIST_FILES.trainImages, FASHION_MNIST_FILES.trainLabels, bytes);
  const test = readPair(dir, FASHION_MNIST_FILES.testImages, FASHION_MNIST_FILES.testLabels, bytes);
  return {
    name: 'fashion-mnist', train: train.set, test: test.set,
    checksum: filesChecksum([...train.paths, ...test.paths], bytes), source: dir,
  };
}
