import type * as tf from '@tensorflow/tfjs';
import type {GpuAdapter} from '../engine/webgpu';
import type {TrainData, TrainHooks} from '../train/trainer';
import {train} from '../train/trainer';
import {finalMetrics} from '../train/metrics';
import type {ProgressSink} from '../train/progress';
import {codeVersion} from './code_version';
import {runHash} from './hash';
import {acquireLock} from './lock';
import {cpuModel, gitState, nodeAndTfjs} from './provenance';
import type {RunResult} from './result';
import type {RunSpec} from './spec';
import {RunStore} from './store';

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
  readonly hooks?: Pick<TrainHooks, 'setStepSeed' | 'afterBatch'>;
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
  const warn = (m: string) => deps.progress.epoch(`warning: ${m}`);
  const data = await deps.prepareData(spec);
  const version = codeVersion();
  const hash = runHash(spec, version, data.checksum);
  const stored = store.read(hash, warn);
  if (stored) return {result: stored, cached: true};

  store.begin(hash, spec);
  const release = await acquireLock(store.lockPath(hash), (owner) =>
    deps.progress.epoch(`${spec.experiment}/${spec.name}: waiting for process ${owner?.pid ?? '?'} that is training run ${hash}`));
  try {
    const finished = store.read(hash, warn);
    if (finished) return {result: finished, cached: true};
    const startedAt = new Date().toISOString();
    const t0 = Date.now();
    const model = deps.buildModel(spec, data);
    const outcome = await train(spec, model, data, store.checkpointDir(hash), {
      progress: deps.progress,
      ...deps.hooks,
      onEpoch: (_m, history) => store.writeMetrics(hash, history),
    });
    model.dispose();
    const previousWallMs = outcome.history.slice(0, outcome.resumedFromEpoch).reduce((a, m) => a + m.wallMs, 0);
    const result: RunResult = {
      format: 1, hash, spec, status: outcome.status, history: outcome.history,
      ...(outcome.history.length ? {final: finalMetrics(outcome.history)} : {}),
      provenance: {
        ...gitState(), ...nodeAndTfjs(), backend: deps.backend.name, backendReason: deps.backend.reason,
        device: deps.backend.device ?? cpuModel(), ...(deps.backend.adapter ? {adapter: deps.backend.adapter} : {}),
        threads: deps.backend.threads, codeVersion: version,
        data: {[data.name]: data.checksum}, startedAt, endedAt: new Date().toISOString(),
      },
      wallMs: previousWallMs + (Date.now() - t0),
      ...(outcome.gradientNorms ? {gradientNorms: outcome.gradientNorms} : {}),
      ...(outcome.status === 'diverged' ? {divergedAt: outcome.divergedAt} : {}),
      resumedFromEpoch: outcome.resumedFromEpoch,
      dataChecksum: data.checksum,
    };
    store.writeResult(result);
    return {result, cached: false};
  } finally {
    release();
  }
}
