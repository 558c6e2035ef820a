/** The SLURM_CONF of the test cluster that test/global_setup.ts started, or a failure saying why there is none. */
export function clusterConf(): string {
  const conf = process.env.SLURM_CONF;
  if (conf) return conf;
  throw new Error(process.env.REPRO_TEST_SLURM_ERROR ??
    'no Slurm test cluster: run these tests through mocha with its global set-up (.mocharc.json requires dist/test/global_setup.js), ' +
    'or start one with `node scripts/slurm-cluster.mjs start --base /tmp/repro-slurm` and export the SLURM_CONF it prints');
}
