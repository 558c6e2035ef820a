import type {VegaLiteSpec} from '../vega_types';
import {frame, requireRows} from './style';

/** GradientNorm from the trainer fits this shape: {weight, index, norm}. */
export interface LayerNorm {
  readonly index: number;
  readonly norm: number;
}

export interface GradientNormsInput {
  readonly title?: string;
  /** e.g. [{model: 'plain-56', norms}, {model: 'ResNet-56', norms}]. */
  readonly series: readonly {readonly model: string; readonly norms: readonly LayerNorm[]}[];
}

/** 10^k for every k from below the smallest to above the largest value. */
export function powersOfTen(xs: readonly number[]): number[] {
  const lo = Math.floor(Math.log10(Math.min(...xs))), hi = Math.ceil(Math.log10(Math.max(...xs)));
  return Array.from({length: hi - lo + 1}, (_, i) => Number(`1e${lo + i}`));
}

/** Gradient norm per layer from the input, log scale: vanishing gradients show as a falling line. */
export function gradientNormsFigure(input: GradientNormsInput): VegaLiteSpec {
  const values = input.series.flatMap(({model, norms}) => norms.map((n) => ({model, layer: n.index, norm: n.norm})));
  requireRows('gradientNormsFigure', values.length);
  if (values.some((v) => !(v.norm > 0))) {
    throw new Error('gradientNormsFigure: a norm is zero, negative or NaN and cannot be drawn on a log axis');
  }
  return {
    ...frame(input.title),
    data: {values},
    mark: {type: 'line', point: {size: 20, filled: true}, strokeWidth: 1.6},
    encoding: {
      x: {field: 'layer', type: 'quantitative', title: 'layer (0 = input side)', axis: {format: 'd'}},
      // Ticks, labels and grid lines at the powers of ten only: a log axis otherwise marks every minor tick.
      y: {field: 'norm', type: 'quantitative', title: 'gradient norm (log)', scale: {type: 'log'},
        axis: {format: '.0e', values: powersOfTen(values.map((v) => v.norm))}},
      color: {field: 'model', type: 'nominal', title: 'network', sort: input.series.map((s) => s.model)},
    },
  };
}
