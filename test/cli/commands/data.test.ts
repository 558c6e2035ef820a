import {strict as assert} from 'node:assert';
import {join} from 'node:path';
import {runCli as run} from '../run_cli';
import {cifarBatch, tempDir, withEnv, writeFile} from '../../data/fixtures';

describe('cli/data', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => { t = tempDir('cli-data'); });
  afterEach(() => t.cleanup());

  it('verify exits 1 naming the damaged file and the problem', async () => {
    for (let i = 1; i <= 5; i++) writeFile(join(t.dir, 'c', `data_batch_${i}.bin`), cifarBatch([1]));
    writeFile(join(t.dir, 'c', 'test_batch.bin'), cifarBatch([1]));
    const r = await withEnv({REPRO_DATA_ROOT: join(t.dir, 'root')}, () => run(['data', 'verify', 'cifar10', '--dir', join(t.dir, 'c')]));
    assert.equal(r.code, 1);
    assert.match(r.err, /FAILED\n.*data_batch_1\.bin: 3073 bytes is not a whole CIFAR-10 batch/);
  });

  it('list --json reports every data set with where it is looked for', async () => {
    const r = await withEnv({REPRO_DATA_ROOT: join(t.dir, 'root'), CIFAR10_DIR: join(t.dir, 'nowhere')}, () => run(['data', 'list', '--json']));
    assert.equal(r.code, 0);
    const rows = JSON.parse(r.out) as {name: string; origin: string; present: boolean}[];
    assert.deepEqual(rows.map((x) => x.name), ['cifar10', 'fashion-mnist', 'tiny-imagenet', 'intel-scene']);
    assert.deepEqual([rows[0].origin, rows[0].present], ['env', false]);
  });

  it('rejects unknown names, sub-commands and options', async () => {
    await assert.rejects(run(['data', 'fetch', 'imagenet']), /unknown data set "imagenet"/);
    await assert.rejects(run(['data', 'frobnicate']), /unknown sub-command "frobnicate"/);
    await assert.rejects(run(['data', 'verify', 'cifar10', '--url', 'x']), /unknown option --url/);
  });
});
