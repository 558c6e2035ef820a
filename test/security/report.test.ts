import {strict as assert} from 'node:assert';
import {execFileSync} from 'node:child_process';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {withBrowser, offlinePage} from '../../src/report/browser';
import {REFUSING_LOADER} from '../../src/report/figure_safety';
import type {ReportInput} from '../../src/report/model';
import {htmlToPdf} from '../../src/report/pdf';
import {parseReportInput} from '../../src/report/read_input';
import {figureToSvg, svgToPng} from '../../src/report/render_figure';
import type {VegaLiteSpec} from '../../src/report/vega_types';
import {FIGURE_MANIFEST, writeReport} from '../../src/report/write_report';
import {requireTool} from '../report/chromium';
import {fixtureInput} from '../report/fixture';
import {assertCliError, assertRejectsRepro, assertReproError} from './hostile';

/** Classes 1, 6 and 7 of issue 12: an untrusted report.json, the report's output folder, CLI errors. */

const json = (): Record<string, any> => JSON.parse(JSON.stringify(fixtureInput())); // eslint-disable-line @typescript-eslint/no-explicit-any

describe('security: rendering an untrusted report', () => {
  let dir: string;
  let secret: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'repro-sec-report-'));
    secret = join(dir, 'secret.csv');
    writeFileSync(secret, 'line\nTOP-SECRET-LINE\n');
  });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  describe('figures load nothing and link nowhere', () => {
    it('a data.url naming a local file is refused; the file never reaches the SVG', async () => {
      const spec = {data: {url: secret}, mark: 'text', encoding: {text: {field: 'line'}}} as unknown as VegaLiteSpec;
      const e = await assertRejectsRepro(figureToSvg(spec, 'figure "x"'), /figure "x": spec\.data\.url is not allowed/, /data inline/);
      assert.doesNotMatch(e.message, /TOP-SECRET/);
    });

    it('an http data.url and an image url are refused', async () => {
      await assertRejectsRepro(figureToSvg({data: {url: 'http://127.0.0.1:9/x.csv'}, mark: 'point'} as unknown as VegaLiteSpec), /spec\.data\.url/);
      await assertRejectsRepro(figureToSvg({data: {values: [{u: 'x'}]}, mark: {type: 'image'}, encoding: {url: {field: 'u'}}} as unknown as VegaLiteSpec),
        /spec\.encoding\.url/);
    });

    it('a javascript: href is a clear error, not a crash', async () => {
      const spec = {data: {values: [{a: 1}]}, mark: {type: 'point', href: 'javascript:alert(1)'}, encoding: {x: {field: 'a'}}} as unknown as VegaLiteSpec;
      await assertRejectsRepro(figureToSvg(spec, 'figure "j"'), /figure "j": spec\.mark\.href is not allowed \("javascript:alert\(1\)"\)/);
    });

    it('vega itself, given a link and a data URL behind the check\'s back, loads nothing and does not crash', async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (e: unknown) => unhandled.push(e);
      process.on('unhandledRejection', onUnhandled);
      try {
        const vega = await import('vega');
        const vl = await import('vega-lite');
        const compiled = vl.compile({data: {values: [{a: 1, h: 'javascript:alert(1)'}]}, mark: 'point', encoding: {x: {field: 'a'}, href: {field: 'h'}}} as never).spec;
        const view = new vega.View(vega.parse(compiled), {renderer: 'none', loader: REFUSING_LOADER as never});
        const svg = await view.toSVG();
        view.finalize();
        // The link is dropped (an <a> without href); the text only survives as an aria-label.
        assert.doesNotMatch(svg, /href=/);
        assert.match(svg, /<a>/);
        await assert.rejects(REFUSING_LOADER.load(secret), /tried to load/);
        await assert.rejects(REFUSING_LOADER.sanitize('http://127.0.0.1:9/', {context: 'dataflow'}), /tried to load/);
        await new Promise((r) => setTimeout(r, 50));
        assert.deepEqual(unhandled, []);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });
  });

  describe('report.json is checked field by field', () => {
    const cases: [string, (j: Record<string, any>) => void, RegExp][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
      ['a figure with data.url', (j) => { j.sections[0].figures[0].spec.data = {url: '/etc/passwd'}; }, /\$\.sections\[0\]\.figures\[0\]: spec\.data\.url is not allowed/],
      ['a figure id with ../', (j) => { j.sections[0].figures[0].id = '../../evil'; }, /\$\.sections\[0\]\.figures\[0\]\.id: figure id "\.\.\/\.\.\/evil" is not file-safe/],
      ['a ci that is not two numbers', (j) => { j.claims[1].ci = 'wide'; }, /\$\.claims\[1\]\.ci is missing or malformed/],
      ['a perSeed with a string', (j) => { j.claims[1].perSeed = [0.1, 'x']; }, /\$\.claims\[1\]\.perSeed/],
      ['n that is not a count', (j) => { j.claims[1].n = -3; }, /\$\.claims\[1\]\.n/],
      ['a level given in percent', (j) => { j.claims[1].level = 97.5; }, /\$\.claims\[1\]\.level is missing or malformed/],
      ['a tolerance that is text', (j) => { j.claims[2].expected.tolerance = {abs: 'one'}; }, /\$\.claims\[2\]\.expected\.tolerance\.abs/],
      ['an unknown unit', (j) => { j.claims[2].expected.unit = 'furlongs'; }, /\$\.claims\[2\]\.expected\.unit/],
      ['a threshold that is text', (j) => { j.claims[1].expected.threshold = '0'; }, /\$\.claims\[1\]\.expected\.threshold/],
    ];
    for (const [name, corrupt, pattern] of cases) {
      it(`refuses ${name}, naming the file and field`, () => {
        const j = json();
        corrupt(j);
        assertReproError(() => parseReportInput(j, 'evil.json'), /^evil\.json: /, pattern);
      });
    }

    it('accepts the evidence fields of claims decided over seeds and every verdict', () => {
      const j = json();
      Object.assign(j.claims[1], {verdict: 'inconclusive', estimate: 0.02, ci: [-0.01, 0.05], n: 3, rule: 'reproduced when the interval lies above 0',
        interval: 't (n − 1 df)', perSeed: [0.01, 0.02, 0.03], decide: 'about 9 seeds', level: 0.975});
      j.claims[0].verdict = 'encoded';
      const input = parseReportInput(j, 'ok.json');
      assert.deepEqual(input.claims[1].ci, [-0.01, 0.05]);
    });

    it('the CLI says so with exit 2 and no stack trace, before starting a browser', () => {
      const cases: [(j: Record<string, any>) => void, RegExp][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
        [(j) => { j.sections[0].figures[0].spec.data = {url: secret}; }, /spec\.data\.url is not allowed/],
        [(j) => { j.sections[0].figures[0].id = '../evil'; }, /figure id "\.\.\/evil" is not file-safe/],
        [(j) => { j.claims[0].ci = {low: 1}; }, /\$\.claims\[0\]\.ci/],
      ];
      for (const [corrupt, pattern] of cases) {
        const j = json();
        corrupt(j);
        const file = join(dir, 'evil.json');
        writeFileSync(file, JSON.stringify(j));
        assertCliError(['report', '--input', file, '--out', join(dir, 'out'), '--chromium', '/nonexistent/chromium'], {}, /evil\.json/, pattern);
      }
      assert.ok(!existsSync(join(dir, 'out')));
    });
  });

  describe('Chromium renders offline', () => {
    let server: Server;
    let url: string;
    const hits: string[] = [];
    before(async function () {
      requireTool(this, 'chromium');
      server = createServer((req, res) => { hits.push(req.url ?? ''); res.end('x'); });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => server && new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));

    it('no request leaves the page for the PDF or a PNG: network and files are refused', async function () {
      const html = `<!doctype html><html><head><link rel="stylesheet" href="${url}/style.css"></head><body>
<img src="${url}/img.png"><img src="file://${secret}"><iframe src="file://${secret}"></iframe>
<div style="background:url(${url}/bg.png)">text</div></body></html>`;
      const pdf = join(dir, 'x.pdf');
      await withBrowser({}, async (b) => {
        await htmlToPdf(b, html, pdf, 'title');
        const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><image href="${url}/svg-image.png" width="20" height="20"/></svg>`;
        await svgToPng(b, svg);
        const page = await offlinePage(b);
        try {
          await page.setContent(html, {waitUntil: 'load'});
          assert.ok(page.blocked.some((u) => u.startsWith(url)), `blocked: ${page.blocked.join(', ')}`);
        } finally {
          await page.close();
        }
      });
      assert.deepEqual(hits, []);
      // The iframe's local file is not in the PDF (Chromium does not let about:blank content read file: URLs).
      requireTool(this, 'pdftotext');
      const text = execFileSync('pdftotext', [pdf, '-'], {encoding: 'utf8'});
      assert.match(text, /text/);
      assert.doesNotMatch(text, /TOP-SECRET/);
    });

    it('--out DIR: the report deletes only its own stale figures, never the user\'s files', async () => {
      const out = join(dir, 'out');
      mkdirSync(join(out, 'figures'), {recursive: true});
      const mine = ['mine.png', 'mine.svg', 'notes.vl.json', 'README.txt'];
      for (const f of mine) writeFileSync(join(out, 'figures', f), 'the user\'s own');
      const input = fixtureInput();
      const small: ReportInput = {...input, claims: input.claims.filter((c) => ['B1', 'B2'].includes(c.id)), sections: [input.sections[0]]};
      await withBrowser({}, async (b) => {
        await writeReport(small, out, {browser: b});
        const first = readdirSync(join(out, 'figures'));
        assert.ok(first.includes('degradation-plain.png') && first.includes(FIGURE_MANIFEST));
        // The next render lacks one figure: its files (recorded in the manifest) go, nothing else does.
        const fewer: ReportInput = {...small, sections: [{...small.sections[0], figures: small.sections[0].figures.slice(1)}]};
        await writeReport(fewer, out, {browser: b});
      });
      const after = readdirSync(join(out, 'figures')).sort();
      for (const f of mine) assert.ok(after.includes(f), `${f} kept`);
      assert.ok(!after.some((f) => f.startsWith('degradation-plain.')), after.join(', '));
      assert.ok(after.includes('degradation-residual.png'));
      assert.deepEqual(JSON.parse(readFileSync(join(out, 'figures', FIGURE_MANIFEST), 'utf8')),
        small.sections[0].figures.slice(1).flatMap((f) => [`${f.id}.png`, `${f.id}.svg`, `${f.id}.vl.json`]).sort());
    });
  });
});
