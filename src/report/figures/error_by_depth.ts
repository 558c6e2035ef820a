import type {VegaLiteSpec} from '../vega_types';
import {frame, requireRows} from './style';

export interface DepthPoint {
  readonly depth: number;
  /** e.g. 'plain' or 'residual'. */
  readonly variant: string;
  /** Fraction in [0, 1]. */
  readonly error: number;
}

export interface ErrorByDepthInput {
  readonly title?: string;
  readonly ours: readonly DepthPoint[];
  /** Published values, drawn as hollow markers beside ours. */
  readonly paper?: readonly DepthPoint[];
  /** Axis title, e.g. "test error (%)". */
  readonly yTitle?: string;
}

/** Error against depth, one line per variant (plain vs residual), with the paper's values as markers. */
export function errorByDepthFigure(input: ErrorByDepthInput): VegaLiteSpec {
  requireRows('errorByDepthFigure', input.ours.length);
  const values = [
    ...input.ours.map((p) => ({...p, source: 'ours'})),
    ...(input.paper ?? []).map((p) => ({...p, source: 'paper'})),
  ];
  const depths = [...new Set(values.map((v) => v.depth))].sort((a, b) => a - b);
  const x = {field: 'depth', type: 'quantitative', title: 'depth (layers)', axis: {values: depths, format: 'd'},
    scale: {zero: false, padding: 16}} as const;
  const y = {field: 'error', type: 'quantitative', title: input.yTitle ?? 'error (%)', axis: {format: '.0%'},
    scale: {zero: true}} as const;
  const color = {field: 'variant', type: 'nominal', title: 'network'} as const;
  return {
    ...frame(input.title),
    data: {values},
    layer: [
      {transform: [{filter: "datum.source === 'ours'"}], mark: {type: 'line', point: {filled: true, size: 50}, strokeWidth: 2},
        encoding: {x, y, color}},
      {transform: [{filter: "datum.source === 'paper'"}], mark: {type: 'point', filled: false, size: 90, strokeWidth: 1.5},
        encoding: {x, y, color, shape: {field: 'source', type: 'nominal', title: 'published', scale: {range: ['diamond']}}}},
    ],
  };
}
