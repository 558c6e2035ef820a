import {strict as assert} from 'node:assert';
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {RunSpec} from '../../src/runs/spec';
import type {RunResult} from '../../src/runs/result';
import {REPO_ROOT} from '../../src/runs/code_version';

const CLI = join(REPO_ROOT, 'bin', 'repro.js');

/** A small real run: ResNet-8 on synthetic 16×16 images, 3 epochs of about a second each on cpu-native. */
const SPEC: RunSpec = {
  experiment: 'test', name: 'kill-resume', model: 'resnet8',
  data: {name: 'synthetic', synthetic: {count: 1536, testCount: 128, size: 16, channels: 3, classes: 4}},
  augment: {padCrop: 2, hflip: true, normalize: 'per-pixel-mean'},
  optimizer: {type: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 1e-4},
  schedule: {type: 'multistep', milestones: [30], gamma: 0.1},
  loss: 'cross-entropy', epochs: 3, batchSize: 32, seed: 11,
};

function start(specFile: string, store: string): {child: ChildProcess; done: Promise<{code: number | null; out: string; err: string}>} {
  const child = spawn(process.execPath, [CLI, 'train', '--spec', specFile, '--store', store],
    {cwd: REPO_ROOT, env: {...process.env, REPRO_THREADS: '1'}, stdio: ['ignore', 'pipe', 'pipe']});
  let out = '', err = '';
  child.stdout?.on('data', (d) => { out += d; });
  child.stderr?.on('data', (d) => { err += d; });
  const done = new Promise<{code: number | null; out: string; err: string}>((resolve) =>
    child.on('close', (code) => resolve({code, out, err})));
  return {child, done};
}

function readResult(store: string, hash: string): RunResult {
  return JSON.parse(readFileSync(join(store, hash, 'result.json'), 'utf8')) as RunResult;
}

const withoutTimes = (r: RunResult) => r.history.map(({wallMs: _w, imgPerSec: _i, ...m}) => m);

describe('runs: a real training process killed with SIGKILL resumes to the same result', function () {
  this.timeout(600_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'repro-kill-'));
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(SPEC));
  });
  after(() => rmSync(dir, {recursive: true, force: true}));

  it('kill mid-epoch, restart, and compare with an uninterrupted run', async () => {
    const specFile = join(dir, 'spec.json');
    const whole = await start(specFile, join(dir, 'whole')).done;
    assert.equal(whole.code, 0, whole.err);
    const hash = whole.out.trim().split('\n').pop() as string;
    const reference = readResult(join(dir, 'whole'), hash);
    assert.equal(reference.resumedFromEpoch, 0);

    const cutStore = join(dir, 'cut');
    const victim = start(specFile, cutStore);
    const firstCheckpoint = join(cutStore, hash, 'checkpoint', 'epoch-0001');
    while (!existsSync(firstCheckpoint)) {
      if (victim.child.exitCode !== null) assert.fail('the run ended before it could be killed');
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 150)); // into epoch 2 (an epoch takes ~1 s on cpu-native)
    victim.child.kill('SIGKILL');
    const killed = await victim.done;
    assert.equal(killed.code, null, 'killed by the signal');
    assert.ok(!existsSync(join(cutStore, hash, 'result.json')), 'no result from the killed run');
    assert.ok(existsSync(join(cutStore, hash, 'lock')), 'the killed holder left its lock behind');

    const resumed = await start(specFile, cutStore).done;
    assert.equal(resumed.code, 0, resumed.err);
    assert.match(resumed.err, /resuming test\/kill-resume after epoch 1 /);
    const result = readResult(cutStore, hash);
    assert.equal(result.resumedFromEpoch, 1);
    assert.deepEqual(withoutTimes(result), withoutTimes(reference));
  });

  it('two processes asking for the same run: one trains, the other waits and reuses it', async () => {
    const specFile = join(dir, 'spec.json');
    const store = join(dir, 'shared');
    const [a, b] = await Promise.all([start(specFile, store).done, start(specFile, store).done]);
    assert.equal(a.code, 0, a.err);
    assert.equal(b.code, 0, b.err);
    assert.equal(a.out.trim(), b.out.trim(), 'same run hash');
    const trained = [a, b].filter((r) => /stored: /.test(r.err)).length;
    const reused = [a, b].filter((r) => /already in the store/.test(r.err)).length;
    assert.deepEqual([trained, reused], [1, 1], `stderr:\n${a.err}\n---\n${b.err}`);
  });
});
