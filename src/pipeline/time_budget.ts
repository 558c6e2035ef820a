import type {Executor, ExecutorContext, ExecutorOutcome, RunFailure} from '../executors/executor';
import type {ProfilePlan, Training} from './plan';
import {formatDuration, missingSeconds} from './estimate';

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

/** The line `reproduce --within` logs before training (and, one run at a time, before each run with the time `left`). */
export function describeChoice(c: BudgetChoice, budget: number, left?: number): string {
  const label = (t: Training) => `${t.spec.experiment}/${t.spec.name}`;
  const now = c.train.length
    ? `trains ${c.train.length} of ${c.train.length + c.deferred.length} missing run(s) (≈ ${formatDuration(c.seconds)}: ${c.train.map(label).join(', ')})`
    : `trains none of the ${c.deferred.length} missing run(s): the shortest alone would take longer`;
  const later = c.deferred.length
    ? `; defers ${c.deferred.length} (≈ ${formatDuration(c.deferredSeconds)} in one process) to a later run of the same command`
    : '';
  return `--within ${formatDuration(budget)}${left === undefined ? '' : ` (${formatDuration(left)} left)`}: ${now}${later}`;
}

/**
 * Trains what `--within` allows, given the choice made (and logged) at the start. One run at a time
 * (the local executor), the choice is made again before each run from the time left and the runs
 * trained so far, longest first: on a machine slower than the imported results said, the first
 * run recalibrates the estimate and a run that would no longer finish is deferred. With N at once
 * (--jobs N) the first choice goes to the executor whole, so that its workers stay busy.
 */
export async function trainWithin(plan: ProfilePlan, executor: Executor, ctx: ExecutorContext, budget: number, first: BudgetChoice,
  now: () => number = Date.now): Promise<{outcome: ExecutorOutcome; deferred: readonly Training[]}> {
  if (first.train.length === 0) return {outcome: {trained: 0, failed: []}, deferred: first.deferred};
  if (executor.concurrency !== 1) {
    const outcome = await executor.trainMissing({...plan, trainings: plan.trainings.filter((t) => t.cached || first.train.includes(t))}, ctx);
    return {outcome, deferred: first.deferred};
  }
  const t0 = now();
  const attempted = new Set<string>();
  const failed: RunFailure[] = [];
  let trained = 0;
  const todo = () => plan.trainings.filter((t) => !t.cached && !attempted.has(t.hash) && !ctx.store.read(t.hash, () => {}));
  for (let choice = first; ;) {
    const estimate = missingSeconds(choice.train, ctx.store);
    const next = [...choice.train].sort((a, b) => (estimate?.seconds.get(b.hash) ?? 0) - (estimate?.seconds.get(a.hash) ?? 0))[0];
    if (next === undefined) break;
    attempted.add(next.hash);
    const outcome = await executor.trainMissing({...plan, trainings: [next]}, ctx);
    trained += outcome.trained;
    failed.push(...outcome.failed);
    const left = budget - (now() - t0) / 1000;
    const rest = todo();
    const seconds = missingSeconds(rest, ctx.store);
    if (rest.length === 0 || seconds === undefined) break;
    choice = fitWithin(rest, seconds.seconds, left, 1);
    ctx.log(describeChoice(choice, budget, left));
  }
  return {outcome: {trained, failed}, deferred: todo()};
}
