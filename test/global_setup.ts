import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {REPO_ROOT} from '../src/runs/code_version';

/**
 * Mocha's global set-up: a private single-node Slurm cluster (scripts/slurm-cluster.mjs) for the
 * tests of the slurm executor, started once and stopped by pid at the end. Started only when the
 * selected test files include them (a focused `mocha dist/test/runs/x.test.js` does not pay for
 * it). When it cannot start, the tests that need it fail with the reason (test/slurm/cluster.ts).
 */
let base: string | undefined;
const SCRIPT = join(REPO_ROOT, 'scripts', 'slurm-cluster.mjs');

function wanted(): boolean {
  // The spec arguments (mocha passes its config's globs on too), not the values of --require/--file.
  const argv = process.argv.slice(2);
  const files = argv.filter((a, i) => /\.js$/.test(a) && !['--require', '-r', '--file'].includes(argv[i - 1] ?? ''));
  return files.length === 0 || files.some((f) => f.includes('*') || /slurm|executor/.test(f));
}

export function mochaGlobalSetup(): void {
  if (!wanted() || process.env.SLURM_CONF) return; // a cluster of the caller's own is used as is
  base = mkdtempSync(join(tmpdir(), 'repro-slurm-test-'));
  const r = spawnSync(process.execPath, [SCRIPT, 'start', '--base', base], {encoding: 'utf8', timeout: 120_000});
  if (r.status === 0) {
    process.env.SLURM_CONF = (JSON.parse(r.stdout) as {conf: string}).conf;
  } else {
    process.env.REPRO_TEST_SLURM_ERROR = `the test cluster did not start (\`node scripts/slurm-cluster.mjs start --base ${base}\`): ` +
      `${(r.stderr || r.error?.message || '').trim()}`;
  }
}

export function mochaGlobalTeardown(): void {
  if (!base) return;
  spawnSync(process.execPath, [SCRIPT, 'stop', '--base', base], {encoding: 'utf8', timeout: 60_000});
  rmSync(base, {recursive: true, force: true});
}
