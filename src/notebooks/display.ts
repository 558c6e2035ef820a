import type {Display} from 'tslab';
import {figureToSvg, namespaceSvgIds} from '../report/render_figure';
import type {VegaLiteSpec} from '../report/vega_types';

/**
 * tslab's display, loaded on first use: tslab is a devDependency and only means something inside
 * its kernel, so the toolkit does not load it otherwise.
 */
function tslabDisplay(): Display {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('tslab') as typeof import('tslab')).display;
}

let figuresShown = 0;

/** Renders a vega-lite spec to SVG with the report's renderer (no CDN, no browser) and shows it inline. */
export async function showFigure(spec: VegaLiteSpec, display: Display = tslabDisplay()): Promise<void> {
  // Ids are namespaced: vega numbers clip paths from 1 in every SVG, and in one notebook page a
  // later figure's url(#clip1) would otherwise resolve to the first figure's clip.
  // Returns nothing: tslab prints a cell's last value, which would repeat the SVG as text.
  display.svg(namespaceSvgIds(await figureToSvg(spec), `figure${++figuresShown}`));
}

export type TableCell = string | number | boolean | null | undefined;

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function formatCell(v: TableCell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : String(Number(v.toPrecision(4)));
  return String(v);
}

/** Rows (objects with the same keys) as an HTML table; columns in the order of the first row's keys. */
export function tableHtml(rows: readonly Record<string, TableCell>[], caption?: string): string {
  const columns = rows.length > 0 ? Object.keys(rows[0]) : [];
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = rows.map((r) => `<tr>${columns.map((c) => {
    const v = r[c];
    return `<td style="text-align:${typeof v === 'number' ? 'right' : 'left'}">${escapeHtml(formatCell(v))}</td>`;
  }).join('')}</tr>`).join('\n');
  const cap = caption ? `<caption>${escapeHtml(caption)}</caption>` : '';
  return `<table class="repro-table">${cap}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

/** Anything with arquero's toHTML (a Frame from runsFrame, historyFrame, claimsFrame, or your own). */
export interface HtmlTable {
  toHTML(options?: {limit?: number}): string;
  numRows(): number;
}

/**
 * Shows a data frame inline as an HTML table (tslab prints a cell's last value as an object dump,
 * not as a table). `limit` rows (default 50; the count of the rest is said).
 */
export function showFrame(frame: HtmlTable, opts: {limit?: number; caption?: string} = {}, display: Display = tslabDisplay()): void {
  const limit = opts.limit ?? 50;
  const more = frame.numRows() > limit ? `<p><em>${frame.numRows() - limit} more rows (showFrame(frame, {limit}) shows more)</em></p>` : '';
  display.html(`${opts.caption ? `<p><b>${escapeHtml(opts.caption)}</b></p>` : ''}${frame.toHTML({limit})}${more}`);
}

/** Shows rows as an HTML table inline (text/html output). */
export function showTable(rows: readonly Record<string, TableCell>[], caption?: string,
  display: Display = tslabDisplay()): void {
  display.html(rows.length === 0 ? '<p><em>(no rows)</em></p>' : tableHtml(rows, caption));
}
