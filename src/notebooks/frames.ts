import type {ClaimVerdict} from '../claims/claim';
import {claimCells} from '../report/format_claim';
import type {RunResult} from '../runs/result';
import {RunStore} from '../runs/store';

/*
 * Data frames for notebooks: arquero tables (from the vega team; typed, small, `toHTML()`), so that
 * runs and claims can be filtered, grouped, aggregated and plotted like a pandas DataFrame. Not
 * danfo: danfojs-node needs libtensorflow, and danfojs pulls a second TensorFlow.js (3.x) that
 * registers its kernels over ours, plus an `xlsx` with published advisories.
 */

type Arquero = typeof import('arquero', {with: {'resolution-mode': 'import'}});
export type Frame = import('arquero', {with: {'resolution-mode': 'import'}}).ColumnTable;

let arquero: Promise<Arquero> | undefined;

/** arquero is ESM-only: loaded once with a real dynamic import (tsc keeps it under node16). */
export function loadArquero(): Promise<Arquero> {
  arquero ??= import('arquero');
  return arquero;
}

/** The stored results of a store (finished and diverged runs), or the given results. */
function resultsOf(source: RunStore | readonly RunResult[] | string): readonly RunResult[] {
  if (Array.isArray(source)) return source as readonly RunResult[];
  const store = source instanceof RunStore ? source : new RunStore(source as string);
  return store.list().flatMap((e) => (e.result ? [e.result] : []));
}

/** The spec fields a researcher groups by, flat. */
function specColumns(r: RunResult): Record<string, string | number | boolean | null> {
  const s = r.spec;
  return {
    hash: r.hash, experiment: s.experiment, name: s.name, model: s.model, seed: s.seed, data: s.data.name,
    trainPerClass: s.data.trainPerClass ?? null, epochs: s.epochs, batchSize: s.batchSize, optimizer: s.optimizer.type,
    lr: s.optimizer.lr, schedule: s.schedule.type, loss: s.loss, pretrained: s.init?.pretrained ?? null,
    status: r.status, backend: r.provenance.backend, threads: r.provenance.threads,
  };
}

/**
 * One row per run: spec fields (experiment, name, model, seed, data, epochs, optimizer, lr, …),
 * status, wall time, the final metrics (trainError, testError, losses, bestTestError) and the whole
 * per-epoch `history` (an array per row; historyFrame has it as rows). From a RunStore, a store
 * directory, or results already read.
 */
export async function runsFrame(source: RunStore | readonly RunResult[] | string = new RunStore()): Promise<Frame> {
  const aq = await loadArquero();
  const rows = resultsOf(source).map((r) => ({
    ...specColumns(r), wallSec: r.wallMs / 1000,
    trainError: r.final?.trainError ?? null, testError: r.final?.testError ?? null,
    trainLoss: r.final?.trainLoss ?? null, testLoss: r.final?.testLoss ?? null,
    valError: r.final?.valError ?? null, bestTestError: r.final?.bestTestError ?? null,
    history: r.history,
  }));
  return aq.from(rows);
}

/** One row per run and epoch (long format, for curves and per-epoch aggregates): the run's spec fields and that epoch's metrics. */
export async function historyFrame(source: RunStore | readonly RunResult[] | string = new RunStore()): Promise<Frame> {
  const aq = await loadArquero();
  const rows = resultsOf(source).flatMap((r) => r.history.map((m) => ({
    ...specColumns(r), epoch: m.epoch, iteration: m.iteration, trainLoss: m.trainLoss, trainError: m.trainError,
    valLoss: m.valLoss ?? null, valError: m.valError ?? null, testLoss: m.testLoss, testError: m.testError, lr: m.lr,
    imgPerSec: m.imgPerSec,
  })));
  return aq.from(rows);
}

/** One row per claim: verdict, the paper's value and ours as text, and the numbers behind ours (estimate, interval, n). */
export async function claimsFrame(claims: readonly ClaimVerdict[]): Promise<Frame> {
  const aq = await loadArquero();
  return aq.from(claims.map((v) => {
    const cells = claimCells(v);
    return {
      id: v.id, verdict: v.verdict, paper: cells.paper, ours: cells.ours,
      measured: typeof v.measured === 'number' ? v.measured : v.measured === undefined ? null : String(v.measured),
      estimate: v.estimate ?? null, lo: v.ci?.[0] ?? null, hi: v.ci?.[1] ?? null, n: v.n ?? null,
      rule: v.rule ?? cells.criterion, note: v.note ?? null, statement: v.statement,
    };
  }));
}
