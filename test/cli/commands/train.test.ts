import {strict as assert} from 'node:assert';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {REPO_ROOT} from '../../../src/runs/code_version';

const CLI = join(REPO_ROOT, 'bin', 'repro.js');

function repro(args: string[]): {code: number | null; out: string; err: string} {
  const r = spawnSync(process.execPath, [CLI, ...args], {cwd: REPO_ROOT, encoding: 'utf8'});
  return {code: r.status, out: r.stdout, err: r.stderr};
}

describe('cli: repro train / repro runs bad input', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'repro-cli-train-')); });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  it('rejects a spec with an unknown field, naming file and field, and leaves the store untouched', () => {
    const spec = join(dir, 'bad.json');
    writeFileSync(spec, JSON.stringify({experiment: 'x', name: 'y', model: 'resnet8', data: {name: 'synthetic'},
      augment: {normalize: 'scale01'}, optimizer: {type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0},
      schedule: {type: 'constant'}, loss: 'cross-entropy', epochs: 1, batchSize: 8, seed: 1, learningRate: 3}));
    const store = join(dir, 'store');
    const r = repro(['train', '--spec', spec, '--store', store]);
    assert.equal(r.code, 2);
    assert.match(r.err, /bad\.json: unknown field "learningRate"/);
    assert.ok(!existsSync(store), 'no store entry was created');
  });

  it('says what is wrong with an unreadable spec file and a missing --spec', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"experiment": ');
    assert.match(repro(['train', '--spec', broken]).err, /cannot read .*broken\.json[\s\S]*expected: a JSON file holding one RunSpec/);
    assert.match(repro(['train']).err, /--spec FILE\.json is required/);
  });

  it('lists an empty store plainly', () => {
    const r = repro(['runs', '--store', join(dir, 'none')]);
    assert.equal(r.code, 0);
    assert.match(r.out, /is empty/);
    assert.match(r.err, /--store .* does not exist/);
  });
});
