import type {Claim} from '../src/claims/claim';
import {errorCurvesFigure} from '../src/report/figures/error_curves';
import type {RunSpec} from '../src/runs/spec';
import {mainData, mainDataNotRun} from './data_choice';
import {finalOf, finished, type ExperimentSpec} from './types';

const ID = 'E';
const NAME = 'resnet18_seqhead';

const claims: readonly Claim[] = [
  {id: 'E1', statement: 'ResNet-18 + the sequential head, trained with Adam and NLL loss, classifies a two-class image set ' +
      '(outputs are probabilities: A6)',
    source: {doc: '000', where: '§III'},
    measure: (r) => 1 - finalOf(r, NAME).testError,
    expected: {holds: 'gt', threshold: 0.5, paperText: 'classifies (Intel Scene); test accuracy above chance (50%)', unit: '%'}},
];

export const seqheadExperiment: ExperimentSpec = {
  id: ID,
  title: 'E. ResNet-18 with the sequential head, Adam + NLL (seed 000)',
  claims,
  runs(profile, ctx): RunSpec[] {
    const base = {experiment: ID, name: NAME, model: NAME, loss: 'nll' as const, seed: 1,
      optimizer: {type: 'adam' as const, lr: 1e-3}, schedule: {type: 'constant' as const}};
    if (profile === 'paper') {
      return [{...base, data: {name: 'intel-scene', classes: [0, 1]}, augment: {resize: 224, hflip: true, normalize: 'imagenet'},
        epochs: 10, batchSize: 32}];
    }
    const smoke = profile === 'smoke';
    // Quick: 2000 training images, 250 steps (enough for batch-norm running statistics to settle before evaluation).
    const data = {...mainData(ctx, smoke ? {} : {trainPerClass: 1000, testPerClass: 200}), classes: [0, 1]};
    return [{...base, data, augment: {normalize: 'scale01'}, epochs: smoke ? 2 : 4, batchSize: smoke ? 16 : 32}];
  },
  notRun(profile, ctx) {
    if (profile === 'paper' && !ctx.intelScenePresent) {
      return {reason: 'Intel Scene is not present (a folder of class folders of JPEGs; no offline source)',
        command: 'download Intel Image Classification, set INTEL_SCENE_DIR=DIR, then npm run reproduce -- --profile paper --only E'};
    }
    return profile === 'paper' ? undefined : mainDataNotRun(ctx, ID);
  },
  claimNotes: (profile, ctx) => (profile === 'paper' ? {} : {E1: `two-class subset (classes 0 and 1) of ${ctx.data.name} at its own ` +
    'small input size instead of Intel Scene at 150×150/224×224'}),
  section(results) {
    const done = finished(results, [NAME]);
    return {
      paragraphs: ['The head: Linear 512→512, ReLU, Dropout 0.2, Linear 512→2, LogSoftmax; NLL loss on the log-probabilities.'],
      figures: done.length ? [{id: 'e-curves', caption: 'Training (dashed) and test (bold) error per epoch',
        spec: errorCurvesFigure({series: done.map((r) => ({model: r.spec.name, history: r.history})), x: 'epoch'})}] : [],
      tables: [],
    };
  },
};
