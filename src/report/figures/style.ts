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

/** The paper's values have one colour in every figure (a neutral grey: the reference, not a competitor). */
export const PAPER_COLOR = '#555555';

/** Widest figure that fits the A4 text column (176 mm at 96 px/in ≈ 665 px, less a margin). */
export const MAX_WIDTH = 620;

type Config = NonNullable<VegaLiteSpec['config']>;

/**
 * A colour scale for series names: any series named "paper…" gets PAPER_COLOR, the others the
 * palette in order (never the paper's grey), so "paper" looks the same across figures.
 */
export function seriesColors(names: readonly string[]): {domain: string[]; range: string[]} {
  let next = 0;
  return {domain: [...names], range: names.map((n) => (/^paper\b/i.test(n) ? PAPER_COLOR : PALETTE[next++ % PALETTE.length]))};
}

/** vega's text width estimate (0.8 em per character): what its layout, and so our checks, use. */
export function estimateTextWidth(text: string, fontSize: number): number {
  return 0.8 * text.length * fontSize;
}

/**
 * Axis label settings for nominal labels in bands of `bandPx`: level when they fit, else slanted
 * (-45°, anchored at their end) so that long names (resnet101_v1) never run into each other.
 */
export function bandLabels(labels: readonly string[], bandPx: number, fontSize = 10): {labelAngle: number; labelAlign?: 'right'} {
  const widest = Math.max(0, ...labels.map((l) => estimateTextWidth(l, fontSize)));
  return widest + 4 <= bandPx ? {labelAngle: 0} : {labelAngle: -45, labelAlign: 'right'};
}

/** A fresh config per figure (vega-lite must never see one object shared by two specs). */
export function config(): Config {
  return {
    font: FONT,
    background: 'white',
    padding: 6,
    view: {stroke: '#888888'},
    // No length limits: a cut label ("paper (64,064 iter…") hides what the figure is about; long ones are laid out instead.
    axis: {labelFontSize: 10, titleFontSize: 11, titleFontWeight: 'normal', grid: true, gridColor: '#e6e6e6',
      tickColor: '#888888', domainColor: '#888888', labelLimit: 0},
    legend: {labelFontSize: 10, titleFontSize: 10, titleFontWeight: 'normal', symbolSize: 80, orient: 'right', labelLimit: 0},
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
