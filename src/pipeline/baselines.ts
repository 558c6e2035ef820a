import {copyFileSync, existsSync, mkdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {ClaimVerdict} from '../claims/claim';
import {REPO_ROOT} from '../runs/code_version';
import type {RunStore} from '../runs/store';
import {writeJsonAtomic} from '../util/atomic';
import type {ReproduceOutcome} from './reproduce';

/** What a baseline keeps of one run: its final metrics without wall-clock fields (those differ every time). */
export interface BaselineRun {
  readonly experiment: string;
  readonly name: string;
  readonly model: string;
  readonly status: 'done' | 'diverged';
  /** The backend that trained it: the exact numbers are only comparable on the same one. */
  readonly backend: string;
  /** Its thread count: oneDNN's parallel reductions round differently with another one. */
  readonly threads: number;
  readonly final?: Readonly<Record<string, number>>;
}

export function baselineDir(profile: string): string {
  return join(REPO_ROOT, 'reports', 'baselines', profile);
}

/** Final metrics of every planned run, timing fields dropped, in plan order. */
export function baselineRuns(outcome: ReproduceOutcome, store: RunStore): BaselineRun[] {
  return outcome.plan.runs.flatMap((r) => {
    const result = store.read(r.hash);
    if (!result) return [];
    const final = result.final ? Object.fromEntries(Object.entries(result.final).filter(([k]) => k !== 'wallMs' && k !== 'imgPerSec')) : undefined;
    return [{experiment: r.experiment, name: r.name, model: r.spec.model, status: result.status, backend: result.provenance.backend,
      threads: result.provenance.threads, ...(final ? {final} : {})}];
  });
}

/** Writes reports/baselines/<profile>/{claims.json, runs.json, report.pdf (not for smoke)} from a finished reproduce. */
export function writeBaselines(outcome: ReproduceOutcome, store: RunStore, dir = baselineDir(outcome.plan.profile)): string {
  mkdirSync(dir, {recursive: true});
  writeJsonAtomic(join(dir, 'claims.json'), outcome.claims);
  writeJsonAtomic(join(dir, 'runs.json'), baselineRuns(outcome, store));
  // The smoke PDF would churn on every render; its claims and metrics are what the tests compare.
  if (outcome.plan.profile !== 'smoke' && outcome.files && existsSync(outcome.files.pdf)) copyFileSync(outcome.files.pdf, join(dir, 'report.pdf'));
  return dir;
}

export function readBaselineClaims(profile: string): ClaimVerdict[] | undefined {
  const path = join(baselineDir(profile), 'claims.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ClaimVerdict[]) : undefined;
}

export function readBaselineRuns(profile: string): BaselineRun[] | undefined {
  const path = join(baselineDir(profile), 'runs.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as BaselineRun[]) : undefined;
}
