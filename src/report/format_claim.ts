import type {ClaimVerdict, Expectation} from '../claims/claim';
import {levelText} from '../claims/evaluate';

/**
 * Display text for the claims table. Claims keep values in their measuring units (error as a
 * fraction, FLOPs in G); only the report turns them into text, so this is the one place where
 * '%' multiplies by 100 and numbers get rounded.
 */
export interface ClaimCells {
  readonly paper: string;
  /** False when the paper cell is prose ("curves only"): the table left-aligns it. */
  readonly paperIsNumber: boolean;
  readonly ours: string;
  readonly criterion: string;
}

type Unit = NonNullable<Expectation['unit']>;

/** The factor from a claim's stored value to the number shown beside its unit. */
function displayScale(unit: Unit | undefined): number {
  return unit === '%' ? 100 : 1;
}

function suffix(unit: Unit | undefined): string {
  switch (unit) {
    case undefined: case '': return '';
    case '%': return '%';
    case 'points': return ' points';
    case 'M': case 'G': return unit;
  }
}

/** Integers keep every digit (parameter counts are exact claims); other numbers 4 significant digits. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return x.toExponential(2);
  // toPrecision then Number() drops trailing zeros: 6.970 → 6.97.
  return String(Number(x.toPrecision(4)));
}

/** A value in the claim's display unit, e.g. 0.0697 with '%' → "6.97%". */
export function formatValue(x: number | boolean, unit?: Unit): string {
  if (typeof x === 'boolean') return x ? 'holds' : 'does not hold';
  return formatNumber(x * displayScale(unit)) + suffix(unit);
}

/** The criterion in display units, e.g. "≈ 6.97% (±0.5%)" or "> 0%". */
export function formatCriterion(e: Expectation): string {
  const s = displayScale(e.unit), u = suffix(e.unit);
  switch (e.holds) {
    case 'true': return 'must hold';
    case 'lt': return `< ${formatNumber((e.threshold ?? 0) * s)}${u}`;
    case 'gt': return `> ${formatNumber((e.threshold ?? 0) * s)}${u}`;
    case 'approx': {
      const parts: string[] = [];
      // A zero tolerance is an exact claim: say "exact" rather than "±0".
      if (e.tolerance?.abs) parts.push(`±${formatNumber(e.tolerance.abs * s)}${u}`);
      if (e.tolerance?.rel) parts.push(`±${formatNumber(e.tolerance.rel * 100)}% rel.`);
      const paper = e.paper === undefined ? '?' : formatNumber(e.paper * s) + u;
      return `≈ ${paper} (${parts.join(' or ') || 'exact'})`;
    }
  }
}

/**
 * What we measured: "estimate [lo, hi], n = 3" in the claim's unit when the claim was decided from
 * seeds ("[lo, hi] (97.5% CI)" where the interval is not 95%), else the single measured value, else a dash.
 */
export function formatOurs(v: ClaimVerdict): string {
  const u = v.unit ?? v.expected.unit;
  if (v.estimate !== undefined) {
    // A seed-decided estimate is an effect (a difference of errors or accuracies): percentage points, signed.
    const scale = displayScale(u);
    const digits = v.ci ? intervalDecimals((v.ci[1] - v.ci[0]) * scale / 2) : undefined;
    const num = (x: number) => digits === undefined ? formatNumber(x * scale) : (x * scale).toFixed(digits);
    const effect = (x: number) => u === '%' ? `${x > 0 ? '+' : ''}${num(x)}` : num(x) + suffix(u);
    const unit = u === '%' ? ' pt' : '';
    // A 95% interval is the default and goes unmarked; another level (a design's later look) is named.
    const ci = v.ci ? ` [${effect(v.ci[0])}, ${effect(v.ci[1])}]${v.level !== undefined ? ` (${levelText(v.level)} CI)` : ''}` : '';
    return `${effect(v.estimate)}${unit}${ci}${v.n !== undefined ? `, n = ${v.n}` : ''}`;
  }
  return v.measured === undefined ? '—' : formatValue(v.measured, u);
}

/**
 * Decimals for an estimate and its interval: enough for two significant digits of the half-width
 * (0.23 → 2, 5.1 → 1, 47 → 0), the same for all three numbers, so that none claims more precision
 * than the interval allows and "+0.7 [+0.4672, +0.9328]" reads "+0.70 [+0.47, +0.93]".
 */
export function intervalDecimals(halfWidth: number): number | undefined {
  if (!(halfWidth > 0) || !Number.isFinite(halfWidth)) return undefined;
  return Math.min(6, Math.max(0, 1 - Math.floor(Math.log10(halfWidth))));
}

export function claimCells(v: ClaimVerdict): ClaimCells {
  const e = v.expected;
  const paper = e.paperText ?? (e.paper !== undefined ? formatValue(e.paper, e.unit) : '—');
  return {paper, paperIsNumber: e.paperText === undefined && e.paper !== undefined, ours: formatOurs(v), criterion: formatCriterion(e)};
}

/**
 * A claim's note without what the report says once for all claims (the stand-in data set's note,
 * which experiments append to every row that uses it). Undefined when nothing is left.
 */
export function ownNote(v: ClaimVerdict, sharedNotes: readonly string[]): string | undefined {
  let note = v.note ?? '';
  for (const shared of sharedNotes.filter(Boolean)) {
    note = note.split(`; ${shared}`).join('').split(`${shared}; `).join('');
    if (note === shared) note = '';
  }
  note = note.trim();
  return note === '' ? undefined : note;
}
