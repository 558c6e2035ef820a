import type {Claim, RunResults} from '../src/claims/claim';
import {barByVariantFigure} from '../src/report/figures/bar_by_variant';
import {mainDataNotRun} from './data_choice';
import {SIZES, seededRuns} from './recipe';
import {finishedRoles, seedFinal, type ExperimentSpec} from './types';

const ID = 'B3';
const NETS = ['plain7', 'resnet7', 'plain9', 'resnet9'] as const;
/** "≈ at 9 layers": residual and plain within one point of test error. */
export const B3_EQUIVALENCE_MARGIN = 0.01;
/** The shallow nets are cheap: more seeds resolve differences of about a point. */
const B3_SEEDS: Readonly<Record<'quick' | 'standard', readonly number[]>> = {quick: [1, 2, 3, 4, 5], standard: [1, 2, 3, 4, 5]};
/** The shallow nets converge sooner: half the standard profile's epochs (≈ 2,000 steps) keeps B3 to ≈ 30 min here. */
const B3_EPOCHS: Readonly<Record<'quick' | 'standard', number>> = {quick: 6, standard: 12};

const gap = (d: 7 | 9) => (r: RunResults, seed: number) => seedFinal(r, `resnet${d}`, seed).testError - seedFinal(r, `plain${d}`, seed).testError;

const claims: readonly Claim[] = [
  {id: 'B3', statement: 'Shallow nets: at 9 layers residual ≈ plain; at 7 layers residual is clearly worse than plain',
    source: {doc: '001', where: '§III, Fig. 4'},
    effects: [
      {name: 'test error resnet7 − plain7', perSeed: gap(7), rule: {kind: 'above', threshold: 0}},
      {name: 'test error resnet9 − plain9', perSeed: gap(9), rule: {kind: 'within', margin: B3_EQUIVALENCE_MARGIN}},
    ],
    expected: {holds: 'gt', threshold: 0, paperText: 'qualitative (Fig. 4): residual worse at 7 layers, ≈ at 9 (±1 point here)', unit: '%'}},
];

export const shallowExperiment: ExperimentSpec = {
  id: ID,
  title: 'B3. Shallow nets: 7 and 9 layers, residual vs plain',
  claims,
  runs: (profile, ctx) => (profile === 'quick' || profile === 'standard'
    ? seededRuns(ctx, NETS.map((model) => ({experiment: ID, name: model, model, epochs: B3_EPOCHS[profile]})), B3_SEEDS[profile])
    : seededRuns(ctx, NETS.map((model) => ({experiment: ID, name: model, model})))),
  notRun: (_p, ctx) => mainDataNotRun(ctx, ID),
  claimNotes: (profile) => (profile === 'smoke' || profile === 'paper' ? {} : {B3: `${B3_SEEDS[profile].length} seeds, ` +
    `${SIZES[profile].trainPerClass} images per class, ${B3_EPOCHS[profile]} epochs`}),
  section(results) {
    const done = finishedRoles(results, NETS);
    if (!done.length) return {paragraphs: [], figures: [], tables: []};
    return {
      paragraphs: ['Layer counts of the 7- and 9-layer nets are ours (paper 001 does not list them): see src/models/registry.ts. ' +
        `"≈" is decided by equivalence: the interval of the 9-layer difference must lie within ±${B3_EQUIVALENCE_MARGIN * 100} point.`],
      figures: [
        {id: 'b3-test-error', caption: 'Final test error, residual vs plain at 7 and 9 layers: mean over seeds',
          spec: barByVariantFigure({bars: ['7', '9'].flatMap((d) => (['plain', 'residual'] as const).flatMap((g) => {
            const rs = done.filter((r) => r.role === `${g === 'plain' ? 'plain' : 'resnet'}${d}`);
            return rs.length ? [{variant: `${d} layers`, group: g, value: rs.reduce((a, r) => a + r.final!.testError, 0) / rs.length}] : [];
          })), xTitle: 'depth', yTitle: 'test error (%)', percent: true})},
      ],
      tables: [],
    };
  },
};
