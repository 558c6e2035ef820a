import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {basename, join, resolve} from 'node:path';
import {writeJsonAtomic} from '../util/atomic';
import {ReproError} from '../util/errors';
import {CIFAR10_ARCHIVE, loadCifar10, locateCifar10} from './cifar10';
import {FASHION_MNIST_FILES, FASHION_MNIST_SYSTEM_DIR, findIdxFile, loadFashionMnist} from './fashion_mnist';
import {sourceFingerprint} from './decoded_cache';
import {downloadFile, hashFile, mirrorUrl} from './fetch';
import {directoryTree} from './file_tree';
import type {DecodeProgress} from './image';
import {loadImageFolder} from './image_folder';
import {dataRoot} from './paths';
import {makeSynthetic} from './synthetic';
import {TINY_IMAGENET_ARCHIVE, loadTinyImageNet} from './tiny_imagenet';
import type {LoadedDataset} from './types';

/** The data sets the registry knows. `synthetic` is generated, never fetched. */
export const DatasetName = {
  cifar10: 'cifar10', fashionMnist: 'fashion-mnist', tinyImagenet: 'tiny-imagenet', intelScene: 'intel-scene',
} as const;
export type DatasetName = (typeof DatasetName)[keyof typeof DatasetName];
export function isDatasetName(x: unknown): x is DatasetName {
  return typeof x === 'string' && Object.values<string>(DatasetName).includes(x);
}

/** Known good digests of a file (more than one when a packager re-compressed the same content). */
export interface Checksum {
  readonly algorithm: 'md5' | 'sha256';
  /** The first is the upstream digest, the one a download must match. */
  readonly hex: readonly string[];
}

/** One downloadable file: where it comes from and what it must hash to. */
export interface SourceFile {
  readonly file: string;
  readonly url: string;
  readonly checksum: Checksum;
  readonly bytes?: number;
}

export interface DatasetInfo {
  readonly name: DatasetName;
  readonly title: string;
  readonly envVar: string;
  /** System locations tried last (Debian packages). */
  readonly systemDirs: readonly string[];
  /** What `repro data fetch` downloads; empty when the data set cannot be fetched without an account. */
  readonly sources: readonly SourceFile[];
  /** Why there are no sources, and how to get the data instead. */
  readonly manual?: string;
  /** Counts a complete copy has (verify checks them). */
  readonly counts: {readonly train: number; readonly test: number};
  /** Whether `dir` holds this data set (a cheap look, no reading). */
  present(dir: string): boolean;
  /** `fresh`: decode every image even when a decoded cache exists (verify); `progress` while decoding images. */
  load(dir: string, opts?: {fresh?: boolean; progress?: DecodeProgress}): Promise<LoadedDataset>;
}

const FASHION_BASE = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';
// Upstream md5s (zalandoresearch/fashion-mnist README) and those of Debian's dataset-fashion-mnist,
// which ships the same IDX content re-compressed.
const FASHION_MD5: Record<string, readonly string[]> = {
  [FASHION_MNIST_FILES.trainImages]: ['8d4fb7e6c68d591d4c3dfef9ec88bf0d', 'cf8536b0aa1a6ac5fa3f23001093305c'],
  [FASHION_MNIST_FILES.trainLabels]: ['25c81989df183df01b3e8a0aad5dffbe', '10bea18fdb374794d4bb42e356e600c9'],
  [FASHION_MNIST_FILES.testImages]: ['bef4ecab320f06d8554ea6380940ec79', 'f78720b4224f21cce2f2ccf2d7a94c9a'],
  [FASHION_MNIST_FILES.testLabels]: ['bb300cfdad3c16e7a12a480ee83cd310', '0d30e22e447f3c33dab9ed536400ac01'],
};

