import {mkdirSync, readFileSync, rmSync} from 'node:fs';
import {basename, join} from 'node:path';
import {writeFileAtomic, writeJsonAtomic} from '../util/atomic';
import {withBrowser, type ReportBrowser} from './browser';
import {checkFigureId} from './figure_safety';
import {renderHtml} from './html';
import type {ReportInput} from './model';
import {htmlToPdf} from './pdf';
import {renderFigure} from './render_figure';

export interface ReportFiles {
  readonly html: string;
  readonly pdf: string;
  /** The ReportInput itself: re-render with `repro report --from report.json`-style tooling. */
  readonly input: string;
  readonly claims: string;
  readonly figures: readonly {readonly id: string; readonly spec: string; readonly svg: string; readonly png: string}[];
}

export interface WriteReportOptions {
  /** Chromium to use (default: $REPRO_CHROMIUM, /usr/bin/chromium, PATH). */
  readonly executablePath?: string;
  /** A browser the caller already has; it is left open. */
  readonly browser?: ReportBrowser;
}

/** Mistakes in a ReportInput that would give a wrong report rather than an error later. */
export function validateReportInput(input: ReportInput): void {
  const claimIds = new Set<string>();
  for (const c of input.claims) {
    if (claimIds.has(c.id)) throw new Error(`report: claim id "${c.id}" appears twice`);
    claimIds.add(c.id);
  }
  const figureIds = new Set<string>();
  for (const s of input.sections) {
    for (const id of s.claimIds) {
      if (!claimIds.has(id)) throw new Error(`report: section "${s.id}" names claim "${id}", which is not in the claims table`);
    }
    for (const f of s.figures) {
      checkFigureId(f.id, 'report');
      if (figureIds.has(f.id)) throw new Error(`report: figure id "${f.id}" is used twice (figures/<id>.* would collide)`);
      figureIds.add(f.id);
    }
  }
}

/**
 * figures/.report-figures.json lists the figure files the last render wrote. Only those are ever
 * deleted (when their figure is gone: left there, they would pass for current results); any other
 * file in figures/ is the user's and is never touched.
 */
export const FIGURE_MANIFEST = '.report-figures.json';

function readManifest(figDir: string): string[] {
  try {
    const list: unknown = JSON.parse(readFileSync(join(figDir, FIGURE_MANIFEST), 'utf8'));
    // Names only, each one a figure file: a hand-edited manifest cannot point outside figures/.
    return Array.isArray(list) ? list.filter((n): n is string => typeof n === 'string' && /^[A-Za-z0-9][\w.-]*\.(vl\.json|svg|png)$/.test(n) && !n.includes('..')) : [];
  } catch {
    return [];
  }
}

function removeStaleFigures(figDir: string, written: readonly string[]): void {
  const now = new Set(written);
  for (const name of readManifest(figDir)) if (!now.has(name)) rmSync(join(figDir, name), {force: true});
  writeJsonAtomic(join(figDir, FIGURE_MANIFEST), [...written].sort());
}

/**
 * Renders a whole report into `outDir`: figures/<id>.{vl.json,svg,png}, report.html, report.pdf,
 * claims.json and report.json. Every file is written atomically; one Chromium serves the run.
 */
export async function writeReport(input: ReportInput, outDir: string, opts: WriteReportOptions = {}): Promise<ReportFiles> {
  validateReportInput(input);
  const figDir = join(outDir, 'figures');
  const render = async (b: ReportBrowser): Promise<ReportFiles> => {
    // Only once a browser is up: a missing Chromium leaves no empty report folder behind.
    mkdirSync(figDir, {recursive: true});
    const svgs = new Map<string, string>();
    const figures: ReportFiles['figures'][number][] = [];
    for (const f of input.sections.flatMap((s) => s.figures)) {
      const r = await renderFigure(f, figDir, b);
      svgs.set(f.id, r.svg);
      figures.push({id: f.id, ...r.files});
    }
    removeStaleFigures(figDir, figures.flatMap((f) => [f.spec, f.svg, f.png].map((p) => basename(p))));
    const files = {html: join(outDir, 'report.html'), pdf: join(outDir, 'report.pdf'),
      input: join(outDir, 'report.json'), claims: join(outDir, 'claims.json'), figures};
    const html = renderHtml(input, svgs);
    writeJsonAtomic(files.input, input);
    writeJsonAtomic(files.claims, input.claims);
    writeFileAtomic(files.html, html);
    await htmlToPdf(b, html, files.pdf, input.title);
    return files;
  };
  return opts.browser ? render(opts.browser) : withBrowser({executablePath: opts.executablePath}, render);
}
