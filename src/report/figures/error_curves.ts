import type {VegaLiteSpec} from '../vega_types';
import {frame, requireRows} from './style';

/** One point of a training history; EpochMetrics fits this shape, so `run.history` can be passed as is. */
export interface ErrorPoint {
  readonly epoch: number;
  readonly iteration: number;
  /** Fractions in [0, 1]. */
  readonly trainError: number;
  readonly testError: number;
}

export interface ErrorCurvesInput {
  readonly title?: string;
  readonly series: readonly {readonly model: string; readonly history: readonly ErrorPoint[]}[];
  readonly x: 'epoch' | 'iteration';
  /** Upper end of the error axis (fraction); the paper's Fig. 1/6 stop at 20%. Default: fit the data. */
  readonly yMax?: number;
}

/**
 * Training (dashed, thin) and test (solid, bold) error per model against epochs or iterations,
 * the style of the paper's Fig. 1 and Fig. 6.
 */
export function errorCurvesFigure(input: ErrorCurvesInput): VegaLiteSpec {
  const values = input.series.flatMap(({model, history}) => history.flatMap((p) => [
    {model, split: 'train', x: p[input.x], error: p.trainError},
    {model, split: 'test', x: p[input.x], error: p.testError},
  ]));
  requireRows('errorCurvesFigure', values.length);
  return {
    ...frame(input.title),
    data: {values},
    mark: {type: 'line', clip: true},
    encoding: {
      x: {field: 'x', type: 'quantitative', title: input.x === 'epoch' ? 'epoch' : 'iteration',
        axis: {format: input.x === 'iteration' ? '~s' : 'd'}},
      y: {field: 'error', type: 'quantitative', title: 'error (%)', axis: {format: '.0%'},
        scale: input.yMax === undefined ? {zero: true} : {domain: [0, input.yMax]}},
      color: {field: 'model', type: 'nominal', title: 'model', sort: input.series.map((s) => s.model)},
      strokeDash: {field: 'split', type: 'nominal', title: 'error', sort: ['train', 'test'],
        scale: {domain: ['train', 'test'], range: [[4, 3], [1, 0]]}},
      // Same field as strokeDash, so vega-lite merges both into one "train/test" legend.
      strokeWidth: {field: 'split', type: 'nominal', title: 'error', sort: ['train', 'test'],
        scale: {domain: ['train', 'test'], range: [1.2, 2.4]}},
      order: {field: 'x', type: 'quantitative'},
    },
  };
}
