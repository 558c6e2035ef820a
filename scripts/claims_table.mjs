#!/usr/bin/env node
// Prints README's claims table from the committed baselines (reports/baselines/<profile>/claims.json),
// so the README is regenerated from the record, never edited by hand:
//   node scripts/claims_table.mjs quick standard > /tmp/table.md
// A profile whose claims.json is not committed yet gets a "—" column saying so.
import {existsSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const profiles = process.argv.slice(2);
if (!profiles.length) {
  process.stderr.write('usage: node scripts/claims_table.mjs PROFILE [PROFILE …]   (e.g. quick standard)\n');
  process.exit(2);
}
const load = (p) => {
  const f = join(root, 'reports', 'baselines', p, 'claims.json');
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : undefined;
};
const claims = Object.fromEntries(profiles.map((p) => [p, load(p)]));
const ids = (claims[profiles.find((p) => claims[p])] ?? []).map((c) => c.id);
const num = (x) => (Math.abs(x) >= 100 || Number.isInteger(x) ? x.toLocaleString('en-US') : String(Number(x.toPrecision(3))));
function ours(c) {
  if (!c) return '—';
  const pct = (c.unit ?? c.expected?.unit) === '%';
  const s = (x) => (pct ? `${num(x * 100)}` : num(x));
  if (c.ci && c.n) {
    const lo = Number.isFinite(c.ci[0]) ? s(c.ci[0]) : '−∞', hi = Number.isFinite(c.ci[1]) ? s(c.ci[1]) : '∞';
    return `${s(c.estimate)}${pct ? ' pt' : ''} [${lo}, ${hi}], n = ${c.n}`;
  }
  if (typeof c.measured === 'boolean') return c.measured ? 'holds' : 'does not hold';
  return typeof c.measured === 'number' ? s(c.measured) + (pct ? '%' : '') : '—';
}
const head = `| claim | paper | ${profiles.map((p) => `${p}: ours (estimate [95% CI], seeds) | ${p}: verdict`).join(' | ')} |`;
const rule = `|---|---|${profiles.map(() => '---|---|').join('')}`;
const rows = ids.map((id) => {
  const any = profiles.map((p) => claims[p]?.find((c) => c.id === id)).find(Boolean);
  const e = any?.expected;
  const paper = (e?.paperText ?? (e?.paper !== undefined ? (e.unit === '%' ? `${num(e.paper * 100)}%` : num(e.paper)) : '—')).replace(/\|/g, '\\|');
  const cells = profiles.flatMap((p) => {
    const c = claims[p]?.find((x) => x.id === id);
    return c ? [ours(c), c.verdict] : ['not committed yet', '—'];
  });
  return `| ${id} ${any?.statement?.split(':')[0] ?? ''} | ${paper} | ${cells.join(' | ')} |`;
});
process.stdout.write([head, rule, ...rows].join('\n') + '\n');
