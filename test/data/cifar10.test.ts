import {strict as assert} from 'node:assert';
import {join} from 'node:path';
import {CIFAR10_TRAIN_FILES, loadCifar10} from '../../src/data/cifar10';
import {writeTar} from '../../src/data/tar';
import {ReproError} from '../../src/util/errors';
import {cifarBatch, cifarPixel, gz, tempDir, writeFile} from './fixtures';

/** Two records per file: train labels 0..9, test labels 3, 4. */
function batches(): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  CIFAR10_TRAIN_FILES.forEach((f, i) => files.set(f, cifarBatch([2 * i, 2 * i + 1], 2 * i)));
  files.set('test_batch.bin', cifarBatch([3, 4], 100));
  return files;
}

describe('data/cifar10', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => { t = tempDir('cifar'); });
  afterEach(() => t.cleanup());

  it('reads binary batches into NHWC with exact pixels and labels', () => {
    for (const [f, b] of batches()) writeFile(join(t.dir, 'cifar-10-batches-bin', f), b);
    const d = loadCifar10(t.dir, {expectRecords: null});
    assert.equal(d.train.count, 10);
    assert.deepEqual([...d.train.labels], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual([...d.test.labels], [3, 4]);
    assert.equal(d.train.height, 32);
    assert.equal(d.train.channels, 3);
    // Record 7, pixel (row 5, col 9) = position 169, channels interleaved.
    const o = (7 * 1024 + 169) * 3;
    assert.deepEqual([...d.train.images.subarray(o, o + 3)], [0, 1, 2].map((ch) => cifarPixel(7, ch, 169)));
    assert.equal(d.test.images[3 * 1023 + 2], cifarPixel(100, 2, 1023));
    assert.match(d.checksum, /^[0-9a-f]{64}$/);
  });

  it('reads the cifar-10-binary.tar.gz archive to the same images', () => {
    const files = batches();
    writeFile(join(t.dir, 'a', 'cifar-10-binary.tar.gz'),
      gz(writeTar([...files].map(([name, data]) => ({name: `cifar-10-batches-bin/${name}`, data})))));
    for (const [f, b] of files) writeFile(join(t.dir, 'b', f), b);
    const fromTar = loadCifar10(join(t.dir, 'a'), {expectRecords: null});
    const fromDir = loadCifar10(join(t.dir, 'b'), {expectRecords: null});
    assert.deepEqual(fromTar.train.images, fromDir.train.images);
    assert.deepEqual(fromTar.test.labels, fromDir.test.labels);
    assert.equal(fromTar.checksum, fromDir.checksum, 'one data identity for the archive and its extraction');
    assert.equal(loadCifar10(join(t.dir, 'a'), {expectRecords: null}).checksum, fromDir.checksum, 'and from the identity cache');
  });

  it('rejects a truncated batch, naming the file and the expected size', () => {
    for (const [f, b] of batches()) writeFile(join(t.dir, f), f === 'data_batch_3.bin' ? b.subarray(0, 3073 + 100) : b);
    assert.throws(() => loadCifar10(t.dir, {expectRecords: null}), (err: unknown) => {
      assert.ok(err instanceof ReproError);
      assert.match(err.message, /data_batch_3\.bin/);
      assert.match(err.message, /3173 bytes is not a whole CIFAR-10 batch/);
      assert.match(err.message, /records of 3073 bytes/);
      return true;
    });
  });

  it('expects 10,000 records per file by default', () => {
    for (const [f, b] of batches()) writeFile(join(t.dir, f), b);
    assert.throws(() => loadCifar10(t.dir), /data_batch_1\.bin.*\n\s*expected: 10000 records of 3073 bytes = 30730000 bytes/);
  });

  it('rejects a label outside 0..9 and a missing directory', () => {
    const files = batches();
    const bad = files.get('test_batch.bin') as Uint8Array;
    bad[3073] = 10;
    for (const [f, b] of files) writeFile(join(t.dir, f), b);
    assert.throws(() => loadCifar10(t.dir, {expectRecords: null}), /test_batch\.bin: record 1 has label 10/);
    assert.throws(() => loadCifar10(join(t.dir, 'nothing')), /CIFAR-10 not found in .*nothing/);
  });
});
