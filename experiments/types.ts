import type {Claim, RunResults} from '../src/claims/claim';
import {roleOf} from '../src/claims/evaluate';
import type {ReportFigure, ReportTable} from '../src/report/model';
import type {RunResult} from '../src/runs/result';
import type {RunSpec} from '../src/runs/spec';
import type {FinalMetrics} from '../src/train/metrics';
import type {ExperimentContext} from './data_choice';
import type {Profile} from './profile';
import {runName} from './recipe';

/** Why an experiment's claims are 'not run' on this machine, and the command that would run them. */
export interface NotRun {
  readonly reason: string;
  readonly command: string;
}

/** The report section of one experiment, made from whatever results exist (missing runs: fewer figures). */
export interface SectionContent {
  readonly paragraphs: readonly string[];
  readonly figures: readonly ReportFigure[];
  readonly tables: readonly ReportTable[];
}

/**
 * One claim group of ../shared/CLAIMS.md as data: its claims (with the paper's numbers), the runs
 * each profile needs, when it cannot run, and how its section of the report is drawn.
 */
export interface ExperimentSpec {
  /** Id used by --only and as the report anchor, e.g. 'B1B2'. */
  readonly id: string;
  readonly title: string;
  readonly claims: readonly Claim[];
  /** The runs the profile needs (RunSpec.experiment === id; names unique within the experiment). */
  runs(profile: Profile, ctx: ExperimentContext): readonly RunSpec[];
  /** Set when the claims cannot be evaluated here (missing data or weights). */
  notRun(profile: Profile, ctx: ExperimentContext): NotRun | undefined;
  /**
   * Why this profile's budget is too short to refute the claims (they are about nets trained far
   * longer): an interval wholly on the wrong side then reads 'inconclusive' with this reason, never
   * 'not reproduced'. Undefined where the profile's budget is the claim's own setting.
   */
  shortBudget?(profile: Profile): string | undefined;
  /** Per-claim notes for the claims table (deviations from the paper, stand-ins). */
  claimNotes?(profile: Profile, ctx: ExperimentContext): Readonly<Partial<Record<string, string>>>;
  section(results: RunResults, profile: Profile, ctx: ExperimentContext): SectionContent;
}

/** The final metrics of run `name`, or an error naming it (evaluateClaim turns the error into 'not run'). */
export function finalOf(results: RunResults, name: string): FinalMetrics {
  return finishedRun(results, name).final!;
}

/** Run `name` if it finished (status done, final metrics), or an error naming it (evaluateClaim: 'not run'). */
export function finishedRun(results: RunResults, name: string): RunResult {
  const r = results.get(name);
  if (!r) throw new Error(`run "${name}" is not in the store`);
  if (r.status !== 'done' || !r.final) throw new Error(`run "${name}" ${r.status === 'diverged' ? 'diverged' : 'has no final metrics'}`);
  return r;
}

/** The final metrics of role `name`'s run of seed `seed` ("plain56" → run "plain56.s2"). */
export function seedFinal(results: RunResults, name: string, seed: number): FinalMetrics {
  return finalOf(results, runName(name, seed));
}

/** Every finished run of the given roles, all seeds, with its role (the run name without ".s<seed>"). */
export function finishedRoles(results: RunResults, roles: readonly string[]): (RunResult & {role: string})[] {
  return [...results.values()].flatMap((r) => {
    const role = roleOf(r.spec.name);
    return roles.includes(role) && r.status === 'done' && r.history.length ? [{...r, role}] : [];
  }).sort((a, b) => roles.indexOf(a.role) - roles.indexOf(b.role) || a.spec.seed - b.spec.seed);
}

/** The stored results among `names` that finished, in that order (for figures drawn from what exists). */
export function finished(results: RunResults, names: readonly string[]): RunResult[] {
  return names.flatMap((n) => {
    const r = results.get(n);
    return r && r.status === 'done' && r.history.length ? [r] : [];
  });
}
