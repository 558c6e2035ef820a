import type {Claim} from '../src/claims/claim';
import {lrScheduleFigure, type LrScheduleSeries} from '../src/report/figures/lr_schedule';
import type {RunSpec} from '../src/runs/spec';
import {experimentContextFor} from './data_choice';
import {degradationExperiment} from './b1_b2_degradation';
import {PAPER_EPOCHS, PAPER_RECIPE, runIterations} from './recipe';
import type {ExperimentSpec} from './types';
import {modelConfig} from '../src/models/registry';

/** Which parts of the published recipe (original paper §4.2) a spec deviates from, in words. */
export function recipeDeviations(spec: RunSpec): string[] {
  const out: string[] = [];
  const o = spec.optimizer, s = spec.schedule, a = spec.augment;
  if (spec.data.name !== 'cifar10') out.push(`data ${spec.data.name} instead of CIFAR-10`);
  if (spec.data.trainPerClass || spec.data.testPerClass) out.push(`subset of ${spec.data.trainPerClass ?? 'all'} training images per class`);
  if (spec.data.name === 'cifar10' && spec.data.valSize !== PAPER_RECIPE.valSize) out.push('no 45k/5k train/validation split');
  if (o.type !== 'sgd' || o.lr !== 0.1 || o.momentum !== 0.9 || o.weightDecay !== 1e-4) out.push('optimizer differs from SGD lr 0.1, momentum 0.9, wd 1e-4');
  if (spec.batchSize !== PAPER_RECIPE.batchSize) out.push(`batch ${spec.batchSize} instead of 128`);
  if (s.type !== 'multistep' || s.milestones.join() !== PAPER_RECIPE.milestones.join() || s.gamma !== 0.1) {
    out.push('lr ÷10 not at 32k/48k iterations');
  }
  if (spec.epochs !== PAPER_EPOCHS) out.push(`${spec.epochs} epochs instead of ${PAPER_EPOCHS} (64k iterations)`);
  if (a.padCrop !== 4 || a.hflip !== true || a.vflip || a.normalize !== 'per-pixel-mean') out.push('augmentation differs from pad-4 crop + h-flip + per-pixel mean');
  // He initialisation, BN after every conv and no dropout are properties of the model config (init.ts: He for the CIFAR family).
  const cfg = modelConfig(spec.model);
  if (cfg.family !== 'cifar') out.push(`model ${spec.model} is not a CIFAR-family net (He initialisation)`);
  else {
    if (cfg.norm === 'none') out.push(`model ${spec.model} has no batch normalisation`);
    if (cfg.dropout) out.push(`model ${spec.model} has dropout`);
    if (cfg.activation === 'sigmoid') out.push(`model ${spec.model} uses sigmoid activations`);
  }
  // ResNet-110 starts at lr 0.01 until the training error is below 80%.
  const w = s.warmup;
  if (/^resnet110\b/.test(spec.model) && (w?.lr !== 0.01 || w.untilTrainError !== 0.8)) out.push('ResNet-110 without the lr-0.01 warm-up');
  return out;
}

const claims: readonly Claim[] = [
  {id: 'B7', statement: 'Training recipe as published: SGD momentum 0.9, wd 1e-4, batch 128, lr 0.1 ÷10 at 32k/48k, stop at 64k; ' +
      '45k/5k split; pad-4 crop + h-flip; per-pixel mean; He init; BN after every conv; no dropout',
    source: {doc: 'original paper §4.2, 002', where: '§3.4'},
    // The paper profile's CIFAR specs must encode the recipe exactly (0 deviations), whatever profile runs.
    measure: () => degradationExperiment.runs('paper', experimentContextFor('paper')).flatMap(recipeDeviations).length,
    encoded: true,
    expected: {holds: 'approx', paper: 0, paperText: 'the paper profile deviates in 0 points', unit: ''}},
];

export const recipeExperiment: ExperimentSpec = {
  id: 'B7',
  title: 'B7. The training recipe',
  claims,
  runs: () => [],
  notRun: () => undefined,
  claimNotes(profile, ctx) {
    if (profile === 'paper') return {};
    const dev = [...new Set(degradationExperiment.runs(profile, ctx).flatMap(recipeDeviations))];
    return {B7: `the ${profile} profile deviates: ${dev.join('; ')}`};
  },
  section(_results, profile, ctx) {
    const paper = degradationExperiment.runs('paper', experimentContextFor('paper'))[0];
    const ours = degradationExperiment.runs(profile, ctx)[0];
    return {
      paragraphs: ['The paper profile builds its CIFAR runs from one recipe object (experiments/recipe.ts); He initialisation, BN after every ' +
        'conv and no dropout are properties of the CIFAR models themselves (src/models). The ResNet-110 warm-up (lr 0.01 until training ' +
        'error < 80%) applies to ResNet-110 only, which no experiment here trains.',
      ...(profile === 'paper' ? [] : [`This report's profile (${profile}) deviates from it: ` +
        [...new Set(degradationExperiment.runs(profile, ctx).flatMap(recipeDeviations))].join('; ') + '.'])],
      figures: [{id: 'b7-lr-schedule', caption: `Learning rate over training: the paper profile (÷10 at 32k and 48k of 64k iterations) ` +
          (profile === 'paper' ? '' : `beside the ${profile} profile's scaled-down schedule (same shape, ÷10 at 50% and 75% of its iterations)`),
        spec: lrScheduleFigure({series: [scheduleSeries('paper', paper), ...(profile === 'paper' ? [] : [scheduleSeries(profile, ours)])]})}],
      tables: [{id: 'b7-recipe', caption: `The paper profile's recipe beside this report's (${profile}), run ${ours.name} of B1/B2`,
        columns: [{label: 'setting', align: 'left'}, {label: 'paper profile', align: 'left'}, {label: profile, align: 'left'}],
        rows: recipeRows(paper).map(([k, v], j) => [k, v, recipeRows(ours)[j][1]])}],
    };
  },
};

/** A spec's schedule over its whole run. */
function scheduleSeries(label: string, spec: RunSpec): LrScheduleSeries {
  const iterations = runIterations(spec);
  return {label: `${label} (${iterations.toLocaleString('en-US')} iterations)`, schedule: spec.schedule, baseLr: spec.optimizer.lr, iterations};
}

/** The recipe of a spec as (setting, value) text rows. */
function recipeRows(spec: RunSpec): [string, string][] {
  const o = spec.optimizer, s = spec.schedule, a = spec.augment, d = spec.data;
  return [
    ['optimizer', o.type === 'sgd' ? `SGD lr ${o.lr}, momentum ${o.momentum}, wd ${o.weightDecay}` : `Adam lr ${o.lr}`],
    ['lr schedule', s.type === 'multistep' ? `÷${Math.round(1 / s.gamma)} at iterations ${s.milestones.join(', ')}` : s.type],
    ['batch, epochs', `${spec.batchSize}, ${spec.epochs}`],
    ['data', `${d.name}${d.valSize ? `, ${d.valSize} held out for validation` : ''}${d.trainPerClass ? `, ${d.trainPerClass} per class` : ''}`],
    ['augmentation', [a.padCrop ? `pad ${a.padCrop} + crop` : '', a.hflip ? 'h-flip' : '', a.vflip ? 'v-flip' : '', a.normalize].filter(Boolean).join(', ')],
  ];
}
