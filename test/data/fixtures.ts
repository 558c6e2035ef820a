// Helpers that write small data sets in the real on-disk formats (not a test file itself).
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {crc32, gzipSync} from 'node:zlib';
import * as jpeg from 'jpeg-js';
import {PNG} from 'pngjs';

/**
 * A temp dir, and a second one as the data root (REPRO_DATA_ROOT) until cleanup, so that the
 * identity and decoded-image caches of a test never land in the project's data/.
 */
export function tempDir(prefix: string): {dir: string; dataRoot: string; cleanup: () => void} {
  const dir = mkdtempSync(join(tmpdir(), `repro-${prefix}-`));
  const dataRoot = mkdtempSync(join(tmpdir(), `repro-${prefix}-root-`));
  const saved = process.env.REPRO_DATA_ROOT;
  process.env.REPRO_DATA_ROOT = dataRoot;
  return {
    dir, dataRoot,
    cleanup: () => {
      if (saved === undefined) delete process.env.REPRO_DATA_ROOT; else process.env.REPRO_DATA_ROOT = saved;
      rmSync(dir, {recursive: true, force: true});
      rmSync(dataRoot, {recursive: true, force: true});
    },
  };
}

export function writeFile(path: string, data: Uint8Array | string): string {
  mkdirSync(dirname(path), {recursive: true});
  writeFileSync(path, data);
  return path;
}

/** The pixel value a generated CIFAR record has: distinct per (record, channel, position). */
export function cifarPixel(record: number, channel: number, pos: number): number {
  return (record * 7 + channel * 50 + pos * 3) % 256;
}

/** A CIFAR-10 binary batch: per record, a label byte then 1024 R, 1024 G, 1024 B bytes. */
export function cifarBatch(labels: readonly number[], firstRecord = 0): Uint8Array {
  const out = new Uint8Array(labels.length * 3073);
  labels.forEach((l, r) => {
    out[r * 3073] = l;
    for (let ch = 0; ch < 3; ch++) for (let p = 0; p < 1024; p++) out[r * 3073 + 1 + ch * 1024 + p] = cifarPixel(firstRecord + r, ch, p);
  });
  return out;
}

export function gz(bytes: Uint8Array): Uint8Array {
  return gzipSync(bytes);
}

export function pngBytes(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const png = new PNG({width, height});
  png.data = Buffer.from(rgba);
  return PNG.sync.write(png);
}

export function jpegBytes(width: number, height: number, rgba: Uint8Array, quality = 95): Uint8Array {
  return jpeg.encode({width, height, data: Buffer.from(rgba)}, quality).data;
}

/** A flat-coloured RGBA image (JPEG reproduces flat colours almost exactly). */
export function flatRgba(width: number, height: number, rgb: readonly [number, number, number]): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) out.set([rgb[0], rgb[1], rgb[2], 255], i * 4);
  return out;
}

/**
 * A zip archive of stored (uncompressed) entries: enough to exercise the Tiny-ImageNet zip path and
 * torch.save's archives. `patch.nameLength` overrides the central directory's name lengths (a
 * hostile archive whose names run past the end of the file).
 */
export function zipBytes(files: ReadonlyMap<string, Uint8Array>, patch?: {nameLength?: number}): Uint8Array {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of files) {
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0, 6); local.writeUInt16LE(0, 8);
    local.writeUInt32LE(0, 10); local.writeUInt32LE(crc, 14); local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26); local.writeUInt16LE(0, 28);
    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(0x02014b50, 0); cen.writeUInt16LE(20, 4); cen.writeUInt16LE(20, 6); cen.writeUInt16LE(0, 8); cen.writeUInt16LE(0, 10);
    cen.writeUInt32LE(0, 12); cen.writeUInt32LE(crc, 16); cen.writeUInt32LE(data.length, 20); cen.writeUInt32LE(data.length, 24);
    cen.writeUInt16LE(patch?.nameLength ?? nameBuf.length, 28); cen.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, Buffer.from(data));
    central.push(cen, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(files.size, 8); end.writeUInt16LE(files.size, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** Runs `fn` with environment variables set, restoring them afterwards. */
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T> | T): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  }
}
