import type {ClaimVerdict, RunResults} from '../claims/claim';
import {OUT_OF_SCOPE} from '../../experiments/index';
import {effectIntervalsFigure} from '../report/figures/effect_intervals';
import type {ReportInput, ReportSection} from '../report/model';
import {markStandIn, standInText} from '../report/figures/stand_in';
import {reportProvenance, type ProvenanceEnv} from '../report/provenance';
import type {ProfilePlan} from './plan';

/**
 * The summary's sentence on claims decided at a design's later look (a level other than 95%), or
 * nothing: "B2 is decided at a later look of a design that looks at its data more than once, …".
 */
function laterLooks(claims: readonly ClaimVerdict[]): string {
  const ids = claims.filter((c) => c.effects?.some((e) => e.level !== undefined)).map((c) => c.id);
  if (!ids.length) return '';
  return `${ids.join(', ')} ${ids.length > 1 ? 'are' : 'is'} decided at a later look of a design that looks at its data more than once, ` +
    'at the higher level its rule names, so that the looks together keep their error rate (Bonferroni). ';
}

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
        'each seed (dots), the mean (tick) and its 95% t-interval (line; a row names another level), against the decision boundary (red)',
      spec: effectIntervalsFigure({claims: decided})}] : [];
      const own = claims.filter((c) => ids.includes(c.id));
      // Results on a stand-in data set say so in every figure drawn from them, not only in a caption.
      const standIn = plan.ctx.data.standIn && plan.ctx.data.note !== undefined && own.some((c) => c.note?.includes(plan.ctx.data.note as string));
      const figures = standIn ? s.figures.map((f) => ({...f, spec: markStandIn(f.spec, standInText(plan.ctx.data.name))})) : s.figures;
      return {id: exp.id, title: exp.title, claimIds: ids, ...s, figures: [...evidence, ...figures]};
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
        : plan.profile === 'quick' ? 'a toy budget on a 2-core CPU (sizes in experiments/README.md): most trained claims are inconclusive'
        : plan.profile === 'standard' ? 'a 2-core CPU for about a day and a half, in sittings, sized to decide B1–B6 and E1 (experiments/README.md)' : 'the published recipes'}.`,
      'Every trained claim is decided over several seeds: each effect is computed per seed (paired where the design pairs runs), ' +
        'summarised by its mean and a 95% Student-t interval (n − 1 degrees of freedom; with 3–8 seeds a bootstrap interval cannot reach ' +
        'beyond the observed values and is too narrow). Interval wholly on the claim\'s side: reproduced; wholly on the other: not ' +
        'reproduced; across the boundary: inconclusive, with the seeds that would decide it. "≈" claims use an equivalence margin. ' +
        laterLooks(claims) +
        'Encoded: a check of our own specs, not evidence about the paper.',
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
