import type * as tf from '@tensorflow/tfjs';
import type {GpuAdapter} from '../engine/webgpu';
import type {TrainData, TrainHooks} from '../train/trainer';
import {train} from '../train/trainer';
import {finalMetrics} from '../train/metrics';
import type {ProgressSink} from '../train/progress';
import {isTrainingInterrupted} from '../train/interrupt';
import {codeVersion} from './code_version';
import {runHash} from './hash';
import {acquireLease} from './lock';
import {cpuModel, gitState, nodeAndTfjs} from './provenance';
import {cpuKind} from './cpu_kind';
import type {RunResult} from './result';
import {parseRunSpec, type RunSpec} from './spec';
import {checkLastBatch} from './spec_limits';
import {RunStore} from './store';
import {ReproError} from '../util/errors';

/** What a run needs from the rest of the system; injected so tests can substitute small pieces. */
export interface RunDeps {
  /** Loads, splits and subsets the data of `spec.data`; `checksum` identifies the bytes. */
  prepareData(spec: RunSpec): Promise<TrainData & {readonly name: string; readonly checksum: string}>;
  /** Builds the model, initialised deterministically from spec.seed. */
  buildModel(spec: RunSpec, data: TrainData): tf.LayersModel;
  /** The active backend as chosen at start-up. */
  readonly backend: {readonly name: string; readonly reason: string; readonly threads: number; readonly device?: string;
    readonly adapter?: GpuAdapter};
  readonly progress: ProgressSink;
  /** Optional hooks passed through to the trainer (dropout seeding, test kill points). */
  readonly hooks?: Pick<TrainHooks, 'setStepSeed' | 'afterBatch' | 'resumeHint'>;
}

export interface EnsuredRun {
  readonly result: RunResult;
  /** True when the result came from the store without training. */
  readonly cached: boolean;
}

/** The hash a spec will be stored under (needs the data checksum, hence the data). */
export async function planHash(spec: RunSpec, deps: Pick<RunDeps, 'prepareData'>): Promise<string> {
  const data = await deps.prepareData(spec);
  return runHash(spec, codeVersion(), data.checksum);
}

/**
 * Returns the stored result of `spec`, training it first when it is not in the store. Two
 * processes asking for the same run: one trains, the other waits on the lock and then reads the
 * stored result. A killed trainer leaves a stale lock (taken over) and a checkpoint (resumed).
 */
export async function ensureRun(spec: RunSpec, deps: RunDeps, store = new RunStore()): Promise<EnsuredRun> {
  // The same validation as `repro train --spec`: a spec built in code (library, notebook) is checked too.
  const where = describeSpec(spec);
  parseRunSpec(spec, where);
  const warn = (m: string) => deps.progress.epoch(`warning: ${m}`);
  const data = await deps.prepareData(spec);
  checkLastBatch(spec, data.train.count, where);
  const version = codeVersion();
  const hash = runHash(spec, version, data.checksum);
  const stored = store.read(hash, warn);
  if (stored) return {result: stored, cached: true};

  store.begin(hash, spec);
  const lease = await acquireLease(store.lockPath(hash), (message) =>
    deps.progress.epoch(`${spec.experiment}/${spec.name} (run ${hash}): ${message}`));
  try {
    const finished = store.read(hash, warn);
    if (finished) return {result: finished, cached: true};
    const startedAt = new Date().toISOString();
    const t0 = Date.now();
    store.clearInterrupted(hash);
    const model = deps.buildModel(spec, data);
    let outcome: Awaited<ReturnType<typeof train>>;
    try {
      outcome = await train(spec, model, data, store.checkpointDir(hash), {
        progress: deps.progress,
        ...deps.hooks,
        // Each batch tells the lease's heartbeat that training moves (a hung trainer loses the lease).
        afterBatch: (epoch, batch) => { lease.progress(); deps.hooks?.afterBatch?.(epoch, batch); },
        onEpoch: (_m, history) => { lease.progress(); store.writeMetrics(hash, history); },
      });
    } catch (err) {
      // Marked, so that `repro runs` says "interrupted" (not "in progress" forever) and --prune can clean it.
      if (isTrainingInterrupted(err)) store.markInterrupted(hash, err.message);
      throw err;
    } finally {
      model.dispose();
    }
    const status = finiteOutcome(outcome, spec, warn);
    const previousWallMs = outcome.history.slice(0, outcome.resumedFromEpoch).reduce((a, m) => a + m.wallMs, 0);
    const result: RunResult = {
      format: 1, hash, spec, status: status.status, history: outcome.history,
      ...(outcome.history.length ? {final: finalMetrics(outcome.history)} : {}),
      provenance: {
        ...gitState(), ...nodeAndTfjs(), backend: deps.backend.name, backendReason: deps.backend.reason,
        device: deps.backend.device ?? cpuModel(), cpu: cpuKind(), ...(deps.backend.adapter ? {adapter: deps.backend.adapter} : {}),
        threads: deps.backend.threads, codeVersion: version,
        data: {[data.name]: data.checksum}, startedAt, endedAt: new Date().toISOString(),
      },
      wallMs: previousWallMs + (Date.now() - t0),
      ...(outcome.gradientNorms ? {gradientNorms: outcome.gradientNorms} : {}),
      ...(status.status === 'diverged' ? {divergedAt: status.divergedAt} : {}),
      resumedFromEpoch: outcome.resumedFromEpoch,
      dataChecksum: data.checksum,
    };
    // A holder presumed dead had its lease taken over: the other trainer writes the same result
    // (training is deterministic), so step aside rather than race it.
    if (lease.lost()) {
      throw new ReproError(`run ${hash}: this process lost its lease on ${lease.path} while training (another process took it over)`,
        {fix: 'raise $REPRO_LEASE_TTL_S if the store is slow or the host was suspended, and run again: the result is reused when the other process finishes'});
    }
    store.writeResult(result);
    return {result, cached: false};
  } finally {
    lease.release();
  }
}

/** "run B1/plain20" for messages, safe on a spec that is not even an object. */
function describeSpec(spec: unknown): string {
  const s = (typeof spec === 'object' && spec !== null ? spec : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 80) : '?');
  return `run spec ${text(s.experiment)}/${text(s.name)}`;
}

type Status = {status: 'done'} | {status: 'diverged'; divergedAt: {epoch: number; iteration: number; loss: number}};

/**
 * A result whose metrics are not finite is never stored as done: the trainer stops on a NaN
 * training loss, but a test loss or error can still be NaN (e.g. statistics of a degenerate batch).
 */
function finiteOutcome(outcome: Awaited<ReturnType<typeof train>>, spec: RunSpec, warn: (m: string) => void): Status {
  if (outcome.status === 'diverged') return {status: 'diverged', divergedAt: outcome.divergedAt};
  for (const m of outcome.history) {
    const bad = Object.entries(m).find(([, v]) => typeof v === 'number' && !Number.isFinite(v));
    if (bad) {
      warn(`${spec.experiment}/${spec.name}: ${bad[0]} is ${bad[1]} after epoch ${m.epoch}; the run is stored as diverged, not done`);
      return {status: 'diverged', divergedAt: {epoch: m.epoch, iteration: m.iteration, loss: Number.isFinite(m.trainLoss) ? (m.testLoss ?? m.valLoss ?? NaN) : m.trainLoss}};
    }
  }
  return {status: 'done'};
}
