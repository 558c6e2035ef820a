import type {VegaLiteSpec} from '../vega_types';

/**
 * One look for every figure: fixed fonts that Debian's chromium package installs (DejaVu), so
 * SVG text metrics and the PDF are the same on every machine; sizes fit a column of an A4 page.
 */
export const FONT = 'DejaVu Sans';
export const WIDTH = 460;
export const HEIGHT = 260;

/** Colour-blind-safe categorical palette (Okabe–Ito), in a fixed order so plain/residual keep their colours. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'] as const;

type Config = NonNullable<VegaLiteSpec['config']>;

/** A fresh config per figure (vega-lite must never see one object shared by two specs). */
export function config(): Config {
  return {
    font: FONT,
    background: 'white',
    padding: 6,
    view: {stroke: '#888888'},
    axis: {labelFontSize: 10, titleFontSize: 11, titleFontWeight: 'normal', grid: true, gridColor: '#e6e6e6',
      tickColor: '#888888', domainColor: '#888888'},
    legend: {labelFontSize: 10, titleFontSize: 10, titleFontWeight: 'normal', symbolSize: 80, orient: 'right'},
    title: {fontSize: 12, fontWeight: 'bold', anchor: 'start'},
    range: {category: [...PALETTE]},
  };
}

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Fields every builder sets: schema, size, config, an optional title. */
export function frame(title: string | undefined, size: {width?: number; height?: number} = {}) {
  return {
    $schema: SCHEMA,
    ...(title ? {title} : {}),
    width: size.width ?? WIDTH,
    height: size.height ?? HEIGHT,
    config: config(),
  } satisfies Partial<VegaLiteSpec>;
}

/** Throws on inputs that would silently render an empty or misleading figure. */
export function requireRows(figure: string, n: number): void {
  if (n === 0) throw new Error(`${figure}: no data points (a figure with nothing in it is a bug upstream)`);
}
