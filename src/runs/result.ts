import type {EpochMetrics, FinalMetrics} from '../train/metrics';
import type {GradientNorm} from '../train/trainer';
import type {Provenance} from './provenance';
import type {RunSpec} from './spec';

/** What the store keeps for a finished run (runs/<hash>/result.json). */
export interface RunResult {
  readonly format: 1;
  readonly hash: string;
  readonly spec: RunSpec;
  /** 'diverged': the loss became NaN/Inf; its metrics are not a result and claims must not use them. */
  readonly status: 'done' | 'diverged';
  readonly history: readonly EpochMetrics[];
  /** Last epoch plus the best test error (absent when it diverged before finishing an epoch). */
  readonly final?: FinalMetrics;
  readonly provenance: Provenance;
  /** Total wall time of the training process(es) that produced it, resumed parts included. */
  readonly wallMs: number;
  readonly gradientNorms?: readonly GradientNorm[];
  readonly divergedAt?: {readonly epoch: number; readonly iteration: number; readonly loss: number};
  /** Epoch the last process resumed from (0 = trained in one go). */
  readonly resumedFromEpoch: number;
  /** Data checksum that entered the hash (also in provenance.data). */
  readonly dataChecksum: string;
}
