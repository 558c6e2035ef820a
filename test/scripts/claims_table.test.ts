import {strict as assert} from 'node:assert';
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {REPO_ROOT} from '../../src/runs/code_version';

describe('scripts/claims_table.mjs', function () {
  this.timeout(60_000);

  it("README's claims table is what the script prints from the committed baselines (regenerate it, never edit it)", () => {
    const out = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'claims_table.mjs'), 'quick', 'standard'], {cwd: REPO_ROOT, encoding: 'utf8'});
    assert.equal(out.status, 0, out.stderr);
    const table = out.stdout.trimEnd();
    assert.match(table, /^\| claim \| paper \| quick: ours/);
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    assert.ok(readme.includes(`\n${table}\n`),
      'README.md\'s claims table differs from `node scripts/claims_table.mjs quick standard`: paste its output into README\'s "The claims" section');
  });
});
