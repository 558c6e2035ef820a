import {copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import type {ClaimVerdict} from '../claims/claim';
import type {RunResult} from '../runs/result';
import {REPO_ROOT} from '../runs/code_version';
import type {RunStore} from '../runs/store';
import {writeFileAtomic, writeJsonAtomic} from '../util/atomic';
import {ReproError} from '../util/errors';
import {collectResults} from './evaluate';
import type {ProfilePlan} from './plan';
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
  /** The kind of CPU that trained it (cpu_kind.ts): bit for bit comparable only on the same kind. */
  readonly cpu?: string;
  readonly final?: Readonly<Record<string, number>>;
}

export function baselineDir(profile: string): string {
  return join(REPO_ROOT, 'reports', 'baselines', profile);
}

/**
 * Baselines are reference results anyone must be able to regenerate from the commit they name, so
 * they come from a clean tree. Throws when the tree is dirty, unless `allowDirty`: then returns the
 * loud warning that is printed and written beside the baseline (DIRTY). Undefined when clean.
 */
export function cleanTreeCheck(git: {git: string; dirty: boolean}, allowDirty: boolean): string | undefined {
  if (!git.dirty) return undefined;
  if (!allowDirty) {
    throw new ReproError('repro baselines: the working tree has uncommitted changes (outside reports/)',
      {expected: `a clean tree: a baseline names the commit that produced it (${git.git}), and must be reproducible from it`,
        fix: 'commit or stash the changes (`git status`), then run again; --allow-dirty generates them anyway, stamped as such'});
  }
  return `WARNING: baselines generated from a working tree with uncommitted changes (--allow-dirty; commit ${git.git}): ` +
    'they cannot be regenerated from any commit; the report says so on its title page, and DIRTY marks the baseline folder';
}

/** Final metrics of every planned run, timing fields dropped, in plan order. */
export function baselineRuns(outcome: ReproduceOutcome, store: RunStore): BaselineRun[] {
  return outcome.plan.runs.flatMap((r) => {
    const result = store.read(r.hash);
    if (!result) return [];
    const final = result.final ? Object.fromEntries(Object.entries(result.final).filter(([k]) => k !== 'wallMs' && k !== 'imgPerSec')) : undefined;
    return [{experiment: r.experiment, name: r.name, model: r.spec.model, status: result.status, backend: result.provenance.backend,
      threads: result.provenance.threads, ...(result.provenance.cpu ? {cpu: result.provenance.cpu} : {}), ...(final ? {final} : {})}];
  });
}

/** The file of one planned run's full result inside a baseline: results/<experiment>--<name>.json. */
const resultFile = (experiment: string, name: string) => `${experiment}--${name}.json`;

/**
 * Writes reports/baselines/<profile>/{claims.json, runs.json} from a finished reproduce and, for
 * every profile but smoke, report.pdf and results/ (each planned run's full result.json: history,
 * gradient norms, provenance), from which the regression tests re-evaluate every claim.
 */
export function writeBaselines(outcome: ReproduceOutcome, store: RunStore, dir = baselineDir(outcome.plan.profile), dirtyWarning?: string): string {
  mkdirSync(dir, {recursive: true});
  // A clean regeneration removes an earlier DIRTY stamp; a dirty one leaves it in plain sight.
  if (dirtyWarning) writeFileAtomic(join(dir, 'DIRTY'), dirtyWarning + '\n');
  else rmSync(join(dir, 'DIRTY'), {force: true});
  writeJsonAtomic(join(dir, 'claims.json'), outcome.claims);
  writeJsonAtomic(join(dir, 'runs.json'), baselineRuns(outcome, store));
  // The smoke PDF and results would churn on every render (times, commits); its claims and metrics are what the tests compare.
  if (outcome.plan.profile === 'smoke') return dir;
  if (outcome.files && existsSync(outcome.files.pdf)) copyFileSync(outcome.files.pdf, join(dir, 'report.pdf'));
  const results = join(dir, 'results');
  rmSync(results, {recursive: true, force: true});
  writeResultFiles(outcome.plan, store, results);
  return dir;
}

/**
 * Writes every finished run of the plan to DIR/<experiment>--<name>.json (the layout of a
 * baseline's results/), leaving files already there in place: runs committed one by one as a
 * long profile trains. Returns how many files it wrote.
 */
export function writeResultFiles(plan: ProfilePlan, store: RunStore, dir: string): number {
  mkdirSync(dir, {recursive: true});
  let n = 0;
  for (const [experiment, runs] of collectResults(plan, store)) {
    for (const [name, result] of runs) {
      const path = join(dir, resultFile(experiment, name));
      if (existsSync(path)) continue;
      writeJsonAtomic(path, result);
      n++;
    }
  }
  return n;
}

/**
 * `repro store import`: every result file under `dir` (a baseline's results/, or another store's
 * export) is verified (format, hash of spec + code version + data) and added to `store`, pinned to
 * its spec so that later code versions count it as done. Returns what was added and what was refused.
 */
export function importResultFiles(dir: string, store: RunStore): {added: number; present: number; refused: string[]} {
  const out = {added: 0, present: 0, refused: [] as string[]};
  if (!existsSync(dir)) return out;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    try {
      const result = JSON.parse(readFileSync(join(dir, file), 'utf8')) as RunResult;
      if (store.importResult(result)) out.added++; else out.present++;
    } catch (err) {
      out.refused.push(`${join(dir, file)}: ${(err as Error).message}`);
    }
  }
  return out;
}

/** The committed full results of a baseline by experiment and run name (empty when it has none). */
export function readBaselineResults(profile: string): Map<string, Map<string, RunResult>> {
  const dir = join(baselineDir(profile), 'results');
  const out = new Map<string, Map<string, RunResult>>();
  if (!existsSync(dir)) return out;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const [experiment, name] = file.slice(0, -'.json'.length).split('--');
    const result = JSON.parse(readFileSync(join(dir, file), 'utf8')) as RunResult;
    if (!out.has(experiment)) out.set(experiment, new Map());
    out.get(experiment)!.set(name, result);
  }
  return out;
}

export function readBaselineClaims(profile: string): ClaimVerdict[] | undefined {
  const path = join(baselineDir(profile), 'claims.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ClaimVerdict[]) : undefined;
}

export function readBaselineRuns(profile: string): BaselineRun[] | undefined {
  const path = join(baselineDir(profile), 'runs.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as BaselineRun[]) : undefined;
}
