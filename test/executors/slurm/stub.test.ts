import {strict as assert} from 'node:assert';
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CliSlurm} from '../../../src/executors/slurm/client';
import {describeFailure, runOnSlurm, type SlurmOptions} from '../../../src/executors/slurm/executor';
import {profileResources, splitArgs} from '../../../src/executors/slurm/resources';
import {sbatchScript} from '../../../src/executors/slurm/script';
import {expandArrayId, parseScontrol, parseSqueue, phaseOf} from '../../../src/executors/slurm/state';
import type {Training} from '../../../src/pipeline/plan';
import type {RunResult} from '../../../src/runs/result';
import type {RunSpec} from '../../../src/runs/spec';
import {RunStore} from '../../../src/runs/store';

// Stand-ins for Slurm's tools, put first on PATH. Each submitted array n takes its tasks' states
// from scenario/n (one line per task: STATE|EXIT|REASON[|done], `done` = the task stored its result).
const STUBS: Record<string, string> = {
  sbatch: `d="$STUB_DIR"; [ -e "$d/sbatch-refuses" ] && { echo "sbatch: error: invalid partition specified: nope" >&2; exit 1; }
n=$(( $(cat "$d/count" 2>/dev/null || echo 0) + 1 )); echo $n > "$d/count"; echo "$*" >> "$d/sbatch.args"
script="\${@: -1}"; id=$((100 + n)); eval "$(grep '^RUNS=' "$script")"; i=0
while IFS= read -r line; do
  [ -z "$line" ] && continue
  IFS='|' read -r st ex re dn <<< "$line"; echo "$st|$ex|$re" > "$d/state/\${id}_$i"
  [ "$dn" = done ] && { mkdir -p "$STUB_STORE/\${RUNS[$i]}"; touch "$STUB_STORE/\${RUNS[$i]}/FAKE_DONE"; }
  i=$((i+1))
done < "$d/scenario/$n"
echo "$id"`,
  squeue: `d="$STUB_DIR"; [ -e "$d/squeue-hangs" ] && sleep 30; [ -e "$d/squeue-forgets" ] && exit 0
ids=""; while [ $# -gt 0 ]; do [ "$1" = -j ] && ids="$2"; shift; done
for f in "$d"/state/*; do [ -e "$f" ] || continue; k=$(basename "$f"); job=\${k%_*}
  case ",$ids," in *",$job,"*) IFS='|' read -r st ex re < "$f"; echo "$k|$st|\${re:-None}";; esac; done`,
  scontrol: `d="$STUB_DIR"; [ -e "$d/scontrol-forgets" ] && { echo "slurm_load_jobs error: Invalid job id specified" >&2; exit 1; }
job="\${@: -1}"
for f in "$d"/state/\${job}_*; do [ -e "$f" ] || continue; k=$(basename "$f"); IFS='|' read -r st ex re < "$f"
  echo "JobId=9\${k#*_} ArrayJobId=$job ArrayTaskId=\${k#*_} JobState=$st Reason=\${re:-None} ExitCode=\${ex:-0:0}"; done`,
  sacct: `d="$STUB_DIR"; [ -e "$d/no-accounting" ] && { echo "Slurm accounting storage is disabled" >&2; exit 1; }
for f in "$d"/state/*; do [ -e "$f" ] || continue; k=$(basename "$f"); IFS='|' read -r st ex re < "$f"; echo "$k|$st|\${ex:-0:0}"; done`,
  scancel: `echo "$*" >> "$STUB_DIR/scancel.args"`,
};

/** The store, but a run counts as done when the stub task left FAKE_DONE (no real training here). */
class FakeStore extends RunStore {
  override read(hash: string): RunResult | undefined {
    return existsSync(join(this.dir(hash), 'FAKE_DONE')) ? ({hash} as unknown as RunResult) : undefined;
  }
}

const spec = (name: string) => ({experiment: 'test', name, model: 'resnet8', epochs: 1} as unknown as RunSpec);
const training = (i: number): Training => ({spec: spec(`run${i}`), hash: String(i).repeat(20).slice(0, 20), cached: false, dataChecksum: 'stub', work: 1});

