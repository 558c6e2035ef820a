import {strict as assert} from 'node:assert';
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Training} from '../../src/pipeline/plan';
import {describeStranded, strandedCheckpoints} from '../../src/pipeline/stranded_checkpoints';
import type {CodeEra} from '../../src/runs/code_version_history';
import {runHash} from '../../src/runs/hash';
import type {RunSpec} from '../../src/runs/spec';
import {RunStore} from '../../src/runs/store';

const spec = (name: string): RunSpec => ({experiment: 'B1B2', name, model: 'resnet20', data: {name: 'synthetic'}, augment: {normalize: 'scale01'},
  optimizer: {type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 1e-4}, schedule: {type: 'constant'}, loss: 'cross-entropy',
  epochs: 100, batchSize: 16, seed: 1});
const OLD: CodeEra = {version: 'old0000000000000', first: 'aaaaaaa', last: 'bbbbbbb'};
const training = (s: RunSpec, cached = false): Training =>
  ({spec: s, hash: runHash(s, 'new0000000000000', 'sum'), cached, dataChecksum: 'sum', work: 1});

describe('pipeline/stranded_checkpoints', () => {
  let dir: string;
  let store: RunStore;
  /** A store entry for `s` under `version` with checkpoints after the given epochs. */
  const entry = (s: RunSpec, version: string, epochs: number[]) => {
    const hash = runHash(s, version, 'sum');
    store.begin(hash, s);
    for (const e of epochs) mkdirSync(join(store.checkpointDir(hash), `epoch-${String(e).padStart(4, '0')}`), {recursive: true});
    return hash;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'repro-stranded-'));
    store = new RunStore(dir);
  });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  it('finds a checkpoint of a run to train made by other training code, and the commits whose code made it', () => {
    const s = spec('a');
    const old = entry(s, OLD.version, [3, 5]);
    const t = training(s);
    const found = strandedCheckpoints([t], store, () => [{version: 'new0000000000000', first: 'ccccccc', last: 'ddddddd'}, OLD]);
    assert.deepEqual(found, [{training: t, hash: old, epochs: 5, inProgress: false, era: OLD}]);
    const text = describeStranded(found[0]);
    assert.match(text, /B1B2\/a trains from scratch as run /);
    assert.match(text, /after epoch 5 of 100/);
    assert.match(text, /commits aaaaaaa to bbbbbbb \(code version old0000000000000\)/);
    assert.match(text, /git worktree add \.\.\/resume-bbbbbbb bbbbbbb/);
  });

  it('says so when no commit has the code that made it', () => {
    const s = spec('a');
    entry(s, 'uncommitted00000', [7]);
    const found = strandedCheckpoints([training(s)], store, () => [OLD]);
    assert.equal(found.length, 1);
    assert.equal(found[0].era, undefined);
    assert.match(describeStranded(found[0]), /No commit in this checkout's history has its training code/);
    const outsideGit = strandedCheckpoints([training(s)], store, () => { throw new Error('not a git checkout'); });
    assert.equal(outsideGit[0].era, undefined, 'without git the warning still comes, without commits');
  });

  it('ignores what is not stranded: done runs, another spec, the run\'s own entry, entries without a checkpoint', () => {
    const s = spec('a');
    entry(s, OLD.version, [5]);
    entry(spec('b'), OLD.version, [5]);
    entry(spec('c'), OLD.version, []);
    entry(spec('d'), 'new0000000000000', [9]);
    let read = 0;
    const history = () => { read++; return [OLD]; };
    assert.deepEqual(strandedCheckpoints([training(s, true)], store, history), [], 'a cached run needs nothing');
    assert.deepEqual(strandedCheckpoints([training(spec('c')), training(spec('d'))], store, history), []);
    assert.equal(read, 0, 'git history is read only when something is stranded');
  });
});
