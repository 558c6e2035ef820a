import type {Claim} from '../src/claims/claim';
import {barByVariantFigure} from '../src/report/figures/bar_by_variant';
import {errorCurvesFigure} from '../src/report/figures/error_curves';
import {mainDataNotRun} from './data_choice';
import {cifarRun} from './recipe';
import {finalOf, finished, type ExperimentSpec} from './types';

const ID = 'B3';
const NETS = ['plain7', 'resnet7', 'plain9', 'resnet9'] as const;

const gap = (r: Parameters<Claim['measure']>[0], d: 7 | 9) => finalOf(r, `resnet${d}`).testError - finalOf(r, `plain${d}`).testError;

const claims: readonly Claim[] = [
  {id: 'B3', statement: 'Shallow nets: at 9 layers residual ≈ plain; at 7 layers residual is clearly worse than plain',
    source: {doc: '001', where: '§III, Fig. 4'},
    // How much worse residual-7 is than plain-7, beyond the 9-layer difference (test error).
    measure: (r) => gap(r, 7) - Math.abs(gap(r, 9)),
    expected: {holds: 'gt', threshold: 0, paperText: 'qualitative; (res7 − plain7) − |res9 − plain9| > 0', unit: '%'}},
];

export const shallowExperiment: ExperimentSpec = {
  id: ID,
  title: 'B3. Shallow nets: 7 and 9 layers, residual vs plain',
  claims,
  runs: (_p, ctx) => NETS.map((model) => cifarRun(ctx, {experiment: ID, name: model, model})),
  notRun: (_p, ctx) => mainDataNotRun(ctx, ID),
  section(results) {
    const done = finished(results, NETS);
    if (!done.length) return {paragraphs: [], figures: [], tables: []};
    return {
      paragraphs: ['Layer counts of the 7- and 9-layer nets are ours (paper 001 does not list them): see src/models/registry.ts.'],
      figures: [
        {id: 'b3-test-error', caption: 'Final test error, residual vs plain at 7 and 9 layers',
          spec: barByVariantFigure({bars: done.map((r) => ({variant: `${r.spec.name.replace(/\D/g, '')} layers`,
            group: r.spec.name.startsWith('plain') ? 'plain' : 'residual', value: r.final!.testError})),
          xTitle: 'depth', yTitle: 'test error (%)', percent: true})},
        {id: 'b3-curves', caption: 'Training (dashed) and test (bold) error per epoch',
          spec: errorCurvesFigure({series: done.map((r) => ({model: r.spec.name, history: r.history})), x: 'epoch'})},
      ],
      tables: [],
    };
  },
};
