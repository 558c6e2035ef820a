import {strict as assert} from 'node:assert';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {localJobsExecutor, localLogPath, trainInChildren} from '../../src/executors/local_jobs';
import {localExecutor} from '../../src/executors/executor';
import {parseArgs} from '../../src/cli/args';
import {EXECUTOR_FLAGS, EXECUTOR_VALUES, executorOption} from '../../src/cli/executor_option';
import {REPO_ROOT} from '../../src/runs/code_version';
import {RunStore} from '../../src/runs/store';
import {smallSpec, training} from './small_runs';

const options = (argv: string[]) => executorOption(parseArgs('reproduce', argv, {values: [...EXECUTOR_VALUES], flags: [...EXECUTOR_FLAGS]}));

describe('executors/local_jobs: several runs at once, each a repro train process', function () {
  this.timeout(300_000);
  let tmp: string;
  before(() => { tmp = mkdtempSync(join(tmpdir(), 'repro-jobs-')); });
  after(() => rmSync(tmp, {recursive: true, force: true}));

  it('--jobs picks it for the local executor only, and refuses a count below 1', () => {
    assert.equal(options([]), localExecutor);
    assert.equal(options(['--jobs', '1']), localExecutor);
    assert.equal(options(['--jobs', '2']).name, 'local, 2 jobs');
    assert.throws(() => options(['--jobs', '0']), /--jobs must be an integer ≥ 1, got "0"/);
    assert.throws(() => options(['--executor', 'slurm', '--jobs', '2']), /--jobs only applies to --executor local/);
  });

  it('trains every run, two at a time on a thread each, longest first; each result is the one a lone run on one thread gives', async () => {
    const store = new RunStore(join(tmp, 'store'));
    const todo = await Promise.all([smallSpec('short', 1, 1), smallSpec('long', 3, 2), smallSpec('mid', 2, 3)].map((s) => training(s)));
    const lines: string[] = [];
    const outcome = await trainInChildren(todo, store, (l) => lines.push(l), {jobs: 2, threads: 2});
    assert.deepEqual(outcome, {trained: 3, failed: []});
    // Longest first: the queue is ordered by work (epochs here).
    assert.deepEqual(lines.filter((l) => /^\[\d\/3\] training/.test(l)).map((l) => l.split(' ')[2]), ['test/long', 'test/mid', 'test/short']);
    const results = todo.map((t) => store.read(t.hash)!);
    for (const r of results) {
      assert.equal(r.status, 'done');
      assert.equal(r.provenance.threads, 1, `${r.spec.name}: 2 threads split over 2 jobs`);
      assert.match(readFileSync(localLogPath(store, r.hash), 'utf8'), /^repro: run \w+ as local job \d of 3 on 1 thread\(s\)/);
    }
    // The long run and the next one trained at the same time.
    const [long, mid] = results;
    assert.ok(Date.parse(mid.provenance.startedAt) < Date.parse(long.provenance.endedAt), 'two runs overlapped');
    // Training beside another process changes nothing: the same spec alone, on one thread, gives every bit.
    const alone = new RunStore(join(tmp, 'alone'));
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'repro.js'), 'train', '--spec', join(store.dir(mid.hash), 'spec.json'),
      '--store', alone.root], {encoding: 'utf8', env: {...process.env, REPRO_THREADS: '1'}});
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(alone.read(mid.hash)!.history.map((h) => [h.trainLoss, h.testLoss, h.trainError, h.testError]),
      mid.history.map((h) => [h.trainLoss, h.testLoss, h.trainError, h.testError]));
    // Nothing left to train: the executor asks for nothing.
    const plan = {trainings: todo} as unknown as Parameters<ReturnType<typeof localJobsExecutor>['trainMissing']>[0];
    assert.deepEqual(await localJobsExecutor({jobs: 2}).trainMissing(plan, {store, log: () => {}, deps: async () => { throw new Error('not in-process'); }}),
      {trained: 0, failed: []});
  });

  it('a Ctrl-C stops every child at its next step, starts no new run, and the same call again resumes from the checkpoints', async () => {
    const store = new RunStore(join(tmp, 'interrupted'));
    const todo = [await training(smallSpec('a', 4, 5)), await training(smallSpec('b', 4, 6)), await training(smallSpec('c', 1, 7))];
    const lines: string[] = [];
    const running = trainInChildren(todo, store, (l) => lines.push(l), {jobs: 2, threads: 2});
    // Once both have a finished epoch on disk, interrupt as a terminal would (the parent forwards it).
    const epochs = (hash: string) => { try { return readFileSync(join(store.dir(hash), 'metrics.jsonl'), 'utf8').trim().split('\n').filter(Boolean).length; } catch { return 0; } };
    while (epochs(todo[0].hash) < 1 || epochs(todo[1].hash) < 1) await new Promise((r) => setTimeout(r, 100));
    process.emit('SIGINT', 'SIGINT');
    await assert.rejects(running, /interrupted \(SIGINT\): 0 run\(s\) finished, 3 not/);
    assert.ok(lines.some((l) => /^ {2}test\/a stopped \(SIGINT\): it resumes from its last checkpoint$/.test(l)));
    assert.ok(!lines.some((l) => l.includes('training test/c')), 'no run starts after the interrupt');
    const again = await trainInChildren(todo, store, () => {}, {jobs: 2, threads: 2});
    assert.deepEqual(again, {trained: 3, failed: []});
    assert.ok(store.read(todo[0].hash)!.resumedFromEpoch >= 1, 'resumed, not restarted');
  });

  it('a run that ends without a result is a failure with its log, and the others still train', async () => {
    const store = new RunStore(join(tmp, 'failing'));
    // A hash this host does not compute for the spec: repro train refuses it (--expect-hash).
    const todo = [await training(smallSpec('wrong-hash', 1), 'f'.repeat(20)), await training(smallSpec('fine', 1, 4))];
    const lines: string[] = [];
    const outcome = await trainInChildren(todo, store, (l) => lines.push(l), {jobs: 2, threads: 2});
    assert.equal(outcome.trained, 1);
    assert.equal(outcome.failed.length, 1);
    const [f] = outcome.failed;
    assert.deepEqual([f.hash, f.label, f.state, f.exitCode], ['f'.repeat(20), 'test/wrong-hash', 'FAILED', '2:0']);
    assert.match(readFileSync(f.log, 'utf8'), /hashes to \w+ here, not to f{20}/);
    assert.ok(lines.some((l) => l.startsWith('  test/wrong-hash FAILED: repro train exited without a result in the store; log ')));
    assert.equal(store.read(todo[1].hash)?.status, 'done');
  });
});
