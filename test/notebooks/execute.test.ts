import {strict as assert} from 'node:assert';
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {cellSource, outputMimeTypes, readNotebook, serializeNotebook, staleOutputs, type NotebookOutput} from '../../src/notebooks/ipynb';
import {listNotebooks, runNotebook, type NotebookRun} from '../../src/notebooks/execute';
import {INJECTED_TAG} from '../../src/notebooks/parameters';
import {REPO_ROOT} from '../../src/runs/code_version';
import {requireJupyter} from './jupyter_available';

const text = (o: NotebookOutput) => Array.isArray(o.text) ? o.text.join('') : o.text ?? '';

/** Starts `work` for every key, at most `n` at once in order; each promise settles with its own key's outcome. */
function inPool<T>(keys: readonly string[], n: number, work: (key: string) => Promise<T>): Map<string, Promise<T>> {
  const settle = keys.map(() => {
    let resolve!: (v: T) => void, reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
    promise.catch(() => {}); // awaited by its test later: not an unhandled rejection meanwhile
    return {promise, resolve, reject};
  });
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const i = next++;
      await work(keys[i]).then(settle[i].resolve, settle[i].reject);
    }
  };
  for (let k = 0; k < Math.min(n, keys.length); k++) void worker();
  return new Map(keys.map((key, i) => [key, settle[i].promise]));
}

