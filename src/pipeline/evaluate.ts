import {evaluateClaim, leansAgainst, roleOf, shown} from '../claims/evaluate';
import {Verdict, type Claim, type ClaimVerdict, type EffectVerdict, type RunResults} from '../claims/claim';
import type {RunResult} from '../runs/result';
import type {RunStore} from '../runs/store';
import type {ExperimentSpec} from '../../experiments/types';
import type {Profile} from '../../experiments/profile';
import type {ProfilePlan} from './plan';

/** Each experiment's stored results by run name (a run shared with another experiment appears under this one's name). */
export function collectResults(plan: ProfilePlan, store: RunStore): Map<string, Map<string, RunResult>> {
  const out = new Map<string, Map<string, RunResult>>();
  for (const exp of plan.experiments) out.set(exp.id, new Map());
  for (const r of plan.runs) {
    const result = store.read(r.hash);
    if (result) out.get(r.experiment)!.set(r.name, result);
  }
  return out;
}

/** The shell command that fills in an experiment's missing runs. */
export function reproduceCommandFor(profile: string, experiment: string): string {
  return `npm run reproduce -- --profile ${profile} --only ${experiment}`;
}

/**
 * A budget far below the claim's setting cannot refute it: a trained claim whose interval lies on
 * the wrong side reads 'inconclusive' ("opposite at this budget"), not 'not reproduced'. The smoke
 * profile (synthetic data, a few steps) never refutes anything. An inconclusive claim with an
 * effect whose mean leans to the wrong side is told so: more seeds would only narrow it to that
 * side, which this budget reads as inconclusive, so the seed count the spread gives would not decide it.
 * The rule applies to each effect as well as to the claim, so that claims.json never shows an
 * effect 'not reproduced', or a seed count as its answer, under a claim the budget left open.
 */
export function withinBudget(exp: ExperimentSpec, profile: Profile, v: ClaimVerdict): ClaimVerdict {
  const shortBudget = exp.shortBudget?.(profile)
    ?? (profile === 'smoke' ? 'the smoke profile trains synthetic data for a few steps: a test of the machinery, not evidence' : undefined);
  if (!shortBudget || !v.effects) return v;
  const rules = exp.claims.find((c) => c.id === v.id)?.effects;
  const opposite = `the interval lies on the opposite side at this budget, which cannot refute the claim: ${shortBudget}`;
  const leaning = (e: EffectVerdict, i: number) => e.verdict === Verdict.inconclusive && !!rules?.[i] && leansAgainst(rules[i].rule, e.estimate);
  const onlyConfirms = (e: EffectVerdict) => `its mean (${shown(e.estimate, e.unit ?? v.expected.unit)}) leans to the opposite side; ` +
    `more seeds would only confirm that side, which cannot refute the claim at this budget: ${shortBudget}`;
  const effects = v.effects.map((e, i): EffectVerdict =>
    e.verdict === Verdict.notReproduced ? {...e, verdict: Verdict.inconclusive, decide: opposite}
      : leaning(e, i) ? {...e, decide: onlyConfirms(e)} : e);
  if (v.verdict === Verdict.notReproduced) {
    return {...v, verdict: Verdict.inconclusive, effects, decide: `${v.decide ? `${v.decide}; ` : ''}${opposite}`};
  }
  if (v.verdict !== Verdict.inconclusive) return v;
  const against = v.effects.find(leaning);
  return {...v, effects, ...(against ? {decide: `${against.name}: ${onlyConfirms(against)}`} : {})};
}

/**
 * Whether a claim reads the run: every run of its experiment, unless each of its effects names
 * its roles (B1 does not wait for the runs only B2 reads).
 */
export function readsRun(claim: Claim, runName: string): boolean {
  const effects = claim.effects ?? [];
  if (!effects.length || effects.some((e) => !e.roles)) return true;
  return effects.some((e) => e.roles!.includes(roleOf(runName)));
}

/**
 * Every claim of the planned experiments → verdict. An experiment that cannot run here, or a claim
 * whose runs are not (all) in the store, gives 'not run' with the reason and the command; notes of the
 * experiment (deviations, stand-in data) go on the claim's row.
 */
export function evaluateProfile(plan: ProfilePlan, results: ReadonlyMap<string, RunResults>): ClaimVerdict[] {
  const verdicts: ClaimVerdict[] = [];
  for (const exp of plan.experiments) {
    const mine = results.get(exp.id) ?? new Map();
    const planned = plan.runs.filter((r) => r.experiment === exp.id);
    const cannotRun = exp.notRun(plan.profile, plan.ctx);
    const notes = exp.claimNotes?.(plan.profile, plan.ctx) ?? {};
    const usesStandIn = plan.ctx.data.standIn && planned.some((r) => r.spec.data.name === plan.ctx.data.name);
    for (const claim of exp.claims) {
      const missing = planned.filter((r) => readsRun(claim, r.name) && !mine.has(r.name)).map((r) => r.name);
      const notRun = cannotRun
        ?? (missing.length ? {reason: `runs not in the store: ${missing.join(', ')}`, command: reproduceCommandFor(plan.profile, exp.id)} : undefined);
      const v = withinBudget(exp, plan.profile, evaluateClaim(claim, mine, notRun));
      const note = [v.note, notes[claim.id], usesStandIn ? plan.ctx.data.note : undefined].filter((n): n is string => !!n).join('; ');
      // A measurement that failed is 'not run' too: it gets the command that retries it.
      const command = v.verdict === 'not run' && !v.command ? {command: reproduceCommandFor(plan.profile, exp.id)} : {};
      verdicts.push({...v, ...(note ? {note} : {}), ...command});
    }
  }
  return verdicts;
}
