#!/usr/bin/env node
// The chance that B2's second look decides its training-error half (experiments/README.md, "B2's
// second stage"), from the first look's committed results, so that the README's "about 60%" is
// regenerated from the record rather than quoted:
//   npm run build && node scripts/b2_second_look_power.mjs [--new 8,16] [--draws 20000] [--seed 1]
// Reads resnet20 − resnet56 final training error of seeds 3–10 (reports/baselines/standard/results/
// B1B2--resnet{20,56}_e100.s<seed>.json), takes their mean and sd as the truth (normal per-seed
// differences), draws the new seeds' differences, and decides all seeds together with the second
// look's 97.5% t-interval, as src/claims does. Conditional power: it assumes the measured effect.
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {builtModule, ROOT as root} from './built_module.mjs';

const FIRST_LOOK = [3, 4, 5, 6, 7, 8, 9, 10];
const LEVEL = 0.975;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const newCounts = option('new', '8,16').split(',').map(Number);
const draws = Number(option('draws', '20000'));
const seed = Number(option('seed', '1'));
if (!newCounts.every((n) => Number.isInteger(n) && n >= 1) || !(Number.isInteger(draws) && draws >= 1) || !Number.isInteger(seed)) {
  process.stderr.write('usage: node scripts/b2_second_look_power.mjs [--new 8,16] [--draws 20000] [--seed 1]   (positive integers)\n');
  process.exit(2);
}
const {mean, sd, tInterval} = builtModule('src/claims/stats.js');

const resultsDir = join(root, 'reports', 'baselines', 'standard', 'results');
const trainError = (net, s) => {
  const file = join(resultsDir, `B1B2--${net}_e100.s${s}.json`);
  if (!existsSync(file)) {
    process.stderr.write(`${file} is missing: the first look's runs are committed with the standard baseline (git checkout it)\n`);
    process.exit(2);
  }
  return JSON.parse(readFileSync(file, 'utf8')).final.trainError;
};
const observed = FIRST_LOOK.map((s) => trainError('resnet20', s) - trainError('resnet56', s));
const m = mean(observed), s = sd(observed);

// xorshift32 and Box–Muller: the same draws for the same --seed on every machine.
let state = (seed >>> 0) || 1;
const uniform = () => {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return (state + 0.5) / 4294967296;
};
const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());

const pts = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(2)}`;
const first = tInterval(observed, 0.95);
process.stdout.write(`first look, seeds ${FIRST_LOOK[0]}–${FIRST_LOOK[FIRST_LOOK.length - 1]}: mean ${pts(m)} points, sd ${(100 * s).toFixed(2)}, ` +
  `95% t-interval [${pts(first.ci[0])}, ${pts(first.ci[1])}]\n`);
process.stdout.write(`assumed truth: per-seed differences normal with that mean and sd; ${draws} draws, seed ${seed}\n`);
process.stdout.write('| new seeds | all seeds | reproduced (interval above 0) | not reproduced (below 0) | inconclusive |\n|---|---|---|---|---|\n');
for (const n of newCounts) {
  let above = 0, below = 0;
  for (let d = 0; d < draws; d++) {
    const all = [...observed, ...Array.from({length: n}, () => m + s * normal())];
    const [lo, hi] = tInterval(all, LEVEL).ci;
    if (lo > 0) above++; else if (hi < 0) below++;
  }
  const pc = (k) => `${(100 * k / draws).toFixed(1)}%`;
  process.stdout.write(`| ${n} | ${observed.length + n} | ${pc(above)} | ${pc(below)} | ${pc(draws - above - below)} |\n`);
}
process.stdout.write(`decided at the second look's ${100 * LEVEL}% level (Bonferroni over two looks); in the standard profile an ` +
  'interval below 0 reads inconclusive (its budget cannot refute B2)\n');
