import {strict as assert} from 'node:assert';
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {RunSpec} from '../../src/runs/spec';
import {REPO_ROOT} from '../../src/runs/code_version';

const CLI = join(REPO_ROOT, 'bin', 'repro.js');

/** Long enough (20 epochs of about a second) that only an interrupt ends it within the test. */
const SPEC: RunSpec = {
  experiment: 'test', name: 'ctrl-c', model: 'resnet8',
  data: {name: 'synthetic', synthetic: {count: 1536, testCount: 128, size: 16, channels: 3, classes: 4}},
  augment: {padCrop: 2, hflip: true, normalize: 'per-pixel-mean'},
  optimizer: {type: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 1e-4},
  schedule: {type: 'multistep', milestones: [30], gamma: 0.1},
  loss: 'cross-entropy', epochs: 20, batchSize: 32, seed: 12,
};

const repro = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], {cwd: REPO_ROOT, encoding: 'utf8'});

describe('runs: Ctrl-C during `repro train`', function () {
  this.timeout(300_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'repro-sigint-'));
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(SPEC));
  });
  after(() => rmSync(dir, {recursive: true, force: true}));

  it('stops within seconds, says "interrupted; run the same command to resume", marks the run interrupted; --prune removes it', async () => {
    const store = join(dir, 'store');
    const child = spawn(process.execPath, [CLI, 'train', '--spec', join(dir, 'spec.json'), '--store', store],
      {cwd: REPO_ROOT, env: {...process.env, REPRO_THREADS: '1'}, stdio: ['ignore', 'pipe', 'pipe']});
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    while (!/epoch 1\/20/.test(err)) {
      if (child.exitCode !== null) assert.fail(`the run ended before it could be interrupted:\n${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const sent = Date.now();
    child.kill('SIGINT');
    const code = await done;
    const seconds = (Date.now() - sent) / 1000;
    assert.equal(code, 130, err);
    assert.ok(seconds < 5, `took ${seconds.toFixed(1)} s to stop`);
    assert.match(err, /interrupted; run the same command to resume \(test\/ctrl-c stopped during epoch \d+/);
    assert.doesNotMatch(err, /internal error|at .*\.js:\d+/, 'no stack trace');

    const listed = repro(['runs', '--store', store]);
    // Its epochs cell says how far the checkpoint got (the stop came after epoch 1's line).
    assert.match(listed.stdout, /test\/ctrl-c\s+resnet8\s+interrupted\s+([1-9]\d*)\/20\s/);
    const pruned = repro(['runs', '--store', store, '--prune']);
    assert.equal(pruned.status, 0, pruned.stderr);
    assert.match(pruned.stdout, /removed [0-9a-f]{20}\s+test\/ctrl-c \(interrupted\)\npruned 1 entry/);
    assert.match(repro(['runs', '--store', store]).stdout, /is empty/);
    assert.ok(existsSync(store), 'the store itself stays');
  });
});
