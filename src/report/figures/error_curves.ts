import type {VegaLiteSpec} from '../vega_types';
import {frame, requireRows} from './style';

/** One point of a training history; EpochMetrics fits this shape, so `run.history` can be passed as is. */
export interface ErrorPoint {
  readonly epoch: number;
  readonly iteration: number;
  /** Fractions in [0, 1]. */
  readonly trainError: number;
  /** Absent on epochs that did not evaluate it (a run that tests only at the end draws its validation curve). */
  readonly testError?: number;
  readonly valError?: number;
}

export interface ErrorCurvesInput {
  readonly title?: string;
  /** One curve per entry; entries of one model with different seeds share its colour (one line per seed). */
  readonly series: readonly {readonly model: string; readonly seed?: number; readonly history: readonly ErrorPoint[]}[];
  readonly x: 'epoch' | 'iteration';
  /** Upper end of the error axis (fraction); the paper's Fig. 1/6 stop at 20%. Default: fit the data. */
  readonly yMax?: number;
}

/**
 * Training (dashed, thin) and test (solid, bold) error per model against epochs or iterations,
 * the style of the paper's Fig. 1 and Fig. 6. A run that evaluates the test set only at its end
 * draws its validation error per epoch (dotted) and its final test error as a point on the test line.
 */
export function errorCurvesFigure(input: ErrorCurvesInput): VegaLiteSpec {
  const values = input.series.flatMap(({model, seed, history}) => history.flatMap((p) => [
    {model, seed: seed ?? 0, split: 'train', x: p[input.x], error: p.trainError},
    ...(p.valError !== undefined && history.some((q) => q.testError === undefined) ? [{model, seed: seed ?? 0, split: 'validation', x: p[input.x], error: p.valError}] : []),
    ...(p.testError !== undefined ? [{model, seed: seed ?? 0, split: 'test', x: p[input.x], error: p.testError}] : []),
  ]));
  const splits = ['train', 'validation', 'test'].filter((s) => values.some((v) => v.split === s));
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
      color: {field: 'model', type: 'nominal', title: 'model', sort: [...new Set(input.series.map((s) => s.model))]},
      strokeDash: {field: 'split', type: 'nominal', title: 'error', sort: splits,
        scale: {domain: splits, range: splits.map((s) => (s === 'train' ? [4, 3] : s === 'validation' ? [1, 2] : [1, 0]))}},
      // Same field as strokeDash, so vega-lite merges both into one "train/validation/test" legend.
      strokeWidth: {field: 'split', type: 'nominal', title: 'error', sort: splits,
        scale: {domain: splits, range: splits.map((s) => (s === 'train' ? 1.2 : s === 'validation' ? 1.8 : 2.4))}},
      detail: {field: 'seed', type: 'nominal'},
      order: {field: 'x', type: 'quantitative'},
    },
  };
}
