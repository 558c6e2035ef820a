import type {ClaimVerdict, Verdict} from '../claims/claim';
import {claimCells, ownNote} from './format_claim';
import type {ReportInput, ReportSection, ReportTable} from './model';
import {namespaceSvgIds} from './render_figure';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const VERDICT_CLASS: Record<Verdict, string> = {
  'reproduced': 'v-ok',
  'not reproduced': 'v-fail',
  'inconclusive': 'v-maybe',
  'not run': 'v-skip',
  'encoded': 'v-info',
};

/** Print CSS: A4 with margins for binding, serif body text, sans tables and figures, one section per page. */
const CSS = `
@page { size: A4; margin: 18mm 17mm 20mm 17mm; }
* { box-sizing: border-box; }
@media screen { body { max-width: 210mm; margin: 0 auto; padding: 12mm 17mm; } section { margin-top: 14mm; } }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: 'DejaVu Serif', serif; font-size: 10pt; line-height: 1.42; color: #111; margin: 0; }
h1, h2, h3, th, .meta, figcaption, caption, .badge, table { font-family: 'DejaVu Sans', sans-serif; }
h1 { font-size: 21pt; line-height: 1.2; margin: 0 0 6pt; }
h2 { font-size: 14pt; margin: 0 0 8pt; border-bottom: 1px solid #999; padding-bottom: 3pt; }
h3 { font-size: 11pt; margin: 12pt 0 5pt; }
p { margin: 0 0 7pt; text-align: justify; hyphens: auto; }
code, .mono { font-family: 'DejaVu Sans Mono', monospace; font-size: 7.5pt; overflow-wrap: anywhere; }
.title-page { padding-top: 40mm; }
.subtitle { font-size: 12.5pt; color: #333; margin-bottom: 18pt; }
.meta { font-size: 9pt; color: #333; margin-bottom: 16pt; }
.meta td { padding: 1pt 10pt 1pt 0; border: none; }
.summary { margin-top: 10pt; }
.counts { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; margin: 14pt 0; }
.counts span { margin-right: 12pt; }
.contents { margin-top: 18pt; font-family: 'DejaVu Sans', sans-serif; font-size: 9.5pt; }
.contents ol { margin: 4pt 0 0; padding-left: 16pt; }
.contents a, .decides a { color: #0b4f8a; text-decoration: none; }
/* Experiments follow each other (no half-empty pages); the claims and the appendix start a page. */
section.page { break-before: page; }
section { margin-top: 10pt; }
h2, h3, .decides { break-after: avoid; }
thead { display: table-header-group; }
/* A caption stays with its table: short tables never split, long ones keep the caption with the first rows. */
.keep { break-inside: avoid; }
caption { break-after: avoid; }
tbody tr:first-child, tbody tr:nth-child(2) { break-before: avoid; }
.box { border: 0.8px solid #888; border-radius: 3pt; padding: 5pt 8pt; margin: 6pt 0 10pt; font-size: 8.5pt; break-inside: avoid; }
.box h3 { margin: 0 0 4pt; font-size: 9.5pt; }
.box ol { margin: 0; padding-left: 14pt; }
.box li { margin-bottom: 3pt; }
.warn-box { border: 1.5px solid #a40e26; background: #ffebe9; color: #a40e26; font-family: 'DejaVu Sans', sans-serif;
  font-weight: bold; padding: 6pt 8pt; margin: 8pt 0; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; margin: 4pt 0 12pt; }
th { text-align: left; font-weight: bold; border-bottom: 1.2px solid #333; padding: 3pt 4pt; vertical-align: bottom; }
td { border-bottom: 0.5px solid #ccc; padding: 3pt 4pt; vertical-align: top; }
tr { break-inside: avoid; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.claims { table-layout: fixed; }
td.id { font-weight: bold; white-space: nowrap; }
.src { color: #555; font-size: 7pt; }
.note { color: #444; font-size: 7.5pt; margin-top: 2pt; }
caption { caption-side: top; text-align: left; font-size: 8.5pt; padding-bottom: 4pt; }
.badge { display: inline-block; padding: 1pt 4pt; border-radius: 3pt; font-size: 7.5pt; font-weight: bold; white-space: nowrap; }
.v-ok { background: #dafbe1; color: #116329; border: 0.5px solid #116329; }
.v-fail { background: #ffebe9; color: #a40e26; border: 0.5px solid #a40e26; }
.v-skip { background: #eef0f2; color: #424a53; border: 0.5px solid #6e7781; }
.v-maybe { background: #fff8c5; color: #7d4e00; border: 0.5px solid #9a6700; }
.v-info { background: #ddf4ff; color: #0a3069; border: 0.5px solid #0969da; }
td.claim .id { font-weight: bold; margin-right: 4pt; }
figure { margin: 8pt 0 14pt; break-inside: avoid; text-align: center; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 8.5pt; text-align: left; margin-top: 4pt; }
.label { font-weight: bold; }
.decides { font-family: 'DejaVu Sans', sans-serif; font-size: 8.5pt; color: #333; margin-bottom: 8pt; }
`;

