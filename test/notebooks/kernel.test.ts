import {strict as assert} from 'node:assert';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {jupyterEnv, NOTEBOOKS_DIR, SYSTEM_PYTHON} from '../../src/notebooks/jupyter';
import {REPO_ROOT} from '../../src/runs/code_version';
import type {RunSpec} from '../../src/runs/spec';
import {requireJupyter} from './jupyter_available';

interface CellResult {
  stdout: string; stderr: string;
  rich: {kind: string; mime: string[]; html: string}[];
  error: {ename: string; evalue: string; traceback: string[]} | null;
  interrupted_after: number | null;
}

const spec = (name: string, epochs: number, count: number): RunSpec => ({
  experiment: 'nb', name, model: 'resnet8',
  data: {name: 'synthetic', synthetic: {count, testCount: 64, size: 16, channels: 3, classes: 4}},
  augment: {padCrop: 2, hflip: true, normalize: 'per-pixel-mean'},
  optimizer: {type: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 1e-4},
  schedule: {type: 'multistep', milestones: [30], gamma: 0.1},
  loss: 'cross-entropy', epochs, batchSize: 32, seed: 3,
});

/** Runs cells in one real tslab kernel (started in notebooks/, as Jupyter does) through jupyter_client. */
function session(cells: {code: string; interrupt_on?: string; timeout?: number}[], env: NodeJS.ProcessEnv): CellResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'kernel-session-'));
  try {
    writeFileSync(join(dir, 'cells.json'), JSON.stringify(cells));
    const r = spawnSync(SYSTEM_PYTHON, [join(REPO_ROOT, 'test', 'notebooks', 'kernel_session.py'), join(dir, 'cells.json')],
      {cwd: NOTEBOOKS_DIR, env: jupyterEnv({...process.env, ...env}), encoding: 'utf8', timeout: 600_000});
    const line = r.stdout.trim().split('\n').pop() ?? '';
    assert.ok(line.startsWith('['), `the kernel session failed (exit ${r.status}):\n${r.stderr.slice(-3000)}`);
    return JSON.parse(line) as CellResult[];
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

describe('notebooks: a tslab kernel, cell by cell (as in Jupyter)', function () {
  this.timeout(600_000);
  let tmp: string;
  let cells: CellResult[];
  before(function () {
    requireJupyter(this);
    tmp = mkdtempSync(join(tmpdir(), 'kernel-test-'));
    const store = join(tmp, 'store');
    cells = session([
      // 0: the toolkit by its package name, from a notebook in notebooks/.
      {code: "import * as repro from 'resnet-repro';\nconst store = new repro.RunStore(" + JSON.stringify(store) + ");\nconsole.log('loaded', typeof repro.runsFrame);"},
      // 1: a long training, interrupted once its first epoch is done.
      {code: `await repro.ensureRun(${JSON.stringify(spec('long', 30, 1536))}, await repro.defaultRunDeps(), store);`,
        interrupt_on: 'epoch 1/30: train loss', timeout: 300},
      // 2: how soon did training stop? (Training yields every step: this cell runs even if it had not.)
      {code: "const t0 = Date.now();\nlet status = '';\nwhile (Date.now() - t0 < 15000) {\n" +
        "  status = store.list().find((e) => e.spec?.name === 'long')?.status ?? 'none';\n  if (status === 'interrupted') break;\n" +
        "  await new Promise((r) => setTimeout(r, 100));\n}\nconsole.log(`status ${status} after ${Date.now() - t0} ms`);"},
      // 3: a short run to completion, then data frames of runs, history and claims.
      {code: `await repro.ensureRun(${JSON.stringify(spec('short', 2, 128))}, await repro.defaultRunDeps(), store);\n` +
        "const runs = await repro.runsFrame(store);\nconst history = await repro.historyFrame(store);\n" +
        "const claims = await repro.claimsFrame(repro.readBaselineClaims('quick') ?? []);\n" +
        "const byModel = runs.groupby('model').rollup({n: 'd => op.count()', testError: 'd => op.mean(d.testError)'});\n" +
        "console.log(`runs ${runs.numRows()} history ${history.numRows()} claims ${claims.numRows()} columns ${runs.columnNames().join(',')}`);\n" +
        "console.log(`by model ${JSON.stringify(byModel.objects())}`);\nrepro.showFrame(claims.select('id', 'paper', 'ours', 'verdict'));"},
      // 4: a mistake: the message and what to do, no stack, no object dump.
      {code: "repro.selectExperiments(['nope']);"},
    ], {REPRO_THREADS: '1'});
  });
  after(() => { if (tmp) rmSync(tmp, {recursive: true, force: true}); });

  it("imports the toolkit as 'resnet-repro', with no TensorFlow.js banner", () => {
    assert.equal(cells[0].error, null, JSON.stringify(cells[0]));
    assert.match(cells[0].stdout, /loaded function/);
    assert.doesNotMatch(cells[0].stdout + cells[0].stderr + cells[1].stdout + cells[1].stderr, /node backend|speed things up/);
  });

  it('interrupting the kernel stops training at the next step, within a few seconds', () => {
    const waited = Number(/status interrupted after (\d+) ms/.exec(cells[2].stdout)?.[1] ?? NaN);
    assert.ok(Number.isFinite(waited), `training did not stop: ${cells[2].stdout} ${cells[2].stderr}`);
    const total = (cells[1].interrupted_after ?? NaN) + waited / 1000;
    assert.ok(total < 5, `stopped ${total.toFixed(1)} s after the interrupt`);
    assert.match(cells[1].stdout + cells[2].stdout + cells[2].stderr, /run the cell again/);
  });

  it('shows progress in an updating display and epoch lines on stdout, nothing on stderr', () => {
    assert.match(cells[1].stdout, /nb\/long epoch 1\/30: train loss/);
    assert.ok(cells[1].rich.some((o) => o.kind === 'update_display_data' && /<progress /.test(o.html)), 'an updated progress bar');
    // stderr holds only tslab's own note that the cell was interrupted: no progress, epoch or engine line.
    assert.doesNotMatch(cells[1].stderr, /epoch|img\/s|\[engine\]/, 'progress on stderr');
    assert.equal(cells[3].stderr.trim(), '', 'stderr');
  });

  it('gives arquero data frames of runs (spec fields, history, final metrics, seed) and claims, shown as HTML', () => {
    assert.equal(cells[3].error, null, JSON.stringify(cells[3].error));
    const m = /runs (\d+) history (\d+) claims (\d+) columns (.*)/.exec(cells[3].stdout);
    assert.ok(m, cells[3].stdout);
    assert.deepEqual([Number(m[1]), Number(m[2])], [1, 2], 'the finished run and its 2 epochs (the interrupted one has no result)');
    assert.ok(Number(m[3]) >= 20, 'the committed claims');
    for (const col of ['experiment', 'name', 'model', 'seed', 'epochs', 'lr', 'status', 'trainError', 'testError', 'history']) {
      assert.ok(m[4].split(',').includes(col), `column ${col}`);
    }
    assert.match(cells[3].stdout, /by model \[\{"model":"resnet8","n":1,"testError":0\.\d+\}\]/);
    const table = cells[3].rich.find((o) => o.html.includes('<table'));
    assert.match(table?.html ?? '', /<table[\s\S]*<th[^>]*>verdict<\/th>[\s\S]*reproduced/);
  });

  it('shows an error as its message and what to do, not a stack trace', () => {
    const shown = cells[4].stderr + (cells[4].error ? cells[4].error.evalue + cells[4].error.traceback.join('\n') : '');
    assert.match(shown, /unknown experiment or claim id "NOPE"[\s\S]*what to do:/);
    assert.doesNotMatch(shown, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack frames');
    assert.doesNotMatch(shown, /\[expected\]|expected: '/, 'no object dump');
  });
});
