import {createHash} from 'node:crypto';
import {createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmdirSync, statSync, unlinkSync} from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import {basename, dirname} from 'node:path';
import {ReproError} from '../util/errors';
import {limit, LIMITS} from '../util/limits';

/**
 * A checksum a downloaded file must have. 'sha256-prefix': the file's sha256 must start with `hex`
 * (torch.hub's `check_hash`: torchvision publishes only the first 8 hex digits, in the file name).
 */
export interface ExpectedChecksum {
  readonly algorithm: 'md5' | 'sha256' | 'sha256-prefix';
  readonly hex: string;
}

/** The hash function behind a checksum kind. */
export function digestAlgorithm(c: ExpectedChecksum): 'md5' | 'sha256' {
  return c.algorithm === 'md5' ? 'md5' : 'sha256';
}

/** Whether a full hex digest (of `digestAlgorithm(c)`) satisfies `c`. */
export function checksumMatches(c: ExpectedChecksum, actualHex: string): boolean {
  const want = c.hex.toLowerCase();
  return c.algorithm === 'sha256-prefix' ? want.length > 0 && actualHex.startsWith(want) : actualHex === want;
}

/** "md5 c32a…", "sha256 starting with f37072fd" (for messages). */
export function describeChecksum(c: ExpectedChecksum): string {
  return c.algorithm === 'sha256-prefix' ? `sha256 starting with ${c.hex}` : `${c.algorithm} ${c.hex}`;
}

export interface DownloadOptions {
  readonly url: string;
  readonly dest: string;
  readonly checksum?: ExpectedChecksum;
  /** Extra attempts after an interrupted transfer, each resuming where the last stopped (default 3). */
  readonly retries?: number;
  /** Where progress goes (default process.stderr); a TTY gets a live bar, anything else sparse lines. */
  readonly progress?: NodeJS.WritableStream & {isTTY?: boolean};
  /** Milliseconds between retries (default 1000). */
  readonly retryDelayMs?: number;
  /** The file's size when the registry knows it: more is refused. Default: REPRO_MAX_DOWNLOAD_BYTES. */
  readonly maxBytes?: number;
  /** Until the response headers arrive (default REPRO_HTTP_CONNECT_TIMEOUT_MS). */
  readonly connectTimeoutMs?: number;
  /** Longest wait for the next byte of the body (default REPRO_HTTP_IDLE_TIMEOUT_MS). */
  readonly idleTimeoutMs?: number;
}

/** What bounds one transfer: bytes, and the two waits. */
interface Bounds {readonly maxBytes: number; readonly connectMs: number; readonly idleMs: number}

/**
 * `file` under the mirror `base` (the --url of `repro data fetch` and `repro weights fetch`): a
 * ReproError naming the option when `base` is not an http(s) URL.
 */
export function mirrorUrl(base: string, file: string, option = '--url'): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(base.endsWith('/') ? base : `${base}/`);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new ReproError(`${option} ${JSON.stringify(base.slice(0, 200))} is not an http:// or https:// URL`,
      {expected: 'the base URL of a mirror, e.g. https://example.org/datasets/', fix: `pass ${option} with a full http(s) URL, or leave it out to use the official source`});
  }
  return new URL(file, parsed).toString();
}

export interface DownloadResult {
  readonly path: string;
  /** 'present': already there with the right checksum; 'downloaded': fetched now. */
  readonly status: 'present' | 'downloaded';
  /** Bytes the last transfer started from (0 = from scratch, >0 = a resume). */
  readonly resumedFrom: number;
  readonly bytes: number;
}

/** Streams a file through md5 or sha256. */
export function hashFile(path: string, algorithm: 'md5' | 'sha256'): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash(algorithm);
    createReadStream(path).on('data', (c) => h.update(c)).on('error', reject).on('end', () => resolve(h.digest('hex')));
  });
}

class Interrupted extends Error {}
class TooLarge extends ReproError {}

/** Error codes that mean the host was never reached (offline, DNS, firewall): retrying or resuming cannot help. */
const UNREACHABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET']);

class Unreachable extends Error {
  constructor(readonly code: string, message: string) { super(message); }
}

/** Removes what a failed download left that holds nothing: an empty .part, then the folders it created if empty. */
function cleanUpEmpty(part: string, createdTop: string | undefined): void {
  if (existsSync(part) && statSync(part).size === 0) unlinkSync(part);
  if (createdTop === undefined) return;
  for (let dir = dirname(part); ; dir = dirname(dir)) {
    try { rmdirSync(dir); } catch { return; } // not empty (or gone): stop
    if (dir === createdTop || dirname(dir) === dir) return;
  }
}

/**
 * Downloads `url` to `dest`: into `dest.part` first, resumed with an HTTP Range request when a
 * .part is there (from an interrupted run or an earlier attempt of this one), checked against the
 * expected checksum (md5, sha256 or a sha256 prefix), then renamed into place atomically. A file already at `dest` with the right
 * checksum is not fetched again. A mismatch deletes the .part and throws a ReproError naming the
 * file, both checksums and what to do.
 */
