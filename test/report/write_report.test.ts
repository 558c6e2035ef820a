import {strict as assert} from 'node:assert';
import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {validateReportInput, writeReport, type ReportFiles} from '../../src/report/write_report';
import {requireTool} from './chromium';
import {fixtureInput} from './fixture';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(bytes: Buffer): {width: number; height: number} {
  // IHDR is the first chunk: width and height are big-endian at bytes 16 and 20.
  return {width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20)};
}

describe('report/write_report', function () {
  let dir: string;
  let files: ReportFiles;

  before(async function () {
    requireTool(this, 'chromium');
    dir = mkdtempSync(join(tmpdir(), 'repro-report-test-'));
    // The user's own files in figures/, figure-like or not: the report never deletes what it did not write.
    mkdirSync(join(dir, 'figures'));
    writeFileSync(join(dir, 'figures', 'dropped-figure.svg'), '<svg/>');
    writeFileSync(join(dir, 'figures', 'README.txt'), 'kept');
    files = await writeReport(fixtureInput(), dir);
  });
  after(() => { if (dir) rmSync(dir, {recursive: true, force: true}); });

  it('writes report.html, report.pdf, claims.json, report.json, every figure and its manifest; no temp files; keeps the user\'s files', () => {
    const input = fixtureInput();
    const ids = input.sections.flatMap((s) => s.figures).map((f) => f.id);
    assert.deepEqual(files.figures.map((f) => f.id), ids);
    const expected = [...ids.flatMap((id) => [`${id}.png`, `${id}.svg`, `${id}.vl.json`]), 'README.txt', 'dropped-figure.svg', '.report-figures.json'].sort();
    assert.deepEqual(readdirSync(join(dir, 'figures')).sort(), expected);
    assert.deepEqual(readdirSync(dir).sort(), ['claims.json', 'figures', 'report.html', 'report.json', 'report.pdf']);
    assert.deepEqual(JSON.parse(readFileSync(files.claims, 'utf8')), JSON.parse(JSON.stringify(input.claims)));
    assert.deepEqual(JSON.parse(readFileSync(files.input, 'utf8')), JSON.parse(JSON.stringify(input)));
  });

  it('writes each vega-lite spec with its data inlined, so it reopens anywhere', () => {
    for (const f of files.figures) {
      const spec = JSON.parse(readFileSync(f.spec, 'utf8')) as {$schema: string; data?: {values?: unknown[]}; layer?: {data?: {values?: unknown[]}}[]};
      assert.match(spec.$schema, /vega-lite\/v6/);
      const values = spec.data?.values ?? spec.layer?.flatMap((l) => l.data?.values ?? []);
      assert.ok(values && values.length > 0, `${f.id}: inline data`);
      assert.match(readFileSync(f.svg, 'utf8'), /^<svg /);
    }
  });

  it('rasterises every figure to a PNG at twice the SVG size', () => {
    for (const f of files.figures) {
      const png = readFileSync(f.png);
      assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE), `${f.id}: PNG signature`);
      const svg = readFileSync(f.svg, 'utf8');
      const w = Number(/width="([\d.]+)"/.exec(svg)![1]), h = Number(/height="([\d.]+)"/.exec(svg)![1]);
      const size = pngSize(png);
      assert.ok(Math.abs(size.width - 2 * w) <= 2 && Math.abs(size.height - 2 * h) <= 2, `${f.id}: ${size.width}×${size.height} for ${w}×${h}`);
      assert.ok(size.width >= 400 && size.height >= 200, `${f.id}: sane size`);
    }
  });

  it('prints a valid A4 PDF whose text holds the claims table, verdicts, captions and provenance', function () {
    const pdf = readFileSync(files.pdf);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(pdf.subarray(-1024).toString('latin1'), /%%EOF\s*$/);
    requireTool(this, 'pdftotext');
    const info = execFileSync('pdfinfo', [files.pdf], {encoding: 'utf8'});
    assert.match(info, /Page size:.*pts \(A4\)/);
    const fonts = execFileSync('pdffonts', [files.pdf], {encoding: 'utf8'}).split('\n').slice(2).filter((l) => l.trim());
    assert.ok(fonts.length > 0 && fonts.every((l) => / yes /.test(l)), `every font embedded:\n${fonts.join('\n')}`);
    const text = execFileSync('pdftotext', ['-layout', files.pdf, '-'], {encoding: 'utf8'}).replace(/\s+/g, ' ');
    const input = fixtureInput();
    for (const c of input.claims) assert.match(text, new RegExp(`\\b${c.id}\\b`), c.id);
    for (const v of ['reproduced', 'not reproduced', 'not run']) assert.ok(text.includes(v), v);
    assert.ok(text.includes('Claims: paper vs ours'));
    assert.ok(text.includes('Figure 1: Training (dashed) and test (bold) error of plain-20 and plain-56.'));
    assert.ok(text.includes('Table 1: CIFAR-10 after 5 epochs of fine-tuning.'));
    assert.ok(text.includes(input.provenance.runs[0].hash), 'run hash in the appendix');
    assert.ok(text.includes('8.41%') && text.includes('6.97%'), 'ours beside the paper');
  });

  it('keeps figures as vectors: the figure text is in the PDF as text', function () {
    requireTool(this, 'pdftotext');
    const text = execFileSync('pdftotext', [files.pdf, '-'], {encoding: 'utf8'});
    assert.ok(text.includes('depth (layers)') && text.includes('gradient norm (log)'));
  });
});

describe('report/validateReportInput', () => {
  it('rejects duplicate figure ids and sections naming unknown claims', () => {
    const input = fixtureInput();
    const [first, ...rest] = input.sections;
    assert.throws(() => validateReportInput({...input, sections: [{...first, claimIds: ['Z9']}, ...rest]}), /"Z9"/);
    assert.throws(() => validateReportInput({...input, sections: [first, {...first, id: 'again'}]}), /used twice/);
    assert.throws(() => validateReportInput({...input, claims: [...input.claims, input.claims[0]]}), /appears twice/);
    assert.doesNotThrow(() => validateReportInput(input));
  });
});
