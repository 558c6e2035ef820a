import type {Display} from 'tslab';
import {launchBrowser, type ReportBrowser} from '../report/browser';
import {figureToSvg, namespaceSvgIds, svgSize, svgToPng} from '../report/render_figure';
import {ReproError} from '../util/errors';
import type {VegaLiteSpec} from '../report/vega_types';

/**
 * tslab's display, loaded on first use: tslab is a devDependency and only means something inside
 * its kernel, so the toolkit does not load it otherwise.
 */
function tslabDisplay(): Display {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('tslab') as typeof import('tslab')).display;
}

/** One display_data message holding several representations (MIME types) of one output. */
export type ShowBundle = (data: Readonly<Record<string, string>>, metadata?: Readonly<Record<string, unknown>>) => void;

/**
 * tslab's public Display sends one MIME type per message. A figure needs its SVG and a PNG in one
 * message: Jupyter shows the richest type the notebook's trust allows, and an untrusted notebook
 * (anyone else's copy of an executed one) ignores SVG but shows PNG. So this writes through the
 * kernel's own display writer, the one tslab's Display uses.
 */
function tslabBundle(): ShowBundle {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const kernel = require('tslab/dist/jupyter') as {lastWriteDisplayData: ((msg: unknown, update: boolean) => void) | null};
  return (data, metadata = {}) => {
    if (!kernel.lastWriteDisplayData) {
      throw new ReproError('showFigure shows figures inside a tslab notebook kernel only',
        {fix: 'outside a notebook, write the figure with figureToSvg(spec) or `repro report`'});
    }
    kernel.lastWriteDisplayData({data, metadata, transient: {}}, false);
  };
}

// One Chromium rasterises a notebook's figures; it closes a few seconds after the last one, so
// that neither the kernel nor a test process is kept alive by it.
const BROWSER_IDLE_MS = 3000;
const PNG_SCALE = 2;
let rasteriser: {browser: Promise<ReportBrowser>; busy: number; idle?: NodeJS.Timeout} | undefined;

async function rasterise(svg: string): Promise<Uint8Array> {
  const r = rasteriser ??= {browser: launchBrowser(), busy: 0};
  clearTimeout(r.idle);
  r.busy++;
  try {
    return await svgToPng(await r.browser, svg, PNG_SCALE);
  } finally {
    if (--r.busy === 0) {
      r.idle = setTimeout(() => {
        if (rasteriser === r) rasteriser = undefined;
        void r.browser.then((b) => b.close(), () => undefined);
      }, BROWSER_IDLE_MS);
    }
  }
}

let figuresShown = 0;
let warnedNoPng = false;

/**
 * Renders a vega-lite spec with the report's renderer (no CDN) and shows it inline as one output
 * holding the SVG and a PNG of it (drawn at twice the size, shown at the SVG's): Jupyter shows the
 * SVG in a trusted notebook and the PNG in an untrusted one. Without Chromium the PNG is left out
 * (said once on stderr) and untrusted copies show no figure.
 */
export async function showFigure(spec: VegaLiteSpec, show: ShowBundle = tslabBundle(),
  toPng: (svg: string) => Promise<Uint8Array> = rasterise): Promise<void> {
  // Ids are namespaced: vega numbers clip paths from 1 in every SVG, and in one notebook page a
  // later figure's url(#clip1) would otherwise resolve to the first figure's clip.
  // Returns nothing: tslab prints a cell's last value, which would repeat the SVG as text.
  const svg = namespaceSvgIds(await figureToSvg(spec), `figure${++figuresShown}`);
  let png: Uint8Array | undefined;
  try {
    png = await toPng(svg);
  } catch (err) {
    if (!warnedNoPng) process.stderr.write(`figures shown as SVG only (no PNG for untrusted notebooks): ${(err as Error).message.split('\n')[0]}\n`);
    warnedNoPng = true;
  }
  if (png === undefined) return show({'image/svg+xml': svg});
  const {width, height} = svgSize(svg);
  show({'image/svg+xml': svg, 'image/png': Buffer.from(png).toString('base64')},
    {'image/png': {width: Math.round(width), height: Math.round(height)}});
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
