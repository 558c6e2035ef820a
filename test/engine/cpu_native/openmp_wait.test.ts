import {strict as assert} from 'node:assert';
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {DEFAULT_SPIN_COUNT, openmpWait} from '../../../src/engine/cpu_native/addon';

/** The OpenMP wait settings a fresh process has after loading the addon under `env`. */
function settingsAfterLoad(env: Record<string, string>): {policy: string | null; spin: string | null; said: string} {
  const addon = join(__dirname, '..', '..', '..', 'src', 'engine', 'cpu_native', 'addon.js');
  const base = {...process.env};
  delete base.OMP_WAIT_POLICY;
  delete base.GOMP_SPINCOUNT;
  const r = spawnSync(process.execPath, ['-e', `const a = require(${JSON.stringify(addon)}); const l = a.loadAddon();
    if (!l.ok) throw new Error(l.reason);
    console.log(JSON.stringify({policy: process.env.OMP_WAIT_POLICY ?? null, spin: process.env.GOMP_SPINCOUNT ?? null, said: a.openmpWait()}));`],
  {encoding: 'utf8', env: {...base, ...env}});
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as {policy: string | null; spin: string | null; said: string};
}

describe('cpu-native: how OpenMP threads wait', () => {
  it('spins briefly and then sleeps by default (neither libgomp\'s long spin nor PASSIVE)', () => {
    assert.deepEqual(settingsAfterLoad({}),
      {policy: null, spin: String(DEFAULT_SPIN_COUNT), said: `GOMP_SPINCOUNT=${DEFAULT_SPIN_COUNT}`});
  });

  it('leaves an explicit OMP_WAIT_POLICY or GOMP_SPINCOUNT alone', () => {
    assert.deepEqual(settingsAfterLoad({OMP_WAIT_POLICY: 'PASSIVE'}), {policy: 'PASSIVE', spin: null, said: 'OMP_WAIT_POLICY=PASSIVE'});
    assert.deepEqual(settingsAfterLoad({GOMP_SPINCOUNT: '50000'}), {policy: null, spin: '50000', said: 'GOMP_SPINCOUNT=50000'});
  });

  it('openmpWait names the setting in force', () => {
    assert.equal(openmpWait({OMP_WAIT_POLICY: 'ACTIVE'}), 'OMP_WAIT_POLICY=ACTIVE');
    assert.equal(openmpWait({}), `GOMP_SPINCOUNT=${DEFAULT_SPIN_COUNT}`);
  });
});
