import type {VegaLiteSpec} from '../vega_types';
import {bandLabels, estimateTextWidth, frame, MAX_WIDTH, requireRows, seriesColors, WIDTH} from './style';

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
  // Wider for many bars (up to the text column), so that each bar can carry its value.
  const width = Math.min(MAX_WIDTH, Math.max(WIDTH, order.length * groups.length * 42));
  const band = width / order.length;
  const x = {field: 'variant', type: 'nominal', title: input.xTitle, sort: order, axis: bandLabels(order, band)} as const;
  const xOffset = {field: 'group', type: 'nominal', sort: groups} as const;
  const y = {field: 'value', type: 'quantitative', title: input.yTitle, axis: {format}} as const;
  // Value labels stand upright on their bar when level ones would be wider than it.
  const barPx = (0.8 * band) / groups.length;
  const longest = Math.max(...input.bars.map((b) => (input.percent ? (b.value * 100).toFixed(1) + '%' : String(Number(b.value.toPrecision(3)))).length));
  const upright = estimateTextWidth('x'.repeat(longest), 9) + 2 > barPx;
  return {
    ...frame(input.title, {width}),
    data: {values: input.bars.map((b) => ({...b}))},
    layer: [
      {mark: {type: 'bar'}, encoding: {x, xOffset, y, color: {field: 'group', type: 'nominal', title: '', sort: groups, scale: seriesColors(groups)}}},
      {mark: upright ? {type: 'text', angle: -90, align: 'left', baseline: 'middle', dx: 3, fontSize: 9}
        : {type: 'text', dy: -5, fontSize: 9, baseline: 'bottom'},
      encoding: {x, xOffset, y, text: {field: 'value', type: 'quantitative', format}}},
    ],
  };
}
