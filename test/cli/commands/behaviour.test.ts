import {strict as assert} from 'node:assert';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {REPO_ROOT} from '../../../src/runs/code_version';
import {cleanTreeCheck} from '../../../src/pipeline/baselines';
import {reproduce} from '../../../src/pipeline/reproduce';
import {RunStore} from '../../../src/runs/store';
import type {RunDeps} from '../../../src/runs/ensure_run';

const CLI = join(REPO_ROOT, 'bin', 'repro.js');

function repro(args: string[], env: NodeJS.ProcessEnv = {}): {code: number | null; out: string; err: string} {
  const r = spawnSync(process.execPath, [CLI, ...args], {cwd: REPO_ROOT, encoding: 'utf8', env: {...process.env, ...env}});
  return {code: r.status, out: r.stdout, err: r.stderr};
}

describe('cli: a command line that never surprises', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'repro-cli-')); });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  it('--version prints the package version and the training-code version', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {version: string};
    const r = repro(['--version']);
    assert.equal(r.code, 0);
    assert.match(r.out, new RegExp(`^resnet-repro ${pkg.version.replace(/\./g, '\\.')} \\(training code [0-9a-f]{16}, node v\\d+`));
  });

  it('rejects a stray positional argument instead of ignoring it', () => {
    for (const args of [['claims', 'quick'], ['runs', 'extra'], ['plan', '--profile', 'smoke', 'B1'], ['reproduce', 'smoke']]) {
      const r = repro(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, new RegExp(`error: repro ${args[0]}: unexpected argument "${args[args.length - 1]}"[\\s\\S]*--help`), args.join(' '));
    }
  });

  it('warns when --store names a folder that does not exist (and creates nothing)', () => {
    const missing = join(dir, 'no-such-store');
    for (const args of [['runs', '--store', missing], ['claims', '--profile', 'smoke', '--only', 'A', '--store', missing]]) {
      const r = repro(args);
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, /warning: repro \w+: --store .*no-such-store does not exist/, args.join(' '));
    }
    assert.ok(!existsSync(missing));
  });

  it('never prints the TensorFlow.js "install our node backend" banner', () => {
    const r = repro(['models', 'resnet20']);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out + r.err, /node backend|speed things up/);
  });

  it('offline `data fetch`: says the host cannot be reached and how to bring the file in by hand; leaves no folder', () => {
    const target = join(dir, 'a', 'b');
    // Port 9 (discard) on localhost refuses; a .invalid name never resolves (RFC 6761): both mean unreachable.
    for (const url of ['http://127.0.0.1:9/', 'http://cifar.invalid/']) {
      const r = repro(['data', 'fetch', 'cifar10', '--dir', target, '--url', url]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /cannot be reached from this machine \((ECONNREFUSED|ENOTFOUND|EAI_AGAIN)/);
      assert.match(r.err, /bring the file in by hand: download .*cifar-10-binary\.tar\.gz .* copy it to .*a\/b\/cifar-10-binary\.tar\.gz/);
      assert.doesNotMatch(r.err, /resumes/);
      assert.ok(!existsSync(join(dir, 'a')), 'no empty folder left behind');
    }
  });

  it('`claims --baseline quick` reads the committed verdicts (no store), aligned: claim, paper, ours, verdict', () => {
    const committed = JSON.parse(readFileSync(join(REPO_ROOT, 'reports', 'baselines', 'quick', 'claims.json'), 'utf8')) as
      {id: string; verdict: string}[];
    const r = repro(['claims', '--baseline', 'quick'], {REPRO_STORE: join(dir, 'never-read')});
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.match(lines[0], /^claim\s+paper\s+ours\s+verdict$/);
    const rows = lines.slice(1, 1 + committed.length);
    for (const [i, c] of committed.entries()) {
      assert.ok(rows[i].startsWith(c.id) && rows[i].endsWith(c.verdict), rows[i]);
      // Aligned: every verdict starts in the same column as the header's.
      assert.equal(rows[i].length - c.verdict.length, lines[0].indexOf('verdict'), rows[i]);
    }
    assert.doesNotMatch(r.out, /\d\.\d{6,}/, 'no raw floats');
    assert.match(r.out, /not run here:\n(?:.*\n)*? {2}C1, C2, C3: .*\n {4}run: /);
    assert.ok(!existsSync(join(dir, 'never-read')));
    const json = repro(['claims', '--baseline', 'quick', '--only', 'B1B2', '--json']);
    assert.deepEqual((JSON.parse(json.out) as {id: string}[]).map((c) => c.id), ['B1', 'B2']);
    const bad = repro(['claims', '--baseline', 'paper']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /reports\/baselines\/paper\/claims\.json does not exist[\s\S]*npm run baselines -- --profile paper/);
  });

  it('`plan` and `reproduce --dry-run` print the estimated total training time', () => {
    const store = join(dir, 'empty');
    const plan = repro(['plan', '--profile', 'smoke', '--only', 'B1B2', '--store', store]);
    assert.equal(plan.code, 0, plan.err);
    assert.match(plan.out, /estimated training time: ≈ \d+ (s|min|h) for 8 run\(s\) \(scaled from /);
    const dry = repro(['reproduce', '--profile', 'smoke', '--only', 'B1B2', '--dry-run', '--store', store]);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /estimated training time: ≈ \d+ (s|min|h) for 8 run\(s\)/);
  });

  it('`reproduce --within` trains only the runs estimated to fit, longest first, and defers the rest', async () => {
    const store = join(dir, 'empty');
    const some = repro(['reproduce', '--profile', 'smoke', '--only', 'B1B2', '--dry-run', '--within', '0.001s', '--store', store]);
    assert.equal(some.code, 0, some.err);
    assert.match(some.err, /--within 1 s: trains none of the 8 missing run\(s\)/);
    assert.equal(some.out.match(/^deferred  [0-9a-f]{20}  B1B2\//gm)?.length, 8, some.out);
    const all = repro(['reproduce', '--profile', 'smoke', '--only', 'B1B2', '--dry-run', '--within', '100h', '--store', store]);
    assert.equal(all.code, 0, all.err);
    assert.match(all.err, /--within 100\.0 h: trains 8 of 8 missing run\(s\)/);
    assert.equal(all.out.match(/^to train  [0-9a-f]{20}  B1B2\//gm)?.length, 8, all.out);
    const slurm = repro(['reproduce', '--profile', 'smoke', '--dry-run', '--within', '1h', '--executor', 'slurm', '--store', store]);
    assert.equal(slurm.code, 2);
    assert.match(slurm.err, /--within applies to training on this machine, not to the slurm executor[\s\S]*--time=HH:MM:SS/);
    const bare = repro(['reproduce', '--profile', 'smoke', '--dry-run', '--within', '3', '--store', store]);
    assert.equal(bare.code, 2);
    assert.match(bare.err, /--within: "3" is not a duration/);

    // The executor is handed exactly the chosen runs; the report is evaluated on what the store holds.
    const seen: string[][] = [];
    const outcome = await reproduce({profile: 'smoke', only: ['B1B2'], store: new RunStore(store), noReport: true, log: () => {}, within: 1e-6,
      makeDeps: async () => ({backend: {name: 'fake', reason: 'test', threads: 1}}) as unknown as RunDeps,
      executor: {name: 'recording', concurrency: 1, async trainMissing(plan) {
        seen.push(plan.trainings.filter((t) => !t.cached).map((t) => t.spec.name));
        return {trained: 0, failed: []};
      }}});
    assert.equal(seen.length, 0, 'nothing fits in a microsecond: the executor is not called');
    assert.equal(outcome.deferred?.length, 8);
    const wide = await reproduce({profile: 'smoke', only: ['B1B2'], store: new RunStore(store), noReport: true, log: () => {}, within: 360_000,
      makeDeps: async () => ({backend: {name: 'fake', reason: 'test', threads: 1}}) as unknown as RunDeps,
      executor: {name: 'recording', concurrency: 2, async trainMissing(plan) {
        seen.push(plan.trainings.filter((t) => !t.cached).map((t) => t.spec.name));
        return {trained: 0, failed: []};
      }}});
    assert.equal(seen.length, 1);
    assert.equal(seen[0].length, 8);
    assert.equal(wide.deferred, undefined);
  });

  it('`plan` and `reproduce --dry-run` warn when a missing run has a checkpoint made by other training code', async () => {
    const store = join(dir, 'store');
    const planned = JSON.parse(repro(['plan', '--profile', 'smoke', '--only', 'B1B2', '--json', '--store', store]).out) as
      {runs: {name: string; spec: unknown}[]};
    const run = planned.runs[0];
    // The same spec under a hash no commit's training code gives: as if begun from uncommitted code.
    const old = join(store, 'f'.repeat(20));
    mkdirSync(join(old, 'checkpoint', 'epoch-0001'), {recursive: true});
    writeFileSync(join(old, 'spec.json'), JSON.stringify(run.spec));
    for (const args of [['plan'], ['reproduce', '--dry-run']]) {
      const r = repro([...args, '--profile', 'smoke', '--only', 'B1B2', '--store', store]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, new RegExp(`warning: B1B2/${run.name.replace('.', '\\.')} trains from scratch as run [0-9a-f]{20}: ` +
        `the store holds a checkpoint of the same run after epoch 1 of \\d+, made by other training code \\(run f{20}\\)[^\\n]*` +
        `No commit in this checkout's history has its training code`), args.join(' '));
    }
    // Where nothing trains (`claims`, `baselines --no-training`) nothing starts from scratch: no warning.
    const lines: string[] = [];
    await reproduce({profile: 'smoke', only: ['B1B2'], noTraining: true, dryRun: true, store: new RunStore(store), log: (l) => lines.push(l)});
    assert.ok(lines.some((l) => /^profile smoke: /.test(l)), lines.join('\n'));
    assert.ok(!lines.some((l) => /trains from scratch/.test(l)), lines.join('\n'));
  });

  it('`baselines` refuses a dirty tree unless --allow-dirty, which is then stamped loudly', () => {
    assert.equal(cleanTreeCheck({git: 'abc', dirty: false}, false), undefined);
    assert.throws(() => cleanTreeCheck({git: 'abc', dirty: true}, false),
      /uncommitted changes[\s\S]*commit or stash the changes[\s\S]*--allow-dirty/);
    assert.match(cleanTreeCheck({git: 'abc', dirty: true}, true) ?? '', /^WARNING: baselines generated from a working tree with uncommitted changes/);
  });
});
