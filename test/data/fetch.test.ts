import * as assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {downloadFile, hashFile} from '../../src/data/fetch';
import {ReproError} from '../../src/util/errors';
import {serve, sink, type TestServer} from './http_server';

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

  it('accepts a sha256 prefix (torch.hub\'s check) and names the prefix and the full digest on a mismatch', async () => {
    const dest = join(dir, 'file.bin');
    await downloadFile({url: `${server.url}/file.bin`, dest, checksum: {algorithm: 'sha256-prefix', hex: sha256.slice(0, 8)}, progress: sink()});
    assert.deepEqual(readFileSync(dest), body);
    const other = join(dir, 'other.bin');
    const wrong = sha256[0] === 'f' ? '00000000' : 'ffffffff';
    await assert.rejects(
      downloadFile({url: `${server.url}/file.bin`, dest: other, checksum: {algorithm: 'sha256-prefix', hex: wrong}, progress: sink()}),
      (err: unknown) => err instanceof ReproError && err.message.includes(`sha256 starting with ${wrong}, got ${sha256}`) &&
        err.message.includes('other.bin'));
    assert.equal(existsSync(other), false);
    assert.equal(existsSync(`${other}.part`), false);
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
