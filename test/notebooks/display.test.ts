import {strict as assert} from 'node:assert';
import type {Display} from 'tslab';
import {showFigure, showTable, tableHtml} from '../../src/notebooks/display';
import {errorCurvesFigure} from '../../src/report/figures/error_curves';

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
    const {display, shown} = recorder();
    const spec = errorCurvesFigure({series: [{model: 'm', history}], x: 'epoch'});
    await showFigure(spec, display);
    await showFigure(spec, display);
    assert.deepEqual(shown.map(([t]) => t), ['image/svg+xml', 'image/svg+xml']);
    const ids = shown.map(([, svg]) => [...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]));
    assert.ok(ids[0].length > 0, 'vega clip paths carry ids');
    assert.equal(ids[0].filter((id) => ids[1].includes(id)).length, 0, 'two figures in one page share no id');
    for (const [, svg] of shown) {
      assert.match(svg, /^<svg[^>]*>[^]*<\/svg>$/);
      assert.doesNotMatch(svg, /https?:\/\/(?!www\.w3\.org)/, 'no external references');
    }
  });
});
