import type {VegaLiteSpec} from '../vega_types';
import {bandLabels, frame, requireRows, WIDTH} from './style';

export interface GapRow {
  readonly model: string;
  /** Accuracies as fractions in [0, 1]. */
  readonly train: number;
  readonly val: number;
}

/**
 * Training and validation accuracy side by side per model, with the gap (train − val, in
 * percentage points) printed above each pair: the overfitting figure of the Tiny-ImageNet study.
 */
export function trainValGapFigure(input: {readonly title?: string; readonly rows: readonly GapRow[]}): VegaLiteSpec {
  requireRows('trainValGapFigure', input.rows.length);
  const order = input.rows.map((r) => r.model);
  const bars = input.rows.flatMap((r) => [
    {model: r.model, split: 'train', accuracy: r.train},
    {model: r.model, split: 'validation', accuracy: r.val},
  ]);
  const gaps = input.rows.map((r) => ({model: r.model, top: Math.max(r.train, r.val),
    label: `gap ${((r.train - r.val) * 100).toFixed(1)} pts`}));
  const x = {field: 'model', type: 'nominal', title: null, sort: order, axis: bandLabels(order, WIDTH / order.length)} as const;
  return {
    ...frame(input.title),
    layer: [
      {data: {values: bars}, mark: {type: 'bar'}, encoding: {
        x, xOffset: {field: 'split', type: 'nominal', sort: ['train', 'validation']},
        y: {field: 'accuracy', type: 'quantitative', title: 'accuracy (%)', axis: {format: '.0%'}, scale: {domain: [0, 1]}},
        color: {field: 'split', type: 'nominal', title: '', sort: ['train', 'validation']}}},
      {data: {values: gaps}, mark: {type: 'text', dy: -6, fontSize: 10, baseline: 'bottom'}, encoding: {
        x, y: {field: 'top', type: 'quantitative'}, text: {field: 'label', type: 'nominal'}}},
    ],
  };
}