/** Figure and table numbers run through the whole document, in reading order. */
interface Numbering {
  figure: number;
  table: number;
}

/**
 * The report as one self-contained HTML document: inline CSS and inline SVG figures, no scripts,
 * no network. `svgs` maps figure ids to their rendered SVG.
 */
export function renderHtml(input: ReportInput, svgs: ReadonlyMap<string, string>): string {
  const n: Numbering = {figure: 0, table: 0};
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(input.title)}</title>`,
    `<style>${CSS}</style></head><body>`,
    titlePage(input),
    claimsSection(input),
    ...input.sections.map((s) => experimentSection(s, svgs, n, input.claims)),
    outOfScopeSection(input),
    provenanceSection(input),
    '</body></html>',
    '',
  ].join('\n');
}

function titlePage(input: ReportInput): string {
  const counts = countVerdicts(input.claims);
  const p = input.provenance;
  return `<div class="title-page">
<h1>${escapeHtml(input.title)}</h1>
${input.subtitle ? `<div class="subtitle">${escapeHtml(input.subtitle)}</div>` : ''}
<table class="meta">
<tr><td>Profile</td><td><b>${escapeHtml(input.profile)}</b></td></tr>
<tr><td>Results gathered</td><td>${escapeHtml(input.generatedAt)}</td></tr>
<tr><td>Code</td><td><span class="mono">${escapeHtml(p.commit)}</span>${p.dirty ? ' <b>(uncommitted changes)</b>' : ''}</td></tr>
<tr><td>Engine</td><td>${escapeHtml(p.backend)} on ${escapeHtml(p.device)}, ${p.threads} thread${p.threads === 1 ? '' : 's'}</td></tr>
${p.adapter ? `<tr><td>GPU adapter</td><td>${escapeHtml(p.adapter)}</td></tr>\n` : ''}</table>
${p.dirty ? '<div class="warn-box">Made from a working tree with uncommitted changes: the commit above does not hold the code that produced these results.</div>' : ''}
<div class="counts">${(Object.keys(VERDICT_CLASS) as Verdict[]).filter((v) => counts[v] > 0 || v === 'reproduced' || v === 'not reproduced')
    .map((v) => `<span class="badge ${VERDICT_CLASS[v]}">${counts[v]} ${escapeHtml(v)}</span>`).join('')} of ${input.claims.length} claims</div>
