// Data pipeline timings: `node dist/bench/data_pipeline.js`. Prints numbers; asserts nothing
// (benchmarks are not tests). Uses the real Fashion-MNIST when installed, synthetic CIFAR-shaped data otherwise.
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {loadCifar10} from '../src/data/cifar10';
import {BatchMaker, meanImage} from '../src/data/augment';
import {FASHION_MNIST_SYSTEM_DIR, loadFashionMnist} from '../src/data/fashion_mnist';
import {makeSynthetic} from '../src/data/synthetic';
import type {AugmentSpec, ImageSet} from '../src/data/types';
import {Rng} from '../src/util/rng';

function time<T>(fn: () => T): {ms: number; value: T} {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return {ms: Number(process.hrtime.bigint() - t0) / 1e6, value};
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function batchTiming(label: string, set: ImageSet, spec: AugmentSpec, batch: number, reps: number): void {
  const mean = spec.normalize === 'per-pixel-mean' ? time(() => meanImage(set)) : undefined;
  const maker = new BatchMaker(set, spec, mean?.value);
  const rng = new Rng(1);
  const order = new Rng(0).permutation(set.count);
  let at = 0;
  const nextIndices = () => {
    if (at + batch > order.length) at = 0;
    at += batch;
    return order.subarray(at - batch, at);
  };
  const out = new Float32Array(batch * maker.side.height * maker.side.width * set.channels);
  for (let i = 0; i < 5; i++) maker.make(nextIndices(), rng, true, out); // warm-up (JIT)
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) ms.push(time(() => maker.make(nextIndices(), rng, true, out)).ms);
  process.stdout.write(`${label}: median ${median(ms).toFixed(2)} ms per batch of ${batch}` +
    `${mean ? ` (mean image once: ${mean.ms.toFixed(0)} ms over ${set.count} images)` : ''}\n`);
}

const cifarLike = time(() => makeSynthetic({trainCount: 10000, testCount: 10, height: 32, width: 32, channels: 3}));
process.stdout.write(`synthetic 10,000 × 32×32×3 generated in ${cifarLike.ms.toFixed(0)} ms\n`);
batchTiming('CIFAR-shaped, pad 4 + crop + hflip + per-pixel mean', cifarLike.value.train,
  {padCrop: 4, hflip: true, normalize: 'per-pixel-mean'}, 128, 50);
batchTiming('CIFAR-shaped, hflip + vflip + scale01 (seed 003)', cifarLike.value.train, {hflip: true, vflip: true, normalize: 'scale01'}, 128, 50);
batchTiming('CIFAR-shaped resized to 224, imagenet normalisation', cifarLike.value.train, {resize: 224, hflip: true, normalize: 'imagenet'}, 32, 10);
if (existsSync(FASHION_MNIST_SYSTEM_DIR)) {
  const fm = time(() => loadFashionMnist(FASHION_MNIST_SYSTEM_DIR));
  process.stdout.write(`Fashion-MNIST (70,000 images) loaded from ${FASHION_MNIST_SYSTEM_DIR} in ${fm.ms.toFixed(0)} ms\n`);
  batchTiming('Fashion-MNIST resized to 32, pad 4 + crop + hflip + per-pixel mean', fm.value.train,
    {resize: 32, padCrop: 4, hflip: true, normalize: 'per-pixel-mean'}, 128, 50);
}

// Full-size CIFAR-10 batches (random records, the real sizes) in a temp dir: load time, first
// (hashing) and second (cached identity) time.
{
  const dir = mkdtempSync(join(tmpdir(), 'repro-bench-cifar-'));
  const root = process.env.REPRO_DATA_ROOT;
  process.env.REPRO_DATA_ROOT = dir; // keep the identity cache in the temp dir
  try {
    const rng = new Rng(3);
    for (const f of ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin']) {
      const b = new Uint8Array(10000 * 3073);
      for (let i = 0; i < b.length; i++) b[i] = i % 3073 === 0 ? rng.int(10) : rng.int(256);
      writeFileSync(join(dir, f), b);
    }
    const first = time(() => loadCifar10(dir));
    const second = time(() => loadCifar10(dir));
    process.stdout.write(`CIFAR-10 full size (60,000 records) loaded in ${first.ms.toFixed(0)} ms (identity hashed), ` +
      `${second.ms.toFixed(0)} ms (identity from the cache)\n`);
  } finally {
    if (root === undefined) delete process.env.REPRO_DATA_ROOT; else process.env.REPRO_DATA_ROOT = root;
    rmSync(dir, {recursive: true, force: true});
  }
}
