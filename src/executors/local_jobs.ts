import {spawn} from 'node:child_process';
import {closeSync, openSync, writeSync} from 'node:fs';
import {join} from 'node:path';
import {threadSetting} from '../engine/select_backend';
import type {Training} from '../pipeline/plan';
import {REPO_ROOT} from '../runs/code_version';
import type {RunStore} from '../runs/store';
import {ReproError} from '../util/errors';
import type {Executor, ExecutorOutcome, RunFailure} from './executor';

/**
 * Local training with several runs at once: `jobs` child processes of `repro train`, the cores
 * split between them (REPRO_THREADS = threads / jobs, at least 1). On these 2-core machines two
 * one-thread runs train 1.2–1.5× the images per second of one two-thread run (README, "Several
 * runs at once on one machine"): a small convolution does not keep two threads busy. Longest runs
 * first (`work`), so that the last to finish is a short one. A run is done when its result is in
 * the store; a child that exits without one is a failure with its log, as on Slurm.
 */
export interface LocalJobsOptions {
  readonly jobs: number;
  /** The threads to split (default REPRO_THREADS, else every core). */
  readonly threads?: number;
  /** The node binary children run (default this one). */
  readonly node?: string;
}

export function localJobsExecutor(o: LocalJobsOptions): Executor {
  return {
    name: `local, ${o.jobs} jobs`,
    concurrency: o.jobs,
    async trainMissing(plan, ctx) {
      const todo = plan.trainings.filter((t) => !ctx.store.read(t.hash));
      return trainInChildren(todo, ctx.store, ctx.log, o);
    },
  };
}

/** Where a child's output goes: beside the run, appended over attempts. */
export function localLogPath(store: RunStore, hash: string): string {
  return join(store.dir(hash), 'train.log');
}

export async function trainInChildren(todo: readonly Training[], store: RunStore, log: (line: string) => void,
  o: LocalJobsOptions): Promise<ExecutorOutcome> {
  const threads = Math.max(1, Math.floor((o.threads ?? threadSetting()) / o.jobs));
  const queue = [...todo].sort((a, b) => b.work - a.work);
  const label = (t: Training) => `${t.spec.experiment}/${t.spec.name}`;
  const failed: RunFailure[] = [];
  let trained = 0, started = 0;
  const children = new Set<ReturnType<typeof spawn>>();
  // Children have their own process group, so a Ctrl-C reaches them once, through here: each stops at
  // its next step, keeping its last epoch's checkpoint, and no new run starts. A parent that exits
  // at once (a second Ctrl-C) takes them down with it.
  let stopping: NodeJS.Signals | undefined;
  const forward = (signal: NodeJS.Signals) => { for (const c of children) c.kill(signal); };
  const onSignal = (signal: NodeJS.Signals) => { stopping = signal; forward(signal); };
  const onExit = () => forward('SIGTERM');
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', onExit);

  const trainOne = (t: Training, i: number) => new Promise<void>((resolve) => {
    store.begin(t.hash, t.spec);
    const logPath = localLogPath(store, t.hash);
    const fd = openSync(logPath, 'a');
    writeSync(fd, `repro: run ${t.hash} as local job ${i + 1} of ${queue.length} on ${threads} thread(s) at ${new Date().toISOString()}\n`);
    log(`[${i + 1}/${queue.length}] training ${label(t)} (${t.spec.model}, ${t.spec.epochs} epochs) on ${threads} thread(s); log ${logPath}`);
    const child = spawn(o.node ?? process.execPath,
      [join(REPO_ROOT, 'bin', 'repro.js'), 'train', '--spec', join(store.dir(t.hash), 'spec.json'), '--store', store.root, '--expect-hash', t.hash],
      {cwd: REPO_ROOT, env: {...process.env, REPRO_THREADS: String(threads)}, stdio: ['ignore', fd, fd], detached: true});
    children.add(child);
    let settled = false;
    const settle = (code: number | null, signal: NodeJS.Signals | null, why?: string) => {
      if (settled) return; // 'error' and 'exit' can both come
      settled = true;
      children.delete(child);
      closeSync(fd);
      const result = store.read(t.hash, () => {});
      if (result) {
        trained += 1;
        const f = result.final;
        log(`  ${label(t)} ${result.status === 'diverged' ? `DIVERGED at iteration ${result.divergedAt?.iteration}`
          : `done${f ? `: train error ${(f.trainError * 100).toFixed(2)}%, test error ${(f.testError * 100).toFixed(2)}%` : ''}`}`);
      } else if (stopping) {
        log(`  ${label(t)} stopped (${stopping}): it resumes from its last checkpoint`);
      } else {
        const failure: RunFailure = {hash: t.hash, label: label(t), state: signal ? 'CANCELLED' : 'FAILED',
          exitCode: signal ? `0:${signal}` : `${code ?? 0}:0`,
          explanation: why ?? (signal ? `the process was stopped by ${signal}; it resumes from its last checkpoint on the next reproduce`
            : 'repro train exited without a result in the store'), log: logPath, attempts: 1};
        failed.push(failure);
        log(`  ${label(t)} FAILED: ${failure.explanation}; log ${logPath}`);
      }
      resolve();
    };
    child.on('error', (err) => settle(null, null, `could not start ${o.node ?? process.execPath}: ${err.message}`));
    child.on('exit', (code, signal) => settle(code, signal));
  });

  const worker = async () => {
    while (started < queue.length && !stopping) {
      const i = started++;
      await trainOne(queue[i], i);
    }
  };
  try {
    await Promise.all(Array.from({length: Math.min(o.jobs, queue.length)}, worker));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
  }
  if (stopping) {
    throw new ReproError(`interrupted (${stopping}): ${trained} run(s) finished, ${queue.length - trained} not`,
      {fix: 'run the same command again: every stopped run resumes from its last finished epoch\'s checkpoint'});
  }
  return {trained, failed};
}
