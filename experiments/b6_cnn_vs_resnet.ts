import type {Claim, RunResults} from '../src/claims/claim';
import {errorCurvesFigure} from '../src/report/figures/error_curves';
import {findRebounds, lossCurveFigure} from '../src/report/figures/loss_curve';
import {mainDataNotRun} from './data_choice';
import {cifarRun} from './recipe';
import {finalOf, finished, type ExperimentSpec} from './types';

const ID = 'B6';
/** The plain CNN, the ResNet, and the ResNet with more residual blocks. */
const NETS = {cnn: 'plain20', resnet: 'resnet20', deeper: 'resnet32'} as const;
const AUGMENT = {normalize: 'scale01', hflip: true, vflip: true} as const;

function testLossRebounds(results: RunResults, name: string): number {
  const r = results.get(name);
  if (!r) throw new Error(`run "${name}" is not in the store`);
  return findRebounds(r.history.map((m) => ({epoch: m.epoch, loss: m.testLoss}))).length;
}

const claims: readonly Claim[] = [
  {id: 'B6', statement: 'With rescaling + random horizontal and vertical flips and sparse categorical cross-entropy, the ResNet reaches ' +
      'higher accuracy than the plain CNN and its loss curve shows rebounds',
    source: {doc: '003', where: '§2–3'},
    measure: (r) => finalOf(r, NETS.resnet).testError < finalOf(r, NETS.cnn).testError && testLossRebounds(r, NETS.resnet) > 0,
    expected: {holds: 'true', paperText: 'curves only'}},
];

export const cnnVsResnetExperiment: ExperimentSpec = {
  id: ID,
  title: 'B6. A plain CNN vs ResNets with flips (seed 003)',
  claims,
  runs: (_p, ctx) => Object.values(NETS).map((model) => cifarRun(ctx, {experiment: ID, name: model, model, augment: AUGMENT})),
  notRun: (_p, ctx) => mainDataNotRun(ctx, ID),
  claimNotes: (profile) => (profile === 'paper' ? {} : {B6: 'the paper trains about 20+ epochs; this profile trains fewer'}),
  section(results) {
    const done = finished(results, Object.values(NETS));
    if (!done.length) return {paragraphs: [], figures: [], tables: []};
    return {
      paragraphs: [`The plain CNN is ${NETS.cnn}; the ResNet ${NETS.resnet}; "more residual blocks" ${NETS.deeper}. ` +
        'Augmentation: x/255, random horizontal and vertical flips; loss: (sparse) categorical cross-entropy.'],
      figures: [
        {id: 'b6-test-loss', caption: 'Test loss per epoch; rebounds (loss above the epoch before) ringed',
          spec: lossCurveFigure({series: done.map((r) => ({model: r.spec.name, points: r.history.map((m) => ({epoch: m.epoch, loss: m.testLoss}))})),
            yTitle: 'test loss'})},
        {id: 'b6-curves', caption: 'Training (dashed) and test (bold) error per epoch',
          spec: errorCurvesFigure({series: done.map((r) => ({model: r.spec.name, history: r.history})), x: 'epoch'})},
      ],
      tables: [],
    };
  },
};
