import {readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {writeFileAtomic} from '../util/atomic';
import {sha256Hex} from './identity';
import {dataRoot} from './paths';
import type {ImageSet} from './types';

/**
 * Decoding 110,000 Tiny-ImageNet JPEGs takes about a minute; reading their pixels back from one
 * file takes a second or two. Data sets of encoded images keep their decoded uint8 sets in
 * data/.decoded/NAME-KEY.bin, KEY being a fingerprint of the source files (paths, sizes, mtimes)
 * and the decoding options, so any change to the sources decodes again. The cache also holds the
 * data identity (sha256 of the sources), so that is not recomputed either. A damaged or
 * unreadable cache file is ignored, never an error: it is only a cache.
 */
const VERSION = 1;

export interface DecodedSets {
  readonly train: ImageSet;
  readonly test: ImageSet;
  readonly checksum: string;
}

interface Header {
  version: number;
  checksum: string;
  sets: {count: number; height: number; width: number; channels: number; classes: string[]}[];
}

/** sha256 over each file's path, size and mtime, plus `options` (what else shapes the decoded pixels). */
export function sourceFingerprint(paths: readonly string[], options: unknown): string {
  const lines = paths.map((p) => {
    const st = statSync(p);
    return `${p}\t${st.size}\t${st.mtimeMs}`;
  });
  return sha256Hex(`${JSON.stringify(options)}\n${lines.join('\n')}`);
}

export function decodedCachePath(name: string, key: string): string {
  return join(dataRoot(), '.decoded', `${name}-${key.slice(0, 32)}.bin`);
}

export function readDecodedCache(name: string, key: string): DecodedSets | undefined {
  const path = decodedCachePath(name, key);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  try {
    const headerLen = bytes.readUInt32LE(0);
    const header = JSON.parse(bytes.subarray(4, 4 + headerLen).toString('utf8')) as Header;
    if (header.version !== VERSION || header.sets.length !== 2) return undefined;
    let off = 4 + headerLen;
    const sets = header.sets.map((h) => {
      const n = h.count * h.height * h.width * h.channels;
      if (off + n + 4 * h.count > bytes.length) throw new Error('truncated');
      const images = new Uint8Array(bytes.buffer, bytes.byteOffset + off, n);
      off += n;
      const labels = new Int32Array(h.count);
      for (let i = 0; i < h.count; i++) labels[i] = bytes.readInt32LE(off + 4 * i);
      off += 4 * h.count;
      return {images, labels, count: h.count, height: h.height, width: h.width, channels: h.channels, classes: h.classes} satisfies ImageSet;
    });
    if (off !== bytes.length) return undefined;
    return {train: sets[0], test: sets[1], checksum: header.checksum};
  } catch {
    return undefined; // damaged: decode again (and overwrite it)
  }
}

export function writeDecodedCache(name: string, key: string, data: DecodedSets): void {
  const header: Header = {
    version: VERSION, checksum: data.checksum,
    sets: [data.train, data.test].map((s) => ({count: s.count, height: s.height, width: s.width, channels: s.channels, classes: [...s.classes]})),
  };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length, 0);
  const parts: Uint8Array[] = [len, head];
  for (const s of [data.train, data.test]) {
    parts.push(s.images);
    const labels = Buffer.alloc(4 * s.count);
    for (let i = 0; i < s.count; i++) labels.writeInt32LE(s.labels[i], 4 * i);
    parts.push(labels);
  }
  try {
    writeFileAtomic(decodedCachePath(name, key), Buffer.concat(parts));
  } catch {
    // No space or a read-only data root: the next load decodes again.
  }
}
