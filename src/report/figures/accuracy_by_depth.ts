import type {VegaLiteSpec} from '../vega_types';
import {frame, requireRows} from './style';

export interface AccuracyPoint {
  readonly depth: number;
  /** e.g. 'ResNet' or 'ResNeXt': one line per family. */
  readonly family: string;
  /** Fraction in [0, 1]. */
  readonly accuracy: number;
}

export interface AccuracyByDepthInput {
  readonly title?: string;
  readonly ours: readonly AccuracyPoint[];
  /** Published values, drawn as hollow markers beside ours. */
  readonly paper?: readonly AccuracyPoint[];
  /** Axis title, e.g. "CIFAR-10 test accuracy (%)". */
  readonly yTitle?: string;
}

/**
 * Accuracy against depth (transfer learning, seed 004's figure): a line per family, the paper's
 * values as hollow markers. Unlike error by depth the axis does not start at zero: the nets
 * differ by a few points near the top of the scale.
 */
export function accuracyByDepthFigure(input: AccuracyByDepthInput): VegaLiteSpec {
  // The paper's points alone are a figure too (an experiment not run here still shows what it would be compared to).
  requireRows('accuracyByDepthFigure', input.ours.length + (input.paper?.length ?? 0));
  const values = [
    ...input.ours.map((p) => ({...p, source: 'ours'})),
    ...(input.paper ?? []).map((p) => ({...p, source: 'paper'})),
  ];
  const depths = [...new Set(values.map((v) => v.depth))].sort((a, b) => a - b);
  const x = {field: 'depth', type: 'quantitative', title: 'depth (layers)', axis: {values: depths, format: 'd'},
    scale: {type: 'log', padding: 16}} as const;
  const y = {field: 'accuracy', type: 'quantitative', title: input.yTitle ?? 'test accuracy (%)', axis: {format: '.1%'},
    scale: {zero: false}} as const;
  const color = {field: 'family', type: 'nominal', title: 'network'} as const;
  return {
    ...frame(input.title),
    data: {values},
    // A layer whose filter leaves nothing makes vega warn about an infinite extent: draw only what has points.
    layer: [
      ...(input.ours.length ? [{transform: [{filter: "datum.source === 'ours'"}], mark: {type: 'line' as const, point: {filled: true, size: 50}, strokeWidth: 2},
        encoding: {x, y, color}}] : []),
      ...(input.paper?.length ? [{transform: [{filter: "datum.source === 'paper'"}], mark: {type: 'point' as const, filled: false, size: 90, strokeWidth: 1.5},
        encoding: {x, y, color, shape: {field: 'source', type: 'nominal' as const, title: 'published', scale: {range: ['diamond']}}}}] : []),
    ],
  };
}
