import {strict as assert} from 'node:assert';
import {existsSync} from 'node:fs';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {Writable} from 'node:stream';
import {encodeIdx} from '../../src/data/idx';
import {datasetInfo, fetchDataset, listDatasets, loadDataset, resolveDatasetDir, verifyDataset} from '../../src/data/registry';
import {ReproError} from '../../src/util/errors';
import {cifarBatch, gz, tempDir, withEnv, writeFile} from './fixtures';

const quiet = () => new Writable({write(_c, _e, cb) { cb(); }});

/** Uncompressed IDX files (no published checksum applies to them; gzipped ones would be checked). */
function writeFashion(dir: string, n: number, compress = false): void {
  const img = new Uint8Array(n * 784).fill(7);
  const lab = Uint8Array.from({length: n}, (_, i) => i % 10);
  const put = (name: string, bytes: Uint8Array) => writeFile(join(dir, compress ? `${name}.gz` : name), compress ? gz(bytes) : bytes);
  put('train-images-idx3-ubyte', encodeIdx([n, 28, 28], img));
  put('train-labels-idx1-ubyte', encodeIdx([n], lab));
  put('t10k-images-idx3-ubyte', encodeIdx([n, 28, 28], img));
  put('t10k-labels-idx1-ubyte', encodeIdx([n], lab));
}

describe('data/registry', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => { t = tempDir('registry'); });
  afterEach(() => t.cleanup());

  it('knows each data set\'s sources, checksums and env var', () => {
    const c = datasetInfo('cifar10');
    assert.equal(c.sources[0].url, 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz');
    assert.deepEqual(c.sources[0].checksum, {algorithm: 'md5', hex: ['c32a1d4ab5d03f1284b67883e8d87530']});
    assert.equal(datasetInfo('fashion-mnist').envVar, 'FASHION_MNIST_DIR');
    assert.equal(datasetInfo('tiny-imagenet').sources[0].file, 'tiny-imagenet-200.zip');
    assert.throws(() => datasetInfo('imagenet'), /unknown data set "imagenet"/);
  });

  it('resolves --dir > env var > data/<name>/ > system path', async () => {
    const own = join(t.dir, 'root', 'fashion-mnist');
    const env = join(t.dir, 'env');
    const opt = join(t.dir, 'opt');
    for (const d of [own, env, opt]) writeFashion(d, 2);
    await withEnv({REPRO_DATA_ROOT: join(t.dir, 'root'), FASHION_MNIST_DIR: env}, () => {
      assert.deepEqual(resolveDatasetDir('fashion-mnist', {dir: opt}), {dir: opt, origin: 'option', present: true});
      assert.equal(resolveDatasetDir('fashion-mnist').origin, 'env');
    });
    await withEnv({REPRO_DATA_ROOT: join(t.dir, 'root'), FASHION_MNIST_DIR: undefined}, () => {
      assert.deepEqual(resolveDatasetDir('fashion-mnist'), {dir: own, origin: 'data', present: true});
    });
    await withEnv({REPRO_DATA_ROOT: join(t.dir, 'empty'), FASHION_MNIST_DIR: undefined}, async () => {
      const r = resolveDatasetDir('fashion-mnist');
      if (existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz')) {
        assert.deepEqual(r, {dir: '/usr/share/datasets/fashion-mnist', origin: 'system', present: true});
      } else {
        assert.equal(r.present, false);
      }
      await assert.rejects(loadDataset('cifar10'), /data set cifar10 is not present[^]*repro data fetch cifar10/);
    });
  });

  it('verify reads every record and names a truncated file; a good copy is listed as verified until it changes', async () => {
    const dir = join(t.dir, 'cifar');
    // Whole records, but not the 10,000 per file a real copy has.
    for (let i = 1; i <= 5; i++) writeFile(join(dir, `data_batch_${i}.bin`), cifarBatch([1, 2]));
    writeFile(join(dir, 'test_batch.bin'), cifarBatch([3]));
    await withEnv({REPRO_DATA_ROOT: join(t.dir, 'root'), CIFAR10_DIR: undefined, FASHION_MNIST_DIR: undefined}, async () => {
      await assert.rejects(verifyDataset('cifar10', {dir}), (err: unknown) => {
        assert.ok(err instanceof ReproError);
        assert.match(err.message, /data_batch_1\.bin: 6146 bytes is not a whole CIFAR-10 batch[^]*expected: 10000 records of 3073 bytes/);
        return true;
      });
      const gzipped = join(t.dir, 'fmgz');
      writeFashion(gzipped, 3, true);
      await assert.rejects(verifyDataset('fashion-mnist', {dir: gzipped}),
        /fmgz\/train-images-idx3-ubyte\.gz: checksum mismatch\n\s*expected: md5 8d4fb7e6c68d591d4c3dfef9ec88bf0d or cf8536b0aa1a6ac5fa3f23001093305c, got/);
      const fm = join(t.dir, 'fm');
      writeFashion(fm, 3);
      // Counts of a complete copy are part of verification.
      await assert.rejects(verifyDataset('fashion-mnist', {dir: fm}), /has 3 train and 3 test images[^]*expected: 60000 train and 10000 test/);
      const ok = await withEnv({FASHION_MNIST_DIR: fm}, async () => {
        const r = await verifyDataset('fashion-mnist', {expectCounts: false});
        const listed = listDatasets().find((e) => e.name === 'fashion-mnist');
        assert.deepEqual([listed?.present, listed?.verified, listed?.origin, listed?.checksum], [true, true, 'env', r.checksum]);
        writeFashion(fm, 4); // the files change: no longer verified
        assert.equal(listDatasets().find((e) => e.name === 'fashion-mnist')?.verified, false);
        return r;
      });
      assert.equal(ok.train, 3);
    });
  });

  it('fetch downloads from a --url mirror and rejects a checksum mismatch, naming the file and both checksums', async () => {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.writeHead(200, {'content-length': 5});
      res.end('hello');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mirror`;
    try {
      await assert.rejects(fetchDataset('cifar10', {dir: t.dir, url: base, progress: quiet()}), (err: unknown) => {
        assert.ok(err instanceof ReproError);
        assert.match(err.message, /cifar-10-binary\.tar\.gz: md5 checksum mismatch/);
        assert.match(err.message, /expected: md5 c32a1d4ab5d03f1284b67883e8d87530, got 5d41402abc4b2a76b9719d911017c592/);
        return true;
      });
      assert.deepEqual(requests, ['/mirror/cifar-10-binary.tar.gz']);
      assert.equal(existsSync(join(t.dir, 'cifar-10-binary.tar.gz')), false);
      assert.equal(existsSync(join(t.dir, 'cifar-10-binary.tar.gz.part')), false);
      await assert.rejects(fetchDataset('intel-scene', {dir: t.dir}), /cannot be fetched automatically[^]*Kaggle/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
