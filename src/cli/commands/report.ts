import {dirname, relative, resolve} from 'node:path';
import {readReportInput} from '../../report/read_input';
import {writeReport} from '../../report/write_report';
import {ReproError} from '../../util/errors';
import type {Command} from '../command';
import {parseArgs} from '../args';

const USAGE = `usage: repro report --input FILE [--out DIR] [--chromium PATH]

Re-renders a report from a saved report input (the report.json that \`repro reproduce\` writes
beside report.pdf) without training or reading the run store: figures/ (each figure as .vl.json,
.svg and .png), report.html, report.pdf and claims.json.

  --input FILE     the saved ReportInput, e.g. reports/quick/report.json
  --out DIR        where to write (default: the directory of --input)
  --chromium PATH  the Chromium to render with (default: $REPRO_CHROMIUM, /usr/bin/chromium, PATH)`;

export const reportCommand: Command = {
  name: 'report',
  summary: 're-render the PDF/HTML report and its figures from a saved report.json',
  usage: USAGE,
  async run(argv) {
    const args = parseArgs('report', argv, {values: ['input', 'out', 'chromium']});
    const inputPath = args.values.get('input');
    if (inputPath === undefined) {
      throw new ReproError('repro report: --input is required',
        {expected: 'the report.json written by `repro reproduce` (reports/<profile>/report.json)', fix: 'run `repro report --input reports/quick/report.json`'});
    }
    const input = readReportInput(inputPath);
    const outDir = resolve(args.values.get('out') ?? dirname(inputPath));
    const started = Date.now();
    const files = await writeReport(input, outDir, {executablePath: args.values.get('chromium')});
    // Paths under the working directory are shown relative to it, others in full.
    const show = (p: string) => { const r = relative(process.cwd(), p); return r && !r.startsWith('..') ? r : p; };
    process.stdout.write(
      `wrote ${show(files.pdf)}, ${show(files.html)}, ${show(files.claims)} and ${files.figures.length} figures ` +
      `under ${show(outDir)}/figures in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return 0;
  },
};
