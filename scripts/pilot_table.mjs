#!/usr/bin/env node
// Prints the B1/B2 budget pilots' table (experiments/README.md, "Sizing the standard profile") from
// their committed results, experiments/pilots/b1b2_budget/results/*.json: the first pilot's B1B2
// seed-1 runs at the earlier standard budget, and the second pilot's runs (copied from its run
// store's result.json files), so that the README's numbers are regenerated from the record:
//   node scripts/pilot_table.mjs
// One row per run: final training and test error, the training error at a few epochs, wall time.
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'experiments', 'pilots', 'b1b2_budget', 'results');
if (!existsSync(dir)) {
  process.stderr.write(`no pilot results in ${dir}: train them first (experiments/README.md, "Sizing the standard profile")\n`);
  process.exit(2);
}
const pct = (x) => (100 * x).toFixed(2);
const rows = readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
const at = (r, frac) => r.history[Math.max(0, Math.round(frac * r.history.length) - 1)];
process.stdout.write('| run | epochs | steps | warm-up | training error at ¼ · ½ · ¾ (%) | final training error (%) | test error (%) | wall time |\n');
process.stdout.write('|---|---|---|---|---|---|---|---|\n');
for (const r of rows) {
  const last = r.history[r.history.length - 1];
  const w = r.spec.schedule.warmup;
  const mid = [0.25, 0.5, 0.75].map((f) => pct(at(r, f).trainError)).join(' · ');
  process.stdout.write(`| ${r.spec.experiment}/${r.spec.name} | ${r.spec.epochs} | ${last.iteration.toLocaleString('en-US')} | ` +
    `${w ? `lr ${w.lr} until < ${100 * w.untilTrainError}%` : 'none'} | ${mid} | ${pct(r.final.trainError)} | ` +
    `${pct(r.final.testError)} | ${(r.wallMs / 60000).toFixed(0)} min |\n`);
}
