import type {VegaLiteSpec} from '../vega_types';
import {frame, PALETTE, requireRows, bandLabels, WIDTH} from './style';

export interface ToleranceBar {
  readonly label: string;
  /** A non-negative deviation, e.g. a max absolute difference. */
  readonly value: number;
}

export interface ToleranceBarsInput {
  readonly title?: string;
  readonly bars: readonly ToleranceBar[];
  /** The claim's bound, drawn as a red rule: every bar must end below it. */
  readonly tolerance: number;
  readonly xTitle: string;
  readonly yTitle: string;
}

/**
 * Deviations on a log axis beside their tolerance (e.g. A7's max |ours − torchvision| per model
 * against 1e-4): on a linear axis a 3e-6 bar next to a 1e-4 bound would be invisible.
 */
export function toleranceBarsFigure(input: ToleranceBarsInput): VegaLiteSpec {
  requireRows('toleranceBarsFigure', input.bars.length);
  // A zero deviation has no place on a log axis: draw it at the axis floor, labelled exactly.
  const floor = 10 ** Math.floor(Math.log10(Math.min(input.tolerance, ...input.bars.filter((b) => b.value > 0).map((b) => b.value))) - 1);
  const values = input.bars.map((b) => ({label: b.label, value: Math.max(b.value, floor), text: b.value.toExponential(1)}));
  const x = {field: 'label', type: 'nominal', title: input.xTitle, sort: input.bars.map((b) => b.label), axis: bandLabels(input.bars.map((b) => b.label), WIDTH / input.bars.length)} as const;
  const y = {field: 'value', type: 'quantitative' as const, title: input.yTitle,
    scale: {type: 'log' as const, domain: [floor, input.tolerance * 10]}, axis: {format: '.0e'}};
  return {
    ...frame(input.title),
    layer: [
      // Bars rise from the axis floor: a log scale has no zero to start from.
      {data: {values}, mark: {type: 'bar', color: PALETTE[0]}, encoding: {x, y, y2: {datum: floor}}},
      {data: {values}, mark: {type: 'text', dy: -5, fontSize: 9, baseline: 'bottom'}, encoding: {x, y, text: {field: 'text', type: 'nominal'}}},
      {data: {values: [{tolerance: input.tolerance, text: `tolerance ${input.tolerance.toExponential(0)}`}]}, layer: [
        {mark: {type: 'rule', color: '#C00000', strokeWidth: 1.5, strokeDash: [5, 3]}, encoding: {y: {field: 'tolerance', type: 'quantitative'}}},
        {mark: {type: 'text', align: 'right', dx: -4, dy: -5, fontSize: 9, color: '#C00000', baseline: 'bottom', x: {expr: 'width'}},
          encoding: {y: {field: 'tolerance', type: 'quantitative'}, text: {field: 'text', type: 'nominal'}}},
      ]},
    ],
  };
}
