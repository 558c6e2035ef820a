import type {Claim} from '../src/claims/claim';
import {transferTable} from '../src/report/figures/transfer_table';
import type {ExperimentSpec} from './types';

/** Seed 004's published numbers (fine-tuned 5 epochs on CIFAR-10). */
const PAPER = [
  {model: 'ResNet-18', paperAccuracy: 0.932, paperLoss: 0.19},
  {model: 'ResNet-34'}, {model: 'ResNet-50'}, {model: 'ResNet-101'},
  {model: 'ResNet-152', paperAccuracy: 0.965, paperLoss: 0.07},
  {model: 'ResNeXt-50 (32×4d)'},
] as const;

const WEIGHTS = ['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152', 'resnext50_32x4d'].map((n) => `${n}.tv_in1k`);

const unmeasured = () => { throw new Error('transfer learning is not run'); };

const claims: readonly Claim[] = [
  {id: 'D1', statement: 'ImageNet-pretrained ResNet-18 … 152 and ResNeXt-50, fine-tuned 5 epochs on CIFAR-10: deeper is better',
    source: {doc: '004', where: 'transfer table'}, measure: unmeasured,
    expected: {holds: 'gt', threshold: 0, paperText: 'test accuracy ResNet-18 93.2%, ResNet-152 96.5%', unit: '%'}},
  {id: 'D2', statement: 'Training loss after 5 epochs falls with depth', source: {doc: '004', where: 'transfer table'}, measure: unmeasured,
    expected: {holds: 'gt', threshold: 0, paperText: 'ResNet-18 ≈ 0.19, ResNet-152 ≈ 0.07'}},
  {id: 'D3', statement: 'ResNeXt-50 beats ResNet-50', source: {doc: '004', where: 'transfer table'}, measure: unmeasured,
    expected: {holds: 'true', paperText: 'qualitative'}},
];

export const transferExperiment: ExperimentSpec = {
  id: 'D',
  title: 'D. Transfer learning from ImageNet weights (seed 004)',
  claims,
  runs: () => [],
  notRun: () => ({
    reason: `needs torchvision's ImageNet weights (timm ${WEIGHTS.join(', ')}), which are not on this machine and cannot be ` +
      'fetched offline; the fetch and fine-tune path is not implemented yet (RunSpec has no pretrained-weights field)',
    command: 'not implemented yet: would be `repro weights fetch resnet18.tv_in1k …` then `npm run reproduce -- --profile paper --only D`',
  }),
  section: () => ({
    paragraphs: ['Not run here: the table shows the paper\'s numbers only.'],
    figures: [],
    tables: [transferTable({id: 'd-transfer', caption: 'Transfer learning to CIFAR-10 after 5 epochs (paper; ours not run)',
      rows: PAPER.map((p) => ({...p}))})],
  }),
};
