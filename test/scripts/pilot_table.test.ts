import {strict as assert} from 'node:assert';
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {REPO_ROOT} from '../../src/runs/code_version';

describe('scripts/pilot_table.mjs', function () {
  this.timeout(60_000);

  it("experiments/README.md's pilot tables are what the script prints from the committed pilot results (regenerate them, never edit them)", () => {
    const out = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'pilot_table.mjs')], {cwd: REPO_ROOT, encoding: 'utf8'});
    assert.equal(out.status, 0, out.stderr);
    const tables = out.stdout.trim().split('\n\n');
    assert.equal(tables.length, 2, `expected the runs table and the B2 gap table, got:\n${out.stdout}`);
    assert.match(tables[1], /^\| runs · budget · seed \| resnet20 − resnet56/);
    const readme = readFileSync(join(REPO_ROOT, 'experiments', 'README.md'), 'utf8');
    for (const table of tables) {
      assert.ok(readme.includes(`\n${table}\n`), 'experiments/README.md differs from `node scripts/pilot_table.mjs` in this table ' +
        `(paste the script's output into "Sizing the standard profile"):\n${table}`);
    }
  });
});
