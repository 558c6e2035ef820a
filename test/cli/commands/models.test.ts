import {strict as assert} from 'node:assert';
import {execFileSync, spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {formatTable, modelRows} from '../../../src/cli/commands/models';

const BIN = join(__dirname, '..', '..', '..', '..', 'bin', 'repro.js');

describe('cli/commands/models', () => {
  it('`repro models --json NAME…` prints {name, params, macs, input} for each', () => {
    const out = execFileSync(process.execPath, [BIN, 'models', '--json', 'resnet20', 'resnet18'], {stdio: ['ignore', 'pipe', 'ignore']});
    const rows = JSON.parse(out.toString());
    assert.deepEqual(rows, [
      {name: 'resnet20', params: 269_722, macs: 40_551_040, input: [32, 32, 3]},
      {name: 'resnet18', params: 11_689_512, macs: 1_814_073_344, input: [224, 224, 3]},
    ]);
  });

  it('`repro models --json` lists every registered model, ResNet-1202 included', function () {
    this.timeout(300_000);
    const out = execFileSync(process.execPath, [BIN, 'models', '--json'], {stdio: ['ignore', 'pipe', 'ignore']});
    const rows = JSON.parse(out.toString()) as Array<{name: string; params: number; macs: number; input: number[]}>;
    const names = rows.map((r) => r.name);
    for (const n of ['resnet18', 'resnet152', 'resnext50_32x4d', 'vgg16', 'vgg19', 'resnet50_v1', 'resnet1202', 'plain110',
      'resnet20_B', 'resnet20_C', 'resnet7', 'plain9', 'resnet18_tiny', 'resnet18_seqhead']) {
      assert.ok(names.includes(n), n);
    }
    assert.equal(rows.find((r) => r.name === 'resnet1202')?.params, 19_421_274);
    for (const r of rows) assert.ok(r.params > 0 && r.macs > 0 && r.input.length === 3, r.name);
  });

  it('an unknown model name fails with exit code 2 and names it', () => {
    const r = spawnSync(process.execPath, [BIN, 'models', 'resnet21'], {encoding: 'utf8'});
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /depth 21 is not 6n\+2/);
  });

  it('formats a table with thousands separators and G/M multiply-adds', () => {
    const table = formatTable(modelRows(['resnet20', 'resnet34']));
    assert.match(table, /resnet20\s+269,722\s+40\.6 M\s+32×32×3/);
    assert.match(table, /resnet34\s+21,797,672\s+3\.66 G\s+224×224×3/);
  });
});
