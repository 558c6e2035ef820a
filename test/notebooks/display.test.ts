import {strict as assert} from 'node:assert';
import {PNG} from 'pngjs';
import type {Display} from 'tslab';
import {showFigure, showTable, tableHtml} from '../../src/notebooks/display';
import {errorCurvesFigure} from '../../src/report/figures/error_curves';
import {svgSize} from '../../src/report/render_figure';

/** Records what would reach the notebook, by MIME type. */
function recorder(): {display: Display; shown: [string, string][]} {
  const shown: [string, string][] = [];
  const put = (type: string) => (s: string | Uint8Array) => { shown.push([type, String(s)]); };
  const display = {
    html: put('text/html'), svg: put('image/svg+xml'), markdown: put('text/markdown'), text: put('text/plain'),
    javascript: put('application/javascript'), latex: put('text/latex'), png: put('image/png'), jpeg: put('image/jpeg'),
    gif: put('image/gif'), pdf: put('application/pdf'), raw: (t: string, b: string | Uint8Array) => put(t)(b),
  } satisfies Display;
  return {display, shown};
}

const history = [1, 2].map((epoch) => ({epoch, iteration: epoch * 10, trainError: 0.5 / epoch, testError: 0.6 / epoch}));

describe('notebooks/display', () => {
  it('tableHtml escapes cells, right-aligns numbers and keeps the first row\'s column order', () => {
    const html = tableHtml([{name: '<b>&', n: 1234567, x: 0.123456}, {name: 'y', n: 2, x: null}], 'cap <1>');
    assert.match(html, /<caption>cap &lt;1&gt;<\/caption>/);
    assert.match(html, /<th>name<\/th><th>n<\/th><th>x<\/th>/);
    assert.match(html, /<td style="text-align:left">&lt;b&gt;&amp;<\/td><td style="text-align:right">1,234,567<\/td><td style="text-align:right">0.1235<\/td>/);
    assert.match(html, /<td style="text-align:right">2<\/td><td style="text-align:left"><\/td>/);
  });

  it('showTable shows one text/html output; an empty table says so', () => {
    const {display, shown} = recorder();
    showTable([{a: 1}], undefined, display);
    showTable([], undefined, display);
    assert.deepEqual(shown.map(([t]) => t), ['text/html', 'text/html']);
    assert.match(shown[1][1], /no rows/);
  });

  it('showFigure renders the vega-lite spec to SVG (no CDN) with ids unique per figure', async () => {
    const shown: Record<string, string>[] = [];
    const spec = errorCurvesFigure({series: [{model: 'm', history}], x: 'epoch'});
    const noPng = () => Promise.reject(new Error('no Chromium in this test'));
    await showFigure(spec, (data) => shown.push({...data}), noPng);
    await showFigure(spec, (data) => shown.push({...data}), noPng);
    assert.deepEqual(shown.map((d) => Object.keys(d)), [['image/svg+xml'], ['image/svg+xml']], 'SVG only when no PNG can be made');
    const svgs = shown.map((d) => d['image/svg+xml']);
    const ids = svgs.map((svg) => [...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]));
    assert.ok(ids[0].length > 0, 'vega clip paths carry ids');
    assert.equal(ids[0].filter((id) => ids[1].includes(id)).length, 0, 'two figures in one page share no id');
    for (const svg of svgs) {
      assert.match(svg, /^<svg[^>]*>[^]*<\/svg>$/);
      assert.doesNotMatch(svg, /https?:\/\/(?!www\.w3\.org)/, 'no external references');
    }
  });

  it('showFigure sends the SVG and a PNG of it in one output, the PNG shown at the SVG\'s size (untrusted notebooks show PNG)', async () => {
    const shown: {data: Record<string, string>; metadata?: Readonly<Record<string, unknown>>}[] = [];
    await showFigure(errorCurvesFigure({series: [{model: 'm', history}], x: 'epoch'}), (data, metadata) => shown.push({data: {...data}, metadata}));
    assert.equal(shown.length, 1, 'one display_data message');
    const {data, metadata} = shown[0];
    assert.deepEqual(Object.keys(data).sort(), ['image/png', 'image/svg+xml']);
    const png = PNG.sync.read(Buffer.from(data['image/png'], 'base64'));
    const {width, height} = svgSize(data['image/svg+xml']);
    assert.deepEqual(metadata, {'image/png': {width: Math.round(width), height: Math.round(height)}});
    assert.ok(Math.abs(png.width - 2 * width) <= 2 && Math.abs(png.height - 2 * height) <= 2, `PNG ${png.width}×${png.height} for SVG ${width}×${height}`);
    // Not blank: a figure has dark pixels (axes, text, lines) on its white background.
    let dark = 0;
    for (let i = 0; i < png.data.length; i += 4) if (png.data[i] < 128) dark++;
    assert.ok(dark > 500, `only ${dark} dark pixels`);
  });
});