<div class="summary">${input.summary.map((t) => `<p>${escapeHtml(t)}</p>`).join('\n')}</div>
${contents(input)}
</div>`;
}

function contents(input: ReportInput): string {
  const entries: [string, string][] = [['claims', 'Claims: paper vs ours'],
    ...input.sections.map((s): [string, string] => [`exp-${s.id}`, s.title]),
    ...(input.outOfScope.length ? [['out-of-scope', 'Out of scope'] as [string, string]] : []),
    ['provenance', 'Appendix: provenance']];
  return `<div class="contents"><h3>Contents</h3><ol>${entries.map(([id, t]) => `<li><a href="#${escapeHtml(id)}">${escapeHtml(t)}</a></li>`).join('')}</ol></div>`;
}

function countVerdicts(claims: readonly ClaimVerdict[]): Record<Verdict, number> {
  const c: Record<Verdict, number> = {'reproduced': 0, 'not reproduced': 0, 'inconclusive': 0, 'not run': 0, 'encoded': 0};
  for (const v of claims) c[v.verdict] += 1;
  return c;
}

/** Claims that cannot run here, grouped by the command that would run them (said once, not on every row). */
export interface NotRunGroup {
  readonly command: string;
  readonly ids: readonly string[];
  /** The distinct reasons of the group's claims (usually one), the shared data note left out. */
  readonly reasons: readonly string[];
}

export function notRunGroups(claims: readonly ClaimVerdict[], sharedNotes: readonly string[] = []): NotRunGroup[] {
  const groups = new Map<string, {ids: string[]; reasons: string[]}>();
  for (const v of claims) {
    if (v.verdict !== 'not run') continue;
    const key = v.command ?? '';
    const g = groups.get(key) ?? {ids: [], reasons: []};
    g.ids.push(v.id);
    const reason = ownNote(v, sharedNotes);
    // A reason that extends another ("…; the paper trains to convergence") replaces it rather than repeat it.
    if (reason && !g.reasons.some((r) => r.startsWith(reason))) {
      g.reasons = [...g.reasons.filter((r) => !reason.startsWith(r)), reason];
    }
    groups.set(key, g);
  }
  return [...groups].map(([command, g]) => ({command, ...g}));
}

/**
 * The claims table, four columns: the claim (with its rule and own notes in small print under it),
 * the paper's value, ours ("estimate [lo, hi], n = 3" when decided over seeds), the verdict. What
 * repeats across rows (the stand-in data note, the commands for what did not run) is said once,
 * outside the table: `sharedNotes` are cut from the rows, and a 'not run' row points to its group.
 */
export function claimsTableHtml(claims: readonly ClaimVerdict[], sharedNotes: readonly string[] = []): string {
  const groups = notRunGroups(claims, sharedNotes);
  const rows = claims.map((v) => {
    const cells = claimCells(v);
    const g = groups.findIndex((x) => x.ids.includes(v.id));
    const small = v.verdict === 'not run'
      ? [`not run here: see <a href="#not-run-${g + 1}">how to run it (${g + 1})</a>`]
      : [`rule: ${escapeHtml(v.rule ?? cells.criterion)}`,
        ...(v.decide ? [`would decide it: ${escapeHtml(v.decide)}`] : []),
        ...(ownNote(v, sharedNotes) ? [escapeHtml(ownNote(v, sharedNotes) as string)] : [])];
    return `<tr id="claim-${escapeHtml(v.id)}"><td class="claim"><span class="id">${escapeHtml(v.id)}</span>${escapeHtml(v.statement)}`
      + `<div class="src">${escapeHtml(v.source.doc)}, ${escapeHtml(v.source.where)}</div>`
      + small.map((t) => `<div class="note">${t}</div>`).join('') + '</td>'
      + `<td class="${cells.paperIsNumber ? 'num' : 'text'}">${escapeHtml(cells.paper)}</td><td class="num">${escapeHtml(cells.ours)}</td>`
      + `<td><span class="badge ${VERDICT_CLASS[v.verdict]}">${escapeHtml(v.verdict)}</span></td></tr>`;
  });
  return `<table class="claims">
<colgroup><col style="width:46%"><col style="width:22%"><col style="width:16%"><col style="width:16%"></colgroup>
<thead><tr><th>claim</th><th>paper</th><th class="num">ours</th><th>verdict</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
}

/** "How to run what was not run": each command once, with the claims it decides and why it did not run here. */
export function notRunBoxHtml(claims: readonly ClaimVerdict[], sharedNotes: readonly string[] = []): string {
  const groups = notRunGroups(claims, sharedNotes);
  if (groups.length === 0) return '';
  return `<div class="box" id="not-run"><h3>How to run what was not run</h3><ol>
${groups.map((g, i) => `<li id="not-run-${i + 1}"><b>${g.ids.map(escapeHtml).join(', ')}</b>: ${g.reasons.map(escapeHtml).join(' / ')}`
    + (g.command ? `<br>run: <code>${escapeHtml(g.command)}</code>` : '') + '</li>').join('\n')}
</ol></div>`;
}

function claimsSection(input: ReportInput): string {
  const shared = input.dataNote ? [input.dataNote] : [];
  return `<section id="claims" class="page"><h2>Claims: paper vs ours</h2>
<p>Each claim is decided on stored results by the rule under it: over seeds, <b>reproduced</b> when the 95% interval (or the level its rule names) lies on the
claim's side, <b>not reproduced</b> when it lies on the other, <b>inconclusive</b> when it straddles. A claim that could not run on
this machine is <b>not run</b>; none is left out.</p>
${input.dataNote ? `<div class="box"><b>Data.</b> ${escapeHtml(input.dataNote.replace(/\.$/, ''))}. The figures mark results on stand-in data as such.</div>` : ''}
${claimsTableHtml(input.claims, shared)}
${notRunBoxHtml(input.claims, shared)}
</section>`;
}

