import type {VegaLiteSpec} from '../vega_types';
import {frame, requireRows} from './style';

export interface VariantBar {
  /** Position on the x axis, e.g. 'plain', 'A', 'B', 'C'. */
  readonly variant: string;
  /** Bars of one variant side by side, e.g. 'ours' and 'paper'. */
  readonly group: string;
  readonly value: number;
}

export interface BarByVariantInput {
  readonly title?: string;
  readonly bars: readonly VariantBar[];
  readonly xTitle: string;
  readonly yTitle: string;
  /** Values are fractions shown as percent. */
  readonly percent: boolean;
}

/** Grouped bars with the value printed on each bar (e.g. shortcut options A/B/C vs plain, ours vs paper). */
export function barByVariantFigure(input: BarByVariantInput): VegaLiteSpec {
  requireRows('barByVariantFigure', input.bars.length);
  const format = input.percent ? '.1%' : '.3~g';
  const order = [...new Set(input.bars.map((b) => b.variant))];
  const groups = [...new Set(input.bars.map((b) => b.group))];
  const x = {field: 'variant', type: 'nominal', title: input.xTitle, sort: order, axis: {labelAngle: 0}} as const;
  const xOffset = {field: 'group', type: 'nominal', sort: groups} as const;
  const y = {field: 'value', type: 'quantitative', title: input.yTitle, axis: {format}} as const;
  return {
    ...frame(input.title),
    data: {values: input.bars.map((b) => ({...b}))},
    layer: [
      {mark: {type: 'bar'}, encoding: {x, xOffset, y, color: {field: 'group', type: 'nominal', title: '', sort: groups}}},
      {mark: {type: 'text', dy: -5, fontSize: 9, baseline: 'bottom'},
        encoding: {x, xOffset, y, text: {field: 'value', type: 'quantitative', format}}},
    ],
  };
}
