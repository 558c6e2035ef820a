import {strict as assert} from 'node:assert';
import {mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {experimentContext} from '../../experiments/data_choice';
import {importResultFiles} from '../../src/pipeline/baselines';
import {memoizePrepareData, planProfile, selectExperiments} from '../../src/pipeline/plan';
import {prepareTrainData} from '../../src/runs/prepare_data';
import {runHash} from '../../src/runs/hash';
import type {RunResult} from '../../src/runs/result';
import type {RunSpec} from '../../src/runs/spec';
import {RunStore} from '../../src/runs/store';
import {finalMetrics} from '../../src/train/metrics';

const SPEC: RunSpec = {experiment: 'B1B2', name: 'resnet20.s1', model: 'resnet20', data: {name: 'synthetic'}, augment: {normalize: 'scale01'},
  optimizer: {type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 1e-4}, schedule: {type: 'constant'}, loss: 'cross-entropy',
  epochs: 1, batchSize: 16, seed: 1};

/** A result as an earlier code version stored it. */
function oldResult(codeVersion: string, spec = SPEC, checksum = 'sum'): RunResult {
  const history = Array.from({length: spec.epochs}, (_, i) =>
    ({epoch: i + 1, iteration: 3 * (i + 1), trainLoss: 1, trainError: 0.5, testLoss: 1, testError: 0.5, lr: 0.1, wallMs: 1, imgPerSec: 1}));
  return {format: 1, hash: runHash(spec, codeVersion, checksum), spec, status: 'done', history, final: finalMetrics(history),
    provenance: {git: 'abc', dirty: false, node: 'v20', tfjs: '4.22.0', backend: 'cpu-native', backendReason: '', device: 'cpu', threads: 2,
      codeVersion, data: {synthetic: checksum}, startedAt: '', endedAt: ''}, wallMs: 1, resumedFromEpoch: 0, dataChecksum: checksum};
}

describe('runs/store: repro store import', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'repro-import-')); });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  it('a committed result counts as done for a later code version, and only for the same spec and data', () => {
    const committed = join(dir, 'results');
    mkdirSync(committed);
    writeFileSync(join(committed, 'B1B2--resnet20.s1.json'), JSON.stringify(oldResult('old0000000000000')));
    const store = new RunStore(join(dir, 'store'));
    assert.equal(store.resolve(SPEC, 'new0000000000000', 'sum').imported, undefined, 'nothing imported yet');
    assert.deepEqual(importResultFiles(committed, store), {added: 1, present: 0, refused: []});
    const r = store.resolve(SPEC, 'new0000000000000', 'sum');
    assert.equal(r.hash, oldResult('old0000000000000').hash);
    assert.deepEqual(r.imported, {codeVersion: 'old0000000000000'});
    assert.ok(store.read(r.hash));
    // Another seed, or other data, is another run.
    assert.equal(store.resolve({...SPEC, seed: 2}, 'new0000000000000', 'sum').imported, undefined);
    assert.equal(store.resolve(SPEC, 'new0000000000000', 'other').imported, undefined);
    // A result trained by today's code wins over the imported one.
    const today = oldResult('new0000000000000');
    store.writeResult(today);
    assert.equal(store.resolve(SPEC, 'new0000000000000', 'sum').hash, today.hash);
    assert.deepEqual(importResultFiles(committed, store), {added: 0, present: 1, refused: []});
  });

  it('refuses a hand-edited result (its spec no longer hashes to its hash) and says why', () => {
    const committed = join(dir, 'results');
    mkdirSync(committed);
    const edited = {...oldResult('old0000000000000'), spec: {...SPEC, epochs: 1, seed: 7}};
    writeFileSync(join(committed, 'B1B2--resnet20.s1.json'), JSON.stringify(edited));
    writeFileSync(join(committed, 'broken.json'), '{');
    const out = importResultFiles(committed, new RunStore(join(dir, 'store')));
    assert.equal(out.added, 0);
    assert.equal(out.refused.length, 2);
    assert.match(out.refused.join('\n'), /do not hash to the directory name/);
  });
});

describe('cli: repro store import', () => {
  it('takes the directory as its one argument and reports what it did', async () => {
    const {runCli} = await import('../cli/run_cli.js');
    const dir = mkdtempSync(join(tmpdir(), 'repro-import-cli-'));
    try {
      mkdirSync(join(dir, 'results'));
      writeFileSync(join(dir, 'results', 'B1B2--resnet20.s1.json'), JSON.stringify(oldResult('old0000000000000')));
      const r = await runCli(['store', 'import', join(dir, 'results'), '--store', join(dir, 'store')]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /1 imported, 0 already in .*, 0 refused/);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});

describe('cli: repro store export', () => {
  it('exports the planned runs this store finished under an earlier code version, and pins them', async () => {
    const {runCli} = await import('../cli/run_cli.js');
    const dir = mkdtempSync(join(tmpdir(), 'repro-export-cli-'));
    try {
      const store = new RunStore(join(dir, 'store'));
      const plan = await planProfile({profile: 'smoke', ctx: experimentContext('smoke'), experiments: selectExperiments(['E1']), store,
        prepareData: memoizePrepareData(prepareTrainData)});
      assert.equal(plan.trainings.length, 2);
      for (const t of plan.trainings) {
        const r = oldResult('old0000000000000', t.spec, (await prepareTrainData(t.spec)).checksum);
        store.begin(r.hash, r.spec);
        store.writeResult(r);
      }
      const out = join(dir, 'out');
      const r = await runCli(['store', 'export', '--profile', 'smoke', '--only', 'E1', '--out', out, '--store', store.root]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /2 new result files in .* \(2 of 2 distinct runs of smoke are done; 2 of them trained by an earlier code version/);
      assert.deepEqual(readdirSync(out).sort(), ['E--resnet18_seqhead.s1.json', 'E--resnet18_seqhead.s2.json']);
      // Pinned: the store now counts them as done for today's code, as an import would.
      const again = await planProfile({profile: 'smoke', ctx: experimentContext('smoke'), experiments: selectExperiments(['E1']), store,
        prepareData: memoizePrepareData(prepareTrainData)});
      assert.ok(again.trainings.every((t) => t.cached && t.importedFrom === 'old0000000000000'));
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
