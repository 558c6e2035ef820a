import {writeFileSync} from 'node:fs';
import type {Command} from '../command';
import {intOption, parseArgs} from '../args';
import {ReproError} from '../../util/errors';
import {clearOutputs, readNotebook, serializeNotebook, staleOutputs} from '../../notebooks/ipynb';
import {DEFAULT_OUT_DIR, listNotebooks, notebookPath, runNotebook} from '../../notebooks/execute';
import {parameterDefaults} from '../../notebooks/parameters';
import {NOTEBOOKS_DIR} from '../../notebooks/jupyter';

const USAGE = `usage: repro notebook list [--dir DIR]
       repro notebook run NAME|--all [--param NAME=VALUE ...] [--out DIR] [--dir DIR] [--cell-timeout S]
       repro notebook clean [--check] [--dir DIR]

Notebooks live in notebooks/ (TypeScript, tslab kernel). They import the compiled toolkit
(dist/src/index), the same code the CLI and the pipeline run.

  list   every notebook with its parameters (the cell tagged "parameters") and their defaults.
  run    executes a notebook headless through the real tslab kernel, with a cell tagged
         "injected-parameters" added after the "parameters" cell (papermill's convention). Each
         --param is typed from the default (number, string, boolean); an unknown name is an error.
         Writes the executed copy DIR/NAME.ipynb and DIR/NAME.html (default DIR: reports/notebooks).
         A cell error exits 1, naming the cell index and the error. --all runs every notebook;
         --dir reads the notebooks from DIR instead of notebooks/ (the kernel starts there).
  clean  removes outputs and execution counts from notebooks/*.ipynb (what is committed);
         --check only reports the notebooks that are not clean and exits 1 if any.`;

/** The error without the kernel's stack frames (node:vm, tslab internals): they say nothing about the notebook. */
function withoutStack(message: string): string {
  return message.split('\n').filter((l) => !/^\s+at /.test(l)).join('\n').trim();
}

export const notebookCommand: Command = {
  name: 'notebook',
  summary: 'run the Jupyter notebooks headless with parameters; list; clean outputs',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'list') {
      const args = parseArgs('notebook list', rest, {values: ['dir']});
      const dir = args.values.get('dir') ?? NOTEBOOKS_DIR;
      for (const name of listNotebooks(dir)) {
        const file = notebookPath(name, dir);
        const params = parameterDefaults(readNotebook(file), file).map((p) => `${p.name}=${JSON.stringify(p.value)}`);
        process.stdout.write(`${name.padEnd(16)} ${params.join(' ') || '(no parameters)'}\n`);
      }
      return 0;
    }
    if (sub === 'clean') {
      const args = parseArgs('notebook clean', rest, {values: ['dir'], flags: ['check']});
      const dir = args.values.get('dir') ?? NOTEBOOKS_DIR;
      let dirty = 0;
      for (const name of listNotebooks(dir)) {
        const file = notebookPath(name, dir);
        const nb = readNotebook(file);
        const why = staleOutputs(nb);
        if (!why) continue;
        dirty++;
        if (args.flags.has('check')) process.stdout.write(`${file}: ${why}\n`);
        else { writeFileSync(file, serializeNotebook(clearOutputs(nb))); process.stdout.write(`cleaned ${file}\n`); }
      }
      return args.flags.has('check') && dirty > 0 ? 1 : 0;
    }
    if (sub === 'run') {
      const args = parseArgs('notebook run', rest, {values: ['out', 'dir', 'cell-timeout'], repeated: ['param'], flags: ['all'], positional: 'NOTEBOOK...'});
      const dir = args.values.get('dir') ?? NOTEBOOKS_DIR;
      const names = args.flags.has('all') ? listNotebooks(dir) : args.positional;
      if (names.length === 0 || (args.flags.has('all') && args.positional.length > 0)) {
        throw new ReproError('repro notebook run: give one or more notebook NAMEs or --all',
          {expected: `names from: ${listNotebooks(dir).join(', ')}`, fix: 'run `repro notebook list`'});
      }
      const params = args.repeated.get('param') ?? [];
      const outDir = args.values.get('out') ?? DEFAULT_OUT_DIR;
      const cellTimeoutS = intOption('notebook run', args, 'cell-timeout', 600);
      let failed = 0;
      for (const name of names) {
        process.stderr.write(`[notebook] executing ${name}${params.length ? ` with ${params.join(' ')}` : ''} ...\n`);
        const t0 = Date.now();
        const run = await runNotebook(name, {params, outDir, cellTimeoutS, dir,
          onProgress: (line) => process.stderr.write(`${line}\n`)});
        const secs = ((Date.now() - t0) / 1000).toFixed(1);
        if (run.error) {
          failed++;
          process.stderr.write(`[notebook] ${name}: cell ${run.error.cell} failed: ${run.error.ename}: ${withoutStack(run.error.evalue)}\n` +
            `  executed copy with the error: ${run.executedPath}\n`);
        } else {
          process.stderr.write(`[notebook] ${name}: ok in ${secs} s → ${run.executedPath}, ${run.htmlPath}\n`);
        }
      }
      return failed > 0 ? 1 : 0;
    }
    throw new ReproError(`repro notebook: unknown sub-command "${sub ?? ''}"`,
      {expected: 'list, run or clean', fix: 'run `repro notebook --help`'});
  },
};
