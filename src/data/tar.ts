import {ReproError} from '../util/errors';

/** One regular file inside a tar archive (a view into the archive's bytes, not a copy). */
export interface TarEntry {
  readonly name: string;
  readonly data: Uint8Array;
}

/**
 * A small reader for ustar/GNU tar archives held in memory: regular files only, which is all the
 * CIFAR-10 archive holds. 512-byte headers, octal sizes, data padded to 512 bytes.
 */
export function readTar(bytes: Uint8Array, file: string): TarEntry[] {
  const entries: TarEntry[] = [];
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= bytes.length) {
    const header = bytes.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    const name = longName ?? cString(header, 0, 100);
    longName = undefined;
    const size = parseOctal(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] || 0x30);
    const prefix = cString(header, 345, 155);
    const dataStart = off + 512;
    if (Number.isNaN(size) || dataStart + size > bytes.length) {
      throw new ReproError(`${file}: truncated or damaged tar archive at entry "${name}"`,
        {expected: `${size} bytes of data after offset ${dataStart}, the archive has ${bytes.length - dataStart}`,
          fix: 'delete the archive and fetch it again'});
    }
    const data = bytes.subarray(dataStart, dataStart + size);
    if (type === 'L') longName = cString(data, 0, size);
    else if (type === '0' || type === '\0') entries.push({name: prefix ? `${prefix}/${name}` : name, data});
    off = dataStart + Math.ceil(size / 512) * 512;
  }
  return entries;
}

function cString(b: Uint8Array, start: number, len: number): string {
  let end = start;
  while (end < start + len && b[end] !== 0) end++;
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8');
}

function parseOctal(b: Uint8Array): number {
  const s = cString(b, 0, b.length).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

/** Builds a tar archive of regular files (tests write real archives with it). */
export function writeTar(files: readonly TarEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const f of files) {
    const h = new Uint8Array(512);
    Buffer.from(h.buffer).write(f.name, 0, 100, 'utf8');
    const put = (s: string, at: number) => Buffer.from(h.buffer).write(s, at, 'ascii');
    put('0000644\0', 100); put('0000000\0', 108); put('0000000\0', 116);
    put(f.data.length.toString(8).padStart(11, '0') + '\0', 124);
    put('00000000000\0', 136);
    put('        ', 148);
    h[156] = 0x30;
    put('ustar\0', 257); put('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    put(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    parts.push(h, f.data, new Uint8Array((512 - (f.data.length % 512)) % 512));
  }
  parts.push(new Uint8Array(1024));
  return Buffer.concat(parts);
}
