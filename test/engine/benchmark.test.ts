import {strict as assert} from 'node:assert';
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {bestBlockRate, bestTorch, measureTraining} from '../../src/engine/benchmark';

describe('engine/benchmark', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('measureTraining runs warm-up + timed steps and reports a flat tensor count for a clean step', async () => {
    let calls = 0;
    const r = await measureTraining(async () => {
      calls++;
      const s = tf.tidy(() => tf.sum(tf.ones([4])));
      const v = (await s.data())[0];
      s.dispose();
      return v;
    }, 8, 5, 2);
    assert.equal(calls, 7);
    assert.ok(r.imgPerSec > 0 && Number.isFinite(r.imgPerSec));
    assert.equal(r.tensors.atEnd, r.tensors.afterWarmup);
    assert.ok(r.peakRssMb > 0);
  });

  it('the tensor counts expose a step that leaks', async () => {
    const leaked: tf.Tensor[] = [];
    const r = await measureTraining(async () => { leaked.push(tf.ones([2])); return 1; }, 1, 3, 1);
    assert.equal(r.tensors.atEnd - r.tensors.afterWarmup, 3);
    tf.dispose(leaked);
  });

  it('bestBlockRate takes the fastest run of consecutive steps, not the best single steps', () => {
    // Two fast steps separated by a slow one: a block of 2 must include a slow neighbour.
    assert.equal(bestBlockRate([1, 0.5, 2, 0.5, 1], 10, 2), 20 / 1.5);
    assert.equal(bestBlockRate([1, 1, 1], 10, 1), 10);
    assert.equal(bestBlockRate([2, 2], 10, 5), 20 / 4, 'fewer steps than a block: all of them');
  });

  it('a non-finite loss stops the benchmark', async () => {
    await assert.rejects(measureTraining(async () => NaN, 1, 2, 0), /loss became NaN/);
  });

  describe('bestTorch (with a stand-in for /usr/bin/python3)', () => {
    let dir: string;
    before(() => { dir = mkdtempSync(join(tmpdir(), 'repro-bench-')); });
    after(() => rmSync(dir, {recursive: true, force: true}));

    const fake = (name: string, body: string): string => {
      const p = join(dir, name);
      writeFileSync(p, `#!/bin/sh\n${body}\n`);
      chmodSync(p, 0o755);
      return p;
    };
    const opts = {models: ['resnet20'], batch: 8, steps: 1, warmup: 0, threads: 2, block: 1};

    it('takes the best over OpenMP wait policies and memory formats', () => {
      // PASSIVE is faster for this fake, and channels_last beats NCHW under it.
      const py = fake('py', 'if [ "$OMP_WAIT_POLICY" = PASSIVE ]; then A=100; B=150; else A=120; B=90; fi\n' +
        'echo "{\\"torch\\": \\"9.9\\", \\"threads\\": $OMP_NUM_THREADS, \\"results\\": {\\"resnet20\\": ' +
        '{\\"imgPerSec\\": {\\"nchw\\": $A, \\"channels_last\\": $B}, \\"best\\": $(( A > B ? A : B )), ' +
        '\\"bestFormat\\": \\"$( [ $A -gt $B ] && echo nchw || echo channels_last )\\"}}}"');
      const r = bestTorch(process.cwd(), opts, ['ACTIVE', 'PASSIVE'], py);
      assert.ok(r.ok, r.ok ? '' : r.reason);
      assert.deepEqual(r.best.resnet20, {imgPerSec: 150, format: 'channels_last', ompWaitPolicy: 'PASSIVE'});
      assert.equal(r.torch, '9.9');
    });

    it('says why when PyTorch is missing or the interpreter does not exist', () => {
      const py = fake('nopy', 'echo "ModuleNotFoundError: No module named \'torch\'" >&2; exit 1');
      const r = bestTorch(process.cwd(), opts, ['PASSIVE'], py);
      assert.ok(!r.ok && /python3-torch/.test(r.reason));
      const missing = bestTorch(process.cwd(), opts, ['PASSIVE'], join(dir, 'absent'));
      assert.ok(!missing.ok && /not found/.test(missing.reason));
    });
  });
});