export async function downloadFile(opts: DownloadOptions): Promise<DownloadResult> {
  const {dest, checksum} = opts;
  const part = `${dest}.part`;
  if (existsSync(dest)) {
    if (!checksum || checksumMatches(checksum, await hashFile(dest, digestAlgorithm(checksum)))) {
      return {path: dest, status: 'present', resumedFrom: 0, bytes: statSync(dest).size};
    }
    // A damaged file at dest: keep it aside rather than delete what someone may have put there.
    renameSync(dest, `${dest}.bad`);
  }
  const createdTop = mkdirSync(dirname(dest), {recursive: true});
  const bounds: Bounds = {maxBytes: opts.maxBytes ?? limit('downloadBytes'),
    connectMs: opts.connectTimeoutMs ?? limit('connectTimeoutMs'), idleMs: opts.idleTimeoutMs ?? limit('idleTimeoutMs')};
  const retries = opts.retries ?? 3;
  let resumedFrom = 0;
  for (let attempt = 0; ; attempt++) {
    resumedFrom = existsSync(part) ? statSync(part).size : 0;
    try {
      await transfer(opts.url, part, resumedFrom, opts.progress ?? process.stderr, 0, bounds);
      break;
    } catch (err) {
      if (!(err instanceof Interrupted)) {
        // Too large: what arrived is not the file, so nothing is kept to resume from.
        if (err instanceof TooLarge && existsSync(part)) unlinkSync(part);
        cleanUpEmpty(part, createdTop);
      }
      if (err instanceof Unreachable) {
        const host = new URL(opts.url).host;
        throw new ReproError(`${basename(dest)}: ${host} cannot be reached from this machine (${err.code}: ${err.message})`,
          {expected: `a network connection to ${host}`,
            fix: `bring the file in by hand: download ${opts.url} on a machine that can reach ${host}, copy it to ${dest} ` +
              '(or into a folder you name with --dir), then run the same command again: it checks the file and does not download it; ' +
              'a reachable mirror can be given with --url BASE_URL', cause: err});
      }
      if (!(err instanceof Interrupted)) throw err;
      const have = existsSync(part) ? statSync(part).size : 0;
      if (attempt >= retries) {
        throw new ReproError(`${basename(dest)}: download from ${opts.url} interrupted after ${have} bytes (${err.message})`,
          {expected: 'a complete transfer', fix: `run the same command again: it resumes from ${part}`, cause: err});
      }
      (opts.progress ?? process.stderr).write(`${basename(dest)}: interrupted at ${have} bytes (${err.message}); resuming\n`);
      await new Promise((r) => setTimeout(r, opts.retryDelayMs ?? 1000));
    }
  }
  if (checksum) {
    const actual = await hashFile(part, digestAlgorithm(checksum));
    if (!checksumMatches(checksum, actual)) {
      unlinkSync(part);
      throw new ReproError(`${dest}: ${digestAlgorithm(checksum)} checksum mismatch for the file downloaded from ${opts.url}`,
        {expected: `${describeChecksum(checksum)}, got ${actual}`,
          fix: 'the partial download was deleted; run the fetch again (a mirror that serves a different file needs another --url), or download the file by hand and pass --dir'});
    }
  }
  renameSync(part, dest);
  return {path: dest, status: 'downloaded', resumedFrom, bytes: statSync(dest).size};
}

