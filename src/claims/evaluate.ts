import {Verdict, type Claim, type ClaimVerdict, type Effect, type EffectRule, type EffectVerdict, type Expectation,
  type Look, type RunResults} from './claim';
import {seedsToDecide, tInterval, type Interval} from './stats';

/** The criterion in words, e.g. "|ours − 0.85| ≤ 0.01" or "ours > 0". */
export function describeCriterion(e: Expectation): string {
  // Counts stay exact; other values get four significant digits (a derived paper value such as
  // 0.18366346938775508 is read, not parsed).
  const num = (x: number | undefined) => x === undefined ? '?' : Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4)));
  switch (e.holds) {
    case 'true': return 'holds';
    case 'lt': return `ours < ${num(e.threshold ?? 0)}`;
    case 'gt': return `ours > ${num(e.threshold ?? 0)}`;
    case 'approx': {
      const parts: string[] = [];
      if (e.tolerance?.abs !== undefined) parts.push(`±${num(e.tolerance.abs)}`);
      if (e.tolerance?.rel !== undefined) parts.push(`±${(e.tolerance.rel * 100).toFixed(1)}%`);
      return `ours ≈ ${num(e.paper)} (${parts.join(' or ') || 'exact'})`;
    }
  }
}

/** Whether a measured value meets its expectation. */
export function meets(e: Expectation, measured: number | boolean): boolean {
  if (e.holds === 'true') return measured === true;
  if (typeof measured !== 'number' || !Number.isFinite(measured)) return false;
  switch (e.holds) {
    case 'lt': return measured < (e.threshold ?? 0);
    case 'gt': return measured > (e.threshold ?? 0);
    case 'approx': {
      if (e.paper === undefined) throw new Error('an approx expectation needs a paper value');
      const diff = Math.abs(measured - e.paper);
      const abs = e.tolerance?.abs, rel = e.tolerance?.rel;
      if (abs === undefined && rel === undefined) return diff === 0;
      return (abs !== undefined && diff <= abs) || (rel !== undefined && diff <= rel * Math.abs(e.paper));
    }
  }
}

/** The seeds present among an experiment's results, ascending. */
export function seedsIn(results: RunResults): number[] {
  return [...new Set([...results.values()].map((r) => r.spec.seed))].sort((a, b) => a - b);
}

/** "plain56.s2" → "plain56": a run's role, its name without the seed. */
export function roleOf(runName: string): string {
  return runName.replace(/\.s\d+$/, '');
}

/** The seeds that every one of `roles` has a run of, ascending. */
export function seedsOfRoles(results: RunResults, roles: readonly string[]): number[] {
  const runs = [...results.values()];
  return seedsIn(results).filter((s) => roles.every((role) => runs.some((r) => r.spec.seed === s && roleOf(r.spec.name) === role)));
}

/** The seeds an effect is decided over (Effect.seeds, else those of its roles, else the experiment's). */
export function effectSeeds(e: Effect, results: RunResults): readonly number[] {
  return e.seeds?.(results) ?? (e.roles ? seedsOfRoles(results, e.roles) : seedsIn(results));
}

/** A number in the claim's display unit: fractions with unit '%' read as points. */
export function shown(x: number, unit: Expectation['unit']): string {
  const v = unit === '%' ? x * 100 : x;
  const t = String(Number(v.toPrecision(3)));
  return unit === '%' ? `${t} points` : t;
}

/** The interval level every look of a one-look design uses. */
export const DEFAULT_LEVEL = 0.95;

/** A level as a percentage: 0.975 → "97.5%". */
export function levelText(level: number): string {
  return `${Number((level * 100).toPrecision(4))}%`;
}

/** The decision rule of one effect in words (at `look`'s level, saying why, where the design looks more than once). */
export function describeRule(e: Effect, unit: Expectation['unit'], look?: Look): string {
  const r = e.rule;
  const iv = `the ${levelText(look?.level ?? DEFAULT_LEVEL)} t-interval over seeds of ${e.name}`;
  const why = look ? ` (${look.why})` : '';
  switch (r.kind) {
    case 'above': return `${iv} lies above ${shown(r.threshold, unit)}${why}`;
    case 'below': return `${iv} lies below ${shown(r.threshold, unit)}${why}`;
    case 'within': return `${iv} lies within ±${shown(r.margin, unit)} (equivalence)${why}`;
  }
}

