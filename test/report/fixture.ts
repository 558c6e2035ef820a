import type {ClaimVerdict} from '../../src/claims/claim';
import {barByVariantFigure} from '../../src/report/figures/bar_by_variant';
import {errorByDepthFigure} from '../../src/report/figures/error_by_depth';
import {errorCurvesFigure, type ErrorPoint} from '../../src/report/figures/error_curves';
import {gradientNormsFigure} from '../../src/report/figures/gradient_norms';
import {lossCurveFigure, type LossPoint} from '../../src/report/figures/loss_curve';
import {trainValGapFigure} from '../../src/report/figures/train_val_gap';
import {transferTable} from '../../src/report/figures/transfer_table';
import type {ReportInput} from '../../src/report/model';

/**
 * A synthetic but realistic ReportInput: every figure kind, every verdict, a table, provenance and
 * out-of-scope items. The numbers are made up by smooth formulas (deterministic, no RNG) in the
 * ranges the real experiments produce, so the rendered sample looks like a real report.
 */

/** Error decaying from `start` to `end` over `epochs`, test above train, with a lr drop at 2/3. */
export function history(epochs: number, start: number, end: number, testGap: number): ErrorPoint[] {
  return Array.from({length: epochs}, (_, i) => {
    const e = i + 1;
    const drop = e > (2 * epochs) / 3 ? 0.6 : 1;
    const train = end + (start - end) * Math.exp(-e / (epochs / 5)) * drop + 0.004 * Math.sin(e);
    return {epoch: e, iteration: e * 391, trainError: train, testError: train + testGap};
  });
}

function loss(epochs: number, start: number, end: number, reboundEvery: number): LossPoint[] {
  return Array.from({length: epochs}, (_, i) => {
    const e = i + 1;
    const base = end + (start - end) * Math.exp(-e / 5);
    return {epoch: e, loss: e % reboundEvery === 0 ? base * 1.25 : base};
  });
}

export const CLAIMS: readonly ClaimVerdict[] = [
  {id: 'A1', statement: 'torchvision ResNet-18 has exactly 11,689,512 parameters',
    source: {doc: '004', where: 'torchvision models'}, verdict: 'reproduced', measured: 11689512,
    expected: {holds: 'approx', paper: 11689512, tolerance: {abs: 0}}, criterion: 'exact'},
  {id: 'B1', statement: 'A 56-layer plain net has higher training and test error than a 20-layer plain net',
    source: {doc: '002', where: 'Fig. 1'}, verdict: 'reproduced', measured: 0.0312,
    expected: {holds: 'gt', threshold: 0, paperText: 'curves only', unit: '%'}, criterion: '> 0%',
    note: 'Fashion-MNIST stand-in for CIFAR-10'},
  {id: 'B2', statement: 'ResNet-56 reaches lower test error than ResNet-20 (CIFAR-10)',
    source: {doc: '002', where: '§I "Our findings"'}, verdict: 'not reproduced', measured: 0.0841,
    expected: {holds: 'approx', paper: 0.0697, tolerance: {abs: 0.01}, unit: '%'}, criterion: '≈ 6.97% (±1%)',
    note: 'quick profile trains 12 epochs instead of 64k iterations'},
  {id: 'B4', statement: 'Shortcut option C ≤ B ≤ A, all far better than plain',
    source: {doc: 'original', where: 'Table 3'}, verdict: 'reproduced', measured: true,
    expected: {holds: 'true', paperText: 'A 25.03, B 24.52, C 24.19, plain 28.54'}, criterion: 'must hold'},
  {id: 'D1', statement: 'Fine-tuned ImageNet-pretrained ResNets: deeper is better on CIFAR-10',
    source: {doc: '004', where: 'results table'}, verdict: 'not run',
    expected: {holds: 'gt', threshold: 0, paperText: '93.2% → 96.5%', unit: 'points'}, criterion: '> 0 points',
    note: 'pretrained weights are not in the cache and this machine has no network',
    command: 'npx repro data fetch resnet18.tv_in1k && npx repro reproduce --only D1'},
];

const plainDepth = [{depth: 20, error: 0.091}, {depth: 32, error: 0.104}, {depth: 44, error: 0.118}, {depth: 56, error: 0.132}];
const resDepth = [{depth: 20, error: 0.0875}, {depth: 32, error: 0.0751}, {depth: 44, error: 0.0717}, {depth: 56, error: 0.0697}];

