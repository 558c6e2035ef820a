import {strict as assert} from 'node:assert';
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {ClaimVerdict} from '../../../src/claims/claim';
import {selectExperiments} from '../../../src/pipeline/plan';
import {REPO_ROOT} from '../../../src/runs/code_version';
import type {RunResult} from '../../../src/runs/result';
import type {RunSpec} from '../../../src/runs/spec';
import {requireWebGpu} from './webgpu_available';

// The pipeline on webgpu (lavapipe here) in real `repro` processes with REPRO_BACKEND=webgpu.
// Its verdicts must equal the committed cpu-native smoke baseline's, which the regression tests
// hold today's cpu-native code to. `npm test` trains experiment B3 of the smoke profile (8 runs:
// CIFAR-style plain and residual nets, SGD, cross-entropy, augmentation; ≈ 20 s on lavapipe):
// every op the profiles train with is held to cpu-native's by kernels.test.ts, and ResNet-20's
// steps by training.test.ts. The whole smoke profile (36 runs; 6–7 minutes on 2 cores, E's
// ResNet-18 at 2–3 img/s) is `@slow`: `npm run test:slow`, or by hand
// REPRO_BACKEND=webgpu npm run reproduce -- --profile smoke.

const CLI = join(REPO_ROOT, 'bin', 'repro.js');
const BASELINE = join(REPO_ROOT, 'reports', 'baselines', 'smoke', 'claims.json');

function start(args: string[], backend = 'webgpu'): {child: ChildProcess; done: Promise<{code: number | null; out: string; err: string}>} {
  const child = spawn(process.execPath, [CLI, ...args], {cwd: REPO_ROOT, env: {...process.env, REPRO_BACKEND: backend},
    stdio: ['ignore', 'pipe', 'pipe']});
  let out = '', err = '';
  child.stdout?.on('data', (d) => { out += d; });
  child.stderr?.on('data', (d) => { err += d; });
  const done = new Promise<{code: number | null; out: string; err: string}>((resolve) => child.on('close', (code) => resolve({code, out, err})));
  return {child, done};
}

const readResult = (store: string, hash: string) => JSON.parse(readFileSync(join(store, hash, 'result.json'), 'utf8')) as RunResult;
const withoutTimes = (r: RunResult) => r.history.map(({wallMs: _w, imgPerSec: _i, ...m}) => m);

describe('engine/webgpu: the pipeline with REPRO_BACKEND=webgpu', function () {
  this.timeout(600_000);
  let dir: string;
  before(async function () {
    await requireWebGpu(this);
    dir = mkdtempSync(join(tmpdir(), 'repro-webgpu-'));
  });
  after(() => { if (dir) rmSync(dir, {recursive: true, force: true}); });

  /** Trains `only` (all experiments when empty) on webgpu and checks its verdicts against the cpu-native baseline's. */
  async function sameVerdictsAsCpuNative(name: string, only: readonly string[]): Promise<void> {
    const store = join(dir, `store-${name}`), out = join(dir, `out-${name}`);
    const r = await start(['reproduce', '--profile', 'smoke', ...(only.length ? ['--only', only.join(',')] : []), '--store', store, '--out', out]).done;
    assert.equal(r.code, 0, r.err);
    const ours = JSON.parse(readFileSync(join(out, 'claims.json'), 'utf8')) as ClaimVerdict[];
    const claimIds = new Set(selectExperiments(only).flatMap((e) => e.claims.map((c) => c.id)));
    const reference = (JSON.parse(readFileSync(BASELINE, 'utf8')) as ClaimVerdict[]).filter((c) => claimIds.has(c.id));
    assert.deepEqual(ours.map((c) => c.id), reference.map((c) => c.id), 'the same claims');
    const verdicts = new Map(reference.map((c) => [c.id, c.verdict]));
    for (const c of ours) assert.equal(c.verdict, verdicts.get(c.id), `${c.id}: webgpu ${c.verdict} (${c.note ?? ''}), cpu-native ${verdicts.get(c.id)}`);
    // Every run trained on webgpu and recorded its adapter.
    const results = readdirSync(store).filter((h) => existsSync(join(store, h, 'result.json'))).map((h) => readResult(store, h));
    assert.ok(results.length > 0);
    for (const res of results) {
      assert.equal(res.provenance.backend, 'webgpu');
      assert.ok(res.provenance.adapter && res.provenance.adapter.driver.length > 0, 'adapter recorded');
    }
  }

  it('experiment B3 of the smoke profile: the same verdict as cpu-native (the committed smoke baseline)', async () => {
    await sameVerdictsAsCpuNative('b3', ['B3']);
  });

  it('@slow the whole smoke profile: the same verdicts as cpu-native (the committed smoke baseline)', async () => {
    await sameVerdictsAsCpuNative('all', []);
  });

  it('a training process killed with SIGKILL resumes to the same result as an uninterrupted webgpu run', async () => {
    const spec: RunSpec = {
      experiment: 'test', name: 'kill-resume-webgpu', model: 'resnet8',
      data: {name: 'synthetic', synthetic: {count: 128, testCount: 32, size: 8, channels: 3, classes: 4}},
      augment: {padCrop: 2, hflip: true, normalize: 'per-pixel-mean'},
      optimizer: {type: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 1e-4},
      schedule: {type: 'multistep', milestones: [30], gamma: 0.1},
      loss: 'cross-entropy', epochs: 3, batchSize: 32, seed: 11,
    };
    const specFile = join(dir, 'spec.json');
    writeFileSync(specFile, JSON.stringify(spec));
    const whole = await start(['train', '--spec', specFile, '--store', join(dir, 'whole')]).done;
    assert.equal(whole.code, 0, whole.err);
    const hash = whole.out.trim().split('\n').pop() as string;
    const reference = readResult(join(dir, 'whole'), hash);
    assert.equal(reference.provenance.backend, 'webgpu');

    const cutStore = join(dir, 'cut');
    const victim = start(['train', '--spec', specFile, '--store', cutStore]);
    while (!existsSync(join(cutStore, hash, 'checkpoint', 'epoch-0001'))) {
      if (victim.child.exitCode !== null) assert.fail('the run ended before it could be killed');
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 100)); // into epoch 2
    victim.child.kill('SIGKILL');
    assert.equal((await victim.done).code, null, 'killed by the signal');
    assert.ok(!existsSync(join(cutStore, hash, 'result.json')), 'no result from the killed run');

    const resumed = await start(['train', '--spec', specFile, '--store', cutStore]).done;
    assert.equal(resumed.code, 0, resumed.err);
    assert.match(resumed.err, /resuming test\/kill-resume-webgpu after epoch 1 /);
    const result = readResult(cutStore, hash);
    assert.equal(result.resumedFromEpoch, 1);
    assert.deepEqual(withoutTimes(result), withoutTimes(reference));
  });
});
