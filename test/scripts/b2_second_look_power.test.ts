import {strict as assert} from 'node:assert';
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {REPO_ROOT} from '../../src/runs/code_version';

const run = (args: string[] = []) => spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'b2_second_look_power.mjs'), ...args],
  {cwd: REPO_ROOT, encoding: 'utf8'});

describe('scripts/b2_second_look_power.mjs', function () {
  this.timeout(60_000);

  it("experiments/README.md's chance of deciding B2 at its second look is what the script prints from the first look's results", () => {
    const out = run();
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /^first look, seeds 3–10: mean \+0\.33 points, sd 0\.50, 95% t-interval \[−0\.09, \+0\.75\]\n/);
    const table = out.stdout.split('\n').filter((l) => l.startsWith('|')).join('\n');
    assert.match(table, /\n\| 8 \| 16 \| \d+\.\d% \| \d+\.\d% \| \d+\.\d% \|/);
    const readme = readFileSync(join(REPO_ROOT, 'experiments', 'README.md'), 'utf8');
    assert.ok(readme.includes(`\n${table}\n`), 'experiments/README.md differs from `node scripts/b2_second_look_power.mjs` in its table ' +
      `(paste the script's output into "B2's second stage"):\n${table}`);
  });

  it('the same seed gives the same draws; a bad option is refused with the usage', () => {
    assert.equal(run(['--draws', '500', '--seed', '7']).stdout, run(['--draws', '500', '--seed', '7']).stdout);
    const bad = run(['--draws', 'many']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^usage: node scripts\/b2_second_look_power\.mjs/);
  });
});