/** Which side of the rule an interval is on. */
function decideInterval(rule: EffectRule, iv: Interval): Verdict {
  if (!iv.defined) return Verdict.inconclusive;
  const [lo, hi] = iv.ci;
  switch (rule.kind) {
    case 'above': return lo > rule.threshold ? Verdict.reproduced : hi < rule.threshold ? Verdict.notReproduced : Verdict.inconclusive;
    case 'below': return hi < rule.threshold ? Verdict.reproduced : lo > rule.threshold ? Verdict.notReproduced : Verdict.inconclusive;
    case 'within': return lo > -rule.margin && hi < rule.margin ? Verdict.reproduced
      : lo >= rule.margin || hi <= -rule.margin ? Verdict.notReproduced : Verdict.inconclusive;
  }
}

/**
 * Whether a mean lies strictly on the refuting side of its rule's boundary (more seeds would make it
 * 'not reproduced'); a mean on the boundary leans nowhere.
 */
export function leansAgainst(rule: EffectRule, estimate: number): boolean {
  switch (rule.kind) {
    case 'above': return estimate < rule.threshold;
    case 'below': return estimate > rule.threshold;
    case 'within': return Math.abs(estimate) > rule.margin;
  }
}

/**
 * For an inconclusive effect: what would decide it, from the measured spread; at a design's last
 * look, what its `afterLast` says (more seeds would be a look the design did not plan).
 */
function whatWouldDecide(rule: EffectRule, iv: Interval, unit: Expectation['unit'], look?: Look): string {
  if (!iv.defined) return `${iv.n} seed${iv.n === 1 ? '' : 's'} give no interval: run at least 3 seeds`;
  const spread = `sd ${shown(iv.sd, unit)} over ${iv.n} seeds`;
  if (look?.afterLast) return `the design's last look (${spread}): ${look.afterLast}`;
  // The half-width must fall below the distance from the mean to the boundary that would decide it.
  const level = look?.level ?? DEFAULT_LEVEL;
  const n = rule.kind === 'within'
    ? seedsToDecide({...iv, estimate: Math.abs(iv.estimate)}, rule.margin, level)
    : seedsToDecide(iv, rule.threshold, level);
  if (n === undefined) {
    return `the mean (${shown(iv.estimate, unit)}) sits on the threshold (${spread}): more seeds alone will not decide it; ` +
      'a longer schedule or a larger effect would';
  }
  return `about ${n} seeds at the measured spread (${spread}), or a longer schedule that separates the nets further`;
}

/** One effect over its seeds (effectSeeds). */
export function evaluateEffect(e: Effect, results: RunResults, claimUnit: Expectation['unit']): EffectVerdict {
  const unit = e.unit ?? claimUnit;
  const seeds = effectSeeds(e, results);
  if (!seeds.length) throw new Error(`no seed has every run ${e.name} reads${e.roles ? ` (${e.roles.join(', ')})` : ''}`);
  const perSeed = seeds.map((s) => e.perSeed(results, s));
  const bad = perSeed.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new Error(`${e.name} is ${perSeed[bad]} for seed ${seeds[bad]}`);
  const look = e.look?.(results);
  const level = look?.level ?? DEFAULT_LEVEL;
  if (!(level > 0 && level < 1)) throw new Error(`${e.name}: interval level ${level} is not between 0 and 1`);
  const iv = tInterval(perSeed, level);
  const verdict = decideInterval(e.rule, iv);
  const bounds = e.rule.kind === 'within' ? [-e.rule.margin, e.rule.margin] : [e.rule.threshold];
  return {name: e.name, verdict, estimate: iv.estimate, ci: iv.ci, n: iv.n, perSeed, rule: describeRule(e, unit, look),
    ...(level !== DEFAULT_LEVEL ? {level} : {}), bounds,
    ...(verdict === Verdict.inconclusive ? {decide: whatWouldDecide(e.rule, iv, unit, look)} : {}),
    ...(e.unit !== undefined && e.unit !== claimUnit ? {unit: e.unit} : {})};
}