const INFOS: readonly DatasetInfo[] = [
  {
    name: 'cifar10', title: 'CIFAR-10 (binary version)', envVar: 'CIFAR10_DIR', systemDirs: [],
    sources: [{file: CIFAR10_ARCHIVE, url: `https://www.cs.toronto.edu/~kriz/${CIFAR10_ARCHIVE}`,
      checksum: {algorithm: 'md5', hex: ['c32a1d4ab5d03f1284b67883e8d87530']}, bytes: 170052171}],
    counts: {train: 50000, test: 10000},
    present: (dir) => locateCifar10(dir) !== undefined,
    load: async (dir) => loadCifar10(dir),
  },
  {
    name: 'fashion-mnist', title: 'Fashion-MNIST (IDX)', envVar: 'FASHION_MNIST_DIR', systemDirs: [FASHION_MNIST_SYSTEM_DIR],
    sources: Object.values(FASHION_MNIST_FILES).map((base) => ({
      file: `${base}.gz`, url: `${FASHION_BASE}${base}.gz`, checksum: {algorithm: 'md5', hex: FASHION_MD5[base]},
    })),
    counts: {train: 60000, test: 10000},
    present: (dir) => Object.values(FASHION_MNIST_FILES).every((b) => findIdxFile(dir, b) !== undefined),
    load: async (dir) => loadFashionMnist(dir),
  },
  {
    name: 'tiny-imagenet', title: 'Tiny-ImageNet-200 (test = the labelled val split)', envVar: 'TINY_IMAGENET_DIR', systemDirs: [],
    sources: [{file: TINY_IMAGENET_ARCHIVE, url: `http://cs231n.stanford.edu/${TINY_IMAGENET_ARCHIVE}`,
      checksum: {algorithm: 'md5', hex: ['90528d7ca1a48142e341f4ef8d21d0de']}, bytes: 248100043}],
    counts: {train: 100000, test: 10000},
    present: (dir) => existsSync(join(dir, TINY_IMAGENET_ARCHIVE)) || existsSync(join(dir, 'wnids.txt')) ||
      existsSync(join(dir, 'tiny-imagenet-200', 'wnids.txt')) || (dir.endsWith('.zip') && existsSync(dir)),
    load: (dir, o) => loadTinyImageNet(dir, {cache: !o?.fresh, progress: o?.progress}),
  },
  {
    name: 'intel-scene', title: 'Intel Image Classification (scenes, 150×150, 6 classes)', envVar: 'INTEL_SCENE_DIR', systemDirs: [],
    sources: [],
    manual: 'Intel Scene is published on Kaggle (puneet6060/intel-image-classification), which needs an account: ' +
      'download and unzip it, then pass --dir DIR or set INTEL_SCENE_DIR (seg_train/ and seg_test/ are found inside)',
    counts: {train: 14034, test: 3000},
    present: (dir) => existsSync(dir) && statSync(dir).isDirectory() && readdirSync(dir).length > 0,
    load: async (dir, o) => loadImageFolder(dir, {name: 'intel-scene', size: 150, cache: !o?.fresh, progress: o?.progress}),
  },
];

export function datasetNames(): DatasetName[] {
  return INFOS.map((i) => i.name);
}

/** The registry entry: sources, checksums, env var, expected counts. */
export function datasetInfo(name: string): DatasetInfo {
  const info = INFOS.find((i) => i.name === name);
  if (!info) {
    throw new ReproError(`unknown data set "${name}"`, {expected: `one of ${datasetNames().join(', ')} (or "synthetic")`, fix: 'run `repro data list`'});
  }
  return info;
}

/** How a data set's directory was chosen. */
export type DirOrigin = 'option' | 'env' | 'data' | 'system';
export interface ResolvedDir {
  readonly dir: string;
  readonly origin: DirOrigin;
  readonly present: boolean;
}

/** The project's own copy: data/<name>/. */
export function defaultDatasetDir(name: DatasetName): string {
  return join(dataRoot(), name);
}

/**
 * Where a data set is read from: `--dir` > the env var > data/<name>/ > system paths (Debian).
 * An explicit `--dir` or env var wins even when nothing is there (the loader then says what is missing).
 */
export function resolveDatasetDir(name: string, opts: {dir?: string} = {}): ResolvedDir {
  const info = datasetInfo(name);
  if (opts.dir) return {dir: resolve(opts.dir), origin: 'option', present: info.present(resolve(opts.dir))};
  const env = process.env[info.envVar];
  if (env) return {dir: resolve(env), origin: 'env', present: info.present(resolve(env))};
  const own = defaultDatasetDir(info.name);
  if (info.present(own)) return {dir: own, origin: 'data', present: true};
  for (const d of info.systemDirs) if (info.present(d)) return {dir: d, origin: 'system', present: true};
  return {dir: own, origin: 'data', present: false};
}

/** Loads a data set by name (`synthetic` gives the default synthetic set). */
export async function loadDataset(name: string, opts: {dir?: string; progress?: DecodeProgress} = {}): Promise<LoadedDataset> {
  if (name === 'synthetic') return makeSynthetic();
  const info = datasetInfo(name);
  const where = resolveDatasetDir(name, opts);
  if (!where.present && where.origin === 'data') {
    throw new ReproError(`data set ${name} is not present (looked in --dir, $${info.envVar}, ${where.dir}${info.systemDirs.length ? ', ' + info.systemDirs.join(', ') : ''})`,
      {fix: info.sources.length ? `run \`repro data fetch ${name}\`, or pass --dir / set ${info.envVar}` : info.manual});
  }
  return info.load(where.dir, {progress: opts.progress});
}