function experimentSection(s: ReportSection, svgs: ReadonlyMap<string, string>, n: Numbering, claims: readonly ClaimVerdict[]): string {
  // Nothing of ours to draw when all its claims did not run: its figures would be near-empty (the
  // paper's points alone), so the report says where to run them instead (notebooks still show them).
  const own = claims.filter((c) => s.claimIds.includes(c.id));
  const allNotRun = own.length > 0 && own.every((c) => c.verdict === 'not run') && s.figures.length > 0;
  const skipped = allNotRun ? [`Its ${s.figures.length === 1 ? 'figure appears' : `${s.figures.length} figures appear`} once ` +
    'these claims have run (see "How to run what was not run" under the claims table).'] : [];
  const figures = (allNotRun ? [] : s.figures).map((f) => {
    const svg = svgs.get(f.id);
    if (svg === undefined) throw new Error(`renderHtml: figure "${f.id}" of section "${s.id}" has no rendered SVG`);
    n.figure += 1;
    return `<figure id="fig-${escapeHtml(f.id)}">${namespaceSvgIds(svg, `f${n.figure}`)}
<figcaption><span class="label">Figure ${n.figure}:</span> ${escapeHtml(f.caption)}</figcaption></figure>`;
  });
  const tables = s.tables.map((t) => {
    n.table += 1;
    return tableHtml(t, n.table);
  });
  return `<section id="exp-${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2>
${s.claimIds.length ? `<div class="decides">Claims decided here: ${s.claimIds.map((id) => `<a href="#claim-${escapeHtml(id)}">${escapeHtml(id)}</a>`).join(', ')}</div>` : ''}
${[...s.paragraphs, ...skipped].map((t) => `<p>${escapeHtml(t)}</p>`).join('\n')}
${figures.join('\n')}
${tables.join('\n')}
</section>`;
}

export function tableHtml(t: ReportTable, number: number): string {
  const cls = (i: number) => (t.columns[i]?.align === 'right' ? ' class="num"' : '');
  for (const row of t.rows) {
    if (row.length !== t.columns.length) {
      throw new Error(`table "${t.id}": a row has ${row.length} cells for ${t.columns.length} columns`);
    }
  }
  // Short tables never split across pages (their caption is part of them).
  return `<table id="table-${escapeHtml(t.id)}"${t.rows.length <= 30 ? ' class="keep"' : ''}><caption><span class="label">Table ${number}:</span> ${escapeHtml(t.caption)}</caption>
<thead><tr>${t.columns.map((c, i) => `<th${cls(i)}>${escapeHtml(c.label)}</th>`).join('')}</tr></thead>
<tbody>
${t.rows.map((r) => `<tr>${r.map((cell, i) => `<td${cls(i)}>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n')}
</tbody></table>`;
}

function outOfScopeSection(input: ReportInput): string {
  if (input.outOfScope.length === 0) return '';
  return `<section id="out-of-scope" class="page"><h2>Out of scope</h2>
<p>What the papers report that this project does not attempt, and why.</p>
<table><thead><tr><th>what</th><th>why</th></tr></thead><tbody>
${input.outOfScope.map((o) => `<tr><td>${escapeHtml(o.what)}</td><td>${escapeHtml(o.why)}</td></tr>`).join('\n')}
</tbody></table></section>`;
}

function provenanceSection(input: ReportInput): string {
  const p = input.provenance;
  const kv: [string, string][] = [
    ['commit', `${p.commit}${p.dirty ? ' (dirty: uncommitted changes)' : ''}`],
    ['backend', p.backend], ['device', p.device], ...(p.cpu ? [['CPU kind', p.cpu] as [string, string]] : []), ...(p.adapter ? [['GPU adapter', p.adapter] as [string, string]] : []),
    ['threads', String(p.threads)],
    ['Node.js', p.node], ['TensorFlow.js', p.tfjs], ['profile', input.profile], ['results gathered', input.generatedAt],
  ];
  return `<section id="provenance" class="page"><h2>Appendix: provenance</h2>
<p>Everything needed to trace each number back to the code, the data and the stored run that produced it.</p>
<table><tbody>
${kv.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td class="mono">${escapeHtml(v)}</td></tr>`).join('\n')}
</tbody></table>
<h3>Data checksums</h3>
<table><thead><tr><th>data set</th><th>checksum</th></tr></thead><tbody>
${p.data.map((d) => `<tr><td>${escapeHtml(d.name)}</td><td class="mono">${escapeHtml(d.checksum)}</td></tr>`).join('\n')}
</tbody></table>
<h3>Runs</h3>
<table><thead><tr><th>experiment</th><th>run</th><th>status</th><th>hash</th></tr></thead><tbody>
${p.runs.map((r) => `<tr><td>${escapeHtml(r.experiment)}</td><td>${escapeHtml(r.name)}</td><td>${escapeHtml(r.status)}</td><td class="mono">${escapeHtml(r.hash)}</td></tr>`).join('\n')}
</tbody></table></section>`;
}
