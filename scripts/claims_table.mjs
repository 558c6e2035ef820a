#!/usr/bin/env node
// Prints README's claims table from the committed baselines (reports/baselines/<profile>/claims.json),
// so the README is regenerated from the record, never edited by hand:
//   node scripts/claims_table.mjs quick standard > /tmp/table.md
// A profile whose claims.json is not committed yet gets a "—" column saying so.
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {builtModule, ROOT as root} from './built_module.mjs';

const profiles = process.argv.slice(2);
if (!profiles.length) {
  process.stderr.write('usage: node scripts/claims_table.mjs PROFILE [PROFILE …]   (e.g. quick standard)\n');
  process.exit(2);
}
// The report's own cell text (src/report/format_claim.ts), so README and the PDF print the same numbers.
const {claimCells} = builtModule('src/report/format_claim.js');
const load = (p) => {
  const f = join(root, 'reports', 'baselines', p, 'claims.json');
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : undefined;
};
const claims = Object.fromEntries(profiles.map((p) => [p, load(p)]));
const ids = (claims[profiles.find((p) => claims[p])] ?? []).map((c) => c.id);
/** A statement's headline: the text before its first colon, without a parenthesis the cut left open. */
const title = (statement) => {
  const head = statement.split(':')[0];
  return head.split('(').length > head.split(')').length ? head.slice(0, head.lastIndexOf('(')).trimEnd() : head;
};
const cell = (text) => text.replace(/\|/g, '\\|');
const head = `| claim | paper | ${profiles.map((p) => `${p}: ours (estimate [95% CI unless marked], seeds) | ${p}: verdict`).join(' | ')} |`;
const rule = `|---|---|${profiles.map(() => '---|---|').join('')}`;
const rows = ids.map((id) => {
  const any = profiles.map((p) => claims[p]?.find((c) => c.id === id)).find(Boolean);
  const paper = any ? cell(claimCells(any).paper) : '—';
  const cells = profiles.flatMap((p) => {
    const c = claims[p]?.find((x) => x.id === id);
    return c ? [cell(claimCells(c).ours), c.verdict] : ['not committed yet', '—'];
  });
  return `| ${id} ${title(any?.statement ?? '')} | ${paper} | ${cells.join(' | ')} |`;
});
process.stdout.write([head, rule, ...rows].join('\n') + '\n');
