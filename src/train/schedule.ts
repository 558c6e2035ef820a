import type {ScheduleSpec} from '../runs/spec';

/**
 * The learning rate as a function of training progress. Its mutable part (warm-up finished?
 * plateau counters) is plain data so that checkpoints restore it exactly.
 */
export interface ScheduleState {
  warmupDone: boolean;
  /** Reduce-on-plateau: current lr, best monitored value, epochs without improvement. */
  plateauLr?: number;
  plateauBest?: number;
  plateauBad?: number;
}

export function initialScheduleState(spec: ScheduleSpec): ScheduleState {
  return {warmupDone: spec.warmup === undefined};
}

/** Learning rate for the step about to be taken (`iteration` = steps already taken). */
export function learningRate(spec: ScheduleSpec, baseLr: number, iteration: number, state: ScheduleState): number {
  if (spec.warmup && !state.warmupDone) {
    if (spec.warmup.iterations !== undefined && iteration >= spec.warmup.iterations) state.warmupDone = true;
    else return spec.warmup.lr;
  }
  switch (spec.type) {
    case 'constant': return baseLr;
    case 'multistep': {
      const passed = spec.milestones.filter((m) => iteration >= m).length;
      return baseLr * spec.gamma ** passed;
    }
    case 'plateau': return state.plateauLr ?? baseLr;
  }
}

/** Called after each batch with the recent training error (ResNet-110's "until error < 80%" warm-up). */
export function observeTrainError(spec: ScheduleSpec, recentTrainError: number, state: ScheduleState): void {
  const until = spec.warmup?.untilTrainError;
  if (!state.warmupDone && until !== undefined && recentTrainError < until) state.warmupDone = true;
}

/** Called after each epoch with the monitored loss (validation if present, else test). */
export function observeEpoch(spec: ScheduleSpec, baseLr: number, monitored: number, state: ScheduleState): void {
  if (spec.type !== 'plateau') return;
  const lr = state.plateauLr ?? baseLr;
  if (state.plateauBest === undefined || monitored < state.plateauBest) {
    state.plateauBest = monitored;
    state.plateauBad = 0;
  } else {
    state.plateauBad = (state.plateauBad ?? 0) + 1;
    if (state.plateauBad > spec.patience) {
      state.plateauLr = Math.max(lr * spec.factor, spec.minLr ?? 0);
      state.plateauBad = 0;
    }
  }
  state.plateauLr ??= lr;
}
