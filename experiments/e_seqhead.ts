import type {Claim} from '../src/claims/claim';
import {errorCurvesFigure} from '../src/report/figures/error_curves';
import type {RunSpec} from '../src/runs/spec';
import {mainData, mainDataNotRun} from './data_choice';
import {runName, seedsOf} from './recipe';
import {finishedRoles, seedFinal, type ExperimentSpec} from './types';

const ID = 'E';
const NAME = 'resnet18_seqhead';

const claims: readonly Claim[] = [
  {id: 'E1', statement: 'ResNet-18 + the sequential head, trained with Adam and NLL loss, classifies a two-class image set ' +
      '(outputs are probabilities: A6)',
    source: {doc: '000', where: '§III'},
    effects: [{name: 'test accuracy − 50% (chance)', perSeed: (r, s) => 0.5 - seedFinal(r, NAME, s).testError, rule: {kind: 'above', threshold: 0}}],
    expected: {holds: 'gt', threshold: 0, paperText: 'classifies (Intel Scene); test accuracy above chance (50%)', unit: '%'}},
];

export const seqheadExperiment: ExperimentSpec = {
  id: ID,
  title: 'E. ResNet-18 with the sequential head, Adam + NLL (seed 000)',
  claims,
  runs(profile, ctx): RunSpec[] {
    const base = (seed: number) => ({experiment: ID, name: runName(NAME, seed), model: NAME, loss: 'nll' as const, seed,
      optimizer: {type: 'adam' as const, lr: 1e-3}, schedule: {type: 'constant' as const}});
    const seeds = seedsOf(profile).slice(0, 3);
    if (profile === 'paper') {
      return seeds.map((seed) => ({...base(seed), data: {name: 'intel-scene', classes: [0, 1]},
        augment: {resize: 224, hflip: true, normalize: 'imagenet'}, epochs: 10, batchSize: 32}));
    }
    const smoke = profile === 'smoke';
    // A pair that is not trivially separable: T-shirt/top vs shirt (Fashion-MNIST classes 0 and 6); CIFAR-10: cat vs dog.
    const pair = ctx.data.name === 'cifar10' ? [3, 5] : ctx.data.name === 'fashion-mnist' ? [0, 6] : [0, 1];
    const sizes = profile === 'standard' ? {trainPerClass: 2000, epochs: 6} : {trainPerClass: 1000, epochs: 4};
    const data = {...mainData(ctx, smoke ? {} : {trainPerClass: sizes.trainPerClass, valSize: 1000}), classes: pair};
    return seeds.map((seed) => ({...base(seed), data, augment: {normalize: 'scale01'}, epochs: smoke ? 2 : sizes.epochs,
      batchSize: smoke ? 16 : 32, ...(smoke ? {} : {evalTest: 'final' as const})}));
  },
  notRun(profile, ctx) {
    if (profile === 'paper' && !ctx.intelScenePresent) {
      return {reason: 'Intel Scene is not present (a folder of class folders of JPEGs; no offline source)',
        command: 'download Intel Image Classification, set INTEL_SCENE_DIR=DIR, then npm run reproduce -- --profile paper --only E'};
    }
    return profile === 'paper' ? undefined : mainDataNotRun(ctx, ID);
  },
  claimNotes: (profile, ctx) => (profile === 'paper' ? {} : {E1: `two-class subset of ${ctx.data.name} ` +
    `(${ctx.data.name === 'cifar10' ? 'cat vs dog, a pair that is hard to separate' : ctx.data.name === 'fashion-mnist'
      ? 'T-shirt/top vs shirt, a pair that is hard to separate' : 'classes 0 and 1'}) at its own ` +
    'small input size instead of Intel Scene at 150×150/224×224'}),
  section(results) {
    const done = finishedRoles(results, [NAME]);
    return {
      paragraphs: ['The head: Linear 512→512, ReLU, Dropout 0.2, Linear 512→2, LogSoftmax; NLL loss on the log-probabilities.'],
      figures: done.length ? [{id: 'e-curves', caption: 'Training (dashed) and validation (dotted) error per epoch, every seed',
        spec: errorCurvesFigure({series: done.map((r) => ({model: r.role, seed: r.spec.seed, history: r.history})), x: 'epoch'})}] : [],
      tables: [],
    };
  },
};