describe('executors/slurm with stub sbatch/squeue/scontrol/sacct/scancel on PATH (every scheduler state)', function () {
  this.timeout(30_000);
  let dir: string, stubs: string, store: FakeStore;
  const savedPath = process.env.PATH, savedTimeout = process.env.REPRO_SLURM_TIMEOUT_S;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'repro-stub-slurm-'));
    stubs = join(dir, 'bin');
    mkdirSync(stubs);
    mkdirSync(join(dir, 'state'));
    mkdirSync(join(dir, 'scenario'));
    for (const [name, body] of Object.entries(STUBS)) {
      writeFileSync(join(stubs, name), `#!/bin/bash\n${body}\n`);
      chmodSync(join(stubs, name), 0o755);
    }
    store = new FakeStore(join(dir, 'store'));
    process.env.PATH = `${stubs}:${savedPath}`;
    process.env.STUB_DIR = dir;
    process.env.STUB_STORE = store.root;
  });
  afterEach(() => {
    process.env.PATH = savedPath;
    if (savedTimeout === undefined) delete process.env.REPRO_SLURM_TIMEOUT_S; else process.env.REPRO_SLURM_TIMEOUT_S = savedTimeout;
    rmSync(dir, {recursive: true, force: true});
  });

  const scenario = (n: number, ...lines: string[]) => writeFileSync(join(dir, 'scenario', String(n)), lines.join('\n') + '\n');
  const run = (todo: Training[], opts: SlurmOptions = {}, lines: string[] = []) =>
    runOnSlurm(todo, 'smoke', store, (l) => lines.push(l), new CliSlurm(), {pollMs: 20, unknownGraceMs: 200, ...opts});

  const FAILURES: [state: string, exit: string, explanation: RegExp, exitText: RegExp][] = [
    ['FAILED', '3:0', /exited with an error/, /exit code 3/],
    ['TIMEOUT', '0:0', /ran past its time limit .*--time=.*resumes from the last checkpoint/, /^(?!.*exit code)/],
    ['OUT_OF_MEMORY', '0:125', /ran out of memory .*--mem=/, /signal 125/],
    ['CANCELLED', '0:15', /was cancelled/, /signal 15/],
    ['NODE_FAIL', '0:0', /node running the task failed/, /.*/],
    ['PREEMPTED', '0:0', /preempted .*resumes from the last checkpoint/, /.*/],
    ['BOOT_FAIL', '0:0', /failed to boot/, /.*/],
    ['DEADLINE', '0:0', /reached its deadline/, /.*/],
  ];
  for (const [state, exit, explanation, exitText] of FAILURES) {
    it(`${state}: the run is reported failed with what it means, its exit status and its log`, async () => {
      scenario(1, `${state}|${exit}|Reason${state}`);
      const outcome = await run([training(1)], {maxAttempts: 1});
      assert.equal(outcome.failed.length, 1);
      const f = outcome.failed[0];
      assert.equal(f.state, state);
      assert.equal(f.exitCode, exit);
      assert.match(f.explanation, explanation);
      const text = describeFailure(f);
      assert.match(text, exitText);
      assert.match(text, new RegExp(`log ${store.dir(training(1).hash)}/slurm-101_0\\.log`));
    });
  }

  it('COMPLETED with the result in the store: done', async () => {
    scenario(1, 'COMPLETED|0:0|None|done', 'COMPLETED|0:0|None|done');
    const lines: string[] = [];
    const outcome = await run([training(1), training(2)], {}, lines);
    assert.deepEqual(outcome, {trained: 2, failed: []});
    assert.match(lines.join('\n'), /slurm: submitted 2 run\(s\) as job array 101/);
    assert.match(lines.join('\n'), /0 queued, 0 running, 2 done, 0 failed \(of 2\)/);
  });

  it('COMPLETED with no result in the store: failed (the files are the truth), after a few polls', async () => {
    scenario(1, 'COMPLETED|0:0|None');
    const outcome = await run([training(1)], {maxAttempts: 1});
    assert.equal(outcome.failed[0].state, 'COMPLETED');
    assert.match(outcome.failed[0].explanation, /ended without a result in the store/);
  });

  it('PENDING, then RUNNING, then done: progress counts queued / running / done', async () => {
    scenario(1, 'PENDING||Priority');
    const lines: string[] = [];
    const p = run([training(1)], {}, lines);
    // Each state is changed only once the executor has seen the previous one (no timing guesses).
    const seen = async (re: RegExp) => {
      for (const t0 = Date.now(); !lines.some((l) => re.test(l)); await new Promise((r) => setTimeout(r, 20))) {
        assert.ok(Date.now() - t0 < 20_000, `never logged ${re}:\n${lines.join('\n')}`);
      }
    };
    await seen(/test\/run1 queued/);
    writeFileSync(join(dir, 'state', '101_0'), 'RUNNING||None\n');
    await seen(/test\/run1 running/);
    writeFileSync(join(dir, 'state', '101_0'), 'COMPLETED|0:0|None\n');
    writeFileSync(join(store.dir(training(1).hash), 'FAKE_DONE'), '');
    const outcome = await p;
    assert.equal(outcome.trained, 1);
    const text = lines.join('\n');
    assert.match(text, /1 queued, 0 running, 0 done/);
    assert.match(text, /0 queued, 1 running, 0 done/);
    assert.match(text, /0 queued, 0 running, 1 done/);
    assert.match(text, /slurm: test\/run1 queued \(task 101_0, Priority\)\n/);
    assert.match(text, /slurm: test\/run1 running \(task 101_0\)\n/);
    assert.match(text, /slurm: test\/run1 done \(/);
  });

  it('a failed task is resubmitted (bounded): FAILED then COMPLETED is done after 2 tries', async () => {
    scenario(1, 'FAILED|1:0|NonZeroExitCode');
    scenario(2, 'COMPLETED|0:0|None|done');
    const lines: string[] = [];
    const outcome = await run([training(1)], {maxAttempts: 3}, lines);
    assert.deepEqual(outcome, {trained: 1, failed: []});
    assert.match(lines.join('\n'), /test\/run1 FAILED .*exit code 1.*resubmitting \(try 2 of 3; it resumes from its last checkpoint\)/s);
    assert.equal(readFileSync(join(dir, 'count'), 'utf8').trim(), '2');
  });

  it('gives up after the last try and says so', async () => {
    for (const n of [1, 2, 3]) scenario(n, 'NODE_FAIL|0:0|None');
    const lines: string[] = [];
    const outcome = await run([training(1)], {maxAttempts: 3}, lines);
    assert.equal(outcome.failed[0].attempts, 3);
    assert.match(lines.join('\n'), /test\/run1 FAILED for good after 3 tries: NODE_FAIL/);
  });

  it('a task squeue and scontrol no longer know is explained by sacct when accounting works', async () => {
    scenario(1, 'OUT_OF_MEMORY|0:125|None');
    writeFileSync(join(dir, 'squeue-forgets'), '');
    writeFileSync(join(dir, 'scontrol-forgets'), '');
    const outcome = await run([training(1)], {maxAttempts: 1});
    assert.equal(outcome.failed[0].state, 'OUT_OF_MEMORY');
    assert.equal(outcome.failed[0].exitCode, '0:125');
  });

  it('a task no tool knows (no accounting) is lost after a grace period, not waited on forever', async () => {
    scenario(1, 'RUNNING||None');
    for (const f of ['squeue-forgets', 'scontrol-forgets', 'no-accounting']) writeFileSync(join(dir, f), '');
    const outcome = await run([training(1)], {maxAttempts: 1});
    assert.equal(outcome.failed[0].state, 'UNKNOWN');
    assert.match(outcome.failed[0].explanation, /Slurm no longer knows this task/);
  });

  it('--slurm-args go to sbatch before the script, overriding the #SBATCH lines', async () => {
    scenario(1, 'COMPLETED|0:0|None|done');
    await run([training(1)], {sbatchArgs: splitArgs(`--partition=gpu --time=4:00:00 --comment='two words'`), throttle: 2});
    const args = readFileSync(join(dir, 'sbatch.args'), 'utf8');
    assert.match(args, /^--parsable --partition=gpu --time=4:00:00 --comment=two words \/.*\/\.slurm\/[^/]+\/array-1\.sh$/m);
    const script = readFileSync(join(store.dir(training(1).hash), 'sbatch.sh'), 'utf8');
    assert.match(script, /^#!\/bin\/bash\n/);
    assert.match(script, /#SBATCH --array=0-0%2\n/);
  });

  it('--no-wait returns a handle; a later call re-attaches to the queued tasks instead of submitting again', async () => {
    scenario(1, 'PENDING||Resources');
    const first = await run([training(1)], {wait: false});
    assert.equal(first.pending?.runs, 1);
    assert.match(first.pending!.hint, /`repro status --store .*`, cancel with `repro cancel --store /);
    const lines: string[] = [];
    const p = run([training(1)], {}, lines);
    await new Promise((r) => setTimeout(r, 100));
    writeFileSync(join(store.dir(training(1).hash), 'FAKE_DONE'), '');
    assert.equal((await p).trained, 1);
    assert.match(lines.join('\n'), new RegExp(`re-attached to 1 run\\(s\\) already queued or running \\(submission ${first.pending!.submission}\\)`));
    assert.equal(readFileSync(join(dir, 'count'), 'utf8').trim(), '1', 'submitted again');
  });

  it('sbatch refusing the job is an error naming the script and sbatch\'s reason', async () => {
    writeFileSync(join(dir, 'sbatch-refuses'), '');
    await assert.rejects(run([training(1)]), /sbatch refused the job array .*array-1\.sh: sbatch: error: invalid partition specified/);
  });

  it('every client call is bounded: a hanging squeue is retried a few polls, then an error naming the timeout', async () => {
    scenario(1, 'PENDING||None');
    writeFileSync(join(dir, 'squeue-hangs'), '');
    process.env.REPRO_SLURM_TIMEOUT_S = '0.3';
    const lines: string[] = [];
    const t0 = Date.now();
    await assert.rejects(run([training(1)], {}, lines), /squeue -h -t all .* did not answer within 0.3 s[\s\S]*slurmctld and munged/);
    assert.ok(Date.now() - t0 < 10_000);
    assert.equal(lines.filter((l) => /slurm: no answer \(.*did not answer within 0.3 s\); trying again/.test(l)).length, 4);
  });

  it('a squeue that stops answering for a while does not end the wait', async () => {
    scenario(1, 'RUNNING||None');
    writeFileSync(join(dir, 'squeue-hangs'), '');
    process.env.REPRO_SLURM_TIMEOUT_S = '0.3';
    const lines: string[] = [];
    const p = run([training(1)], {}, lines);
    await new Promise((r) => setTimeout(r, 500));
    rmSync(join(dir, 'squeue-hangs'));
    writeFileSync(join(store.dir(training(1).hash), 'FAKE_DONE'), '');
    assert.equal((await p).trained, 1);
    assert.ok(lines.some((l) => /no answer/.test(l)));
  });
});

describe('executors/slurm: parsing and scripts', () => {
  it('expands squeue array ids, with throttles, lists and steps', () => {
    assert.deepEqual(expandArrayId('4_2'), {jobId: '4', tasks: [2]});
    assert.deepEqual(expandArrayId('4_[1-4%1]'), {jobId: '4', tasks: [1, 2, 3, 4]});
    assert.deepEqual(expandArrayId('7_[1,3,5-7]'), {jobId: '7', tasks: [1, 3, 5, 6, 7]});
    assert.deepEqual(expandArrayId('7_[0-6:3]'), {jobId: '7', tasks: [0, 3, 6]});
    assert.equal(expandArrayId('12'), undefined);
  });

  it('reads squeue -o text and scontrol -o records (real 22.05 output)', () => {
    const q = parseSqueue('4_[1-2%1]|PENDING|JobArrayTaskLimit\n4_0|RUNNING|None\n');
    assert.deepEqual([...q.keys()], ['4_1', '4_2', '4_0']);
    assert.equal(q.get('4_1')!.reason, 'JobArrayTaskLimit');
    const c = parseScontrol('JobId=3 ArrayJobId=1 ArrayTaskId=1 ArrayTaskThrottle=2 JobName=job.sh JobState=FAILED Reason=NonZeroExitCode Dependency=(null) ExitCode=3:0 RunTime=00:00:00\n');
    assert.deepEqual(c.get('1_1'), {state: 'FAILED', reason: 'NonZeroExitCode', exitCode: '3:0', source: 'scontrol'});
    assert.equal(phaseOf('CANCELLED by 0'), 'failed');
    assert.equal(phaseOf('COMPLETING'), 'running');
    assert.equal(phaseOf('REQUEUED'), 'queued');
  });

  it('GPU profiles ask for a GPU; every script is bash and throttled when asked', () => {
    assert.equal(profileResources('paper').gpus, 1);
    assert.equal(profileResources('smoke').gpus, undefined);
    const s = sbatchScript({jobName: 'repro-paper', hashes: ['a'.repeat(20), 'b'.repeat(20)], storeRoot: "/shared/it's runs", repoRoot: '/shared/repo',
      node: '/usr/bin/node', resources: profileResources('paper'), throttle: 4, slurmOutput: '/shared/out/slurm-%A_%a.out'});
    assert.match(s, /^#!\/bin\/bash\n#SBATCH --job-name=repro-paper\n#SBATCH --array=0-1%4\n#SBATCH --cpus-per-task=8\n#SBATCH --mem=32G\n#SBATCH --time=1-00:00:00\n#SBATCH --gres=gpu:1\n/);
    assert.match(s, /STORE='\/shared\/it'\\''s runs'/);
    assert.match(s, /train --spec "\$STORE\/\$HASH\/spec.json" --store "\$STORE" --expect-hash "\$HASH"/);
  });

  it('--slurm-args: shell-like words; a stray word or an open quote is an error', () => {
    assert.deepEqual(splitArgs(` --partition=gpu  "--comment=a b" `), ['--partition=gpu', '--comment=a b']);
    assert.throws(() => splitArgs('--partition gpu'), /"gpu" is not an sbatch option/);
    assert.throws(() => splitArgs('--comment="x'), /unclosed "/);
  });
});
