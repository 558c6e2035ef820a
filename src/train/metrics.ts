/** What one epoch of training measured. Errors are fractions in [0, 1] (the papers plot percent). */
export interface EpochMetrics {
  readonly epoch: number;
  /** Optimizer steps taken so far (after this epoch). */
  readonly iteration: number;
  /** Mean loss and error over the epoch's training batches, in training mode (as the papers plot). */
  readonly trainLoss: number;
  readonly trainError: number;
  readonly valLoss?: number;
  readonly valError?: number;
  /** Absent on epochs before the last (or before its testWindow) when the spec evaluates the test set only at the end (evalTest 'final'). */
  readonly testLoss?: number;
  readonly testError?: number;
  /** Loss and error of the first `spec.evalTrain` training images in inference mode, un-augmented (claim C2). */
  readonly trainEvalLoss?: number;
  readonly trainEvalError?: number;
  /** Learning rate in force at the end of the epoch. */
  readonly lr: number;
  /** Wall time of the epoch's training part, and images per second over it. */
  readonly wallMs: number;
  readonly imgPerSec: number;
}

/** Summary of a finished run: the last epoch's metrics plus the best test error seen. */
export interface FinalMetrics extends EpochMetrics {
  /** The last epoch always evaluates the test set. */
  readonly testLoss: number;
  readonly testError: number;
  readonly bestTestError: number;
  readonly bestTestErrorEpoch: number;
}

export function finalMetrics(history: readonly EpochMetrics[]): FinalMetrics {
  if (history.length === 0) throw new Error('finalMetrics: empty history');
  const last = history[history.length - 1];
  if (last.testError === undefined || last.testLoss === undefined) throw new Error('finalMetrics: the last epoch has no test metrics');
  let best = last;
  for (const m of history) if (m.testError !== undefined && m.testError < best.testError!) best = m;
  return {...last, testLoss: last.testLoss, testError: last.testError, bestTestError: best.testError!, bestTestErrorEpoch: best.epoch};
}

/** Accumulates loss and error over batches, weighted by batch size. */
export class RunningMean {
  private lossSum = 0;
  private errors = 0;
  private count = 0;

  add(meanLoss: number, wrong: number, batchSize: number): void {
    this.lossSum += meanLoss * batchSize;
    this.errors += wrong;
    this.count += batchSize;
  }

  get loss(): number { return this.count ? this.lossSum / this.count : NaN; }
  get error(): number { return this.count ? this.errors / this.count : NaN; }
  get n(): number { return this.count; }
}
