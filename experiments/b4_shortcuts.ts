import type {Claim} from '../src/claims/claim';
import {barByVariantFigure} from '../src/report/figures/bar_by_variant';
import {mainDataNotRun} from './data_choice';
import {cifarRun} from './recipe';
import {finalOf, finished, type ExperimentSpec} from './types';

const ID = 'B4';
const NETS = {plain: 'plain20', A: 'resnet20', B: 'resnet20_B', C: 'resnet20_C'} as const;
/** ImageNet ResNet-34 top-1 error (%), original paper Table 3 (10-crop). */
export const PAPER_TOP1: Readonly<Record<keyof typeof NETS, number>> = {plain: 28.54, A: 25.03, B: 24.52, C: 24.19};

const claims: readonly Claim[] = [
  {id: 'B4', statement: 'Shortcut options: B slightly better than A, C marginally better than B; all three far better than plain',
    source: {doc: '002 §3.3, original paper', where: 'Table 3'},
    measure: (r) => {
      const e = (k: keyof typeof NETS) => finalOf(r, NETS[k]).testError;
      return e('B') <= e('A') && e('C') <= e('B') && Math.max(e('A'), e('B'), e('C')) < e('plain');
    },
    expected: {holds: 'true', paperText: 'ImageNet ResNet-34 top-1: A 25.03, B 24.52, C 24.19, plain-34 28.54'}},
];

export const shortcutsExperiment: ExperimentSpec = {
  id: ID,
  title: 'B4. Shortcut options A, B, C vs plain',
  claims,
  runs: (_p, ctx) => Object.values(NETS).map((model) => cifarRun(ctx, {experiment: ID, name: model, model})),
  notRun: (_p, ctx) => mainDataNotRun(ctx, ID),
  claimNotes: () => ({B4: 'the paper\'s numbers are ImageNet ResNet-34; ours are the 20-layer CIFAR net'}),
  section(results) {
    const keys = Object.keys(NETS) as (keyof typeof NETS)[];
    const done = new Set(finished(results, Object.values(NETS)).map((r) => r.spec.name));
    const bars = keys.flatMap((k) => [
      ...(done.has(NETS[k]) ? [{variant: k, group: 'ours', value: results.get(NETS[k])!.final!.testError}] : []),
      {variant: k, group: 'paper', value: PAPER_TOP1[k] / 100},
    ]);
    return {
      paragraphs: ['The paper\'s comparison is on ImageNet with ResNet-34 (Table 3); ours trains the 20-layer CIFAR net with each option. ' +
        'The paper\'s differences between A, B and C are half a point: a small-budget run may not resolve them.'],
      figures: [{id: 'b4-options', caption: 'Test error by shortcut option: ours (20-layer CIFAR-type net) beside the paper (ImageNet ResNet-34, top-1) — different data sets and depths',
        spec: barByVariantFigure({bars, xTitle: 'shortcut option', yTitle: 'error (%)', percent: true})}],
      tables: [],
    };
  },
};
