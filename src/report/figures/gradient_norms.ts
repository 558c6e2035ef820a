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
      y: {field: 'norm', type: 'quantitative', title: 'gradient norm (log)', scale: {type: 'log'}, axis: {format: '.0e',
        // Label only the powers of ten; a log axis otherwise labels every minor tick.
        labelExpr: 'abs(log(datum.value) / LN10 - round(log(datum.value) / LN10)) < 1e-6 ? datum.label : ""'}},
      color: {field: 'model', type: 'nominal', title: 'network', sort: input.series.map((s) => s.model)},
    },
  };
}
