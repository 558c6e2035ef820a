import type {Training} from './plan';
import {formatDuration} from './estimate';

/** Which missing runs `reproduce --within` trains now, and which it leaves for a later sitting. */
export interface BudgetChoice {
  /** In plan order. */
  readonly train: readonly Training[];
  readonly deferred: readonly Training[];
  /** When the chosen runs should all be done, in seconds from the start. */
  readonly seconds: number;
  readonly deferredSeconds: number;
}

/**
 * When the last of `runs` finishes with `jobs` at once, as the local executors schedule them: one
 * after the other for one job; for several, the longest (by `work`, local_jobs' order) first, each
 * to the worker that frees up first. A run among N at once is taken as N times as long as alone,
 * one process's throughput shared: on 2 cores --jobs 2 measured 1.2–1.5× that, so the guess errs
 * towards finishing early.
 */
export function makespan(runs: readonly Training[], secondsOf: (t: Training) => number, jobs: number): number {
  if (jobs <= 1) return runs.reduce((a, t) => a + secondsOf(t), 0);
  const free = new Array<number>(jobs).fill(0);
  for (const t of [...runs].sort((a, b) => b.work - a.work)) {
    const i = free.indexOf(Math.min(...free));
    free[i] += jobs * secondsOf(t);
  }
  return Math.max(...free);
}

/**
 * The missing runs that finish within `budget` seconds: the longest first, each kept when the whole
 * chosen set still ends inside the budget. A sitting or an allocation of fixed length then ends
 * with finished results instead of half-trained checkpoints, which a new machine would not have;
 * the short runs fill what the long ones leave. Runs with no estimate are deferred.
 */
export function fitWithin(todo: readonly Training[], seconds: ReadonlyMap<string, number>, budget: number, jobs: number): BudgetChoice {
  const secondsOf = (t: Training) => seconds.get(t.hash) ?? Infinity;
  const chosen = new Set<Training>();
  for (const t of [...todo].sort((a, b) => secondsOf(b) - secondsOf(a))) {
    if (!Number.isFinite(secondsOf(t))) continue;
    if (makespan([...chosen, t], secondsOf, jobs) <= budget) chosen.add(t);
  }
  const deferred = todo.filter((t) => !chosen.has(t));
  return {train: todo.filter((t) => chosen.has(t)), deferred, seconds: makespan([...chosen], secondsOf, jobs),
    deferredSeconds: deferred.reduce((a, t) => a + (Number.isFinite(secondsOf(t)) ? secondsOf(t) : 0), 0)};
}

/** The line `reproduce --within` logs before training. */
export function describeChoice(c: BudgetChoice, budget: number): string {
  const label = (t: Training) => `${t.spec.experiment}/${t.spec.name}`;
  const now = c.train.length
    ? `trains ${c.train.length} of ${c.train.length + c.deferred.length} missing run(s) (≈ ${formatDuration(c.seconds)}: ${c.train.map(label).join(', ')})`
    : `trains none of the ${c.deferred.length} missing run(s): the shortest alone would take longer`;
  const later = c.deferred.length
    ? `; defers ${c.deferred.length} (≈ ${formatDuration(c.deferredSeconds)} in one process) to a later run of the same command`
    : '';
  return `--within ${formatDuration(budget)}: ${now}${later}`;
}
