import {strict as assert} from 'node:assert';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {readSafetensors, writeSafetensors} from '../../src/models/safetensors';
import {ensureRun, type RunDeps} from '../../src/runs/ensure_run';
import {parseRunSpec, type RunSpec} from '../../src/runs/spec';
import {RunStore, validateResult} from '../../src/runs/store';
import {cpuKind} from '../../src/runs/cpu_kind';
import type {RunResult} from '../../src/runs/result';
import {runCli} from '../cli/run_cli';
import {toyData, toyModel, toySpec} from '../train/fixtures';
import {assertCliError, assertReproError, assertRejectsRepro} from './hostile';

/** Classes 3 and 5 (without locks) of issue 12: specs, stored results and checkpoints. */
function deps(messages: string[] = []): RunDeps {
  return {
    prepareData: async () => toyData(),
    buildModel: (spec) => toyModel(spec.seed),
    backend: {name: 'cpu', reason: 'test', threads: 1},
    progress: {batch() {}, epoch: (line) => messages.push(line)},
  };
}

const specJson = (over: Record<string, unknown> = {}): string => JSON.stringify({...toySpec({epochs: 1}), ...over});

describe('security: run specs, stored results and checkpoints', () => {
  let root: string;
  before(async () => { await tf.setBackend('cpu'); });
  beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'repro-sec-runs-')); });
  afterEach(() => rmSync(root, {recursive: true, force: true}));

  describe('one RunSpec validation for every entry point', () => {
    it('refuses batchSize 1 (batch norm gives NaN), from JSON and from code', async () => {
      assertReproError(() => parseRunSpec(JSON.parse(specJson({batchSize: 1})), 'spec.json'), /spec\.json: field "batchSize" is 1/, /at least 2/);
      const store = new RunStore(root);
      // A notebook or library caller: ensureRun validates too, before the store is touched.
      await assertRejectsRepro(ensureRun(toySpec({batchSize: 1}), deps(), store), /run spec T\/toy: field "batchSize" is 1/);
      assert.deepEqual(readdirSync(root), []);
    });

    it('refuses a testWindow without evalTest "final" or longer than the run', () => {
      assertReproError(() => parseRunSpec(JSON.parse(specJson({testWindow: 1})), 'spec.json'),
        /spec\.json: field "testWindow" is 1 with evalTest "epoch"/, /evalTest "final"/);
      assertReproError(() => parseRunSpec(JSON.parse(specJson({evalTest: 'final', testWindow: 2})), 'spec.json'),
        /field "testWindow" is 2 with evalTest "final" and 1 epochs/, /no larger than "epochs"/);
      assert.equal(parseRunSpec(JSON.parse(specJson({evalTest: 'final', testWindow: 1})), 'spec.json').testWindow, 1);
    });

    it('refuses a batch size that leaves a last batch of one image', async () => {
      // toyData has 96 training images: 95 per batch leaves one.
      await assertRejectsRepro(ensureRun(toySpec({batchSize: 95}), deps(), new RunStore(root)), /leaves a last batch of one image out of 96/);
      assert.deepEqual(readdirSync(root), []);
    });

    it('rejects __proto__ and constructor fields (they bypassed the unknown-field rule)', () => {
      for (const field of ['__proto__', 'constructor', 'toString']) {
        const json = specJson().replace(/^\{/, `{"${field}": {"polluted": true},`);
        assertReproError(() => parseRunSpec(JSON.parse(json), 'spec.json'), new RegExp(`spec\\.json: unknown field "${field}"`));
      }
      const nested = JSON.parse(specJson().replace('"optimizer":{', '"optimizer":{"__proto__":{"lr":1},'));
      assertReproError(() => parseRunSpec(nested, 'spec.json'), /unknown field "optimizer\.__proto__"/);
    });

    it('says plainly that 1e999 is not a finite number', () => {
      const e = assertReproError(() => parseRunSpec(JSON.parse(specJson().replace('"lr":0.1', '"lr":1e999')), 'spec.json'),
        /field "optimizer\.lr" is the number Infinity \(not finite/);
      assert.doesNotMatch(e.message, /null/);
    });

    it('refuses sizes that would overflow before anything is stored', async () => {
      const huge = toySpec({data: {name: 'synthetic', synthetic: {count: 1e9, testCount: 10, size: 64, channels: 3, classes: 2}}});
      await assertRejectsRepro(ensureRun(huge, deps(), new RunStore(root)), /field "data\.synthetic" asks for 1000000000 images of 64×64×3/);
      const resize = toySpec({augment: {normalize: 'scale01', resize: 1e5}});
      assertReproError(() => parseRunSpec(JSON.parse(JSON.stringify(resize)), 'spec.json'), /field "augment\.resize" makes one batch/);
      assert.deepEqual(readdirSync(root), []);
    });

    it('repro train --spec gives exit 2 and no stack trace for a bad spec', () => {
      const file = join(root, 'bad.json');
      writeFileSync(file, specJson().replace('"lr":0.1', '"lr":1e999'));
      assertCliError(['train', '--spec', file, '--store', join(root, 'store')], {}, /bad\.json: field "optimizer\.lr" is the number Infinity/);
      writeFileSync(file, specJson({batchSize: 1}));
      assertCliError(['train', '--spec', file, '--store', join(root, 'store')], {}, /bad\.json: field "batchSize" is 1/);
      assert.ok(!existsSync(join(root, 'store')), 'nothing stored');
    });
  });

  describe('stored results', () => {
    it('writes a checksum with result.json and detects a hand-edited result', async () => {
      const store = new RunStore(root);
      const first = await ensureRun(toySpec({epochs: 1}), deps(), store);
      const path = join(store.dir(first.result.hash), 'result.json');
      assert.ok(existsSync(`${path}.sha256`));
      const edited = readFileSync(path, 'utf8').replace(/"testError": [0-9.e-]+/, '"testError": 0.01');
      writeFileSync(path, edited);
      // Listing reports it and moves nothing.
      const listed = store.list();
      assert.equal(listed[0].status, 'corrupt');
      assert.match(listed[0].problem ?? '', /sha256 differs/);
      assert.ok(existsSync(path), 'listing moved nothing');
      const cli = await runCli(['runs', '--store', root]);
      assert.match(cli.out, /corrupt: its sha256 differs .*left in place/);
      assert.ok(existsSync(path));
      // Reading before training moves it aside and says what and why.
      const messages: string[] = [];
      const again = await ensureRun(toySpec({epochs: 1}), deps(messages), store);
      assert.equal(again.cached, false);
      assert.ok(messages.some((m) => /result\.json is not trusted \(corrupt or edited: its sha256 differs.*moved to .*result\.json\.corrupt-/.test(m)), messages.join('\n'));
    });

    it('never accepts a done result with a metric that is not finite', async () => {
      const {result} = await ensureRun(toySpec({epochs: 1}), deps(), new RunStore(root));
      assert.equal(validateResult(result, result.hash), undefined);
      // What JSON makes of a NaN test loss: null. Everything else (hash, spec) still matches.
      const nan = JSON.parse(JSON.stringify({...result, history: [{...result.history[0], testLoss: NaN}]})) as RunResult;
      assert.match(validateResult(nan, result.hash) ?? '', /epoch 1 of a run marked done has a metric that is not a finite number/);
    });

    it('records the kind of CPU in provenance, and refuses one that is not a short string', async () => {
      const {result} = await ensureRun(toySpec({epochs: 1}), deps(), new RunStore(root));
      assert.equal(result.provenance.cpu, cpuKind());
      for (const cpu of [42, 'x'.repeat(301)]) {
        const bad = {...result, provenance: {...result.provenance, cpu}} as unknown as RunResult;
        assert.match(validateResult(bad, result.hash) ?? '', /provenance\.cpu is not a string of at most 300 characters/);
      }
    });

    it('never accepts a done result missing a test error its testWindow promises', async () => {
      const {result} = await ensureRun(toySpec({epochs: 3, evalTest: 'final', testWindow: 2}), deps(), new RunStore(root));
      assert.equal(validateResult(result, result.hash), undefined);
      assert.deepEqual(result.history.map((m) => m.testError !== undefined), [false, true, true]);
      const {testError: _e, testLoss: _l, ...untested} = result.history[1];
      const cut = {...result, history: [result.history[0], untested, result.history[2]]} as RunResult;
      assert.match(validateResult(cut, result.hash) ?? '', /epoch 2 is malformed/);
    });

    it('a run whose test metrics become NaN is stored as diverged, not done', async () => {
      // Training sees finite data; evaluation sees NaN pixels: the training loss stays finite.
      const nanTest: RunDeps = {...deps(), prepareData: async () => {
        const data = toyData();
        return {...data, batch: (set, idx, rng) => {
          const b = data.batch(set, idx, rng);
          return set === data.test ? {...b, x: new Float32Array(b.x.length).fill(NaN)} : b;
        }};
      }};
      const messages: string[] = [];
      const {result} = await ensureRun(toySpec({epochs: 1}), {...nanTest, progress: {batch() {}, epoch: (l) => messages.push(l)}}, new RunStore(root));
      assert.equal(result.status, 'diverged');
      assert.ok(messages.some((m) => /testLoss is NaN after epoch 1; the run is stored as diverged, not done/.test(m)), messages.join('\n'));
    });

    it('--store pointing at a file is a clear error', async () => {
      const file = join(root, 'a-file');
      writeFileSync(file, 'x');
      await assertRejectsRepro(runCli(['runs', '--store', file]), /the run store .*a-file is not a directory/, /--store DIR/);
      assertCliError(['runs', '--store', file], {}, /a-file is not a directory/);
    });
  });

  describe('checkpoints', () => {
    async function interrupted(store: RunStore, spec: RunSpec): Promise<string> {
      const first = await ensureRun(spec, deps(), store);
      rmSync(join(store.dir(first.result.hash), 'result.json'));
      return store.checkpointDir(first.result.hash);
    }
    const epochDir = (dir: string) => join(dir, readdirSync(dir).find((n) => n.startsWith('epoch-')) as string);

    it('a checkpoint epoch past the spec is a clear error, not a done result', async () => {
      const store = new RunStore(root);
      const dir = await interrupted(store, toySpec({epochs: 1}));
      const statePath = join(epochDir(dir), 'state.json');
      const state = JSON.parse(readFileSync(statePath, 'utf8'));
      writeFileSync(statePath, JSON.stringify({...state, epoch: 9}));
      await assertRejectsRepro(ensureRun(toySpec({epochs: 1}), deps(), store), /checkpoint in .* does not fit this run: it is at epoch 9, the spec has 1 epochs/, /delete .* to train the run from the start/);
    });

    it('a checkpoint whose tensors do not fit the model is a clear error', async () => {
      const store = new RunStore(root);
      const dir = await interrupted(store, toySpec({epochs: 1}));
      const file = join(epochDir(dir), 'tensors.safetensors');
      const tensors = readSafetensors(readFileSync(file), file).map((t, i) => (i === 0 ? {...t, shape: [t.data.length]} : t));
      writeFileSync(file, writeSafetensors(tensors));
      await assertRejectsRepro(ensureRun(toySpec({epochs: 1}), deps(), store), /does not fit this run: ".*" has shape \[\d+\], the model needs \[/);
    });

    it('an epoch whose history is missing is a clear error', async () => {
      const store = new RunStore(root);
      const dir = await interrupted(store, toySpec({epochs: 1}));
      const statePath = join(epochDir(dir), 'state.json');
      writeFileSync(statePath, JSON.stringify({...JSON.parse(readFileSync(statePath, 'utf8')), history: []}));
      await assertRejectsRepro(ensureRun(toySpec({epochs: 1}), deps(), store), /its history has 0 epochs for epoch 1/);
    });
  });
});
