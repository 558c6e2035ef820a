import {ReproError} from '../util/errors';
import {Rng, type RngState} from '../util/rng';

/** What to do with the last batch of an epoch when it is smaller than the batch size. */
export const LastBatch = {keep: 'keep', drop: 'drop'} as const;
export type LastBatch = (typeof LastBatch)[keyof typeof LastBatch];
export function isLastBatch(x: unknown): x is LastBatch {
  return typeof x === 'string' && Object.values<string>(LastBatch).includes(x);
}

/**
 * Where an epoch iterator stands, enough to resume exactly: the epoch, the next batch within it,
 * and the shuffling RNG's state at the start of that epoch (the permutation is re-drawn from it).
 */
export interface BatchPosition {
  readonly epoch: number;
  readonly batchIndex: number;
  readonly rngState: RngState;
}

/**
 * Epochs of shuffled batches over `count` examples: one seeded permutation per epoch, batches of
 * `batchSize` in permutation order, the last partial batch kept or dropped. `position` can be
 * checkpointed and passed back to continue with the very same batches.
 */
export class EpochIterator {
  private epochNo: number;
  private batchNo: number;
  private epochStart: RngState;
  private rng: Rng;
  private perm: Int32Array;

  constructor(readonly count: number, readonly batchSize: number,
    start: {seed: number} | BatchPosition, readonly lastBatch: LastBatch = 'keep') {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ReproError(`batch size must be a positive integer, got ${batchSize}`);
    if (!Number.isInteger(count) || count < 1) throw new ReproError(`EpochIterator: the data set is empty (count ${count})`);
    if (lastBatch === 'drop' && count < batchSize) {
      throw new ReproError(`batch size ${batchSize} exceeds the ${count} examples with lastBatch "drop": every batch would be dropped`,
        {fix: 'use a smaller batch size or lastBatch "keep"'});
    }
    if ('seed' in start) {
      this.rng = new Rng(start.seed);
      this.epochNo = 0;
      this.batchNo = 0;
    } else {
      this.rng = new Rng(start.rngState);
      this.epochNo = start.epoch;
      this.batchNo = start.batchIndex;
    }
    this.epochStart = this.rng.state;
    this.perm = this.rng.permutation(count);
  }

  /** Batches per epoch under the last-batch policy. */
  get batchesPerEpoch(): number {
    return this.lastBatch === 'drop' ? Math.floor(this.count / this.batchSize) : Math.ceil(this.count / this.batchSize);
  }

  get position(): BatchPosition {
    return {epoch: this.epochNo, batchIndex: this.batchNo, rngState: this.epochStart};
  }

  /** The next batch's indices (a view into the epoch's permutation) and where it sits. */
  next(): {indices: Int32Array; epoch: number; batchIndex: number} {
    this.rollOver();
    const start = this.batchNo * this.batchSize;
    const indices = this.perm.subarray(start, Math.min(start + this.batchSize, this.count));
    const out = {indices, epoch: this.epochNo, batchIndex: this.batchNo};
    this.batchNo += 1;
    return out;
  }

  /** The remaining batches of the current epoch (all of it on a fresh epoch). */
  *epoch(): Generator<{indices: Int32Array; epoch: number; batchIndex: number}> {
    this.rollOver();
    while (this.batchNo < this.batchesPerEpoch) yield this.next();
  }

  /** Starts the next epoch (a new permutation) once the current one is used up. */
  private rollOver(): void {
    if (this.batchNo < this.batchesPerEpoch) return;
    this.epochNo += 1;
    this.batchNo = 0;
    this.epochStart = this.rng.state;
    this.perm = this.rng.permutation(this.count);
  }
}
