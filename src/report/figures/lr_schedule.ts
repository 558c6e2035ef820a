import type {ScheduleSpec} from '../../runs/spec';
import type {VegaLiteSpec} from '../vega_types';
import {frame, seriesColors} from './style';

export interface LrScheduleSeries {
  /** e.g. 'paper (64,000 iterations)'. */
  readonly label: string;
  readonly schedule: ScheduleSpec;
  readonly baseLr: number;
  readonly iterations: number;
}

/** The (iteration, lr) corners of a step schedule: iteration 1, each milestone, the end. Plateau schedules have no fixed shape. */
export function scheduleSteps(s: LrScheduleSeries): {iteration: number; lr: number}[] {
  if (s.schedule.type === 'plateau') throw new Error(`lrScheduleFigure: "${s.label}" is a plateau schedule, which depends on the run`);
  let lr = s.schedule.warmup ? s.schedule.warmup.lr : s.baseLr;
  const points = [{iteration: 1, lr}];
  const warm = s.schedule.warmup?.iterations;
  if (warm !== undefined) points.push({iteration: warm, lr}, {iteration: warm, lr: s.baseLr});
  lr = s.baseLr;
  if (s.schedule.type === 'multistep') {
    for (const m of s.schedule.milestones.filter((m) => m < s.iterations)) points.push({iteration: m, lr}, {iteration: m, lr: (lr *= s.schedule.gamma)});
  }
  points.push({iteration: s.iterations, lr});
  return points;
}

/**
 * Learning rate against iteration, both on log axes, one step line per schedule: the paper's ÷10
 * at 32k/48k of 64k beside a profile's scaled-down one, so the difference in length shows.
 */
export function lrScheduleFigure(input: {readonly title?: string; readonly series: readonly LrScheduleSeries[]}): VegaLiteSpec {
  if (input.series.length === 0) throw new Error('lrScheduleFigure: no schedules (a figure with nothing in it is a bug upstream)');
  const values = input.series.flatMap((s) => scheduleSteps(s).map((p, order) => ({...p, order, schedule: s.label})));
  return {
    ...frame(input.title, {height: 200}),
    data: {values},
    mark: {type: 'line', strokeWidth: 2},
    encoding: {
      x: {field: 'iteration', type: 'quantitative', title: 'iteration (log scale)', scale: {type: 'log'}, axis: {format: '~s'}},
      // Padding keeps the highest and lowest rates off the frame, where its line would hide them.
      y: {field: 'lr', type: 'quantitative', title: 'learning rate (log scale)', scale: {type: 'log', padding: 10}, axis: {format: '~g'}},
      color: {field: 'schedule', type: 'nominal', title: '', sort: input.series.map((s) => s.label), scale: seriesColors(input.series.map((s) => s.label))},
      order: {field: 'order', type: 'quantitative'},
    },
  };
}
