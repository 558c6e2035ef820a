import type {VegaLiteSpec} from './vega_types';

type VegaModule = typeof import('vega', {with: {'resolution-mode': 'import'}});
type VegaLiteModule = typeof import('vega-lite', {with: {'resolution-mode': 'import'}});

/** One thing wrong with a rendered figure, in words a test failure can print. */
export interface FigureProblem {
  readonly kind: 'overlap' | 'truncated' | 'outside' | 'on-frame';
  readonly detail: string;
}

interface Box { x1: number; y1: number; x2: number; y2: number }
interface TextBox extends Box { text: string; role: string }

/** The scenegraph nodes we read (vega's types do not describe them). */
interface SceneItem {
  x?: number; y?: number; text?: unknown; limit?: number; fontSize?: number; opacity?: number; fillOpacity?: number;
  bounds: Box; items?: SceneMark[]; width?: number; height?: number;
}
interface SceneMark { marktype: string; role?: string; items: SceneItem[]; name?: string }

const textOf = (t: unknown) => (Array.isArray(t) ? t.join(' ') : t == null ? '' : String(t)).trim();

function intersects(a: Box, b: Box, slack = 0.5): boolean {
  return a.x1 < b.x2 - slack && b.x1 < a.x2 - slack && a.y1 < b.y2 - slack && b.y1 < a.y2 - slack;
}

/**
 * Renders a vega-lite spec headless and inspects its scenegraph (vega's own text bounds, the same
 * estimates its SVG output is laid out with) for what makes a figure unreadable in print:
 * - overlap: two pieces of text drawn over each other (x labels running together, value labels colliding);
 * - truncated: text cut to an ellipsis by a label/legend length limit;
 * - outside: text beyond the figure's canvas (clipped in the SVG);
 * - on-frame: a data line drawn along the top or bottom edge of its plot, where the frame hides it.
 */
export async function checkFigure(spec: VegaLiteSpec): Promise<FigureProblem[]> {
  const [vega, vl] = await Promise.all([import('vega') as Promise<VegaModule>, import('vega-lite') as Promise<VegaLiteModule>]);
  const view = new vega.View(vega.parse(vl.compile(spec).spec), {renderer: 'none', logLevel: vega.Error});
  try {
    await view.runAsync();
    const root = (view.scenegraph() as unknown as {root: SceneMark}).root;
    const texts: TextBox[] = [];
    const problems: FigureProblem[] = [];
    const metrics = (vega as unknown as {textMetrics: {estimateWidth(item: object, text: string): number}}).textMetrics;
    const walk = (mark: SceneMark, ox: number, oy: number, plot: {w: number; h: number} | undefined) => {
      for (const item of mark.items) {
        if (mark.marktype === 'text') {
          const text = textOf(item.text);
          if (text && item.opacity !== 0 && item.fillOpacity !== 0) {
            const b = item.bounds;
            texts.push({text, role: mark.role ?? '', x1: b.x1 + ox, y1: b.y1 + oy, x2: b.x2 + ox, y2: b.y2 + oy});
            // Measured the way vega truncates (its width estimate), without the limit applied.
            if ((item.limit ?? 0) > 0 && metrics.estimateWidth({...item, limit: 0}, text) >= (item.limit as number)) {
              problems.push({kind: 'truncated', detail: `"${text}" (${mark.role ?? 'text'}) is cut to ${item.limit} px`});
            }
          }
        }
        if (mark.marktype === 'line' && mark.role === 'mark' && plot && mark.items.length >= 2) {
          // A line mark has one item per point; two or more consecutive points on an edge draw along it.
          const ys = mark.items.map((p) => p.y ?? NaN);
          for (const edge of [0, plot.h]) {
            const run = ys.reduce((best, y, i) => (Math.abs(y - edge) < 0.5 && i > 0 && Math.abs(ys[i - 1] - edge) < 0.5 ? best + 1 : best), 0);
            if (run > 0) {
              problems.push({kind: 'on-frame', detail: `a line runs along the ${edge === 0 ? 'top' : 'bottom'} edge of its plot (${mark.name ?? 'line'})`});
              break;
            }
          }
          break; // one check per line mark: its items are its points
        }
        if (mark.marktype === 'group') {
          const isPlot = (item.width ?? 0) > 0 && (item.height ?? 0) > 0;
          for (const child of item.items ?? []) {
            walk(child, ox + (item.x ?? 0), oy + (item.y ?? 0), isPlot ? {w: item.width as number, h: item.height as number} : plot);
          }
        }
      }
    };
    walk(root, 0, 0, undefined);
    // The canvas of the SVG vega writes, in scenegraph coordinates: the SVG translates everything by view.origin().
    const svg = await view.toSVG();
    const w = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1]), h = Number(/<svg[^>]*\sheight="([\d.]+)"/.exec(svg)?.[1]);
    const [ox, oy] = view.origin();
    const canvas: Box = {x1: -ox, y1: -oy, x2: w - ox, y2: h - oy};
    for (const t of texts) {
      if (t.x1 < canvas.x1 - 1 || t.y1 < canvas.y1 - 1 || t.x2 > canvas.x2 + 1 || t.y2 > canvas.y2 + 1) {
        problems.push({kind: 'outside', detail: `"${t.text}" (${t.role}) extends beyond the figure`});
      }
    }
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        if (intersects(texts[i], texts[j])) {
          problems.push({kind: 'overlap', detail: `"${texts[i].text}" (${texts[i].role}) overlaps "${texts[j].text}" (${texts[j].role})`});
        }
      }
    }
    return problems;
  } finally {
    view.finalize();
  }
}
