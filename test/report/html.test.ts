import {strict as assert} from 'node:assert';
import {claimsTableHtml, renderHtml, tableHtml} from '../../src/report/html';
import {namespaceSvgIds} from '../../src/report/render_figure';
import {CLAIMS, fixtureInput} from './fixture';

const FAKE_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs><clipPath id="clip1"><rect/></clipPath></defs><g clip-path="url(#clip1)"></g></svg>';

function fakeSvgs(): Map<string, string> {
  return new Map(fixtureInput().sections.flatMap((s) => s.figures).map((f) => [f.id, FAKE_SVG]));
}

describe('report/html', () => {
  it('has one claims-table row per claim with paper, ours and a coloured verdict', () => {
    const html = claimsTableHtml(CLAIMS);
    for (const c of CLAIMS) {
      const row = new RegExp(`<tr id="claim-${c.id}">(.*?)</tr>`).exec(html);
      assert.ok(row, c.id);
      assert.ok(row[1].includes(`>${c.verdict}</span>`), `${c.id} verdict`);
    }
    const b2 = /<tr id="claim-B2">(.*?)<\/tr>/.exec(html)![1];
    assert.match(b2, /6\.97%.*8\.41%.*badge v-fail/);
    const d1 = /<tr id="claim-D1">(.*?)<\/tr>/.exec(html)![1];
    assert.match(d1, /not run here: see <a href="#not-run-1">/);
    assert.doesNotMatch(d1, /<code>/, 'the command is said once, in the box, not on the row');
    assert.match(d1, /badge v-skip/);
    // Four columns: claim, paper, ours, verdict.
    assert.match(html, /<thead><tr><th>claim<\/th><th>paper<\/th><th class="num">ours<\/th><th>verdict<\/th><\/tr><\/thead>/);
    const page = renderHtml(fixtureInput(), fakeSvgs());
    assert.match(page, /<li id="not-run-1"><b>D1<\/b>: .*run: <code>npx repro data fetch/);
    // The data note is said once, above the table, and cut from the rows that repeat it.
    assert.equal(page.split('Fashion-MNIST stands in for CIFAR-10').length - 1, 1);
  });

  it('numbers figures and tables through the document and captions them', () => {
    const html = renderHtml(fixtureInput(), fakeSvgs());
    const captions = [...html.matchAll(/<span class="label">Figure (\d+):<\/span>/g)].map((m) => Number(m[1]));
    assert.deepEqual(captions, captions.map((_, i) => i + 1));
    assert.equal(captions.length, fakeSvgs().size);
    assert.match(html, /<span class="label">Table 1:<\/span> CIFAR-10 after 5 epochs/);
  });

  it('is self-contained: no scripts, no external resources, print CSS with a page size', () => {
    const html = renderHtml(fixtureInput(), fakeSvgs());
    assert.doesNotMatch(html, /<script|<link|src="http|@import/);
    assert.match(html, /@page \{ size: A4/);
    assert.match(html, /section\.page \{ break-before: page; \}/);
    assert.match(html, /caption \{ break-after: avoid; \}/);
    for (const id of ['claims', 'exp-degradation', 'out-of-scope', 'provenance']) {
      assert.match(html, new RegExp(`<section id="${id}"( class="page")?>`));
      assert.match(html, new RegExp(`<li><a href="#${id}">`), `${id} in the contents`);
    }
  });

  it('lists provenance: commit, data checksums and every run hash', () => {
    const input = fixtureInput();
    const html = renderHtml(input, fakeSvgs());
    assert.ok(html.includes(input.provenance.commit));
    for (const d of input.provenance.data) assert.ok(html.includes(d.checksum));
    for (const r of input.provenance.runs) assert.ok(html.includes(r.hash), r.hash);
    assert.ok(html.includes('ImageNet training'), 'out-of-scope item');
  });

  it('escapes text, so a statement cannot inject markup', () => {
    const html = claimsTableHtml([{...CLAIMS[0], statement: 'a <b> & "c"'}]);
    assert.ok(html.includes('a &lt;b&gt; &amp; &quot;c&quot;'));
  });

  it('gives each inlined figure its own ids, so clip paths do not cross figures', () => {
    const svg = namespaceSvgIds(FAKE_SVG, 'f3');
    assert.ok(svg.includes('id="f3-clip1"') && svg.includes('url(#f3-clip1)'));
    const html = renderHtml(fixtureInput(), fakeSvgs());
    const ids = [...html.matchAll(/id="(f\d+-clip1)"/g)].map((m) => m[1]);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('rejects a figure without a rendered SVG and a table row of the wrong width', () => {
    assert.throws(() => renderHtml(fixtureInput(), new Map()), /has no rendered SVG/);
    assert.throws(() => tableHtml({id: 't', caption: 'c', columns: [{label: 'a', align: 'left'}], rows: [['1', '2']]}, 1), /2 cells for 1 columns/);
  });
});
