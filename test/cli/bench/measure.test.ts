import {strict as assert} from 'node:assert';
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {bestBlockRate, bestTorch, measureTraining, TORCH_PYTHON, trainingFlopsPerImage} from '../../../src/cli/bench/measure';
import {BENCH_NETS} from '../../../src/cli/bench/nets';

describe('cli/bench/measure', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('measureTraining runs warm-up + timed steps and reports a flat tensor count for a clean step', async () => {
    let calls = 0;
    const r = await measureTraining(async () => { calls++; return tf.tidy(() => tf.sum(tf.ones([4])).dataSync()[0]); }, 8, 5, 2);
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

  it('counts 6 FLOPs per forward multiply-add for a training step', () => {
    assert.equal(trainingFlopsPerImage(40.55e6), 6 * 40.55e6);
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
    const opts = {net: 'resnet20', batch: 8, steps: 1, warmup: 0, threads: 2, block: 1};
    // A stand-in that answers like torch_bench.py: speed from the format and the wait policy.
    const answer = (rate: string) => 'echo "{\\"torch\\": \\"9.9\\", \\"threads\\": $OMP_NUM_THREADS, ' +
      `\\"imgPerSec\\": ${rate}, \\"imgPerSecMean\\": 1, \\"peakRssMb\\": 321}"`;

    it('takes the best over OpenMP wait policies and memory formats, with that run\'s peak RSS', () => {
      // PASSIVE is faster for this fake, and channels_last beats NCHW under it.
      const py = fake('py', 'case "$*" in *channels_last*) F=cl;; *) F=nchw;; esac\n' +
        'if [ "$OMP_WAIT_POLICY" = PASSIVE ]; then [ $F = cl ] && R=150 || R=100; else [ $F = cl ] && R=90 || R=120; fi\n' +
        answer('$R'));
      const r = bestTorch(process.cwd(), opts, ['nchw', 'channels_last'], ['ACTIVE', 'PASSIVE'], py);
      assert.ok(r.ok, r.ok ? '' : r.reason);
      assert.deepEqual(r.best, {imgPerSec: 150, imgPerSecMean: 1, peakRssMb: 321, format: 'channels_last',
        ompWaitPolicy: 'PASSIVE'});
      assert.equal(r.torch, '9.9');
      assert.equal(Object.keys(r.runs).length, 4);
    });

    it('runs the peer under its own wait policy, never under the engine\'s GOMP_SPINCOUNT', () => {
      // libgomp lets GOMP_SPINCOUNT override the policy's spinning: ACTIVE would no longer spin.
      const py = fake('spin', '[ -n "$GOMP_SPINCOUNT" ] && R=1 || R=50\n' + answer('$R'));
      const saved = process.env.GOMP_SPINCOUNT;
      process.env.GOMP_SPINCOUNT = '1000';
      try {
        const r = bestTorch(process.cwd(), opts, ['channels_last'], ['ACTIVE'], py);
        assert.ok(r.ok, r.ok ? '' : r.reason);
        assert.equal(r.best.imgPerSec, 50);
      } finally {
        if (saved === undefined) delete process.env.GOMP_SPINCOUNT; else process.env.GOMP_SPINCOUNT = saved;
      }
    });

    it('says why when PyTorch is missing or the interpreter does not exist', () => {
      const py = fake('nopy', 'echo "ModuleNotFoundError: No module named \'torch\'" >&2; exit 1');
      const r = bestTorch(process.cwd(), opts, ['channels_last'], ['PASSIVE'], py);
      assert.ok(!r.ok && /python3-torch/.test(r.reason));
      const missing = bestTorch(process.cwd(), opts, ['channels_last'], ['PASSIVE'], join(dir, 'absent'));
      assert.ok(!missing.ok && /not found/.test(missing.reason));
    });

    it('the real torch_bench.py builds and steps every bench net (batch 2, one process; needs PyTorch)', function () {
      if (!existsSync(TORCH_PYTHON) || spawnSync(TORCH_PYTHON, ['-c', 'import torch, torchvision']).status !== 0) {
        const why = `${TORCH_PYTHON} cannot import torch and torchvision (apt-get install python3-torch python3-torchvision)`;
        if (process.env.CI === 'true') throw new Error(why);
        console.log(`      pending: ${why}`);
        this.skip();
      }
      const names = BENCH_NETS.map((n) => n.name);
      const r = spawnSync(TORCH_PYTHON, ['bench/torch_bench.py', '--check', names.join(','), '--threads', '1'],
        {encoding: 'utf8'});
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual((JSON.parse(r.stdout) as {checked: string[]}).checked, names);
    });
  });
});
