import {localExecutor, type Executor} from '../executors/executor';
import {localJobsExecutor} from '../executors/local_jobs';
import {slurmExecutor} from '../executors/slurm/executor';
import {splitArgs} from '../executors/slurm/resources';
import {ReproError} from '../util/errors';
import type {ParsedArgs} from './args';

/** The options `repro reproduce` takes for choosing where runs train. */
export const EXECUTOR_VALUES = ['executor', 'jobs', 'slurm-args', 'throttle', 'retries', 'poll'] as const;
export const EXECUTOR_FLAGS = ['no-wait'] as const;

export const EXECUTOR_USAGE = `  --executor local|slurm  where missing runs train: in this process (default) or as one Slurm job array
  --jobs N                local: train N runs at once, each a \`repro train\` process on 1/N of the threads
                          (on 2 cores, --jobs 2 trains 1.2–1.5× the images per second of one run)
  --slurm-args 'OPTS'     extra sbatch options, overriding the profile's resources (e.g. '--partition=gpu --time=8:00:00')
  --throttle N            at most N array tasks at once (sbatch --array=…%N)
  --retries N             resubmit a failed run up to N times (default 2); it resumes from its checkpoint
  --poll SECONDS          how often to look at the store and squeue (default 5)
  --no-wait               submit and return at once; \`repro status\` / \`repro reproduce\` re-attach later`;

function positiveInt(args: ParsedArgs, name: string, min: number): number | undefined {
  const raw = args.values.get(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ReproError(`repro reproduce: --${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

export function executorOption(args: ParsedArgs): Executor {
  const name = args.values.get('executor') ?? 'local';
  const slurmOnly = ['slurm-args', 'throttle', 'retries', 'poll'].filter((o) => args.values.has(o)).concat(args.flags.has('no-wait') ? ['no-wait'] : []);
  if (name === 'local') {
    if (slurmOnly.length) throw new ReproError(`repro reproduce: --${slurmOnly[0]} only applies to --executor slurm`, {fix: 'add --executor slurm, or drop the option'});
    const jobs = positiveInt(args, 'jobs', 1) ?? 1;
    return jobs > 1 ? localJobsExecutor({jobs}) : localExecutor;
  }
  if (name !== 'slurm') throw new ReproError(`repro reproduce: unknown executor "${name}"`, {expected: 'local or slurm'});
  if (args.values.has('jobs')) {
    throw new ReproError('repro reproduce: --jobs only applies to --executor local', {fix: 'on Slurm, --throttle N limits how many runs train at once'});
  }
  const retries = positiveInt(args, 'retries', 0), poll = positiveInt(args, 'poll', 1), throttle = positiveInt(args, 'throttle', 1);
  return slurmExecutor({
    sbatchArgs: splitArgs(args.values.get('slurm-args') ?? ''),
    ...(throttle !== undefined ? {throttle} : {}),
    ...(retries !== undefined ? {maxAttempts: retries + 1} : {}),
    ...(poll !== undefined ? {pollMs: poll * 1000} : {}),
    wait: !args.flags.has('no-wait'),
  });
}
