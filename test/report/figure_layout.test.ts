import {strict as assert} from 'node:assert';
import {EXPERIMENTS} from '../../experiments/index';
import {experimentContext} from '../../experiments/data_choice';
import type {ClaimVerdict} from '../../src/claims/claim';
import {readBaselineClaims, readBaselineResults} from '../../src/pipeline/baselines';
import {buildReportInput} from '../../src/pipeline/build_input';
import type {ProfilePlan} from '../../src/pipeline/plan';
import {withBrowser} from '../../src/report/browser';
import {checkFigure} from '../../src/report/figure_check';
import {barByVariantFigure} from '../../src/report/figures/bar_by_variant';
import {lrScheduleFigure} from '../../src/report/figures/lr_schedule';
import {PAPER_COLOR} from '../../src/report/figures/style';
import type {ReportInput} from '../../src/report/model';
import {figureToSvg, svgToPng} from '../../src/report/render_figure';
import {renderHtml} from '../../src/report/html';
import {requireTool} from './chromium';

/** Every figure of a report, checked on vega's scenegraph: no overlapping, cut or clipped text, no line on the frame. */
export async function figureProblems(input: ReportInput): Promise<string[]> {
  const out: string[] = [];
  for (const s of input.sections) {
    for (const f of s.figures) for (const p of await checkFigure(f.spec)) out.push(`${f.id}: ${p.kind}: ${p.detail}`);
  }
  return out;
}

/** The quick report's input from the committed results alone (no store, no training). */
function committedQuickInput(): ReportInput {
  const ctx = experimentContext('quick');
  const plan: ProfilePlan = {profile: 'quick', ctx, experiments: EXPERIMENTS, runs: [], trainings: []};
  const claims = readBaselineClaims('quick') as ClaimVerdict[];
  return buildReportInput(plan, readBaselineResults('quick'), claims,
    {git: 'test', dirty: false, node: process.version, tfjs: 'test', backend: 'test', device: 'test', threads: 1});
}

describe('report: figure layout (vega scenegraph bounds)', function () {
  this.timeout(300_000);

  it('finds what made the committed quick PDF hard to read (the checks can fail)', async () => {
    // Fig. 1's labels before the fix: seven long names level on a 460 px axis, values over narrow bars.
    const crowded = barByVariantFigure({bars: ['resnet50_v1', 'resnet101_v1', 'resnet152_v1', 'vgg19', 'vgg16', 'resnet18', 'resnet34']
      .flatMap((v) => [{variant: v, group: 'ours', value: 11.28}, {variant: v, group: 'paper', value: 11.3}]), xTitle: 'model', yTitle: 'G', percent: false});
    const level = {...crowded, width: 460, encoding: undefined, layer: (crowded as {layer: object[]}).layer.map((l) => JSON.parse(JSON.stringify(l)
      .replace(/"labelAngle":-45,"labelAlign":"right"/g, '"labelAngle":0')))} as typeof crowded;
    const problems = await checkFigure(level);
    assert.ok(problems.some((p) => p.kind === 'overlap' && /resnet101_v1/.test(p.detail)), JSON.stringify(problems));
    const cut = await checkFigure({...lrScheduleFigure({series: [{label: 'a schedule label much longer than a legend allows by default', schedule: {type: 'constant'}, baseLr: 0.1, iterations: 100}]}),
      config: {legend: {labelLimit: 100}}});
    assert.ok(cut.some((p) => p.kind === 'truncated'), JSON.stringify(cut));
  });

  it('every figure of the committed quick results is clean, marks stand-in data, and renders to SVG and PNG', async function () {
    const input = committedQuickInput();
    const figures = input.sections.flatMap((s) => s.figures);
    assert.ok(figures.length >= 10, `only ${figures.length} figures`);
    assert.deepEqual(await figureProblems(input), []);
    // Fashion-MNIST results are marked in the figure itself; the architecture facts (no data) are not.
    const b1 = figures.find((f) => f.id === 'b1b2-plain-curves')!;
    assert.match(JSON.stringify(b1.spec.title), /Fashion-MNIST standing in for CIFAR-10/);
    assert.doesNotMatch(JSON.stringify(figures.find((f) => f.id === 'a2-flops')!.spec.title ?? ''), /standing in/);
    // Not run here (C, D): the report draws no near-empty figure of the paper's points alone.
    const html = renderHtml(input, new Map(figures.map((f) => [f.id, '<svg width="1" height="1"></svg>'])));
    for (const id of ['C', 'D']) {
      const section = new RegExp(`<section id="exp-${id}">[\\s\\S]*?</section>`).exec(html)?.[0] ?? '';
      assert.doesNotMatch(section, /<figure/, id);
      assert.match(section, /appears? once these claims have run/, id);
    }
    requireTool(this, 'chromium');
    await withBrowser({}, async (b) => {
      for (const f of figures) {
        const svg = await figureToSvg(f.spec);
        if (/standing in/.test(JSON.stringify(f.spec.title ?? ''))) assert.match(svg, /⚠ ours: Fashion-MNIST standing in for CIFAR-10/, `${f.id}: the mark is drawn`);
        assert.ok(!svg.includes('…'), `${f.id}: an ellipsis in the SVG text`);
        const png = await svgToPng(b, svg, 1);
        assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], `${f.id}: a PNG`);
      }
    });
  });

  it('"paper" has one colour in every figure', async () => {
    const input = committedQuickInput();
    const scales = (x: unknown): {domain: unknown[]; range: unknown[]}[] => (typeof x !== 'object' || x === null ? []
      : [...(Array.isArray((x as {domain?: unknown}).domain) && Array.isArray((x as {range?: unknown}).range) ? [x as {domain: unknown[]; range: unknown[]}] : []),
        ...Object.values(x).flatMap(scales)]);
    let seen = 0;
    for (const f of input.sections.flatMap((s) => s.figures)) {
      for (const {domain, range} of scales(f.spec)) {
        domain.forEach((d, i) => {
          if (/^paper\b/i.test(String(d))) seen++;
          assert.equal(/^paper\b/i.test(String(d)), range[i] === PAPER_COLOR, `${f.id}: ${String(d)} → ${String(range[i])}`);
        });
      }
    }
    assert.ok(seen >= 2, 'the paper appears as a series in several figures');
  });
});
