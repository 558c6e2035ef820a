import type {ClaimVerdict, RunResults} from '../claims/claim';
import {OUT_OF_SCOPE} from '../../experiments/index';
import {effectIntervalsFigure} from '../report/figures/effect_intervals';
import type {ReportInput, ReportSection} from '../report/model';
import {reportProvenance, type ProvenanceEnv} from '../report/provenance';
import type {ProfilePlan} from './plan';

/**
 * The ReportInput of a profile: the claims table, one section per experiment (drawn from the
 * results that exist), provenance from the runs themselves, and the out-of-scope list. The time
 * is the newest run's end (so re-rendering cached results gives the same report), else `now`.
 */
export function buildReportInput(plan: ProfilePlan, results: ReadonlyMap<string, RunResults>, claims: readonly ClaimVerdict[],
  env: ProvenanceEnv, now: Date = new Date()): ReportInput {
  const sections: ReportSection[] = plan.experiments.map((exp) => {
    const ids = exp.claims.map((c) => c.id);
    try {
      const s = exp.section(results.get(exp.id) ?? new Map(), plan.profile, plan.ctx);
      // Every trained verdict shows its evidence: each seed, the mean and its interval, against the rule's boundary.
      const decided = claims.filter((c) => ids.includes(c.id) && c.effects?.length);
      const evidence = decided.length ? [{id: `${exp.id.toLowerCase()}-evidence`, caption: `The evidence behind ${decided.map((c) => c.id).join(', ')}: ` +
        'each seed (dots), the mean (tick) and its 95% t-interval (line), against the decision boundary (red)',
      spec: effectIntervalsFigure({claims: decided})}] : [];
      return {id: exp.id, title: exp.title, claimIds: ids, ...s, figures: [...evidence, ...s.figures]};
    } catch (err) {
      return {id: exp.id, title: exp.title, claimIds: ids, paragraphs: [`This section could not be drawn: ${(err as Error).message}`],
        figures: [], tables: []};
    }
  });
  const stored = [...results.values()].flatMap((m) => [...m.values()]);
  const ends = stored.map((r) => r.provenance.endedAt).sort();
  const counts = {reproduced: 0, 'not reproduced': 0, inconclusive: 0, 'not run': 0, encoded: 0};
  for (const c of claims) counts[c.verdict]++;
  return {
    title: 'Deep residual networks: a reproduction',
    subtitle: `profile ${plan.profile}`,
    profile: plan.profile,
    generatedAt: ends.length ? ends[ends.length - 1] : now.toISOString(),
    summary: [
      `${claims.length} claims: ${counts.reproduced} reproduced, ${counts['not reproduced']} not reproduced, ${counts.inconclusive} inconclusive, ` +
        `${counts['not run']} not run, ${counts.encoded} encoded.`,
      `Profile "${plan.profile}": ${plan.profile === 'smoke' ? 'synthetic data and a few steps — a test of the pipeline, not evidence'
        : plan.profile === 'quick' ? 'scaled-down runs on a 2-core CPU (sizes in experiments/README.md)' : 'the published recipes'}.`,
    ],
    ...(plan.ctx.data.note ? {dataNote: plan.ctx.data.note} : {}),
    claims,
    sections,
    provenance: reportProvenance(plan.runs.map((r) => {
      const result = results.get(r.experiment)?.get(r.name);
      return {experiment: r.experiment, name: r.name, hash: r.hash, ...(result ? {result} : {})};
    }), env),
    outOfScope: OUT_OF_SCOPE,
  };
}
