import {strict as assert} from 'node:assert';
import {benchCommand, formatTable, type BenchRow} from '../../../src/cli/commands/bench';
import {ReproError} from '../../../src/util/errors';

const row = (over: Partial<BenchRow>): BenchRow => ({model: 'resnet20', batch: 128, backend: 'cpu-native', threads: 2,
  steps: 50, imgPerSec: 400, imgPerSecMean: 350, peakRssMb: 800, tensors: {afterWarmup: 135, atEnd: 135},
  rssMb: {afterWarmup: 790, atEnd: 800}, ompWaitPolicy: 'PASSIVE', torchImgPerSec: 500, torchFormat: 'channels_last',
  torchOmpWaitPolicy: 'ACTIVE', ratio: 0.8, ...over});

describe('cli/commands/bench', () => {
  it('prints one line per model with the ratio, and a dash where PyTorch did not run', () => {
    const text = formatTable([row({}), row({model: 'resnet56', torchImgPerSec: null, torchFormat: null,
      torchOmpWaitPolicy: null, ratio: null})]);
    const lines = text.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[1], /^resnet20 .*400\.0 \(350\.0\) .*135→135 .*500\.0 \(channels_last, ACTIVE\) +0\.80/);
    assert.match(lines[2], /^resnet56 .*— +—$/);
  });

  it('rejects unknown options and nonsensical counts before doing any work', async () => {
    await assert.rejects(benchCommand.run(['--model', 'resnet20']), (e: unknown) => e instanceof ReproError &&
      /unknown option --model/.test(e.message));
    await assert.rejects(benchCommand.run(['--steps', '0']), /--steps, --batch and --block must be ≥ 1/);
  });
});
