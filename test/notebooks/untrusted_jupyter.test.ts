import {strict as assert} from 'node:assert';
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import puppeteer, {type Browser} from 'puppeteer-core';
import {runNotebook} from '../../src/notebooks/execute';
import {resolveChromium} from '../../src/report/browser';
import {requireJupyter} from './jupyter_available';

// What a colleague sees: an executed notebook opened in the Jupyter Notebook server that set-up
// installs, on a machine whose Jupyter never signed it (a fresh Jupyter data directory), in a real
// browser. Jupyter withholds SVG from untrusted notebooks; the figure must still show (its PNG).

const PYTHON = '/usr/bin/python3';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const {port} = s.address() as {port: number};
      s.close(() => resolve(port));
    });
  });
}

async function waitForServer(url: string, server: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) assert.fail(`the Jupyter server exited (${server.exitCode}):\n${log()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`the Jupyter server did not answer within 30 s:\n${log()}`);
}

describe('notebooks: an executed notebook opened untrusted in the installed Jupyter shows its figures', function () {
  this.timeout(180_000);
  let tmp: string;
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  before(function () {
    requireJupyter(this, () => spawnSync(PYTHON, ['-c', 'import notebook'], {stdio: 'ignore'}).status === 0 ? undefined
      : 'the Jupyter Notebook server is not installed for /usr/bin/python3 (set-up installs Debian\'s jupyter-notebook: npm run setup)');
    tmp = mkdtempSync(join(tmpdir(), 'nb-untrusted-'));
  });
  after(async () => {
    await browser?.close();
    if (server?.pid !== undefined && server.exitCode === null) process.kill(server.pid, 'SIGTERM');
    if (tmp) rmSync(tmp, {recursive: true, force: true});
  });

  it('B7, executed headless, shows its figures as images in Jupyter\'s "Not Trusted" view, and no SVG', async () => {
    const run = await runNotebook('B7', {outDir: join(tmp, 'out'), env: {REPRO_STORE: join(tmp, 'store'), REPRO_THREADS: '1'}});
    assert.equal(run.error, undefined, `cell ${run.error?.cell}: ${run.error?.ename}: ${run.error?.evalue}`);

    const port = await freePort(), token = randomBytes(12).toString('hex');
    const home = join(tmp, 'other-machine');
    let log = '';
    server = spawn(PYTHON, ['-m', 'jupyter', 'notebook', '--no-browser', '--allow-root', '--ip=127.0.0.1', `--port=${port}`,
      '--port-retries=0', `--NotebookApp.token=${token}`, `--notebook-dir=${join(tmp, 'out')}`], {
      env: {...process.env, HOME: home, JUPYTER_DATA_DIR: join(home, 'data'), JUPYTER_CONFIG_DIR: join(home, 'config'),
        JUPYTER_RUNTIME_DIR: join(home, 'runtime'), IPYTHONDIR: join(home, 'ipython')},
      stdio: ['ignore', 'pipe', 'pipe']});
    server.stdout?.on('data', (d) => { log += d; });
    server.stderr?.on('data', (d) => { log += d; });
    await waitForServer(`http://127.0.0.1:${port}/api?token=${token}`, server, () => log);

    browser = await puppeteer.launch({executablePath: resolveChromium(), headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage', `--user-data-dir=${join(tmp, 'chromium')}`]});
    const page = await browser.newPage();
    await page.setViewport({width: 1200, height: 900});
    await page.goto(`http://127.0.0.1:${port}/notebooks/B7.ipynb?token=${token}`, {waitUntil: 'networkidle2', timeout: 60_000});
    await page.waitForSelector('.output_area', {timeout: 60_000});
    // Page code as strings: it runs in the browser, and this project compiles without DOM types.
    await page.waitForFunction('[...document.querySelectorAll(".output_area img")].every((i) => i.complete)', {timeout: 30_000});
    const seen = await page.evaluate(`({
      trusted: IPython.notebook.trusted,
      images: [...document.querySelectorAll('.output_area img')].map((img) =>
        ({src: img.src.slice(0, 22), natural: img.naturalWidth, shown: img.getBoundingClientRect().width})),
      svgs: document.querySelectorAll('.output_area svg').length,
    })`) as {trusted: boolean; images: {src: string; natural: number; shown: number}[]; svgs: number};
    assert.equal(seen.trusted, false, 'a Jupyter that did not execute the notebook does not trust it');
    assert.ok(seen.images.length >= 1, `no figure shown: ${JSON.stringify(seen)}`);
    for (const img of seen.images) {
      assert.equal(img.src, 'data:image/png;base64,');
      assert.ok(img.natural > 0, 'the PNG decodes');
      // Drawn at twice the size, shown at the SVG's: half its pixel width.
      assert.ok(Math.abs(img.shown - img.natural / 2) <= 2, `shown ${img.shown} px for a ${img.natural}-px PNG`);
    }
    assert.equal(seen.svgs, 0, 'untrusted: Jupyter withheld the SVG (so without the PNG there would be no figure)');
  });
});
