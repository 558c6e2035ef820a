import {strict as assert} from 'node:assert';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Executor, RunFailure} from '../../src/executors/executor';
import {reproduce} from '../../src/pipeline/reproduce';
import {RunStore} from '../../src/runs/store';

describe('executors: the pipeline hands missing runs to its executor', function () {
  this.timeout(300_000);
  let tmp: string;
  before(() => { tmp = mkdtempSync(join(tmpdir(), 'repro-exec-')); });
  after(() => rmSync(tmp, {recursive: true, force: true}));

  it('gives it exactly the runs the store lacks; runs that failed are written beside the report (and removed once none fail)', async () => {
    const failure: RunFailure = {hash: 'a'.repeat(20), label: 'E/seqhead', state: 'OUT_OF_MEMORY', exitCode: '0:125',
      explanation: 'the task ran out of memory', log: '/somewhere/slurm-1_0.log', attempts: 3};
    const asked: string[][] = [];
    let fail = true;
    const executor: Executor = {name: 'fake', async trainMissing(plan) {
      asked.push(plan.trainings.filter((t) => !t.cached).map((t) => t.hash));
      return {trained: 0, failed: fail ? [failure] : []};
    }};
    const store = new RunStore(join(tmp, 'store')), outDir = join(tmp, 'out');
    const outcome = await reproduce({profile: 'smoke', only: ['E1'], store, outDir, executor, log: () => {}});
    assert.equal(asked.length, 1);
    assert.equal(asked[0].length, outcome.plan.trainings.length);
    assert.deepEqual(outcome.execution?.failed, [failure]);
    assert.deepEqual(JSON.parse(readFileSync(join(outDir, 'failed-runs.json'), 'utf8')), [failure]);
    assert.equal(outcome.claims.find((c) => c.id === 'E1')?.verdict, 'not run');
    fail = false;
    await reproduce({profile: 'smoke', only: ['E1'], store, outDir, executor, log: () => {}});
    assert.ok(!existsSync(join(outDir, 'failed-runs.json')));
  });

  it('a pending hand-off (--no-wait) evaluates what is there and writes no report', async () => {
    const executor: Executor = {name: 'fake', trainMissing: async () => ({trained: 0, failed: [], pending: {submission: 'x', runs: 1, hint: 'h'}})};
    const outDir = join(tmp, 'pending-out');
    const outcome = await reproduce({profile: 'smoke', only: ['E1'], store: new RunStore(join(tmp, 'store2')), outDir, executor, log: () => {}});
    assert.equal(outcome.execution?.pending?.submission, 'x');
    assert.equal(outcome.files, undefined);
    assert.ok(!existsSync(outDir));
  });
});