/**
 * A trained claim's verdict from its effects: any effect wholly on the wrong side → not reproduced
 * (that effect is the claim's estimate); all on the claim's side → reproduced (the first effect is
 * the estimate); otherwise inconclusive (the first undecided effect is the estimate).
 */
export function combineEffects(effects: readonly EffectVerdict[]): EffectVerdict & {verdict: Verdict} {
  const failed = effects.find((e) => e.verdict === Verdict.notReproduced);
  if (failed) return failed;
  return effects.find((e) => e.verdict === Verdict.inconclusive) ?? effects[0];
}

/** claims.json's `interval`: "t, n − 1 degrees of freedom, 95%", naming each effect whose level differs. */
export function intervalText(effects: readonly EffectVerdict[]): string {
  const other = effects.filter((e) => e.level !== undefined);
  if (!other.length) return `t, n − 1 degrees of freedom, ${levelText(DEFAULT_LEVEL)}`;
  const rest = effects.length > other.length ? `, ${levelText(DEFAULT_LEVEL)} for the other${effects.length - other.length > 1 ? 's' : ''}` : '';
  return `t, n − 1 degrees of freedom; ${other.map((e) => `${levelText(e.level!)} for ${e.name}`).join(', ')}${rest}`;
}

/**
 * Evaluates one claim on stored results. A run that is missing or diverged makes the claim
 * 'not run' with the reason (never a silent pass or fail). Trained claims (`effects`) decide each
 * effect over its seeds (effectSeeds: by default every seed present in `results`).
 */
export function evaluateClaim(claim: Claim, results: RunResults, notRun?: {reason: string; command: string}): ClaimVerdict {
  const base = {id: claim.id, statement: claim.statement, source: claim.source, expected: claim.expected,
    criterion: describeCriterion(claim.expected)};
  if (notRun) return {...base, verdict: Verdict.notRun, note: notRun.reason, command: notRun.command};
  const diverged = [...results.values()].filter((r) => r.status === 'diverged');
  const note = diverged.length
    ? `diverged: ${diverged.map((r) => `${r.spec.name} at iteration ${r.divergedAt?.iteration}`).join(', ')}`
    : undefined;
  if (claim.effects) {
    let effects: EffectVerdict[];
    try {
      if (!results.size) throw new Error('no runs in the store');
      effects = claim.effects.map((e) => evaluateEffect(e, results, claim.expected.unit));
    } catch (err) {
      return {...base, verdict: Verdict.notRun, note: `could not measure: ${(err as Error).message}`};
    }
    const d = combineEffects(effects);
    return {...base, verdict: d.verdict, measured: d.estimate, estimate: d.estimate, ...(d.unit !== undefined ? {unit: d.unit} : {}),
      ci: d.ci, ...(d.level !== undefined ? {level: d.level} : {}), n: d.n, perSeed: d.perSeed,
      rule: effects.map((e) => e.rule).join('; and '), interval: intervalText(effects),
      ...(d.decide ? {decide: `${d.name}: ${d.decide}`} : {}), effects, ...(note ? {note} : {})};
  }
  if (!claim.measure) throw new Error(`claim ${claim.id} has neither effects nor a measure`);
  let measured: number | boolean;
  try {
    measured = claim.measure(results);
  } catch (err) {
    return {...base, verdict: Verdict.notRun, note: `could not measure: ${(err as Error).message}`};
  }
  const holds = meets(claim.expected, measured);
  const verdict = claim.encoded ? (holds ? Verdict.encoded : Verdict.notReproduced) : holds ? Verdict.reproduced : Verdict.notReproduced;
  return {...base, verdict, measured, rule: claim.encoded ? `encoded: our own specs checked (${base.criterion}); says nothing about the paper`
    : `exact: ${base.criterion}`, ...(note ? {note} : {})};
}
