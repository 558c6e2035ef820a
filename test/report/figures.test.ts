import {strict as assert} from 'node:assert';
import {accuracyByDepthFigure} from '../../src/report/figures/accuracy_by_depth';
import {barByVariantFigure} from '../../src/report/figures/bar_by_variant';
import {errorByDepthFigure} from '../../src/report/figures/error_by_depth';
import {effectIntervalsFigure} from '../../src/report/figures/effect_intervals';
import {errorCurvesFigure} from '../../src/report/figures/error_curves';
import {gradientNormsFigure, powersOfTen} from '../../src/report/figures/gradient_norms';
import {findRebounds, lossCurveFigure} from '../../src/report/figures/loss_curve';
import {FONT} from '../../src/report/figures/style';
import {lrScheduleFigure, scheduleSteps} from '../../src/report/figures/lr_schedule';
import {toleranceBarsFigure} from '../../src/report/figures/tolerance_bars';
import {trainValGapFigure} from '../../src/report/figures/train_val_gap';
import {transferTable} from '../../src/report/figures/transfer_table';
import {figureToSvg, stableSvgIds} from '../../src/report/render_figure';
import {fixtureInput, history} from './fixture';

/** Text of every <text> element of an SVG, entities decoded. */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&amp;/g, '&').replace(/&#x2013;/g, '–'));
}

