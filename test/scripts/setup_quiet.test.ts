import {strict as assert} from 'node:assert';
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {REPO_ROOT} from '../../src/runs/code_version';

describe('scripts/setup.mjs', function () {
  this.timeout(300_000);

  it('is quiet when there is nothing to do (npm test has just run it), and says everything with --verbose', () => {
    const quiet = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'setup.mjs')], {cwd: REPO_ROOT, encoding: 'utf8'});
    assert.equal(quiet.status, 0, quiet.stderr);
    assert.equal(quiet.stdout + quiet.stderr, '', 'no output');
    const verbose = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'setup.mjs'), '--verbose'], {cwd: REPO_ROOT, encoding: 'utf8'});
    assert.equal(verbose.status, 0, verbose.stderr);
    assert.match(verbose.stderr, /\[setup\] npm dependencies: up to date/);
    assert.match(verbose.stderr, /\[build-native\] native engine: up to date/);
  });
});
