import {join} from 'node:path';
import {writeFileAtomic, writeJsonAtomic} from '../util/atomic';
import {offlinePage, type ReportBrowser} from './browser';
import {checkFigureId, checkFigureSpec, REFUSING_LOADER} from './figure_safety';
import type {ReportFigure} from './model';
import type {VegaLiteSpec} from './vega_types';

type VegaModule = typeof import('vega', {with: {'resolution-mode': 'import'}});
type VegaLoader = import('vega', {with: {'resolution-mode': 'import'}}).Loader;
type VegaLiteModule = typeof import('vega-lite', {with: {'resolution-mode': 'import'}});

let modules: Promise<{vega: VegaModule; vl: VegaLiteModule}> | undefined;

/** vega and vega-lite are ESM-only: loaded once with a real dynamic import (tsc keeps it under node16). */
function loadVega(): Promise<{vega: VegaModule; vl: VegaLiteModule}> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vl]) => ({vega, vl}));
  return modules;
}

/**
 * vega-lite → vega → SVG text, with no canvas (vega estimates text widths; fonts are fixed in the
 * specs). The spec may come from an untrusted report.json: checkFigureSpec refuses data URLs and
 * links, and vega loads through REFUSING_LOADER, which reads no file and opens no connection.
 */
export async function figureToSvg(spec: VegaLiteSpec, where = 'figure'): Promise<string> {
  checkFigureSpec(spec, where);
  const {vega, vl} = await loadVega();
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), {renderer: 'none', logLevel: vega.Warn,
    loader: REFUSING_LOADER as unknown as VegaLoader});
  try {
    return stableSvgIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * vega numbers clip paths and gradients with a process-wide counter (clip1 in the first figure,
 * clip5 in a later one), so the same spec gives different bytes. Renumbering the ids in order of
 * appearance, per name stem, makes the SVG a function of the spec alone.
 */
export function stableSvgIds(svg: string): string {
  const renamed = new Map<string, string>();
  const perStem = new Map<string, number>();
  for (const m of svg.matchAll(/\bid="([^"]+)"/g)) {
    const id = m[1];
    if (renamed.has(id)) continue;
    const stem = id.replace(/\d+$/, '');
    const n = (perStem.get(stem) ?? 0) + 1;
    perStem.set(stem, n);
    renamed.set(id, `${stem}${n}`);
  }
  const to = (id: string) => renamed.get(id) ?? id;
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${to(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${to(id)})`)
    .replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${to(id)}"`);
}

/**
 * Prefixes every id inside an SVG (vega's clip paths and gradients) so that several figures can be
 * inlined in one HTML document without one figure's url(#clip1) resolving to another's.
 */
export function namespaceSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}-${id})`)
    .replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${prefix}-${id}"`);
}

/** Rasterises an SVG with headless Chromium (there is no node-canvas here); `scale` 2 suits slides and screens. */
export async function svgToPng(b: ReportBrowser, svg: string, scale = 2): Promise<Uint8Array> {
  const page = await offlinePage(b);
  try {
    const size = svgSize(svg);
    await page.setViewport({width: Math.ceil(size.width), height: Math.ceil(size.height), deviceScaleFactor: scale});
    await page.setContent(`<!doctype html><html><body style="margin:0;background:white">${svg}</body></html>`);
    const el = await page.$('svg');
    if (!el) throw new Error('svgToPng: the page has no <svg> element');
    return await el.screenshot({type: 'png', omitBackground: false});
  } finally {
    await page.close();
  }
}

export function svgSize(svg: string): {width: number; height: number} {
  const w = /<svg[^>]*\swidth="([\d.]+)"/.exec(svg), h = /<svg[^>]*\sheight="([\d.]+)"/.exec(svg);
  if (!w || !h) throw new Error('svgSize: the SVG has no width/height attributes');
  return {width: Number(w[1]), height: Number(h[1])};
}

export interface RenderedFigure {
  readonly id: string;
  readonly svg: string;
  readonly files: {readonly spec: string; readonly svg: string; readonly png: string};
}

/** Writes <id>.vl.json (data inlined, so anyone can reopen it in the vega editor), <id>.svg and <id>.png. */
export async function renderFigure(fig: ReportFigure, dir: string, b: ReportBrowser): Promise<RenderedFigure> {
  checkFigureId(fig.id, 'report');
  const svg = await figureToSvg(fig.spec, `figure "${fig.id}"`);
  const files = {spec: join(dir, `${fig.id}.vl.json`), svg: join(dir, `${fig.id}.svg`), png: join(dir, `${fig.id}.png`)};
  writeJsonAtomic(files.spec, fig.spec);
  writeFileAtomic(files.svg, svg);
  writeFileAtomic(files.png, await svgToPng(b, svg));
  return {id: fig.id, svg, files};
}