/** Downloads every source file of a data set into `dir` (default data/<name>/), resumable, checksum-verified. */
export async function fetchDataset(name: string,
  opts: {dir?: string; url?: string; progress?: NodeJS.WritableStream & {isTTY?: boolean}; retryDelayMs?: number} = {}): Promise<{dir: string; files: string[]}> {
  const info = datasetInfo(name);
  const dir = opts.dir ? resolve(opts.dir) : defaultDatasetDir(info.name);
  if (opts.url !== undefined) mirrorUrl(opts.url, 'x'); // a bad --url fails before anything is fetched
  if (info.sources.length === 0) {
    throw new ReproError(`data set ${name} cannot be fetched automatically`, {fix: info.manual});
  }
  const files: string[] = [];
  for (const src of info.sources) {
    // --url is a base (directory) URL: each source's file name is appended to it.
    const url = opts.url ? mirrorUrl(opts.url, src.file) : src.url;
    // A known size is the most a download may bring (an endless body stops there).
    const r = await downloadFile({url, dest: join(dir, src.file), checksum: {algorithm: src.checksum.algorithm, hex: src.checksum.hex[0]},
      progress: opts.progress, retryDelayMs: opts.retryDelayMs, ...(src.bytes ? {maxBytes: src.bytes} : {})});
    (opts.progress ?? process.stderr).write(`${src.file}: ${r.status === 'downloaded' ? 'downloaded and' : 'already present,'} ${src.checksum.algorithm} verified\n`);
    files.push(r.path);
  }
  return {dir, files};
}

// ---- verification stamps: `repro data list` shows "verified" only while the files are unchanged.

interface Stamp {dir: string; fingerprint: string; checksum: string; verifiedAt: string; train: number; test: number}

function stampsPath(): string {
  return join(dataRoot(), '.verified.json');
}

function readStamps(): Record<string, Stamp> {
  try {
    return JSON.parse(readFileSync(stampsPath(), 'utf8')) as Record<string, Stamp>;
  } catch {
    return {};
  }
}

/** Changes when any file under `dir` does (paths, sizes, mtimes; dot-files such as caches excluded). */
function fingerprint(dir: string): string {
  // A data set may be given as its archive (TINY_IMAGENET_DIR=…/tiny-imagenet-200.zip).
  const files = statSync(dir).isFile() ? [dir] : directoryTree(dir).files.map((f) => join(dir, f));
  return sourceFingerprint(files, 'verified');
}

export interface VerifyResult {
  readonly name: DatasetName;
  readonly dir: string;
  readonly train: number;
  readonly test: number;
  readonly checksum: string;
  /** Source files whose published checksum matched. */
  readonly checkedFiles: readonly string[];
}

/**
 * Verifies a data set: the published checksum of every source file present, then reads every
 * record (every image decoded) and checks the counts. Any problem is a ReproError naming the file.
 */
export async function verifyDataset(name: string,
  opts: {dir?: string; expectCounts?: boolean; progress?: DecodeProgress} = {}): Promise<VerifyResult> {
  const info = datasetInfo(name);
  const where = resolveDatasetDir(name, opts);
  const checkedFiles: string[] = [];
  for (const src of info.sources) {
    const path = basename(where.dir) === src.file ? where.dir : join(where.dir, src.file);
    if (!existsSync(path)) continue;
    const actual = await hashFile(path, src.checksum.algorithm);
    if (!src.checksum.hex.includes(actual)) {
      throw new ReproError(`${path}: checksum mismatch`,
        {expected: `${src.checksum.algorithm} ${src.checksum.hex.join(' or ')}, got ${actual}`,
          fix: `delete it and run \`repro data fetch ${name}\``});
    }
    checkedFiles.push(path);
  }
  const data = await info.load(where.dir, {fresh: true, progress: opts.progress});
  if (opts.expectCounts !== false && (data.train.count !== info.counts.train || data.test.count !== info.counts.test)) {
    throw new ReproError(`${data.source}: ${name} has ${data.train.count} train and ${data.test.count} test images`,
      {expected: `${info.counts.train} train and ${info.counts.test} test (a complete copy)`, fix: `fetch it again (\`repro data fetch ${name}\`)`});
  }
  const stamps = readStamps();
  stamps[name] = {dir: where.dir, fingerprint: fingerprint(where.dir), checksum: data.checksum, verifiedAt: new Date().toISOString(),
    train: data.train.count, test: data.test.count};
  try {
    writeJsonAtomic(stampsPath(), stamps);
  } catch {
    // A read-only data root: the verification stands, it is just not remembered.
  }
  return {name: info.name, dir: where.dir, train: data.train.count, test: data.test.count, checksum: data.checksum, checkedFiles};
}

export interface ListEntry {
  readonly name: DatasetName;
  readonly title: string;
  readonly dir: string;
  readonly origin: DirOrigin;
  readonly present: boolean;
  /** A verification stamp exists for this directory and no file changed since. */
  readonly verified: boolean;
  readonly checksum?: string;
  readonly envVar: string;
}

/** What is present, where, and whether it was verified (cheap: no file is read). */
export function listDatasets(): ListEntry[] {
  const stamps = readStamps();
  return INFOS.map((info) => {
    const where = resolveDatasetDir(info.name);
    const stamp = stamps[info.name];
    const verified = where.present && stamp !== undefined && stamp.dir === where.dir && stamp.fingerprint === fingerprint(where.dir);
    return {name: info.name, title: info.title, dir: where.dir, origin: where.origin, present: where.present, verified,
      checksum: verified ? stamp.checksum : undefined, envVar: info.envVar};
  });
}
