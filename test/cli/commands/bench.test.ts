import {strict as assert} from 'node:assert';
import {benchCommand, formatTable, runWorkersTogether, type BenchRow} from '../../../src/cli/commands/bench';
import {ReproError} from '../../../src/util/errors';

const row = (over: Partial<BenchRow>): BenchRow => ({model: 'resnet20', inputSize: 32, batch: 128, backend: 'cpu-native',
  threads: 2, steps: 50, imgPerSec: 400, imgPerSecMean: 350, imgPerSecRounds: [380, 400], forwardMacs: 40.55e6, gflops: 97.3,
  peakFraction: 0.5, peakRssMb: 800, tensors: {afterWarmup: 135, atEnd: 135}, rssMb: {afterWarmup: 790, atEnd: 800},
  ompWait: 'GOMP_SPINCOUNT=1000', torch: {imgPerSec: 500, imgPerSecMean: 480, peakRssMb: 400, format: 'channels_last',
    ompWaitPolicy: 'ACTIVE'}, torchGflops: 121.6, torchPeakFraction: 0.625, ratio: 0.8, rssRatio: 2, jobs: null, ...over});

describe('cli/commands/bench', () => {
  it('prints one line per model with the ratio, and a dash where PyTorch did not run', () => {
    const text = formatTable([row({}), row({model: 'resnet56', torch: null, torchGflops: null, torchPeakFraction: null,
      ratio: null, rssRatio: null})], 194.6);
    const lines = text.trim().split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[1], /^resnet20 +32² +128 +400\.0 \(350\.0\) +97\.3 +50% +800 +135→135 .*500\.0 \(channels_last, ACTIVE\) +121\.6 \(63%\) +400 +0\.80 +2\.00 +—$/);
    assert.match(lines[2], /^resnet56 .*— +— +— +— +— +—$/);
    assert.match(lines[3], /6 × forward multiply-adds|× 6 × forward multiply-adds/);
    assert.match(lines[3], /194\.6 GFLOP\/s/);
  });

  it('adds what N processes side by side train, against one, where --jobs measured it', () => {
    const text = formatTable([row({jobs: {n: 2, threadsEach: 1, perJob: [230, 220], imgPerSec: 450, vsOne: 450 / 350}})], null);
    const lines = text.trim().split('\n');
    assert.match(lines[0], /jobs img\/s \(vs 1\)$/);
    assert.match(lines[1], /450\.0 \(2 × 1 thread, 1\.29×\)$/);
    assert.match(lines[3], /^jobs: the summed mean img\/s of processes side by side/);
  });

  it('side by side: every worker warms up, then all time their steps together', async function () {
    this.timeout(120_000);
    const results = await runWorkersTogether({net: 'resnet20', batch: 8, steps: 2, warmup: 1, block: 1}, 2, 1);
    assert.equal(results.length, 2);
    for (const r of results) {
      assert.equal(r.kind, 'net');
      if (r.kind === 'net') {
        assert.equal(r.threads, 1);
        assert.ok(r.imgPerSecMean > 0);
      }
    }
    await assert.rejects(runWorkersTogether({net: 'nonet', batch: 8, steps: 2, warmup: 1, block: 1}, 2, 1), /side-by-side measurements .* failed/);
  });

  it('rejects unknown options and nonsensical counts before doing any work', async () => {
    await assert.rejects(benchCommand.run(['--model', 'resnet20']), (e: unknown) => e instanceof ReproError &&
      /unknown option --model/.test(e.message));
    await assert.rejects(benchCommand.run(['--steps', '0']), /--steps, --batch, --block, --rounds and --jobs must be ≥ 1/);
    await assert.rejects(benchCommand.run(['--rounds', '0']), /--steps, --batch, --block, --rounds and --jobs must be ≥ 1/);
    await assert.rejects(benchCommand.run(['--jobs', '0']), /--steps, --batch, --block, --rounds and --jobs must be ≥ 1/);
    await assert.rejects(benchCommand.run(['--nets', 'resnet21']), (e: unknown) => e instanceof ReproError &&
      /unknown net resnet21/.test(e.message) && /resnext50_32x4d/.test(e.message));
    await assert.rejects(benchCommand.run(['--torch-formats', 'nhwc']), /bad --torch-formats/);
  });
});