export function fixtureInput(): ReportInput {
  return {
    title: 'Deep Residual Learning, reproduced',
    subtitle: 'Claims of five ResNet papers checked on TensorFlow.js',
    profile: 'smoke',
    generatedAt: '2026-11-23T10:00:00Z',
    summary: [
      'This report puts every claim of the source papers beside the number this project measured, with the criterion that decides the verdict.',
      'Results come from the run store; nothing in this document was typed in by hand.',
    ],
    dataNote: 'Fashion-MNIST stands in for CIFAR-10, which is not available offline on this machine.',
    claims: CLAIMS,
    sections: [
      {id: 'degradation', title: 'Degradation of plain networks', claimIds: ['B1', 'B2'],
        paragraphs: ['Plain networks get worse with depth; residual networks of the same depth do not (paper Fig. 1 and 6).'],
        figures: [
          {id: 'degradation-plain', caption: 'Training (dashed) and test (bold) error of plain-20 and plain-56.',
            spec: errorCurvesFigure({x: 'epoch', series: [
              {model: 'plain-20', history: history(30, 0.6, 0.05, 0.03)},
              {model: 'plain-56', history: history(30, 0.7, 0.09, 0.03)}]})},
          {id: 'degradation-residual', caption: 'Training (dashed) and test (bold) error of ResNet-20 and ResNet-56.',
            spec: errorCurvesFigure({x: 'iteration', yMax: 0.2, series: [
              {model: 'ResNet-20', history: history(30, 0.5, 0.04, 0.045)},
              {model: 'ResNet-56', history: history(30, 0.5, 0.02, 0.045)}]})},
          {id: 'error-by-depth', caption: 'Test error against depth; hollow diamonds are the published values.',
            spec: errorByDepthFigure({yTitle: 'test error (%)',
              ours: [...plainDepth.map((p) => ({...p, variant: 'plain'})),
                ...resDepth.map((p) => ({...p, variant: 'residual', error: p.error + 0.012}))],
              paper: resDepth.map((p) => ({...p, variant: 'residual'}))})},
        ],
        tables: []},
      {id: 'shortcuts', title: 'Shortcut options A, B and C', claimIds: ['B4'],
        paragraphs: ['Zero-padding (A), projection at dimension changes (B) and projection everywhere (C) against the plain twin.'],
        figures: [{id: 'shortcut-options', caption: 'Top-1 test error by shortcut option, ours beside the paper.',
          spec: barByVariantFigure({xTitle: 'shortcut option', yTitle: 'top-1 error (%)', percent: true, bars: [
            {variant: 'plain', group: 'ours', value: 0.301}, {variant: 'A', group: 'ours', value: 0.262},
            {variant: 'B', group: 'ours', value: 0.257}, {variant: 'C', group: 'ours', value: 0.254},
            {variant: 'plain', group: 'paper', value: 0.2854}, {variant: 'A', group: 'paper', value: 0.2503},
            {variant: 'B', group: 'paper', value: 0.2452}, {variant: 'C', group: 'paper', value: 0.2419}]})}],
        tables: []},
      {id: 'gradients', title: 'Vanishing gradients at initialisation', claimIds: [],
        paragraphs: ['Gradient norm of each layer\'s weights for one batch at initialisation.'],
        figures: [{id: 'gradient-norms', caption: 'Per-layer gradient norm, plain-56 against ResNet-56 (log scale).',
          spec: gradientNormsFigure({series: [
            {model: 'plain-56', norms: Array.from({length: 20}, (_, i) => ({index: i, norm: 1e-5 * Math.pow(2, i * 0.6)}))},
            {model: 'ResNet-56', norms: Array.from({length: 20}, (_, i) => ({index: i, norm: 0.02 * (1 + 0.05 * i)}))}]})}],
        tables: []},
      {id: 'cnn-vs-resnet', title: 'CNN against ResNet with augmentation', claimIds: [],
        paragraphs: ['Loss per epoch; red rings mark the epochs where the loss rebounded.'],
        figures: [{id: 'loss-rebounds', caption: 'Training loss of the plain CNN and the ResNet; rings mark rebounds.',
          spec: lossCurveFigure({series: [{model: 'CNN', points: loss(25, 2.2, 0.6, 7)}, {model: 'ResNet', points: loss(25, 2.3, 0.3, 6)}]})}],
        tables: []},
      {id: 'tiny-imagenet', title: 'Overfitting on Tiny-ImageNet', claimIds: [],
        paragraphs: ['Training against validation accuracy, without and with the dropout BasicBlock.'],
        figures: [{id: 'train-val-gap', caption: 'Training and validation accuracy; the gap is printed above each pair.',
          spec: trainValGapFigure({rows: [
            {model: 'ResNet-18', train: 0.81, val: 0.51}, {model: 'ResNet-18 + dropout', train: 0.72, val: 0.48},
            {model: 'plain-18', train: 0.51, val: 0.38}]})}],
        tables: []},
      {id: 'transfer', title: 'Transfer learning from ImageNet', claimIds: ['D1'],
        paragraphs: ['Not run on this machine: the pretrained weights need a network.'],
        figures: [],
        tables: [transferTable({id: 'transfer', caption: 'CIFAR-10 after 5 epochs of fine-tuning.', rows: [
          {model: 'ResNet-18', paperAccuracy: 0.932, paperLoss: 0.19},
          {model: 'ResNet-152', paperAccuracy: 0.965, paperLoss: 0.07},
          {model: 'ResNeXt-50 (32×4d)'}]})]},
    ],
    provenance: {
      commit: '0f8fa716bc443a22089bd722d06bfd9670015f1a', dirty: false, backend: 'cpu-native',
      device: 'AMD EPYC (2 vCPU, AVX2+FMA)', threads: 2, node: 'v20.20.0', tfjs: '4.22.0',
      data: [{name: 'fashion-mnist', checksum: 'sha256:3b1f6c7e0b0a4d5e8f9a2c1d7e6b5a4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a'}],
      runs: [
        {hash: '5e1c0f3a9d7b2e4c', experiment: 'degradation', name: 'plain20', status: 'done'},
        {hash: '8a2d4b6c1e3f5a7b', experiment: 'degradation', name: 'plain56', status: 'done'},
        {hash: 'c3e5a7b9d1f2a4c6', experiment: 'degradation', name: 'resnet56', status: 'diverged'},
        {hash: '0000000000000000', experiment: 'transfer', name: 'resnet18-ft', status: 'missing'},
      ],
    },
    outOfScope: [{what: 'ImageNet training (ILSVRC top-5 3.57% ensemble), COCO detection',
      why: 'no ImageNet here and far beyond the compute of this project\'s machines'}],
  };
}
