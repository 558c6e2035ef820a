import type {RunResult} from '../runs/result';
import {median} from '../claims/stats';
import type {RunStore} from '../runs/store';
import {readBaselineResults} from './baselines';
import {depthOf, type ProfilePlan} from './plan';

/** How long the plan's missing trainings should take, and what the guess rests on. */
export interface TimeEstimate {
  readonly seconds: number;
  readonly runs: number;
  /** Where the seconds per unit of work came from, for the printed line. */
  readonly basis: string;
}

/** A finished run's work in the plan's unit (epochs × images per epoch × depth); images from its own rate × time. */
function workOf(r: RunResult): number {
  const images = r.history.reduce((a, m) => a + (m.imgPerSec * m.wallMs) / 1000, 0);
  return images * depthOf(r.spec.model);
}

/**
 * A run's training time as if undisturbed: its median epoch time × its epochs. An epoch stalled by
 * a paused process or a neighbour's burst on shared cores would otherwise inflate every estimate
 * scaled from it (one paused hour made a 6 h remainder read 19 h).
 */
export function undisturbedSeconds(r: RunResult): number {
  const walls = r.history.map((m) => m.wallMs).filter((w) => w > 0);
  return walls.length === 0 ? r.wallMs / 1000 : (median(walls) * r.history.length) / 1000;
}

/** Seconds per unit of work (epochs × images × depth) over finished runs, each undisturbed. */
export function secondsPerWork(results: readonly RunResult[]): number | undefined {
  const usable = results.filter((r) => r.status === 'done' && r.history.length > 0 && r.wallMs > 0);
  const work = usable.reduce((a, r) => a + workOf(r), 0);
  return work > 0 ? usable.reduce((a, r) => a + undisturbedSeconds(r), 0) / work : undefined;
}

/**
 * The missing trainings' time, scaled from runs that finished: this store's (same machine, most
 * telling) when it has any, else the committed quick baseline's (a 2-core CPU). Undefined when
 * nothing is missing or there is nothing to scale from.
 */
export function estimateTrainingTime(plan: ProfilePlan, store: RunStore): TimeEstimate | undefined {
  const todo = plan.trainings.filter((t) => !t.cached);
  if (todo.length === 0) return undefined;
  // A run with a checkpoint resumes after it: only its remaining epochs cost time.
  const resumed = todo.map((t) => Math.min(store.checkpointEpoch(t.hash), t.spec.epochs));
  const work = todo.reduce((a, t, i) => a + t.work * (1 - resumed[i] / t.spec.epochs), 0);
  const nResumed = resumed.filter((e) => e > 0).length;
  const resuming = nResumed ? `; ${nResumed} of them resume from a checkpoint` : '';
  const stored = store.list().flatMap((e) => (e.result ? [e.result] : []));
  const local = secondsPerWork(stored);
  if (local !== undefined) {
    return {seconds: work * local, runs: todo.length, basis: `scaled from the ${stored.length} finished run(s) in ${store.root}${resuming}`};
  }
  const committed = [...readBaselineResults('quick').values()].flatMap((m) => [...m.values()]);
  const k = secondsPerWork(committed);
  return k === undefined ? undefined
    : {seconds: work * k, runs: todo.length, basis: `scaled from the committed quick baseline's ${committed.length} runs, made on a 2-core CPU${resuming}`};
}

/** "42 s", "31 min", "2.4 h". */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** The line `repro plan` and `repro reproduce --dry-run` print. */
export function estimateLine(plan: ProfilePlan, store: RunStore): string {
  const missing = plan.trainings.filter((t) => !t.cached).length;
  if (missing === 0) return 'estimated training time: none (every run is cached)';
  const e = estimateTrainingTime(plan, store);
  return e === undefined
    ? `estimated training time: unknown for ${missing} run(s) (no finished run to scale from)`
    : `estimated training time: ≈ ${formatDuration(e.seconds)} for ${e.runs} run(s) (${e.basis})`;
}
