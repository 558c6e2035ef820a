import {accessSync, constants, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {delimiter, join} from 'node:path';
import puppeteer, {type Browser, type Page} from 'puppeteer-core';
import {ReproError} from '../util/errors';

/** Where Debian's chromium package puts the browser; puppeteer's own download is never used. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Chromium to drive: an explicit path, else $REPRO_CHROMIUM, else /usr/bin/chromium, else
 * `chromium`/`chromium-browser` on PATH. An explicit or $REPRO_CHROMIUM path that does not exist is
 * an error (never a silent fall-back to another browser).
 */
export function resolveChromium(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = explicit ?? env.REPRO_CHROMIUM;
  const fix = 'install it with `apt-get install chromium` (Debian), or set REPRO_CHROMIUM to a Chromium/Chrome executable';
  if (chosen !== undefined && chosen !== '') {
    if (isExecutable(chosen)) return chosen;
    throw new ReproError(`Chromium not found at ${chosen}${explicit === undefined ? ' (from REPRO_CHROMIUM)' : ''}`,
      {expected: 'an executable Chromium or Chrome binary (the report renders PNG figures and the PDF with it)', fix});
  }
  if (isExecutable(DEFAULT_CHROMIUM)) return DEFAULT_CHROMIUM;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      if (dir && isExecutable(join(dir, name))) return join(dir, name);
    }
  }
  throw new ReproError('Chromium not found: not at /usr/bin/chromium nor on PATH',
    {expected: 'a Chromium browser to render PNG figures and the PDF headless', fix});
}

/** One headless Chromium for a whole report run (PNG figures and the PDF share it). */
export interface ReportBrowser {
  readonly browser: Browser;
  readonly executablePath: string;
  close(): Promise<void>;
}

export async function launchBrowser(opts: {executablePath?: string} = {}): Promise<ReportBrowser> {
  const executablePath = resolveChromium(opts.executablePath);
  // A fresh profile per run: no state leaks between reports, and nothing is written to $HOME.
  const profile = mkdtempSync(join(tmpdir(), 'repro-chromium-'));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage', '--font-render-hinting=none',
        // No network for what the pages hold (offlinePage also aborts every request): every name
        // resolves to nothing, and connections, loopback included, go to a proxy that is not there.
        '--host-resolver-rules=MAP * ~NOTFOUND', '--proxy-server=http://127.0.0.1:9', '--proxy-bypass-list=<-loopback>',
        `--user-data-dir=${profile}`],
    });
  } catch (err) {
    rmSync(profile, {recursive: true, force: true});
    throw new ReproError(`Chromium at ${executablePath} did not start: ${(err as Error).message}`,
      {expected: 'a working headless Chromium', fix: 'run `chromium --headless --no-sandbox --dump-dom about:blank` to see why; reinstall with `apt-get install chromium`', cause: err});
  }
  return {
    browser,
    executablePath,
    async close() {
      try {
        await browser.close();
      } finally {
        rmSync(profile, {recursive: true, force: true});
      }
    },
  };
}

/**
 * A page that loads nothing: the report's HTML and SVG are set as content (no file is opened),
 * and every request the content makes (http, file, a local server) is aborted. data: URLs are
 * inline content and stay allowed. `blocked` lists what was refused.
 */
export async function offlinePage(b: ReportBrowser): Promise<Page & {blocked: string[]}> {
  const page = await b.browser.newPage() as Page & {blocked: string[]};
  page.blocked = [];
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    const url = req.url();
    if (url.startsWith('data:') || url === 'about:blank') { void req.continue(); return; }
    page.blocked.push(url);
    void req.abort('blockedbyclient');
  });
  return page;
}

/** Runs `fn` with a browser that is closed afterwards whatever happens. */
export async function withBrowser<T>(opts: {executablePath?: string}, fn: (b: ReportBrowser) => Promise<T>): Promise<T> {
  const b = await launchBrowser(opts);
  try {
    return await fn(b);
  } finally {
    await b.close();
  }
}