describe('notebooks executed through the real tslab kernel (smoke profile)', function () {
  this.timeout(180_000);
  let tmp: string;
  before(function () {
    requireJupyter(this);
    tmp = mkdtempSync(join(tmpdir(), 'nb-test-'));
  });
  after(() => { if (tmp) rmSync(tmp, {recursive: true, force: true}); });

  // Every notebook, defaults only (smoke), with a scratch run store; adding a notebook adds a case.
  // Two kernels at a time, as two Jupyter users on one machine: each trains on one thread, and
  // notebooks that need the same run share it through the store's leases.
  const names = listNotebooks();
  let runs: Map<string, Promise<NotebookRun>>;
  before(function () {
    if (tmp) runs = inPool(names, 2, (name) => runNotebook(name, {outDir: join(tmp, 'out'), env: {REPRO_STORE: join(tmp, 'store'), REPRO_THREADS: '1'}}));
  });
  for (const name of names) {
    it(`${name}: runs without a cell error and shows a figure and a table`, async () => {
      const run = await runs.get(name)!;
      assert.equal(run.error, undefined, `cell ${run.error?.cell}: ${run.error?.ename}: ${run.error?.evalue}`);
      const types = outputMimeTypes(run.executed);
      assert.ok(types.has('image/svg+xml'), `no figure (image/svg+xml) among ${[...types]}`);
      assert.ok(types.has('text/html'), `no table (text/html) among ${[...types]}`);
      const svg = run.executed.cells.flatMap((c) => c.outputs ?? []).find((o) => o.data?.['image/svg+xml']);
      assert.match(String(svg?.data?.['image/svg+xml']), /^<svg[^>]*>.*<\/svg>$/s);
      // Beside it in the same output, a PNG: what Jupyter shows where the notebook is not trusted.
      assert.match(String(svg?.data?.['image/png']), /^iVBORw0KGgo/, 'the figure output carries a PNG');
      const html = readFileSync(run.htmlPath, 'utf8');
      // The figure survives the HTML export whole (nbconvert's lab template would strip its elements).
      assert.match(html, /<svg[^>]*>[^]*<path[^>]*class="background"[^]*<\/svg>/, 'the HTML export carries the figure');
      assert.doesNotMatch(html, /cdn\.jsdelivr|vega-embed/, 'figures are rendered SVG, no CDN');
      // Signed: this machine's Jupyter trusts the executed notebook and shows its SVG figures.
      const trusted = spawnSync('/usr/bin/python3', ['-c', 'import sys, nbformat; from nbformat.sign import NotebookNotary; ' +
        'print(NotebookNotary().check_signature(nbformat.read(sys.argv[1], as_version=4)))', run.executedPath], {encoding: 'utf8'});
      assert.equal(trusted.stdout.trim(), 'True', `the executed notebook is not trusted: ${trusted.stderr}`);
    });
  }

  it('overview: --param values reach the kernel in a tagged cell after the parameters cell', async () => {
    const run = await runNotebook('overview', {params: ['epochs=1', 'store=' + join(tmp, 'param-store')],
      outDir: join(tmp, 'param'), env: {REPRO_THREADS: '1'}});
    assert.equal(run.error, undefined, `${run.error?.ename}: ${run.error?.evalue}`);
    const injected = run.executed.cells.findIndex((c) => (c.metadata.tags ?? []).includes(INJECTED_TAG));
    assert.ok(injected > 0 && (run.executed.cells[injected - 1].metadata.tags ?? []).includes('parameters'));
    assert.match(cellSource(run.executed.cells[injected]), /^epochs = 1;$/m);
    const log = run.executed.cells.flatMap((c) => c.outputs ?? []).map(text).join('');
    assert.match(log, /epoch 1\/1/, 'the run trained epochs=1');
    assert.doesNotMatch(log, /epoch 2\//);
    assert.match(log, new RegExp(`run store: ${join(tmp, 'param-store')}`));
  });

  it('`repro notebook run` exits 1 on a cell error, naming the cell index and the error', () => {
    const dir = join(tmp, 'failing');
    mkdirSync(dir, {recursive: true});
    writeFileSync(join(dir, 'broken.ipynb'), serializeNotebook({
      nbformat: 4, nbformat_minor: 5, metadata: {kernelspec: {name: 'tslab', display_name: 'TypeScript', language: 'typescript'}},
      cells: [
        {cell_type: 'code', id: 'a', metadata: {tags: ['parameters']}, source: 'let n = 1;', outputs: [], execution_count: null},
        {cell_type: 'code', id: 'b', metadata: {}, source: 'console.log(n);', outputs: [], execution_count: null},
        {cell_type: 'code', id: 'c', metadata: {}, source: 'throw new Error(`boom ${n}`);', outputs: [], execution_count: null},
        {cell_type: 'code', id: 'd', metadata: {}, source: 'const s: number = "typed";', outputs: [], execution_count: null},
      ],
    }));
    const out = join(tmp, 'failing-out');
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'repro.js'), 'notebook', 'run', 'broken', '--dir', dir,
      '--param', 'n=7', '--out', out], {cwd: REPO_ROOT, encoding: 'utf8'});
    assert.equal(r.status, 1, r.stderr);
    // Cell 3 of the executed notebook: the injected cell is cell 1.
    assert.match(r.stderr, /broken: cell 3 failed: [^]*Error: boom 7/);
    assert.doesNotMatch(r.stderr, /^\s+at .*tslab/m, 'the kernel\'s stack frames are left out');
    // Progress as cells finish: cell 2 (console.log(n)) with what it printed.
    assert.match(r.stderr, /^\[cell 2\] done in [\d.]+ s \(3\/5 cells\)\n {2}\| 7$/m);
    const executed = readNotebook(join(out, 'broken.ipynb'));
    assert.equal(executed.cells[3].outputs?.some((o) => o.output_type === 'error'), true, 'the error is kept in the executed copy');
    assert.equal(executed.cells[4].outputs?.length, 0, 'cells after the failing one do not run');

    // The clean step: --check finds the executed copy's outputs and counts, clean removes them.
    const clean = (extra: string[]) => spawnSync(process.execPath,
      [join(REPO_ROOT, 'bin', 'repro.js'), 'notebook', 'clean', '--dir', out, ...extra], {cwd: REPO_ROOT, encoding: 'utf8'});
    const dirty = clean(['--check']);
    assert.equal(dirty.status, 1);
    assert.match(dirty.stdout, /broken\.ipynb: cell 0 has execution_count 1$/m);
    assert.equal(clean([]).status, 0);
    assert.equal(staleOutputs(readNotebook(join(out, 'broken.ipynb'))), undefined);
    assert.equal(clean(['--check']).status, 0);
  });
});

describe('repro notebook (CLI)', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'repro.js'), 'notebook', ...args],
    {cwd: REPO_ROOT, encoding: 'utf8'});

  it('rejects an unknown parameter before starting a kernel, listing the known ones', () => {
    const r = cli(['run', 'overview', '--param', 'epoch=3']);
    assert.equal(r.status, 2, 'a usage error (ReproError) exits 2');
    assert.match(r.stderr, /has no parameter "epoch"/);
    assert.match(r.stderr, /epochs \(number, default 2\)/);
  });

  it('lists the notebooks with their parameters; clean --check passes on the committed notebooks', () => {
    const list = cli(['list']);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^overview\s+profile="smoke" epochs=2 model="resnet8" store=""$/m);
    assert.match(list.stdout, /^models\s+family="imagenet"$/m);
    const check = cli(['clean', '--check']);
    assert.equal(check.status, 0, check.stdout);
  });
});
