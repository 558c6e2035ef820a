import type {Claim} from '../src/claims/claim';
import {errorByDepthFigure} from '../src/report/figures/error_by_depth';
import {errorCurvesFigure} from '../src/report/figures/error_curves';
import type {ReportFigure} from '../src/report/model';
import {mainDataNotRun} from './data_choice';
import {cifarRun} from './recipe';
import {finalOf, finished, type ExperimentSpec} from './types';

const ID = 'B1B2';
const NETS = ['plain20', 'plain56', 'resnet20', 'resnet56'] as const;

/** CIFAR-10 test error (%) of the original paper, Table 6 (ResNet-110: best of 5). */
export const PAPER_TEST_ERROR: Readonly<Record<number, number>> = {20: 8.75, 32: 7.51, 44: 7.17, 56: 6.97, 110: 6.43, 1202: 7.93};

const claims: readonly Claim[] = [
  {id: 'B1', statement: 'Degradation: plain-56 has higher training and higher test error than plain-20',
    source: {doc: '002', where: 'Fig. 1, §I'},
    // The smaller of the two margins (train, test): positive only when both are.
    measure: (r) => Math.min(finalOf(r, 'plain56').trainError - finalOf(r, 'plain20').trainError,
      finalOf(r, 'plain56').testError - finalOf(r, 'plain20').testError),
    expected: {holds: 'gt', threshold: 0, paperText: 'curves only (Fig. 1); margin min(train, test) of plain-56 − plain-20 > 0', unit: '%'}},
  {id: 'B2', statement: 'Residual nets do not degrade: ResNet-56 trains to lower error than ResNet-20 and beats plain-56 on test',
    source: {doc: '002', where: '§I "Our findings"'},
    measure: (r) => Math.min(finalOf(r, 'resnet20').trainError - finalOf(r, 'resnet56').trainError,
      finalOf(r, 'plain56').testError - finalOf(r, 'resnet56').testError),
    expected: {holds: 'gt', threshold: 0,
      paperText: 'test error ResNet-20 8.75%, 56 6.97%, 110 6.43%; margin min(train 20 − 56, test plain56 − res56) > 0', unit: '%'}},
];

export const degradationExperiment: ExperimentSpec = {
  id: ID,
  title: 'B1/B2. Degradation of plain nets; residual nets do not degrade',
  claims,
  runs: (_p, ctx) => NETS.map((model) => cifarRun(ctx, {experiment: ID, name: model, model})),
  notRun: (_p, ctx) => mainDataNotRun(ctx, ID),
  section(results) {
    const done = finished(results, NETS);
    const figures: ReportFigure[] = [];
    for (const kind of ['plain', 'resnet'] as const) {
      const series = done.filter((r) => r.spec.name.startsWith(kind)).map((r) => ({model: r.spec.name, history: r.history}));
      if (series.length) {
        figures.push({id: `b1b2-${kind}-curves`, caption: `${kind === 'plain' ? 'Plain' : 'Residual'} nets: training (dashed) and test (bold) error per epoch (cf. the paper's Fig. 1/6)`,
          spec: errorCurvesFigure({series, x: 'epoch'})});
      }
    }
    if (done.length) {
      figures.push({id: 'b2-error-by-depth', caption: 'Final test error by depth, ours beside the paper\'s CIFAR-10 Table 6 (hollow)',
        spec: errorByDepthFigure({
          ours: done.map((r) => ({depth: Number(r.spec.name.replace(/\D/g, '')), variant: r.spec.name.startsWith('plain') ? 'plain' : 'residual',
            error: r.final!.testError})),
          paper: [20, 56].map((d) => ({depth: d, variant: 'residual', error: PAPER_TEST_ERROR[d] / 100})),
          yTitle: 'test error (%)'})});
    }
    return {
      paragraphs: ['Paper (CIFAR-10, Table 6) test error: ' +
        Object.entries(PAPER_TEST_ERROR).map(([d, e]) => `ResNet-${d} ${e}%`).join(', ') + ' (ResNet-110: best of 5; 6.61±0.16 mean).'],
      figures,
      tables: done.length ? [{id: 'b1b2-final', caption: 'Final errors (last epoch)',
        columns: [{label: 'model', align: 'left'}, {label: 'train error', align: 'right'}, {label: 'test error', align: 'right'},
          {label: 'paper test error', align: 'right'}],
        rows: done.map((r) => [r.spec.name, pct(r.final!.trainError), pct(r.final!.testError),
          r.spec.name.startsWith('resnet') ? `${PAPER_TEST_ERROR[Number(r.spec.name.slice(6))]}%` : '—'])}] : [],
    };
  },
};

export const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
