import {existsSync, readFileSync} from 'node:fs';
import {basename, join} from 'node:path';
import {ReproError} from '../util/errors';
import {gunzipBounded} from './decompress';
import {archiveMembersChecksum, filesChecksum} from './identity';
import {readTar} from './tar';
import type {ImageSet, LoadedDataset} from './types';

export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;
export const CIFAR10_TRAIN_FILES = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'] as const;
export const CIFAR10_TEST_FILE = 'test_batch.bin';
export const CIFAR10_ARCHIVE = 'cifar-10-binary.tar.gz';
/** One record: a label byte, then 1024 red, 1024 green and 1024 blue bytes (planar, row-major). */
export const CIFAR10_RECORD_BYTES = 3073;
export const CIFAR10_RECORDS_PER_FILE = 10000;
/** A bound on the decompressed archive: six batches of 30,730,000 bytes, two small text files, tar headers. */
export const CIFAR10_TAR_BYTES = 190_000_000;

/**
 * Decodes one CIFAR-10 binary batch into NHWC uint8. The file's size must be a whole number of
 * records and every label must be 0..9; otherwise the error names the file and the problem.
 */
export function decodeCifarBatch(bytes: Uint8Array, file: string, expectRecords?: number): {images: Uint8Array; labels: Int32Array} {
  if (bytes.length === 0 || bytes.length % CIFAR10_RECORD_BYTES !== 0 ||
      (expectRecords !== undefined && bytes.length !== expectRecords * CIFAR10_RECORD_BYTES)) {
    const n = expectRecords ?? CIFAR10_RECORDS_PER_FILE;
    throw new ReproError(`${file}: ${bytes.length} bytes is not a whole CIFAR-10 batch (the file is truncated or not a CIFAR-10 binary batch)`,
      {expected: `${n} records of ${CIFAR10_RECORD_BYTES} bytes = ${n * CIFAR10_RECORD_BYTES} bytes`,
        fix: 'delete the data set directory and run `repro data fetch cifar10` again, or point --dir/CIFAR10_DIR at a complete copy'});
  }
  const count = bytes.length / CIFAR10_RECORD_BYTES;
  const images = new Uint8Array(count * 3072);
  const labels = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const rec = r * CIFAR10_RECORD_BYTES;
    const label = bytes[rec];
    if (label > 9) {
      throw new ReproError(`${file}: record ${r} has label ${label}`,
        {expected: 'labels 0..9 (a CIFAR-10 batch; CIFAR-100 records are 3074 bytes)', fix: 'fetch the data set again'});
    }
    labels[r] = label;
    // Planar CHW → interleaved HWC.
    const out = r * 3072;
    for (let p = 0; p < 1024; p++) {
      const o = out + p * 3;
      images[o] = bytes[rec + 1 + p];
      images[o + 1] = bytes[rec + 1025 + p];
      images[o + 2] = bytes[rec + 2049 + p];
    }
  }
  return {images, labels};
}

function toSet(parts: readonly {images: Uint8Array; labels: Int32Array}[]): ImageSet {
  const count = parts.reduce((s, p) => s + p.labels.length, 0);
  const images = new Uint8Array(count * 3072);
  const labels = new Int32Array(count);
  let n = 0;
  for (const p of parts) {
    images.set(p.images, n * 3072);
    labels.set(p.labels, n);
    n += p.labels.length;
  }
  return {images, labels, count, height: 32, width: 32, channels: 3, classes: CIFAR10_CLASSES};
}

/** Where the batches are under `dir`: the directory itself, the archive's cifar-10-batches-bin/, or the archive. */
export function locateCifar10(dir: string): {kind: 'batches'; dir: string} | {kind: 'archive'; file: string} | undefined {
  for (const d of [dir, join(dir, 'cifar-10-batches-bin')]) {
    if (existsSync(join(d, CIFAR10_TEST_FILE)) || existsSync(join(d, CIFAR10_TRAIN_FILES[0]))) return {kind: 'batches', dir: d};
  }
  if (existsSync(join(dir, CIFAR10_ARCHIVE))) return {kind: 'archive', file: join(dir, CIFAR10_ARCHIVE)};
  return undefined;
}

/**
 * Loads CIFAR-10 from a directory holding data_batch_1..5.bin + test_batch.bin (directly or in
 * cifar-10-batches-bin/) or the cifar-10-binary.tar.gz archive. Train 50,000, test 10,000.
 * `expectRecords: null` accepts batches of any whole number of records (tests). The identity is
 * the same for the archive and for its extracted batches.
 */
export function loadCifar10(dir: string, opts: {expectRecords?: number | null} = {}): LoadedDataset {
  const expect = opts.expectRecords === null ? undefined : (opts.expectRecords ?? CIFAR10_RECORDS_PER_FILE);
  const where = locateCifar10(dir);
  if (!where) {
    throw new ReproError(`CIFAR-10 not found in ${dir}`,
      {expected: `${CIFAR10_TRAIN_FILES.join(', ')} and ${CIFAR10_TEST_FILE} (or ${CIFAR10_ARCHIVE})`,
        fix: 'run `repro data fetch cifar10`, or point --dir / CIFAR10_DIR at the extracted cifar-10-batches-bin directory'});
  }
  const byName = new Map<string, {bytes: Uint8Array; label: string}>();
  const files = [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE];
  if (where.kind === 'archive') {
    const gz = readFileSync(where.file);
    const tarBytes = gunzipBounded(gz, where.file, CIFAR10_TAR_BYTES);
    for (const e of readTar(tarBytes, where.file)) byName.set(basename(e.name), {bytes: e.data, label: `${where.file}:${e.name}`});
  } else {
    for (const path of files.map((f) => join(where.dir, f))) {
      if (!existsSync(path)) {
        throw new ReproError(`CIFAR-10: missing ${path}`,
          {expected: `all of ${CIFAR10_TRAIN_FILES.join(', ')}, ${CIFAR10_TEST_FILE} in ${where.dir}`, fix: 'run `repro data fetch cifar10` again'});
      }
      byName.set(basename(path), {bytes: readFileSync(path), label: path});
    }
  }
  const batch = (name: string) => {
    const f = byName.get(name);
    if (!f) {
      throw new ReproError(`${where.kind === 'archive' ? where.file : where.dir}: no ${name} in the CIFAR-10 data`,
        {expected: `${CIFAR10_TRAIN_FILES.join(', ')}, ${CIFAR10_TEST_FILE}`, fix: 'fetch the data set again'});
    }
    return decodeCifarBatch(f.bytes, f.label, expect);
  };
  const train = toSet(CIFAR10_TRAIN_FILES.map(batch));
  const test = toSet([batch(CIFAR10_TEST_FILE)]);
  const checksum = where.kind === 'archive'
    ? archiveMembersChecksum(where.file, files.map((f) => ({name: f, data: (byName.get(f) as {bytes: Uint8Array}).bytes})))
    : filesChecksum(files.map((f) => join(where.dir, f)), new Map(files.map((f) => [join(where.dir, f), (byName.get(f) as {bytes: Uint8Array}).bytes])));
  return {name: 'cifar10', train, test, checksum, source: where.kind === 'archive' ? where.file : where.dir};
}
