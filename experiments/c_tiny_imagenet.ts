import type {Claim, RunResults} from '../src/claims/claim';
import {barByVariantFigure} from '../src/report/figures/bar_by_variant';
import {trainValGapFigure} from '../src/report/figures/train_val_gap';
import type {RunSpec} from '../src/runs/spec';
import {finalOf, finished, type ExperimentSpec} from './types';

const ID = 'C';
const NETS = {plain: 'plain18_tiny', resnet: 'resnet18_tiny', dropout: 'resnet18_tiny_drop0.5'} as const;

/** Paper 001 §IV: train − validation gap about 30 points without regularisation, about 24 with dropout + augmentation. */
const PAPER_GAP = {resnet: 0.30, dropout: 0.24} as const;

/** Quick-profile sizes (200 classes): 2,000 training and 1,000 validation images, 2 epochs: ≈ 4 min per run here, ≈ 7 for the dropout net (experiments/README.md). */
const QUICK_C = {trainPerClass: 10, testPerClass: 5, epochs: 2} as const;
const QUICK_C_NOTE = `quick profile: ${QUICK_C.trainPerClass} images per class, ${QUICK_C.epochs} epochs`;

const acc = (r: RunResults, n: string) => 1 - finalOf(r, n).testError;
const gap = (r: RunResults, n: string) => (1 - finalOf(r, n).trainError) - acc(r, n);

const claims: readonly Claim[] = [
  {id: 'C1', statement: 'On Tiny-ImageNet, ResNets of 12–21 layers beat their plain twins by a wide margin (validation accuracy)',
    source: {doc: '001', where: '§IV'},
    measure: (r) => acc(r, NETS.resnet) - acc(r, NETS.plain),
    expected: {holds: 'gt', threshold: 0, paperText: 'validation +13 points, training +30 points', unit: '%'}},
  {id: 'C2', statement: 'ResNets overfit; Dropout(0.5) in the BasicBlock plus augmentation cuts the train−validation gap',
    source: {doc: '001', where: '§IV'},
    measure: (r) => gap(r, NETS.resnet) - gap(r, NETS.dropout),
    expected: {holds: 'gt', threshold: 0, paperText: 'gap 30 → ~24 points; final 14', unit: '%'}},
  {id: 'C3', statement: 'An 18-layer ResNet adapted to 64×64 with the dropout BasicBlock reaches 49% top-1 on validation',
    source: {doc: '001', where: '§IV'},
    measure: (r) => acc(r, NETS.dropout),
    expected: {holds: 'approx', paper: 0.49, tolerance: {abs: 0.05}, unit: '%'}},
];

function run(name: string, model: string, augment: RunSpec['augment'], epochs: number, data: RunSpec['data']): RunSpec {
  return {experiment: ID, name, model, data, augment,
    optimizer: {type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 1e-4}, schedule: {type: 'plateau', factor: 0.1, patience: 3},
    loss: 'cross-entropy', epochs, batchSize: 128, seed: 1};
}

export const tinyImagenetExperiment: ExperimentSpec = {
  id: ID,
  title: 'C. Tiny-ImageNet: residual vs plain, overfitting and dropout (seed 001)',
  claims,
  runs(profile, ctx) {
    if (!ctx.tinyImagenetPresent || profile === 'smoke') return [];
    // Quick: QUICK_C images per class — an 18-layer net at 64×64 costs ~2.4 G multiply-adds per
    // image (≈ 21 img/s training here, measured), so this is what fits the CPU budget (experiments/README.md).
    const epochs = profile === 'paper' ? 40 : QUICK_C.epochs;
    const data: RunSpec['data'] = profile === 'paper' ? {name: 'tiny-imagenet'} : {name: 'tiny-imagenet', trainPerClass: QUICK_C.trainPerClass, testPerClass: QUICK_C.testPerClass};
    const plain = {normalize: 'per-pixel-mean'} as const;
    return [run(NETS.plain, NETS.plain, plain, epochs, data), run(NETS.resnet, NETS.resnet, plain, epochs, data),
      run(NETS.dropout, NETS.dropout, {normalize: 'per-pixel-mean', padCrop: 4, hflip: true}, epochs, data)];
  },
  notRun(profile, ctx) {
    if (profile === 'smoke') {
      return {reason: 'the smoke profile has no Tiny-ImageNet stand-in', command: 'repro data fetch tiny-imagenet && npm run reproduce -- --only C'};
    }
    if (!ctx.tinyImagenetPresent) {
      return {reason: 'Tiny-ImageNet is not present on this machine (data/tiny-imagenet or $TINY_IMAGENET_DIR)',
        command: `repro data fetch tiny-imagenet && npm run reproduce -- --profile ${profile} --only C`};
    }
    return undefined;
  },
  claimNotes: (profile) => (profile === 'quick' ? {C1: QUICK_C_NOTE, C2: QUICK_C_NOTE, C3: `${QUICK_C_NOTE}; the paper trains to convergence on all 100k`} : {}),
  section(results) {
    const done = finished(results, Object.values(NETS));
    return {
      paragraphs: ['Paper 001: validation accuracy +13 points and training accuracy +30 points for ResNets over plain twins; ' +
        'train−validation gap 30 → ~24 points with the dropout BasicBlock, 14 points at the end; 49% top-1.'],
      figures: [
        {id: 'c-gap-vs-paper', caption: 'Train − validation accuracy gap, paper 001 beside ours' +
            (done.some((r) => r.spec.name !== NETS.plain) ? '' : ' (ours not run here: no Tiny-ImageNet)'),
          spec: barByVariantFigure({xTitle: 'network', yTitle: 'train − validation accuracy', percent: true, bars: [
            {variant: 'ResNet-18', group: 'paper', value: PAPER_GAP.resnet},
            {variant: 'ResNet-18 + Dropout(0.5), aug.', group: 'paper', value: PAPER_GAP.dropout},
            ...done.filter((r) => r.spec.name !== NETS.plain).map((r) => ({
              variant: r.spec.name === NETS.resnet ? 'ResNet-18' : 'ResNet-18 + Dropout(0.5), aug.', group: 'ours',
              value: r.final!.testError - r.final!.trainError}))]})},
        ...(done.length ? [{id: 'c-gap', caption: 'Training vs validation accuracy and their gap',
          spec: trainValGapFigure({rows: done.map((r) => ({model: r.spec.name, train: 1 - r.final!.trainError, val: 1 - r.final!.testError}))})}] : []),
      ],
      tables: [],
    };
  },
};
