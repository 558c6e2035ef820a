import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {writeJsonAtomic} from '../../util/atomic';
import {ReproError} from '../../util/errors';
import type {RunStore} from '../../runs/store';
import type {TaskRef} from './client';

/** One sbatch of a job array: task i is hashes[i]. */
export interface ArrayJob {
  readonly jobId: string;
  readonly submittedAt: string;
  readonly script: string;
  readonly hashes: readonly string[];
}

/**
 * The handle of runs handed to Slurm: <store>/.slurm/<id>/submission.json, with every array
 * submitted for them (first tries and retries). `repro status`, `repro cancel` and a later
 * `repro reproduce --executor slurm` re-attach through it; job ids alone would not do, since
 * they restart on a fresh cluster.
 */
export interface Submission {
  readonly format: 1;
  readonly id: string;
  readonly created: string;
  readonly profile: string;
  readonly throttle?: number;
  readonly maxAttempts: number;
  readonly sbatchArgs: readonly string[];
  readonly runs: readonly {readonly hash: string; readonly label: string}[];
  readonly arrays: ArrayJob[];
}

export function submissionsDir(store: RunStore): string { return join(store.root, '.slurm'); }
export function submissionDir(store: RunStore, id: string): string { return join(submissionsDir(store), id); }

export function saveSubmission(store: RunStore, s: Submission): void {
  writeJsonAtomic(join(submissionDir(store, s.id), 'submission.json'), s);
}

export function loadSubmissions(store: RunStore): Submission[] {
  const dir = submissionsDir(store);
  if (!existsSync(dir)) return [];
  const out: Submission[] = [];
  for (const id of readdirSync(dir).sort()) {
    const file = join(dir, id, 'submission.json');
    if (!existsSync(file)) continue;
    try { out.push(JSON.parse(readFileSync(file, 'utf8')) as Submission); } catch { /* being written: atomic, so only a foreign file */ }
  }
  return out.sort((a, b) => a.created.localeCompare(b.created));
}

/** The submission named by `id`, or the newest one; an error naming the store when there is none. */
export function findSubmission(store: RunStore, id?: string): Submission {
  const all = loadSubmissions(store);
  const s = id === undefined ? all[all.length - 1] : all.find((x) => x.id === id);
  if (!s) {
    throw new ReproError(id === undefined ? `no Slurm submission in the store ${store.root}` : `no Slurm submission "${id}" in the store ${store.root}`,
      {expected: all.length ? `one of ${all.map((x) => x.id).join(', ')}` : 'a store that `repro reproduce --executor slurm` submitted from',
        fix: 'pass the same --store as the submitting command'});
  }
  return s;
}

export interface Attempt extends TaskRef {
  readonly submittedAt: string;
  readonly submission: string;
  /** How many arrays (of any submission) have carried this run. */
  readonly count: number;
}

/** The newest task of each run across submissions. */
export function latestAttempts(subs: readonly Submission[]): Map<string, Attempt> {
  const out = new Map<string, Attempt>();
  for (const s of subs) {
    for (const a of s.arrays) {
      a.hashes.forEach((hash, task) => {
        const prev = out.get(hash);
        if (!prev || prev.submittedAt <= a.submittedAt) out.set(hash, {jobId: a.jobId, task, submittedAt: a.submittedAt, submission: s.id, count: (prev?.count ?? 0) + 1});
      });
    }
  }
  return out;
}
