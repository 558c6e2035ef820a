import {strict as assert} from 'node:assert';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {existsSync, readdirSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {crc32, createGzip, deflateRawSync, deflateSync} from 'node:zlib';
import {gunzipBounded} from '../../src/data/decompress';
import {downloadFile} from '../../src/data/fetch';
import {parseIdx} from '../../src/data/idx';
import {decodeImage} from '../../src/data/image';
import {zipTree} from '../../src/data/file_tree';
import {flatRgba, jpegBytes, pngBytes, tempDir, withEnv} from '../data/fixtures';
import {sink} from '../data/http_server';
import {assertCliError, assertRejectsRepro, assertReproError, memoryGrowth, MiB} from './hostile';

/** Class 4 of issue 12: every decompression, image, download and wait has a bound a user can raise. */

/** A gzip of `mib` MiB of zeros, made in 1 MiB pieces (the test itself never holds the expansion). */
async function gzipBomb(mib: number): Promise<Buffer> {
  const gz = createGzip({level: 9});
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((r) => gz.on('end', r));
  const zeros = Buffer.alloc(MiB);
  for (let i = 0; i < mib; i++) if (!gz.write(zeros)) await new Promise((r) => gz.once('drain', r));
  gz.end();
  await done;
  return Buffer.concat(out);
}

/** A zip with one deflated entry of `bytes` zeros (declared honestly: yauzl checks sizes). */
function deflatedZip(name: string, bytes: number): Buffer {
  const data = Buffer.alloc(bytes);
  const packed = deflateRawSync(data, {level: 9});
  const nameBuf = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(data), 14); local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(bytes, 22); local.writeUInt16LE(nameBuf.length, 26);
  const cen = Buffer.alloc(46);
  cen.writeUInt32LE(0x02014b50, 0); cen.writeUInt16LE(20, 4); cen.writeUInt16LE(20, 6); cen.writeUInt16LE(8, 10);
  cen.writeUInt32LE(crc32(data), 16); cen.writeUInt32LE(packed.length, 20); cen.writeUInt32LE(bytes, 24); cen.writeUInt16LE(nameBuf.length, 28);
  const cd = Buffer.concat([cen, nameBuf]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(30 + nameBuf.length + packed.length, 16);
  return Buffer.concat([local, nameBuf, packed, cd, end]);
}

/** A PNG chunk with its CRC. */
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

describe('security: limits on decompression, images and downloads', () => {
  describe('decompression', () => {
    it('stops a gzip bomb at the limit, with memory bounded, and names the file and the variable', async () => {
      const bomb = await gzipBomb(256); // ≈ 250 KB expanding to 256 MiB
      await withEnv({REPRO_MAX_DECOMPRESSED_BYTES: String(16 * MiB)}, async () => {
        const grew = await memoryGrowth(() => assertReproError(() => gunzipBounded(bomb, 'bomb.gz'), /bomb\.gz: decompresses to more bytes than allowed/, /REPRO_MAX_DECOMPRESSED_BYTES=N/));
        assert.ok(grew < 96 * MiB, `memory grew by ${(grew / MiB).toFixed(0)} MiB`);
      });
    });

    it('bounds an IDX file by the size of the data set it stands for', async () => {
      const bomb = await gzipBomb(64);
      assertReproError(() => parseIdx(bomb, 'train-images-idx3-ubyte.gz', 3, 60_000 * 784 + 16), /train-images-idx3-ubyte\.gz: decompresses to more than 47040016 bytes/);
    });

    it('refuses a zip whose entries declare more than the limit, before inflating them', async () => {
      const t = tempDir('repro-sec-zip-');
      try {
        const file = join(t.dir, 'bomb.zip');
        writeFileSync(file, deflatedZip('big.bin', 32 * MiB));
        await withEnv({REPRO_MAX_DECOMPRESSED_BYTES: String(8 * MiB)}, async () => {
          const grew = await memoryGrowth(() => assertRejectsRepro(zipTree(file), /bomb\.zip:big\.bin: the archive's entries declare 33554432 bytes/, /REPRO_MAX_DECOMPRESSED_BYTES/));
          assert.ok(grew < 48 * MiB, `memory grew by ${(grew / MiB).toFixed(0)} MiB`);
        });
        // Under the default limit the same archive reads correctly.
        assert.equal((await zipTree(file)).read('big.bin').length, 32 * MiB);
      } finally {
        t.cleanup();
      }
    });

    it('a limit set to nonsense is itself a clear error', () => {
      return withEnv({REPRO_MAX_DECOMPRESSED_BYTES: 'lots'}, () =>
        assertReproError(() => gunzipBounded(Buffer.alloc(0), 'x.gz'), /REPRO_MAX_DECOMPRESSED_BYTES="lots" is not a positive number/));
    });
  });

  describe('images', () => {
    it('refuses a 99-byte PNG that declares 20000×20000 before decoding it', async () => {
      const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(20000, 0); ihdr.writeUInt32BE(20000, 4); ihdr[8] = 8; ihdr[9] = 6;
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
        chunk('IDAT', deflateRawSync(Buffer.alloc(16))), chunk('IEND', Buffer.alloc(0))]);
      assert.ok(png.length < 100);
      const grew = await memoryGrowth(() => assertReproError(() => decodeImage(png, 'huge.png', 3), /huge\.png: a PNG of 20000×20000 pixels, over the limit of 50000000 pixels/, /REPRO_MAX_IMAGE_PIXELS=N/));
      assert.ok(grew < 32 * MiB, `memory grew by ${(grew / MiB).toFixed(0)} MiB`);
    });

    it('refuses an interlaced PNG whose image data inflates far past its size (pngjs bounds only plain ones)', async () => {
      const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(100, 0); ihdr.writeUInt32BE(100, 4); ihdr[8] = 8; ihdr[9] = 6; ihdr[12] = 1;
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
        chunk('IDAT', deflateSync(Buffer.alloc(64 * MiB), {level: 9})), chunk('IEND', Buffer.alloc(0))]);
      const grew = await memoryGrowth(() => assertReproError(() => decodeImage(png, 'bomb.png', 3),
        /bomb\.png: damaged PNG: its image data does not inflate to at most the 81024 bytes a 100×100 image needs/));
      assert.ok(grew < 32 * MiB, `memory grew by ${(grew / MiB).toFixed(0)} MiB`);
    });

    it('a truncated PNG is the same clear error at every cut, on every run', () => {
      const png = Buffer.from(pngBytes(16, 16, flatRgba(16, 16, [10, 200, 30])));
      for (let cut = 8; cut < png.length; cut++) {
        const messages = [0, 1].map(() => assertReproError(() => decodeImage(png.subarray(0, cut), 'cut.png', 3), /^cut\.png: damaged PNG: /).message);
        assert.equal(messages[0], messages[1], `cut at ${cut}`);
      }
      const whole = decodeImage(png, 'whole.png', 3);
      assert.deepEqual([...whole.data.subarray(0, 3)], [10, 200, 30]);
    });

    it('refuses a small JPEG that declares 20000×20000 before decoding it', async () => {
      const jpeg = Buffer.from(jpegBytes(8, 8, flatRgba(8, 8, [50, 60, 70])));
      // The baseline frame header (SOF0, ff c0): length, precision, then height and width.
      const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
      jpeg.writeUInt16BE(20000, sof + 5);
      jpeg.writeUInt16BE(20000, sof + 7);
      const grew = await memoryGrowth(() => assertReproError(() => decodeImage(jpeg, 'huge.jpg', 3), /huge\.jpg: a JPEG too large to decode/, /REPRO_MAX_IMAGE_PIXELS=N/));
      assert.ok(grew < 32 * MiB, `memory grew by ${(grew / MiB).toFixed(0)} MiB`);
    });

    it('the pixel limit can be raised', () => withEnv({REPRO_MAX_IMAGE_PIXELS: '100'}, () => {
      const png = pngBytes(16, 16, flatRgba(16, 16, [1, 2, 3]));
      assertReproError(() => decodeImage(png, 'small.png', 3), /a PNG of 16×16 pixels, over the limit of 100 pixels/);
    }));
  });

  describe('downloads', () => {
    let server: Server;
    let url: string;
    let bodyBytes = 0;
    before(async () => {
      server = createServer((req, res) => {
        if (req.url === '/stall-headers') return; // accepts, never answers
        if (req.url === '/stall-body') { res.writeHead(200, {'content-length': 1000}); res.write(Buffer.alloc(10)); return; }
        if (req.url === '/endless') {
          res.writeHead(200);
          const piece = Buffer.alloc(64 * 1024, 1);
          // Bounded on this side too: at most 64 MiB, so a failing test cannot fill the disk.
          let sent = 0;
          const pump = () => {
            while (sent < 64 * MiB && !res.destroyed) { sent += piece.length; bodyBytes += piece.length; if (!res.write(piece)) { res.once('drain', pump); return; } }
            res.end();
          };
          pump();
          return;
        }
        if (req.url === '/announced') { res.writeHead(200, {'content-length': 50 * MiB}); res.write(Buffer.alloc(10)); return; }
        res.writeHead(404); res.end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));

    const fetchTo = async (path: string, opts: Record<string, number>) => {
      const t = tempDir('repro-sec-dl-');
      const dest = join(t.dir, 'file.bin');
      const t0 = Date.now();
      try {
        const err = await assertRejectsRepro(downloadFile({url: `${url}${path}`, dest, retries: 0, progress: sink(), ...opts}));
        return {err, ms: Date.now() - t0, left: readdirSync(t.dir).map((f) => [f, statSync(join(t.dir, f)).size] as const), dest};
      } finally {
        t.cleanup();
      }
    };

    it('a server that never answers: the connect timeout ends it', async () => {
      const r = await fetchTo('/stall-headers', {connectTimeoutMs: 300});
      assert.match(r.err.message, /file\.bin: download from .*\/stall-headers interrupted after 0 bytes \(no response within 300 ms\)/);
      assert.ok(r.ms < 5000, `${r.ms} ms`);
    });

    it('a server that stalls after its headers: the idle timeout ends it (set from the environment)', async () => {
      await withEnv({REPRO_HTTP_IDLE_TIMEOUT_MS: '300'}, async () => {
        const r = await fetchTo('/stall-body', {});
        assert.match(r.err.message, /interrupted after 10 bytes \(no data for 300 ms\)/);
        assert.ok(r.ms < 5000, `${r.ms} ms`);
      });
    });

    it('an endless body stops at the size limit and leaves nothing behind', async () => {
      bodyBytes = 0;
      const r = await fetchTo('/endless', {maxBytes: MiB});
      assert.match(r.err.message, /endless: more than 1048576 bytes arrived, over the 1048576 bytes allowed for this file/);
      assert.deepEqual(r.left, []);
      assert.ok(bodyBytes < 16 * MiB, `the server sent ${bodyBytes} bytes before the client stopped`);
    });

    it('an announced size over the limit is refused before the body', async () => {
      await withEnv({REPRO_MAX_DOWNLOAD_BYTES: String(MiB)}, async () => {
        const r = await fetchTo('/announced', {});
        assert.match(r.err.message, /the server announces 52428800 bytes, over the 1048576 bytes allowed/, );
        assert.match(r.err.message, /REPRO_MAX_DOWNLOAD_BYTES/);
        assert.ok(!existsSync(r.dest));
      });
    });

    it('--url that is not a URL is exit 2 with no stack trace', () => {
      assertCliError(['data', 'fetch', 'fashion-mnist', '--url', 'not a url'], {}, /--url "not a url" is not an http:\/\/ or https:\/\/ URL/);
      assertCliError(['weights', 'fetch', 'resnet18.tv_in1k', '--url', 'file:///etc/passwd'], {}, /--url "file:\/\/\/etc\/passwd" is not an http/);
    });
  });
});