function transfer(url: string, part: string, from: number, progress: NodeJS.WritableStream & {isTTY?: boolean}, redirects: number,
  bounds: Bounds): Promise<void> {
  return new Promise((resolve, reject) => {
    const tooLarge = (what: string) => new TooLarge(`${url}: ${what}, over the ${bounds.maxBytes} bytes allowed for this file`,
      {expected: `at most ${bounds.maxBytes} bytes (the file's known size, else ${LIMITS.downloadBytes.env})`,
        fix: `check the URL (a mirror serving another file?); for a file of unknown size, raise ${LIMITS.downloadBytes.env} (see SECURITY.md)`});
    /** Why this side ended the transfer (a timeout), shown instead of the socket's "aborted". */
    let ended: string | undefined;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (err) {
      reject(new ReproError(`bad download URL "${url}"`, {expected: 'an http:// or https:// URL', cause: err}));
      return;
    }
    const client = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : undefined;
    if (!client) { reject(new ReproError(`unsupported URL scheme in "${url}"`, {expected: 'http:// or https://'})); return; }
    const headers: Record<string, string> = {'user-agent': 'resnet-repro'};
    if (from > 0) headers.range = `bytes=${from}-`;
    // Until the headers: the connect timeout. After them: the idle timeout between bytes.
    const connectTimer = setTimeout(() => { ended = `no response within ${bounds.connectMs} ms`; req.destroy(); }, bounds.connectMs);
    const req = client.get(parsed, {headers}, (res) => {
      clearTimeout(connectTimer);
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects >= 5) { reject(new ReproError(`${url}: too many redirects`)); return; }
        let next: string;
        try {
          next = new URL(res.headers.location, parsed).toString();
        } catch {
          reject(new ReproError(`${url}: redirect to an invalid location ${JSON.stringify(res.headers.location.slice(0, 200))}`));
          return;
        }
        transfer(next, part, from, progress, redirects + 1, bounds).then(resolve, reject);
        return;
      }
      if (status === 416 && from > 0) { res.resume(); resolve(); return; } // the .part is already complete
      if (status !== 200 && status !== 206) {
        res.resume();
        reject(new ReproError(`${url}: HTTP ${status} ${res.statusMessage ?? ''}`.trim(),
          {expected: 'HTTP 200 or 206', fix: 'check the URL (pass another with --url) or download the file by hand and pass --dir'}));
        return;
      }
      // 200 to a Range request: the server ignores ranges, start over.
      const start = status === 206 ? from : 0;
      const length = Number(res.headers['content-length'] ?? NaN);
      const total = Number.isFinite(length) ? start + length : NaN;
      if (total > bounds.maxBytes) {
        res.destroy();
        reject(tooLarge(`the server announces ${total} bytes`));
        return;
      }
      const out = createWriteStream(part, {flags: start > 0 ? 'a' : 'w'});
      const bar = new ProgressBar(basename(part, '.part'), total, start, progress);
      let received = start;
      let failed = false;
      const fail = (msg: string) => {
        if (failed) return;
        failed = true;
        out.end(() => reject(new Interrupted(ended ?? msg)));
      };
      res.on('data', (c: Buffer) => {
        received += c.length;
        bar.update(received);
        if (received > bounds.maxBytes && !failed) {
          // An endless or oversized body: stop reading, and say so (not a resumable interruption).
          failed = true;
          res.destroy();
          out.end(() => reject(tooLarge(`more than ${bounds.maxBytes} bytes arrived`)));
        }
      });
      req.setTimeout(bounds.idleMs, () => { ended = `no data for ${bounds.idleMs} ms`; req.destroy(); });
      res.on('aborted', () => fail('connection closed'));
      res.on('error', (e) => fail(e.message));
      res.on('end', () => {
        if (failed) return;
        if (Number.isFinite(total) && received < total) { fail(`connection closed at ${received} of ${total} bytes`); return; }
        bar.done(received);
        out.end(() => resolve());
      });
      res.pipe(out, {end: false});
      out.on('error', (e) => { failed = true; reject(new ReproError(`${part}: cannot write (${e.message})`, {fix: 'check disk space and permissions', cause: e})); });
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(connectTimer);
      // Never connected at all (DNS, offline, refused): say so; a dropped transfer is resumable instead.
      // Our own timeout (`ended`) aborted it: that is a stall, not an unreachable host.
      if (ended === undefined && e.code && UNREACHABLE.has(e.code) && !req.reusedSocket && !connected) reject(new Unreachable(e.code, e.message));
      else reject(new Interrupted(ended ?? e.message));
    });
    let connected = false;
    req.on('response', () => { connected = true; });
  });
}

/** A live bar on a TTY (percent, rate, ETA); elsewhere one line per 10%, so logs stay short. */
class ProgressBar {
  private readonly t0 = Date.now();
  private lastDraw = 0;
  private lastDecile = -1;
  constructor(private readonly name: string, private readonly total: number, private readonly start: number,
    private readonly out: NodeJS.WritableStream & {isTTY?: boolean}) {}

  update(bytes: number): void {
    const now = Date.now();
    if (this.out.isTTY) {
      if (now - this.lastDraw < 200) return;
      this.lastDraw = now;
      this.out.write(`\r${this.line(bytes, now)}\x1b[K`);
    } else if (Number.isFinite(this.total)) {
      const decile = Math.floor((10 * bytes) / this.total);
      if (decile > this.lastDecile && decile < 10) {
        this.lastDecile = decile;
        this.out.write(`${this.line(bytes, now)}\n`);
      }
    }
  }

  done(bytes: number): void {
    this.out.write(`${this.out.isTTY ? '\r' : ''}${this.line(bytes, Date.now())}${this.out.isTTY ? '\x1b[K' : ''}\n`);
  }

  private line(bytes: number, now: number): string {
    const secs = Math.max(0.001, (now - this.t0) / 1000);
    const rate = (bytes - this.start) / secs;
    const mb = (b: number) => (b / 1e6).toFixed(1);
    if (!Number.isFinite(this.total)) return `${this.name}: ${mb(bytes)} MB at ${mb(rate)} MB/s`;
    const frac = this.total > 0 ? bytes / this.total : 1;
    const width = 24;
    const filled = Math.round(frac * width);
    const eta = rate > 0 ? Math.round((this.total - bytes) / rate) : NaN;
    return `${this.name} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(100 * frac).toFixed(0).padStart(3)}% ` +
      `${mb(bytes)}/${mb(this.total)} MB ${mb(rate)} MB/s ETA ${Number.isFinite(eta) ? `${eta}s` : '?'}`;
  }
}
