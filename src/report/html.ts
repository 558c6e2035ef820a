import type {ClaimVerdict, Verdict} from '../claims/claim';
import {claimCells} from './format_claim';
import type {ReportInput, ReportSection, ReportTable} from './model';
import {namespaceSvgIds} from './render_figure';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const VERDICT_CLASS: Record<Verdict, string> = {
  'reproduced': 'v-ok',
  'not reproduced': 'v-fail',
  'inconclusive': 'v-skip',
  'not run': 'v-skip',
  'encoded': 'v-ok',
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
section { break-before: page; }
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
    ...input.sections.map((s) => experimentSection(s, svgs, n)),
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
<tr><td>Code</td><td><span class="mono">${escapeHtml(p.commit)}</span>${p.dirty ? ' (uncommitted changes)' : ''}</td></tr>
<tr><td>Engine</td><td>${escapeHtml(p.backend)} on ${escapeHtml(p.device)}, ${p.threads} thread${p.threads === 1 ? '' : 's'}</td></tr>
${p.adapter ? `<tr><td>GPU adapter</td><td>${escapeHtml(p.adapter)}</td></tr>\n` : ''}</table>
<div class="counts"><span class="badge v-ok">${counts.reproduced} reproduced</span><span class="badge v-fail">${counts['not reproduced']} not reproduced</span><span class="badge v-skip">${counts['not run']} not run</span> of ${input.claims.length} claims</div>
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

/** The claims table: what the paper says, what we measured, the criterion, and the verdict. */
export function claimsTableHtml(claims: readonly ClaimVerdict[]): string {
  const rows = claims.map((v) => {
    const cells = claimCells(v);
    const notes = [
      v.note ? `<div class="note">${escapeHtml(v.note)}</div>` : '',
      v.command ? `<div class="note">to run: <code>${escapeHtml(v.command)}</code></div>` : '',
    ].join('');
    return `<tr id="claim-${escapeHtml(v.id)}"><td class="id">${escapeHtml(v.id)}</td>`
      + `<td>${escapeHtml(v.statement)}<div class="src">source: ${escapeHtml(v.source.doc)}, ${escapeHtml(v.source.where)}</div>${notes}</td>`
      + `<td class="${cells.paperIsNumber ? 'num' : 'text'}">${escapeHtml(cells.paper)}</td><td class="num">${escapeHtml(cells.ours)}</td>`
      + `<td>${escapeHtml(cells.criterion)}</td>`
      + `<td><span class="badge ${VERDICT_CLASS[v.verdict]}">${escapeHtml(v.verdict)}</span></td></tr>`;
  });
  return `<table class="claims">
<colgroup><col style="width:5%"><col style="width:38%"><col style="width:14%"><col style="width:10%"><col style="width:17%"><col style="width:16%"></colgroup>
<thead><tr><th>id</th><th>claim</th><th>paper</th><th class="num">ours</th><th>criterion</th><th>verdict</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
}

function claimsSection(input: ReportInput): string {
  return `<section id="claims"><h2>Claims: paper vs ours</h2>
${input.dataNote ? `<p><b>Data.</b> ${escapeHtml(input.dataNote)}</p>` : ''}
<p>Each claim is judged on stored results by the criterion shown. A claim that could not run on this machine is
<b>not run</b>, with the reason and the command that runs it; none is left out.</p>
${claimsTableHtml(input.claims)}
</section>`;
}

function experimentSection(s: ReportSection, svgs: ReadonlyMap<string, string>, n: Numbering): string {
  const figures = s.figures.map((f) => {
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
${s.paragraphs.map((t) => `<p>${escapeHtml(t)}</p>`).join('\n')}
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
  return `<table id="table-${escapeHtml(t.id)}"><caption><span class="label">Table ${number}:</span> ${escapeHtml(t.caption)}</caption>
<thead><tr>${t.columns.map((c, i) => `<th${cls(i)}>${escapeHtml(c.label)}</th>`).join('')}</tr></thead>
<tbody>
${t.rows.map((r) => `<tr>${r.map((cell, i) => `<td${cls(i)}>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n')}
</tbody></table>`;
}

function outOfScopeSection(input: ReportInput): string {
  if (input.outOfScope.length === 0) return '';
  return `<section id="out-of-scope"><h2>Out of scope</h2>
<p>What the papers report that this project does not attempt, and why.</p>
<table><thead><tr><th>what</th><th>why</th></tr></thead><tbody>
${input.outOfScope.map((o) => `<tr><td>${escapeHtml(o.what)}</td><td>${escapeHtml(o.why)}</td></tr>`).join('\n')}
</tbody></table></section>`;
}

function provenanceSection(input: ReportInput): string {
  const p = input.provenance;
  const kv: [string, string][] = [
    ['commit', `${p.commit}${p.dirty ? ' (dirty: uncommitted changes)' : ''}`],
    ['backend', p.backend], ['device', p.device], ...(p.adapter ? [['GPU adapter', p.adapter] as [string, string]] : []),
    ['threads', String(p.threads)],
    ['Node.js', p.node], ['TensorFlow.js', p.tfjs], ['profile', input.profile], ['results gathered', input.generatedAt],
  ];
  return `<section id="provenance"><h2>Appendix: provenance</h2>
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
