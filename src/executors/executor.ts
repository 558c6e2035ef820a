import type {RunDeps} from '../runs/ensure_run';
import type {RunStore} from '../runs/store';
import type {ProfilePlan} from '../pipeline/plan';
import {runMissing} from '../pipeline/run_missing';

/** A run that did not reach the store, with what the scheduler says about why. */
export interface RunFailure {
  readonly hash: string;
  /** experiment/name */
  readonly label: string;
  /** e.g. FAILED, TIMEOUT, OUT_OF_MEMORY, CANCELLED, NODE_FAIL, PREEMPTED */
  readonly state: string;
  readonly exitCode?: string;
  readonly explanation: string;
  /** Where the task's output is. */
  readonly log: string;
  readonly attempts: number;
}

export interface ExecutorOutcome {
  readonly trained: number;
  readonly failed: readonly RunFailure[];
  /** Set when the runs were handed to a scheduler and this process did not wait for them. */
  readonly pending?: {readonly submission: string; readonly runs: number; readonly hint: string};
}

export interface ExecutorContext {
  readonly store: RunStore;
  readonly log: (line: string) => void;
  /** The local training wiring, made on first need (the local executor trains in this process). */
  readonly deps: () => Promise<RunDeps>;
}

/**
 * Where the missing runs of a plan train: in this process (local) or on a scheduler (slurm).
 * Experiments never know; the store is the only truth about what is done.
 */
export interface Executor {
  readonly name: string;
  /** How many runs train at once on this machine; undefined where a scheduler decides (Slurm). */
  readonly concurrency?: number;
  trainMissing(plan: ProfilePlan, ctx: ExecutorContext): Promise<ExecutorOutcome>;
}

export const localExecutor: Executor = {
  name: 'local',
  concurrency: 1,
  async trainMissing(plan, ctx) {
    return {trained: await runMissing(plan, await ctx.deps(), ctx.store, ctx.log), failed: []};
  },
};
