import {Verdict, type Claim, type ClaimVerdict, type Expectation, type RunResults} from './claim';

/** The criterion in words, e.g. "|ours − 0.85| ≤ 0.01" or "ours > 0". */
export function describeCriterion(e: Expectation): string {
  switch (e.holds) {
    case 'true': return 'holds';
    case 'lt': return `ours < ${e.threshold ?? 0}`;
    case 'gt': return `ours > ${e.threshold ?? 0}`;
    case 'approx': {
      const parts: string[] = [];
      if (e.tolerance?.abs !== undefined) parts.push(`±${e.tolerance.abs}`);
      if (e.tolerance?.rel !== undefined) parts.push(`±${(e.tolerance.rel * 100).toFixed(1)}%`);
      return `ours ≈ ${e.paper} (${parts.join(' or ') || 'exact'})`;
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

/**
 * Evaluates one claim on stored results. A run that is missing or diverged makes the claim
 * 'not run' with the reason (never a silent pass or fail).
 */
export function evaluateClaim(claim: Claim, results: RunResults, notRun?: {reason: string; command: string}): ClaimVerdict {
  const base = {id: claim.id, statement: claim.statement, source: claim.source, expected: claim.expected,
    criterion: describeCriterion(claim.expected)};
  if (notRun) return {...base, verdict: Verdict.notRun, note: notRun.reason, command: notRun.command};
  const diverged = [...results.values()].filter((r) => r.status === 'diverged');
  let measured: number | boolean;
  try {
    measured = claim.measure(results);
  } catch (err) {
    return {...base, verdict: Verdict.notRun, note: `could not measure: ${(err as Error).message}`};
  }
  const note = diverged.length
    ? `diverged: ${diverged.map((r) => `${r.spec.name} at iteration ${r.divergedAt?.iteration}`).join(', ')}`
    : undefined;
  return {...base, verdict: meets(claim.expected, measured) ? Verdict.reproduced : Verdict.notReproduced, measured,
    ...(note ? {note} : {})};
}
