import type {RunResult} from '../runs/result';
import {median} from '../claims/stats';
import type {RunStore} from '../runs/store';
import {readBaselineResults} from './baselines';
import {depthOf, type ProfilePlan, type Training} from './plan';

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

/** Seconds per unit of work, and what the number rests on, for the printed line. */
interface Rate {
  readonly secondsPerWork: number;
  readonly basis: string;
}

/**
 * The runs trained into this store (this machine, or the hosts sharing the store: most telling) when
 * it has any; else those imported into it (other machines, which may be faster or slower: the
 * basis says so: a new machine trained ResNet-56 about a quarter slower than the standard results it
 * imported); else the committed quick baseline's (a 2-core CPU). Undefined when there is nothing
 * to scale from.
 */
function rateFor(store: RunStore): Rate | undefined {
  const stored = store.list().flatMap((e) => (e.result ? [e.result] : []));
  const here = stored.filter((r) => store.trainedHere(r.hash));
  const local = secondsPerWork(here);
  if (local !== undefined) return {secondsPerWork: local, basis: `scaled from the ${here.length} run(s) trained in ${store.root}`};
  const elsewhere = secondsPerWork(stored);
  if (elsewhere !== undefined) {
    return {secondsPerWork: elsewhere, basis: `scaled from the ${stored.length} run(s) imported into ${store.root}, ` +
      'trained on other machines that may be faster or slower than this one'};
  }
  const committed = [...readBaselineResults('quick').values()].flatMap((m) => [...m.values()]);
  const k = secondsPerWork(committed);
  return k === undefined ? undefined : {secondsPerWork: k, basis: `scaled from the committed quick baseline's ${committed.length} runs, made on a 2-core CPU`};
}

/** Each missing training's estimated seconds (by hash), and what they rest on. */
export interface MissingSeconds {
  readonly seconds: ReadonlyMap<string, number>;
  /** How many of them resume from a checkpoint. */
  readonly resumed: number;
  readonly basis: string;
}

/**
 * The time each missing training should take in one process on every thread, scaled from runs that
 * finished. A run with a checkpoint resumes after it: only its remaining epochs cost time. Undefined
 * when nothing is missing or there is nothing to scale from.
 */
export function missingSeconds(trainings: readonly Training[], store: RunStore): MissingSeconds | undefined {
  const todo = trainings.filter((t) => !t.cached);
  if (todo.length === 0) return undefined;
  const rate = rateFor(store);
  if (rate === undefined) return undefined;
  const seconds = new Map<string, number>();
  let resumed = 0;
  for (const t of todo) {
    const done = Math.min(store.checkpointEpoch(t.hash), t.spec.epochs);
    if (done > 0) resumed += 1;
    seconds.set(t.hash, t.work * (1 - done / t.spec.epochs) * rate.secondsPerWork);
  }
  return {seconds, resumed, basis: rate.basis};
}

/** The missing trainings' total time (one process), and what the guess rests on. */
export function estimateTrainingTime(plan: ProfilePlan, store: RunStore): TimeEstimate | undefined {
  const m = missingSeconds(plan.trainings, store);
  if (m === undefined) return undefined;
  const resuming = m.resumed ? `; ${m.resumed} of them resume from a checkpoint` : '';
  return {seconds: [...m.seconds.values()].reduce((a, s) => a + s, 0), runs: m.seconds.size, basis: `${m.basis}${resuming}`};
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
