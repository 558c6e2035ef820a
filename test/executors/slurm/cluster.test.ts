import {strict as assert} from 'node:assert';
import {spawn, spawnSync} from 'node:child_process';
import {chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runOnSlurm, describeFailure} from '../../../src/executors/slurm/executor';
import {CliSlurm} from '../../../src/executors/slurm/client';
import {loadSubmissions} from '../../../src/executors/slurm/submission';
import {baselineRuns, readBaselineClaims, readBaselineRuns} from '../../../src/pipeline/baselines';
import {selectExperiments} from '../../../src/pipeline/plan';
import {reproduce} from '../../../src/pipeline/reproduce';
import {REPO_ROOT} from '../../../src/runs/code_version';
import {RunStore} from '../../../src/runs/store';
import {assertSameClaims, assertSameRuns} from '../../pipeline/baseline_compare';
import {smallSpec, training} from '../small_runs';
import {clusterConf} from './cluster';

const CLI = join(REPO_ROOT, 'bin', 'repro.js');

/** Runs `repro ARGS` as a child process (the real CLI, as a user would). */
function repro(args: string[]): Promise<{code: number | null; out: string; err: string}> {
  const child = spawn(process.execPath, [CLI, ...args], {cwd: REPO_ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe']});
  let out = '', err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  return new Promise((resolve) => child.on('close', (code) => resolve({code, out, err})));
}

function slurmLogs(store: RunStore, hash: string): string[] {
  return readdirSync(store.dir(hash)).filter((f) => /^slurm-.*\.log$/.test(f)).map((f) => readFileSync(join(store.dir(hash), f), 'utf8'));
}

describe('executors/slurm against a real single-node Slurm cluster (scripts/slurm-cluster.mjs)', function () {
  this.timeout(600_000);
  let tmp: string;
  before(() => { clusterConf(); tmp = mkdtempSync(join(tmpdir(), 'repro-slurm-')); });
  after(() => { if (tmp) rmSync(tmp, {recursive: true, force: true}); });

  // Two experiments of the smoke profile (10 runs: CIFAR-style nets and E's ResNet-18), as in the
  // webgpu pipeline test: each Slurm task is a process of its own, and the whole profile's 36 take
  // two minutes here; what is tested (tasks, their results, the claims) is the same.
  const ONLY = ['B3', 'E'];
  const picked = selectExperiments(ONLY);
  const experimentIds = new Set(picked.map((e) => e.id)), claimIds = new Set(picked.flatMap((e) => e.claims.map((c) => c.id)));

  it('`repro reproduce --profile smoke --only B3,E --executor slurm` gives the claims and run results of the local executor (the committed smoke baselines)', async () => {
    const store = new RunStore(join(tmp, 'smoke-store')), out = join(tmp, 'smoke-out');
    // Two CPUs per task: the baselines were trained with 2 threads (oneDNN rounds differently with another count).
    const r = await repro(['reproduce', '--profile', 'smoke', '--only', ONLY.join(','), '--executor', 'slurm', '--slurm-args', '--cpus-per-task=2',
      '--poll', '1', '--store', store.root, '--out', out]);
    assert.equal(r.code, 0, r.err);
    const n = Number(/slurm: submitted (\d+) run\(s\) as job array \d+/.exec(r.err)?.[1]);
    assert.ok(n > 0, r.err);
    assert.match(r.err, new RegExp(`slurm: 0 queued, 0 running, ${n} done, 0 failed \\(of ${n}\\)`));
    const claims = JSON.parse(readFileSync(join(out, 'claims.json'), 'utf8')) as {id: string; verdict: string; measured?: number}[];
    const outcome = await reproduce({profile: 'smoke', only: ONLY, store, noTraining: true, noReport: true, log: () => {}});
    assert.equal(outcome.plan.trainings.filter((t) => !t.cached).length, 0);
    const strictness = assertSameRuns(baselineRuns(outcome, store), readBaselineRuns('smoke')!.filter((b) => experimentIds.has(b.experiment)));
    assertSameClaims(claims, readBaselineClaims('smoke')!.filter((c) => claimIds.has(c.id)), strictness);
    for (const t of outcome.plan.trainings) {
      const script = readFileSync(join(store.dir(t.hash), 'sbatch.sh'), 'utf8');
      assert.ok(script.startsWith(`#!/bin/bash\n#SBATCH --job-name=repro-smoke\n#SBATCH --array=0-${n - 1}\n#SBATCH --cpus-per-task=1\n`), script);
      assert.match(slurmLogs(store, t.hash).join(''), /stored: /);
    }
  });

  it('a task that fails is reported with its Slurm state, exit code and log', async () => {
    const store = new RunStore(join(tmp, 'fail-store'));
    // A hash that is not the spec's: `repro train --expect-hash` refuses (exit 2), as on a node with other code.
    const t = await training(smallSpec('fails', 1), 'f'.repeat(20));
    const lines: string[] = [];
    const outcome = await runOnSlurm([t], 'smoke', store, (l) => lines.push(l), new CliSlurm(), {maxAttempts: 1, pollMs: 500});
    assert.equal(outcome.failed.length, 1, lines.join('\n'));
    const f = outcome.failed[0];
    assert.equal(f.state, 'FAILED');
    assert.equal(f.exitCode, '2:0');
    assert.match(f.log, new RegExp(`${store.dir(t.hash)}/slurm-\\d+_0\\.log$`));
    const text = describeFailure(f);
    assert.match(text, /FAILED \(the task exited with an error\), exit code 2; log .*slurm-\d+_0\.log/);
    assert.match(text, /hashes to [0-9a-f]{20} here, not to f{20}/);
  });

  it('a task cancelled mid-run (scancel) is resubmitted and resumes from its checkpoint, taking over the dead holder\'s lease', async () => {
    const store = new RunStore(join(tmp, 'cancel-store'));
    const t = await training(smallSpec('cancelled', 4));
    const lines: string[] = [];
    const running = runOnSlurm([t], 'smoke', store, (l) => lines.push(l), new CliSlurm(), {maxAttempts: 2, pollMs: 500});
    const firstCheckpoint = join(store.checkpointDir(t.hash), 'epoch-0001');
    const t0 = Date.now();
    while (!existsSync(firstCheckpoint)) {
      assert.ok(Date.now() - t0 < 240_000, `no checkpoint after 240 s:\n${lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const jobId = loadSubmissions(store)[0].arrays[0].jobId;
    const c = spawnSync('scancel', [`${jobId}_0`], {encoding: 'utf8', timeout: 30_000});
    assert.equal(c.status, 0, c.stderr);
    const outcome = await running;
    assert.deepEqual(outcome.failed, [], lines.join('\n'));
    assert.match(lines.join('\n'), /test\/cancelled CANCELLED \(the task was cancelled.*resubmitting \(try 2 of 2/s);
    const result = store.read(t.hash)!;
    assert.ok(result.resumedFromEpoch >= 1, `resumed from epoch ${result.resumedFromEpoch}`);
    const logs = slurmLogs(store, t.hash).join('\n');
    assert.match(logs, /taking over stale lock .*its holder, process \d+ on this host, is gone/);
    assert.match(logs, /resuming test\/cancelled after epoch \d/);
  });

  it('two `repro reproduce` processes on one store never train a run twice', async () => {
    const store = new RunStore(join(tmp, 'two-store'));
    const args = (out: string) => ['reproduce', '--profile', 'smoke', '--only', 'B3', '--executor', 'slurm', '--poll', '1', '--store', store.root, '--out', join(tmp, out)];
    const [a, b] = await Promise.all([repro(args('two-a')), repro(args('two-b'))]);
    assert.equal(a.code, 0, a.err);
    assert.equal(b.code, 0, b.err);
    const outcome = await reproduce({profile: 'smoke', only: ['B3'], store, noTraining: true, noReport: true, log: () => {}});
    assert.ok(outcome.plan.trainings.length >= 2);
    for (const t of outcome.plan.trainings) {
      const logs = slurmLogs(store, t.hash);
      const trained = logs.filter((l) => /stored: /.test(l)).length;
      assert.equal(trained, 1, `${t.spec.name} trained ${trained} times:\n${logs.join('\n---\n')}`);
    }
    assert.deepEqual(readFileSync(join(tmp, 'two-a', 'claims.json'), 'utf8'), readFileSync(join(tmp, 'two-b', 'claims.json'), 'utf8'));
  });

  it('Ctrl-C leaves the jobs running and says how to cancel; `repro status` and `repro cancel` work on the handle', async () => {
    const store = new RunStore(join(tmp, 'sigint-store'));
    const child = spawn(process.execPath, [CLI, 'reproduce', '--profile', 'smoke', '--only', 'B1B2', '--executor', 'slurm', '--throttle', '1',
      '--poll', '1', '--store', store.root, '--out', join(tmp, 'sigint-out')], {cwd: REPO_ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe']});
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const t0 = Date.now();
    while (!/slurm: submitted/.test(err)) {
      assert.ok(Date.now() - t0 < 120_000, `not submitted after 120 s:\n${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGINT');
    assert.equal(await exited, 130, err);
    assert.match(err, /interrupted: the Slurm jobs keep running\. watch with `repro status --store .*`, cancel with `repro cancel --store /);
    const status = await repro(['status', '--store', store.root]);
    assert.match(status.out, /^submission \S+ \(smoke\): \d+ done, [1-9]\d* queued or running, 0 failed, of \d+\n/);
    const cancel = await repro(['cancel', '--store', store.root]);
    assert.equal(cancel.code, 0, cancel.err);
    assert.match(cancel.out, /cancelled job array\(s\) \d+ of submission/);
    let json = '';
    for (let i = 0; i < 30; i++) { // scancel is asynchronous: wait until nothing is queued or running
      json = (await repro(['status', '--store', store.root, '--json'])).out;
      if (!/"phase": "(queued|running)"/.test(json)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const runs = (JSON.parse(json) as {runs: {phase: string; state: string}[]}).runs;
    assert.ok(runs.some((r) => r.state === 'CANCELLED'), json);
    assert.ok(runs.every((r) => r.phase === 'done' || r.state === 'CANCELLED'), json);
  });

  it('@slow a task past its time limit is reported as TIMEOUT (Slurm enforces 1 minute after 61–89 s)', async function () {
    this.timeout(300_000);
    const store = new RunStore(join(tmp, 'timeout-store'));
    const t = await training(smallSpec('too-long', 1));
    const sleeper = join(tmp, 'sleeper.sh'); // stands in for node: a task that never finishes
    writeFileSync(sleeper, '#!/bin/bash\necho "training forever"\nsleep 600\n');
    chmodSync(sleeper, 0o755);
    const outcome = await runOnSlurm([t], 'smoke', store, () => {}, new CliSlurm(),
      {maxAttempts: 1, pollMs: 1000, node: sleeper, sbatchArgs: ['--time=1']});
    assert.equal(outcome.failed[0]?.state, 'TIMEOUT');
    assert.match(describeFailure(outcome.failed[0]), /ran past its time limit .*training forever/s);
  });
});
