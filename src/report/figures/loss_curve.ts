import type {VegaLiteSpec} from '../vega_types';
import {frame, requireRows} from './style';

export interface LossPoint {
  readonly epoch: number;
  readonly loss: number;
}

/**
 * Indices where the loss went up from the epoch before by more than `minRise` (relative): the
 * "rebounds" of the CNN-vs-ResNet paper. A pure function so that claims and figures agree.
 */
export function findRebounds(points: readonly LossPoint[], minRise = 0): number[] {
  const out: number[] = [];
  for (let i = 1; i < points.length; i++) {
    if (points[i].loss > points[i - 1].loss * (1 + minRise)) out.push(i);
  }
  return out;
}

export interface LossCurveInput {
  readonly title?: string;
  readonly series: readonly {readonly model: string; readonly points: readonly LossPoint[]}[];
  readonly yTitle?: string;
}

/** Loss per epoch, one line per model, with each rebound marked by a red ring. */
export function lossCurveFigure(input: LossCurveInput): VegaLiteSpec {
  const values = input.series.flatMap(({model, points}) => {
    const rebounds = new Set(findRebounds(points));
    return points.map((p, i) => ({model, epoch: p.epoch, loss: p.loss, rebound: rebounds.has(i)}));
  });
  requireRows('lossCurveFigure', values.length);
  const x = {field: 'epoch', type: 'quantitative', title: 'epoch', axis: {format: 'd'}} as const;
  const y = {field: 'loss', type: 'quantitative', title: input.yTitle ?? 'training loss'} as const;
  return {
    ...frame(input.title),
    data: {values},
    layer: [
      {mark: {type: 'line', strokeWidth: 2}, encoding: {x, y,
        color: {field: 'model', type: 'nominal', title: 'model', sort: input.series.map((s) => s.model)}}},
      {transform: [{filter: 'datum.rebound'}], mark: {type: 'point', shape: 'circle', size: 110, strokeWidth: 1.6,
        filled: false, color: '#C00000'}, encoding: {x, y, shape: {datum: 'rebound', title: '', scale: {range: ['circle']}}}},
    ],
  };
}
