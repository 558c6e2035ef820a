import type {ClaimVerdict, EffectVerdict} from '../../claims/claim';
import {levelText} from '../../claims/evaluate';
import type {VegaLiteSpec} from '../vega_types';
import {frame, PALETTE, requireRows} from './style';

export interface EffectIntervalsInput {
  readonly title?: string;
  readonly claims: readonly ClaimVerdict[];
}

/** Effect names run to 80 characters: labels are wrapped onto lines of at most this many. */
const LABEL_LINE = 36;

/** Greedy word wrap; lines joined by '\n', which the axis splits into lines. */
export function wrapLabel(text: string, width = LABEL_LINE): string {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines.join('\n');
}

/** One row per effect of every claim: label, the decision, and where its boundary lies. */
function rowsOf(c: ClaimVerdict, e: EffectVerdict, percent: boolean) {
  const s = percent ? 100 : 1;
  // A level other than 95% (a design's later look) is named on the row it applies to.
  const level = e.level !== undefined ? ` (${levelText(e.level)} interval)` : '';
  return {label: wrapLabel(`${c.id}: ${e.name}${level}`), estimate: e.estimate * s, lo: e.ci[0] * s, hi: e.ci[1] * s, verdict: e.verdict, n: e.n,
    seeds: e.perSeed.map((v) => v * s), bounds: e.bounds.map((b) => b * s)};
}

/**
 * The evidence behind trained verdicts: for every effect, each seed's value (dots), their mean
 * (a bar tick) with its 95% interval (a line; another level is named in the row's label), and the decision boundary (red rule: the threshold,
 * or the two ends of an equivalence margin). An interval wholly on one side is a decision; one
 * that crosses the rule is inconclusive. Values of '%' claims are shown in points.
 */
export function effectIntervalsFigure(input: EffectIntervalsInput): VegaLiteSpec {
  const rows = input.claims.flatMap((c) => (c.effects ?? []).filter((e) => e.n >= 1).map((e) => rowsOf(c, e, (e.unit ?? c.expected.unit) === '%')));
  requireRows('effectIntervalsFigure', rows.length);
  const order = rows.map((r) => r.label);
  // An interval of n = 1 is infinite: draw only the point.
  const intervals = rows.filter((r) => Number.isFinite(r.lo) && Number.isFinite(r.hi));
  const seeds = rows.flatMap((r) => r.seeds.map((v) => ({label: r.label, value: v})));
  const rules = rows.flatMap((r) => r.bounds.map((b) => ({label: r.label, value: b})));
  const y = {field: 'label', type: 'nominal', title: null, sort: order,
    axis: {labelLimit: 0, labelFontSize: 9, labelLineHeight: 11, labelExpr: "split(datum.label, '\\n')"}} as const;
  const lines = Math.max(...rows.map((r) => r.label.split('\n').length));
  const unit = input.claims.some((c) => c.expected.unit === '%') ? ' (points for error and accuracy effects)' : '';
  return {
    ...frame(input.title, {height: Math.max(60, (11 * lines + 14) * rows.length), width: 300}),
    resolve: {scale: {x: 'shared'}},
    layer: [
      ...(rules.length ? [{data: {values: rules}, mark: {type: 'tick' as const, color: '#C00000', thickness: 2, size: 22},
        encoding: {y, x: {field: 'value', type: 'quantitative' as const, title: `effect${unit}`}}}] : []),
      ...(intervals.length ? [{data: {values: intervals}, mark: {type: 'rule' as const, color: PALETTE[0], strokeWidth: 2},
        encoding: {y, x: {field: 'lo', type: 'quantitative' as const, title: `effect${unit}`}, x2: {field: 'hi'}}}] : []),
      {data: {values: seeds}, mark: {type: 'point' as const, color: '#555555', size: 28, opacity: 0.8},
        encoding: {y, x: {field: 'value', type: 'quantitative' as const, title: `effect${unit}`}}},
      {data: {values: rows}, mark: {type: 'tick' as const, color: PALETTE[0], thickness: 3, size: 16},
        encoding: {y, x: {field: 'estimate', type: 'quantitative' as const, title: `effect${unit}`},
          tooltip: [{field: 'verdict', type: 'nominal' as const}, {field: 'n', type: 'quantitative' as const}]}},
    ],
  };
}
