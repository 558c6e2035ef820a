import {strict as assert} from 'node:assert';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {runCli as run} from '../run_cli';
import {tempDir, withEnv} from '../../data/fixtures';

describe('cli/weights', () => {
  let t: ReturnType<typeof tempDir>;
  let env: Record<string, string | undefined>;
  beforeEach(() => {
    t = tempDir('cli-weights');
    env = {REPRO_WEIGHTS_DIR: join(t.dir, 'w'), TORCH_HOME: join(t.dir, 'torch')};
  });
  afterEach(() => t.cleanup());

  it('list --json: every registered file, absent, under $REPRO_WEIGHTS_DIR', async () => {
    const r = await withEnv(env, () => run(['weights', 'list', '--json']));
    assert.equal(r.code, 0);
    const rows = JSON.parse(r.out) as {name: string; present: boolean; origin: string; path: string}[];
    assert.equal(rows.length, 6);
    assert.deepEqual(rows[0], {...rows[0], name: 'resnet18.tv_in1k', present: false, origin: 'env', path: join(t.dir, 'w', 'resnet18-f37072fd.pth')});
    const text = await withEnv(env, () => run(['weights', 'list']));
    assert.match(text.out, /resnet152\.tv_in1k\s+absent .*repro weights fetch resnet152\.tv_in1k/);
  });

  it('verify exits 1 naming a damaged file, the pinned prefix and the fetch command', async () => {
    mkdirSync(join(t.dir, 'w'));
    writeFileSync(join(t.dir, 'w', 'resnet18-f37072fd.pth'), 'not a state dict');
    const r = await withEnv(env, () => run(['weights', 'verify']));
    assert.equal(r.code, 1);
    assert.match(r.err, /repro weights verify resnet18\.tv_in1k: FAILED\n.*resnet18-f37072fd\.pth: checksum mismatch/);
    assert.match(r.err, /sha256 starting with f37072fd/);
    assert.match(r.err, /npx repro weights fetch resnet18\.tv_in1k/);
  });

  it('verify with nothing present says so; rejects unknown names, sub-commands and options; fetch needs a name', async () => {
    const r = await withEnv(env, () => run(['weights', 'verify']));
    assert.equal(r.code, 0);
    assert.match(r.out, /no pretrained weights are present/);
    await assert.rejects(withEnv(env, () => run(['weights', 'fetch', 'resnet18.tv_in1k', 'vgg16.tv_in1k'])), /unknown pretrained weights "vgg16\.tv_in1k"/);
    await assert.rejects(run(['weights', 'fetch']), /no weights named/);
    await assert.rejects(run(['weights', 'frobnicate']), /unknown sub-command "frobnicate"/);
    await assert.rejects(run(['weights', 'verify', '--url', 'x']), /unknown option --url/);
  });
});
