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
  readonly testLoss: number;
  readonly testError: number;
  /** Learning rate in force at the end of the epoch. */
  readonly lr: number;
  /** Wall time of the epoch's training part, and images per second over it. */
  readonly wallMs: number;
  readonly imgPerSec: number;
}

/** Summary of a finished run: the last epoch's metrics plus the best test error seen. */
export interface FinalMetrics extends EpochMetrics {
  readonly bestTestError: number;
  readonly bestTestErrorEpoch: number;
}

export function finalMetrics(history: readonly EpochMetrics[]): FinalMetrics {
  if (history.length === 0) throw new Error('finalMetrics: empty history');
  let best = history[0];
  for (const m of history) if (m.testError < best.testError) best = m;
  return {...history[history.length - 1], bestTestError: best.testError, bestTestErrorEpoch: best.epoch};
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
