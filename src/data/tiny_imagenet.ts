import {existsSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {ReproError} from '../util/errors';
import {directoryTree, subTree, treeChecksum, zipTree, type FileTree} from './file_tree';
import {readDecodedCache, sourceFingerprint, writeDecodedCache} from './decoded_cache';
import {decodeImage, fitImage, type DecodeProgress} from './image';
import type {ImageSet, LoadedDataset} from './types';

export const TINY_IMAGENET_ARCHIVE = 'tiny-imagenet-200.zip';
export const TINY_IMAGENET_SIDE = 64;

/** Where the data set is under `dir`: tiny-imagenet-200/ (extracted), the dir itself, or the zip. */
export function locateTinyImageNet(dir: string): {kind: 'dir'; root: string} | {kind: 'zip'; file: string} {
  for (const d of [join(dir, 'tiny-imagenet-200'), dir]) {
    if (existsSync(join(d, 'wnids.txt'))) return {kind: 'dir', root: d};
  }
  const zip = dir.endsWith('.zip') && existsSync(dir) && statSync(dir).isFile() ? dir : join(dir, TINY_IMAGENET_ARCHIVE);
  if (existsSync(zip)) return {kind: 'zip', file: zip};
  throw new ReproError(`Tiny-ImageNet not found in ${dir}`,
    {expected: `${TINY_IMAGENET_ARCHIVE}, or its extracted tiny-imagenet-200/ (wnids.txt, words.txt, train/, val/)`,
      fix: 'run `repro data fetch tiny-imagenet`, or point --dir / TINY_IMAGENET_DIR at it'});
}

async function openZip(file: string): Promise<FileTree> {
  const tree = await zipTree(file);
  return tree.has('wnids.txt') ? tree : subTree(tree, 'tiny-imagenet-200');
}

function text(tree: FileTree, path: string, what: string): string {
  if (!tree.has(path)) {
    throw new ReproError(`Tiny-ImageNet: missing ${tree.describe(path)}`,
      {expected: what, fix: 'the copy is incomplete: fetch tiny-imagenet-200.zip again (`repro data fetch tiny-imagenet`)'});
  }
  return Buffer.from(tree.read(path)).toString('utf8');
}

function decodeAll(tree: FileTree, files: readonly string[], labels: readonly number[], classes: readonly string[],
  tick: () => void): ImageSet {
  const side = TINY_IMAGENET_SIDE;
  const images = new Uint8Array(files.length * side * side * 3);
  files.forEach((f, i) => {
    // A few Tiny-ImageNet JPEGs are grayscale: decodeImage replicates them to RGB.
    const img = decodeImage(tree.read(f), tree.describe(f), 3);
    images.set(fitImage(img, side, side), i * side * side * 3);
    tick();
  });
  return {images, labels: Int32Array.from(labels), count: files.length, height: side, width: side, channels: 3, classes};
}

/**
 * Loads Tiny-ImageNet (200 classes, 64×64 RGB; 100,000 train images as train/<wnid>/images/*.JPEG).
 * The official test split has no labels, so `test` is the labelled val set (10,000 images,
 * labels from val/val_annotations.txt) and `val` is not set. Classes are the wnids in sorted
 * order (torchvision ImageFolder's order on train/); `classes` holds their first words.txt name.
 * Decoded pixels are cached in data/.decoded/ (`cache: false` decodes every image, as verify does).
 */
export async function loadTinyImageNet(dir: string, opts: {cache?: boolean; progress?: DecodeProgress} = {}): Promise<LoadedDataset> {
  const where = locateTinyImageNet(dir);
  const source = where.kind === 'zip' ? where.file : where.root;
  const dirTree = where.kind === 'dir' ? directoryTree(where.root) : undefined;
  // The decoded pixels are cached (decoding 110,000 JPEGs takes about a minute): see decoded_cache.ts.
  const key = sourceFingerprint(dirTree ? dirTree.files.map((f) => join(source, f)) : [source], {side: TINY_IMAGENET_SIDE});
  const cached = opts.cache === false ? undefined : readDecodedCache('tiny-imagenet', key);
  if (cached) return {name: 'tiny-imagenet', train: cached.train, test: cached.test, checksum: cached.checksum, source};
  const tree = dirTree ?? await openZip(source);
  const wnids = text(tree, 'wnids.txt', 'one WordNet id per line (200 of them)').split(/\r?\n/).map((s) => s.trim()).filter(Boolean).sort();
  const names = new Map<string, string>();
  if (tree.has('words.txt')) {
    for (const line of text(tree, 'words.txt', '').split(/\r?\n/)) {
      const [id, words] = line.split('\t');
      if (id && words) names.set(id, words.split(',')[0].trim());
    }
  }
  const classIndex = new Map(wnids.map((w, i) => [w, i]));
  const trainFiles: string[] = [];
  const trainLabels: number[] = [];
  for (const f of tree.files) {
    const m = /^train\/([^/]+)\/images\/[^/]+\.jpe?g$/i.exec(f);
    if (!m) continue;
    const label = classIndex.get(m[1]);
    if (label === undefined) {
      throw new ReproError(`Tiny-ImageNet: ${tree.describe(f)} is in class folder ${m[1]}, which wnids.txt does not list`, {expected: 'train/ folders named by the wnids in wnids.txt'});
    }
    trainFiles.push(f);
    trainLabels.push(label);
  }
  if (trainFiles.length === 0) {
    throw new ReproError(`Tiny-ImageNet: no training images under ${tree.describe('train/')}`, {expected: 'train/<wnid>/images/*.JPEG'});
  }
  const annotations = text(tree, 'val/val_annotations.txt',
    'val/val_annotations.txt: one line per validation image, "FILE<TAB>WNID<TAB>x0<TAB>y0<TAB>x1<TAB>y1"');
  const valFiles: string[] = [];
  const valLabels: number[] = [];
  annotations.split(/\r?\n/).forEach((line, n) => {
    if (!line.trim()) return;
    const [file, wnid] = line.split('\t');
    const label = classIndex.get(wnid ?? '');
    if (!file || label === undefined) {
      throw new ReproError(`${tree.describe('val/val_annotations.txt')}: line ${n + 1} ("${line.slice(0, 60)}") has no known wnid`,
        {expected: '"FILE<TAB>WNID..." with a wnid listed in wnids.txt'});
    }
    const path = `val/images/${file}`;
    if (!tree.has(path)) throw new ReproError(`Tiny-ImageNet: ${tree.describe(path)} is annotated but missing`, {expected: 'every annotated image present'});
    valFiles.push(path);
    valLabels.push(label);
  });
  const classes = wnids.map((w) => names.get(w) ?? w);
  const total = trainFiles.length + valFiles.length;
  let done = 0;
  const tick = () => { done++; if (done % 500 === 0 || done === total) opts.progress?.(done, total); };
  const decoded = {
    train: decodeAll(tree, trainFiles, trainLabels, classes, tick),
    test: decodeAll(tree, valFiles, valLabels, classes, tick),
    checksum: treeChecksum(tree),
  };
  if (opts.cache !== false) writeDecodedCache('tiny-imagenet', key, decoded);
  return {name: 'tiny-imagenet', ...decoded, source};
}
