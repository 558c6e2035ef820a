#!/usr/bin/env node
// Prints the B1/B2 budget pilots' table (experiments/README.md, "Sizing the standard profile") from
// their committed results, experiments/pilots/b1b2_budget/results/*.json: the first pilot's B1B2
// seed-1 runs at the earlier standard budget, and the second pilot's runs (copied from its run
// store's result.json files), so that the README's numbers are regenerated from the record:
//   npm run build && node scripts/pilot_table.mjs
// One row per run: final training and test error, the training error at a few epochs, wall time;
// then B2's gap per pair of runs (below).
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {builtModule, ROOT as root} from './built_module.mjs';

const dir = join(root, 'experiments', 'pilots', 'b1b2_budget', 'results');
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

// B2's quantity, resnet20 − resnet56 training error, for every pair of the same budget and seed
// (the pilots' and standard's B1B2 runs): the final epoch's value and, because one epoch's training
// error moves by about a tenth of a point from epoch to epoch, its mean over the last 10 epochs (at
// 50 and 100 epochs all at the final learning rate), the better guide to what more seeds would show.
const {mean, sd} = builtModule('src/claims/stats.js');
const standardDir = join(root, 'reports', 'baselines', 'standard', 'results');
const b1b2 = existsSync(standardDir)
  ? readdirSync(standardDir).filter((f) => /^B1B2--resnet(20|56)\.s\d+\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(join(standardDir, f), 'utf8')))
  : [];
const pairKey = ({spec}) =>
  `${spec.experiment} · ${spec.epochs} epochs, ${spec.schedule.warmup ? 'warm-up' : 'no warm-up'} · seed ${spec.seed}`;
const pairs = new Map();
for (const r of [...rows, ...b1b2]) pairs.set(pairKey(r), {...pairs.get(pairKey(r)), [r.spec.model]: r});
// Shortest budget first, then experiment, then seed.
const byBudget = ({resnet20: {spec: a}}, {resnet20: {spec: b}}) =>
  a.epochs - b.epochs || a.experiment.localeCompare(b.experiment) || a.seed - b.seed;
const signed = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;
process.stdout.write('\n| runs · budget · seed | resnet20 − resnet56, final epoch (points) | mean of the last 10 epochs | ' +
  'epoch-to-epoch sd |\n');
process.stdout.write('|---|---|---|---|\n');
for (const p of [...pairs.values()].filter((p) => p.resnet20 && p.resnet56).sort(byBudget)) {
  const gap = p.resnet20.history.map((e, i) => 100 * (e.trainError - p.resnet56.history[i].trainError));
  const last = gap.slice(-10);
  process.stdout.write(`| ${pairKey(p.resnet20)} | ${signed(gap[gap.length - 1])} | ${signed(mean(last))} | ` +
    `${sd(last).toFixed(2)} |\n`);
}
