import * as assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createServer, type IncomingHttpHeaders, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Writable} from 'node:stream';
import {downloadFile, hashFile} from '../../src/data/fetch';
import {ReproError} from '../../src/util/errors';

/** A progress sink that keeps what it is told (not a TTY: sparse lines). */
function sink(): Writable & {text: () => string} {
  const chunks: string[] = [];
  const w = new Writable({write(c, _e, cb) { chunks.push(String(c)); cb(); }}) as Writable & {text: () => string};
  w.text = () => chunks.join('');
  return w;
}

interface TestServer {
  url: string;
  requests: IncomingHttpHeaders[];
  /** When set, the next response is cut after this many body bytes (then cleared). */
  cutNextAfter?: number;
  close(): Promise<void>;
}

/** Serves `body` at /file.bin with Range support, like a static file server. */
async function serve(body: Buffer): Promise<TestServer> {
  const state: {requests: IncomingHttpHeaders[]; cutNextAfter?: number} = {requests: []};
  const server: Server = createServer((req, res) => {
    state.requests.push(req.headers);
    if (req.url === '/moved') { res.writeHead(302, {location: '/file.bin'}); res.end(); return; }
    if (req.url !== '/file.bin') { res.writeHead(404); res.end(); return; }
    let start = 0;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m) {
      start = Number(m[1]);
      if (start >= body.length) { res.writeHead(416, {'content-range': `bytes */${body.length}`}); res.end(); return; }
      res.writeHead(206, {'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}`});
    } else {
      res.writeHead(200, {'content-length': body.length});
    }
    const rest = body.subarray(start);
    const cut = state.cutNextAfter;
    if (cut !== undefined) {
      state.cutNextAfter = undefined;
      // Send part of the body, then drop the connection as a flaky network would.
      res.write(rest.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(rest);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() { return state.requests; },
    set cutNextAfter(n: number | undefined) { state.cutNextAfter = n; },
    get cutNextAfter() { return state.cutNextAfter; },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

describe('data/fetch: downloadFile against a local HTTP server', () => {
  const body = Buffer.alloc(300_000);
  for (let i = 0; i < body.length; i++) body[i] = (i * 7 + (i >> 8)) & 0xff;
  const md5 = createHash('md5').update(body).digest('hex');
  const sha256 = createHash('sha256').update(body).digest('hex');
  let server: TestServer;
  let dir: string;

  beforeEach(async () => {
    server = await serve(body);
    dir = mkdtempSync(join(tmpdir(), 'repro-fetch-'));
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, {recursive: true, force: true});
  });

  it('downloads, checks the md5 and renames into place (no .part left)', async () => {
    const dest = join(dir, 'file.bin');
    const r = await downloadFile({url: `${server.url}/file.bin`, dest, checksum: {algorithm: 'md5', hex: md5}, progress: sink()});
    assert.equal(r.status, 'downloaded');
    assert.equal(r.resumedFrom, 0);
    assert.deepEqual(readFileSync(dest), body);
    assert.equal(existsSync(`${dest}.part`), false);
    assert.equal(await hashFile(dest, 'sha256'), sha256);
  });

  it('follows a redirect and accepts a sha256', async () => {
    const dest = join(dir, 'file.bin');
    await downloadFile({url: `${server.url}/moved`, dest, checksum: {algorithm: 'sha256', hex: sha256}, progress: sink()});
    assert.deepEqual(readFileSync(dest), body);
  });

  it('does not fetch again a file already present with the right checksum', async () => {
    const dest = join(dir, 'file.bin');
    writeFileSync(dest, body);
    const r = await downloadFile({url: `${server.url}/file.bin`, dest, checksum: {algorithm: 'md5', hex: md5}, progress: sink()});
    assert.equal(r.status, 'present');
    assert.equal(server.requests.length, 0);
  });

  it('a checksum mismatch is a ReproError naming the file and both checksums, and leaves nothing half-done', async () => {
    const dest = join(dir, 'file.bin');
    const wrong = '0'.repeat(32);
    await assert.rejects(
      downloadFile({url: `${server.url}/file.bin`, dest, checksum: {algorithm: 'md5', hex: wrong}, progress: sink()}),
      (err: unknown) => {
        assert.ok(err instanceof ReproError);
        assert.match(err.message, /file\.bin/);
        assert.match(err.message, /md5 checksum mismatch/);
        assert.ok(err.message.includes(wrong), 'names the expected checksum');
        assert.ok(err.message.includes(md5), 'names the actual checksum');
        assert.match(err.message, /what to do:/);
        return true;
      });
    assert.equal(existsSync(dest), false);
    assert.equal(existsSync(`${dest}.part`), false);
  });

  it('an interrupted transfer keeps the .part; the next attempt sends a Range header and resumes', async () => {
    const dest = join(dir, 'file.bin');
    server.cutNextAfter = 100_000;
    await assert.rejects(
      downloadFile({url: `${server.url}/file.bin`, dest, checksum: {algorithm: 'md5', hex: md5}, retries: 0, progress: sink()}),
      (err: unknown) => err instanceof ReproError && /interrupted after 100000 bytes/.test(err.message) && /resumes/.test(err.message));
    assert.equal(statSync(`${dest}.part`).size, 100_000);
    assert.equal(existsSync(dest), false);

    const r = await downloadFile({url: `${server.url}/file.bin`, dest, checksum: {algorithm: 'md5', hex: md5}, progress: sink()});
    assert.equal(server.requests.length, 2);
    assert.equal(server.requests[0].range, undefined);
    assert.equal(server.requests[1].range, 'bytes=100000-');
    assert.equal(r.resumedFrom, 100_000);
    assert.deepEqual(readFileSync(dest), body);
    assert.equal(existsSync(`${dest}.part`), false);
  });

  it('retries by itself after an interruption, resuming with Range', async () => {
    const dest = join(dir, 'file.bin');
    server.cutNextAfter = 50_000;
    const log = sink();
    const r = await downloadFile({url: `${server.url}/file.bin`, dest, checksum: {algorithm: 'md5', hex: md5}, retryDelayMs: 10, progress: log});
    assert.deepEqual(readFileSync(dest), body);
    assert.equal(r.resumedFrom, 50_000);
    assert.equal(server.requests[1].range, 'bytes=50000-');
    assert.match(log.text(), /interrupted at 50000 bytes/);
  });

  it('an HTTP error is a ReproError naming the URL and the status', async () => {
    await assert.rejects(
      downloadFile({url: `${server.url}/missing.bin`, dest: join(dir, 'missing.bin'), progress: sink()}),
      (err: unknown) => err instanceof ReproError && err.message.includes('/missing.bin') && /HTTP 404/.test(err.message));
  });

  it('writes sparse progress lines (not a bar) when the output is not a TTY', async () => {
    const log = sink();
    await downloadFile({url: `${server.url}/file.bin`, dest: join(dir, 'file.bin'), progress: log});
    const lines = log.text().trim().split('\n');
    assert.ok(lines.length >= 2 && lines.length <= 11, `got ${lines.length} lines`);
    assert.ok(!log.text().includes('\r'));
    assert.match(lines[lines.length - 1], /100%.*MB\/s/);
  });
});