describe('report/figures', () => {
  it('every figure of the fixture compiles with vega-lite and renders to SVG in the fixed font', async () => {
    const figures = fixtureInput().sections.flatMap((s) => s.figures);
    assert.ok(figures.length >= 6);
    for (const f of figures) {
      const svg = await figureToSvg(f.spec);
      assert.match(svg, /^<svg[^>]*width="\d+(\.\d+)?"/, f.id);
      const fonts = new Set([...svg.matchAll(/font-family="([^"]*)"/g)].map((m) => m[1]));
      assert.deepEqual([...fonts], [FONT], `${f.id}: every text in the fixed font`);
    }
  });

  it('effect intervals: a row per effect; an interval at another level than 95% names it in its row', async () => {
    const effect = {name: 'training error resnet20 − resnet56', verdict: 'inconclusive' as const, estimate: 0.0033, ci: [-0.0012, 0.0078] as const,
      n: 16, perSeed: [0.004, 0.002], rule: 'r', bounds: [0]};
    const claim = {id: 'B2', statement: 's', source: {doc: '002', where: '§I'}, verdict: 'inconclusive' as const, criterion: 'ours > 0',
      expected: {holds: 'gt' as const, threshold: 0, unit: '%' as const}, effects: [{...effect, level: 0.975}, {...effect, name: 'test error plain56 − resnet56'}]};
    // Labels wrap onto lines (tspans): read the text with the tags taken out.
    const svg = await figureToSvg(effectIntervalsFigure({claims: [claim]}));
    const texts = svg.replace(/<\/tspan>/g, ' ').replace(/<[^>]*>/g, '').replace(/\s+/g, ' ');
    assert.match(texts, /B2: training error resnet20 − resnet56 \(97\.5% interval\)/);
    assert.match(texts, /B2: test error plain56 − resnet56$/);
    assert.doesNotMatch(texts, /95% interval/);
  });

  it('error curves: one dashed train and one solid test line per model, error axis in percent', async () => {
    const svg = await figureToSvg(errorCurvesFigure({x: 'epoch', series: [
      {model: 'plain-20', history: history(10, 0.5, 0.1, 0.02)}, {model: 'plain-56', history: history(10, 0.6, 0.15, 0.02)}]}));
    const lines = [...svg.matchAll(/<path[^>]*aria-roledescription="line mark"[^>]*>/g)].map((m) => m[0]);
    assert.equal(lines.length, 4, 'two models × train/test');
    assert.equal(lines.filter((l) => /stroke-dasharray="4,3"/.test(l)).length, 2, 'train lines dashed');
    const texts = svgTexts(svg);
    for (const t of ['plain-20', 'plain-56', 'train', 'test', 'error (%)', 'epoch']) assert.ok(texts.includes(t), t);
    assert.ok(texts.some((t) => /^\d+%$/.test(t)), 'percent tick labels');
  });

  it('error by depth: lines for ours, hollow markers for the paper, depths as ticks', async () => {
    const spec = errorByDepthFigure({ours: [{depth: 20, variant: 'plain', error: 0.1}, {depth: 56, variant: 'plain', error: 0.14},
      {depth: 20, variant: 'residual', error: 0.09}, {depth: 56, variant: 'residual', error: 0.08}],
    paper: [{depth: 56, variant: 'residual', error: 0.0697}]});
    const svg = await figureToSvg(spec);
    const texts = svgTexts(svg);
    for (const t of ['20', '56', 'plain', 'residual', 'paper', 'depth (layers)']) assert.ok(texts.includes(t), t);
    assert.equal([...svg.matchAll(/aria-roledescription="line mark"/g)].length, 2);
  });

  it('accuracy by depth: a line per family, hollow paper markers, the depths as ticks', async () => {
    const spec = accuracyByDepthFigure({ours: [{depth: 18, family: 'ResNet', accuracy: 0.91}, {depth: 50, family: 'ResNet', accuracy: 0.93},
      {depth: 152, family: 'ResNet', accuracy: 0.95}, {depth: 50, family: 'ResNeXt', accuracy: 0.94}],
    paper: [{depth: 18, family: 'ResNet', accuracy: 0.932}, {depth: 152, family: 'ResNet', accuracy: 0.965}]});
    const svg = await figureToSvg(spec);
    const texts = svgTexts(svg);
    for (const t of ['18', '50', '152', 'ResNet', 'ResNeXt', 'paper', 'depth (layers)', 'test accuracy (%)']) assert.ok(texts.includes(t), t);
    assert.equal([...svg.matchAll(/aria-roledescription="line mark"/g)].length, 2);
    assert.equal([...svg.matchAll(/<path[^>]*aria-roledescription="point"[^>]*>/g)].length, 2 + 4, 'two hollow paper markers and four points of ours');
    assert.throws(() => accuracyByDepthFigure({ours: []}), /no data points/);
  });

  it('bars by variant: a bar and a value label per (variant, group)', async () => {
    const svg = await figureToSvg(barByVariantFigure({xTitle: 'shortcut', yTitle: 'error', percent: true, bars: [
      {variant: 'A', group: 'ours', value: 0.262}, {variant: 'B', group: 'ours', value: 0.257},
      {variant: 'A', group: 'paper', value: 0.2503}, {variant: 'B', group: 'paper', value: 0.2452}]}));
    assert.equal([...svg.matchAll(/aria-roledescription="bar"/g)].length, 4);
    const texts = svgTexts(svg);
    for (const t of ['26.2%', '25.7%', '25.0%', '24.5%', 'ours', 'paper']) assert.ok(texts.includes(t), t);
  });

  it('train–val gap: prints the gap in points above each pair', async () => {
    const svg = await figureToSvg(trainValGapFigure({rows: [{model: 'ResNet-18', train: 0.81, val: 0.51}]}));
    const texts = svgTexts(svg);
    assert.ok(texts.includes('gap 30.0 pts'), texts.join('|'));
    assert.equal([...svg.matchAll(/aria-roledescription="bar"/g)].length, 2);
  });

  it('loss curve: finds rebounds and rings each of them', async () => {
    const points = [1.8, 1.2, 1.35, 0.9, 0.8, 0.95, 0.6].map((loss, i) => ({epoch: i + 1, loss}));
    assert.deepEqual(findRebounds(points), [2, 5]);
    assert.deepEqual(findRebounds(points, 0.15), [5]);
    const svg = await figureToSvg(lossCurveFigure({series: [{model: 'ResNet', points}]}));
    const rings = [...svg.matchAll(/<path[^>]*aria-roledescription="point"[^>]*>/g)];
    assert.equal(rings.length, 2);
  });

  it('gradient norms: log axis labelled at powers of ten only, and rejects a zero norm', async () => {
    const norms = Array.from({length: 10}, (_, i) => ({index: i, norm: Math.pow(10, i - 8)}));
    const svg = await figureToSvg(gradientNormsFigure({series: [{model: 'plain-56', norms}]}));
    const ticks = svgTexts(svg).filter((t) => /e[-+]?\d+$/.test(t));
    assert.deepEqual(ticks, ['1e-8', '1e-7', '1e-6', '1e-5', '1e-4', '1e-3', '1e-2', '1e-1', '1e+0', '1e+1']);
    assert.deepEqual(powersOfTen([0.003, 0.2]), [1e-3, 1e-2, 1e-1, 1]);
    assert.throws(() => gradientNormsFigure({series: [{model: 'x', norms: [{index: 0, norm: 0}]}]}), /log axis/);
  });

  it('tolerance bars: one bar per item on a log axis, its value printed, the tolerance as a labelled rule', async () => {
    const svg = await figureToSvg(toleranceBarsFigure({xTitle: 'model', yTitle: 'max |Δ|', tolerance: 1e-4,
      bars: [{label: 'resnet18', value: 3.5e-6}, {label: 'resnet50', value: 0}]}));
    assert.equal([...svg.matchAll(/aria-roledescription="bar"/g)].length, 2, 'a zero deviation still gets its bar');
    const texts = svgTexts(svg);
    for (const t of ['3.5e-6', '0.0e+0', 'tolerance 1e-4', 'resnet18', 'resnet50']) assert.ok(texts.includes(t), `${t} in ${texts.join('|')}`);
    assert.equal([...svg.matchAll(/aria-roledescription="rule mark"/g)].length, 1);
  });

  it('lr schedule: step corners at each milestone, one line per schedule; plateau schedules refused', async () => {
    const paper = {label: 'paper', baseLr: 0.1, iterations: 64000, schedule: {type: 'multistep', milestones: [32000, 48000], gamma: 0.1} as const};
    const steps = scheduleSteps(paper).map((p) => [p.iteration, Number(p.lr.toPrecision(3))]);
    assert.deepEqual(steps, [[1, 0.1], [32000, 0.1], [32000, 0.01], [48000, 0.01], [48000, 0.001], [64000, 0.001]]);
    const warm = scheduleSteps({...paper, schedule: {...paper.schedule, warmup: {lr: 0.01, iterations: 400}}});
    assert.deepEqual(warm.slice(0, 3).map((p) => [p.iteration, p.lr]), [[1, 0.01], [400, 0.01], [400, 0.1]]);
    const svg = await figureToSvg(lrScheduleFigure({series: [paper, {...paper, label: 'quick', iterations: 790,
      schedule: {type: 'multistep', milestones: [395, 593], gamma: 0.1}}]}));
    assert.equal([...svg.matchAll(/aria-roledescription="line mark"/g)].length, 2);
    assert.throws(() => scheduleSteps({...paper, schedule: {type: 'plateau', factor: 0.1, patience: 3}}), /plateau/);
  });

  it('renders the same spec to the same SVG bytes (no canvas, fixed fonts)', async () => {
    const spec = fixtureInput().sections[0].figures[0].spec;
    assert.equal(await figureToSvg(spec), await figureToSvg(JSON.parse(JSON.stringify(spec))));
  });

  it('renumbers vega\'s process-wide clip ids per figure, references included', () => {
    const svg = '<svg><clipPath id="clip7"/><clipPath id="clip12"/><g clip-path="url(#clip12)"/><g clip-path="url(#clip7)"/></svg>';
    assert.equal(stableSvgIds(svg), '<svg><clipPath id="clip1"/><clipPath id="clip2"/><g clip-path="url(#clip2)"/><g clip-path="url(#clip1)"/></svg>');
  });

  it('refuses an empty figure instead of drawing nothing', () => {
    assert.throws(() => errorCurvesFigure({x: 'epoch', series: []}), /no data points/);
  });

  it('transfer table: ours beside the paper, dashes where not run', () => {
    const t = transferTable({id: 't', caption: 'c', rows: [{model: 'ResNet-18', testAccuracy: 0.9123, trainLoss: 0.2049, paperAccuracy: 0.932, paperLoss: 0.19}, {model: 'ResNet-152'}]});
    assert.deepEqual(t.rows, [['ResNet-18', '91.23%', '93.2%', '0.205', '0.19'], ['ResNet-152', '—', '—', '—', '—']]);
    assert.equal(t.columns.length, 5);
  });
});
