import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {basename, join, resolve} from 'node:path';
import {REPO_ROOT} from '../runs/code_version';
import {ReproError} from '../util/errors';
import {readNotebook, serializeNotebook, type Notebook} from './ipynb';
import {KERNEL_NAME, NOTEBOOKS_DIR, SYSTEM_PYTHON, jupyterEnv, notebookSupportMissing} from './jupyter';
import {injectParameters, parameterDefaults, parseParams} from './parameters';

export const DEFAULT_OUT_DIR = join(REPO_ROOT, 'reports', 'notebooks');
const DRIVER = join(REPO_ROOT, 'scripts', 'run_notebook.py');

/** The notebooks the runner knows: every notebooks/*.ipynb (adding a notebook is adding a file). */
export function listNotebooks(dir = NOTEBOOKS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.ipynb')).map((f) => f.slice(0, -'.ipynb'.length)).sort();
}

export function notebookPath(name: string, dir = NOTEBOOKS_DIR): string {
  const file = join(dir, `${basename(name, '.ipynb')}.ipynb`);
  if (!existsSync(file)) {
    throw new ReproError(`no notebook named "${name}" in ${dir}`,
      {expected: `one of ${listNotebooks(dir).join(', ') || '(none)'}`, fix: 'run `repro notebook list`'});
  }
  return file;
}

export interface CellFailure {
  /** Index of the failing cell in the executed notebook (injected cell included); -1 when unknown. */
  readonly cell: number;
  readonly ename: string;
  readonly evalue: string;
}

export interface NotebookRun {
  readonly name: string;
  readonly executedPath: string;
  readonly htmlPath: string;
  readonly executed: Notebook;
  readonly error?: CellFailure;
}

export interface RunNotebookOptions {
  /** `k=v` assignments, typed by the defaults of the "parameters" cell. */
  readonly params?: readonly string[];
  readonly outDir?: string;
  /** Per-cell time limit. */
  readonly cellTimeoutS?: number;
  /** Extra environment for the kernel (e.g. REPRO_STORE). */
  readonly env?: NodeJS.ProcessEnv;
  readonly dir?: string;
  /** Receives the driver's progress lines (`[cell N] done in S s` and the cell's printed text) as they come. */
  readonly onProgress?: (line: string) => void;
}

/**
 * Executes one notebook headless through the real tslab kernel (nbclient, as nbconvert --execute does)
 * and writes OUT/NAME.ipynb (executed) and OUT/NAME.html. The kernel starts in notebooks/, so the
 * notebooks' `../dist/src/index` imports resolve to the compiled code the CLI and pipeline run.
 */
export async function runNotebook(name: string, opts: RunNotebookOptions = {}): Promise<NotebookRun> {
  const dir = opts.dir ?? NOTEBOOKS_DIR;
  const file = notebookPath(name, dir);
  const nb = readNotebook(file);
  const values = parseParams(opts.params ?? [], parameterDefaults(nb, file), file);
  const missing = notebookSupportMissing();
  if (missing) throw new ReproError(`cannot execute ${file}: ${missing}`);
  const outDir = resolve(opts.outDir ?? DEFAULT_OUT_DIR);
  mkdirSync(outDir, {recursive: true});
  const stem = basename(file, '.ipynb');
  const executedPath = join(outDir, `${stem}.ipynb`), htmlPath = join(outDir, `${stem}.html`);
  const work = mkdtempSync(join(tmpdir(), 'repro-notebook-'));
  try {
    const input = join(work, `${stem}.ipynb`);
    writeFileSync(input, serializeNotebook(injectParameters(nb, values, file)));
    // The driver writes to a scratch file first; the result is moved into place only when complete.
    const scratchNb = join(work, 'executed.ipynb'), scratchHtml = join(work, 'executed.html');
    const {code, stdout, stderr} = await spawnCollect(SYSTEM_PYTHON,
      [DRIVER, input, scratchNb, scratchHtml, KERNEL_NAME, String(opts.cellTimeoutS ?? 600)],
      {cwd: dir, env: jupyterEnv({...process.env, ...opts.env})}, opts.onProgress);
    const summary = /^\{"error".*$/m.exec(stdout)?.[0];
    if (code !== 0 || !summary) {
      throw new ReproError(`executing ${file} failed (driver exit ${code})`, {expected: stderr.trim().slice(-2000)});
    }
    const error = (JSON.parse(summary) as {error: CellFailure | null}).error ?? undefined;
    const {renameSync, copyFileSync} = await import('node:fs');
    for (const [from, to] of [[scratchNb, executedPath], [scratchHtml, htmlPath]]) {
      try { renameSync(from, to); } catch { copyFileSync(from, to); }
    }
    return {name: stem, executedPath, htmlPath, executed: readNotebook(executedPath), error};
  } finally {
    rmSync(work, {recursive: true, force: true});
  }
}

const PROGRESS_LINE = /^(\[cell \d+\] |  \| )/;

function spawnCollect(cmd: string, args: string[], opts: {cwd: string; env: NodeJS.ProcessEnv},
  onProgress?: (line: string) => void): Promise<{code: number | null; stdout: string; stderr: string}> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, {...opts, stdio: ['ignore', 'pipe', 'pipe']});
    let stdout = '', stderr = '', pending = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (PROGRESS_LINE.test(line)) onProgress?.(line);
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({code, stdout, stderr}));
  });
}
