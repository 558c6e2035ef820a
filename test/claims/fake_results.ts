import type {RunResults} from '../../src/claims/claim';
import type {RunResult} from '../../src/runs/result';
import type {EpochMetrics} from '../../src/train/metrics';
import {finalMetrics} from '../../src/train/metrics';

/** What a constructed run differs in: its role, seed and final metrics (and optionally its whole history or gradient norms). */
export interface FakeRun {
  readonly role: string;
  readonly seed: number;
  readonly trainError?: number;
  readonly testError?: number;
  readonly trainLoss?: number;
  readonly trainEvalError?: number;
  readonly history?: readonly Partial<EpochMetrics>[];
  readonly gradientNorms?: RunResult['gradientNorms'];
}

/** Stored results as an experiment sees them (run names "role.s<seed>"), for claim rules on constructed data. */
export function fakeResults(runs: readonly FakeRun[]): RunResults {
  return new Map(runs.map((r) => {
    const last: EpochMetrics = {epoch: 1, iteration: 10, trainLoss: r.trainLoss ?? 0.5, trainError: r.trainError ?? 0.1, testLoss: 0.5,
      testError: r.testError ?? 0.1, lr: 0.1, wallMs: 1, imgPerSec: 1, ...(r.trainEvalError !== undefined ? {trainEvalError: r.trainEvalError} : {})};
    const history = r.history ? r.history.map((h, i) => ({...last, epoch: i + 1, ...h})) : [last];
    const name = `${r.role}.s${r.seed}`;
    return [name, {status: 'done', spec: {name, seed: r.seed, model: r.role}, history, final: finalMetrics(history),
      ...(r.gradientNorms ? {gradientNorms: r.gradientNorms} : {})} as unknown as RunResult];
  }));
}
