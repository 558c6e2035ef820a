import {ReproError} from '../util/errors';
import {gunzipBounded} from './decompress';

/**
 * IDX files (the MNIST family's format): magic 0x0000 TT DD (type, number of dimensions), then DD
 * big-endian uint32 sizes, then the data. Only unsigned bytes (type 0x08) occur in the data sets
 * this project reads, so that is all that is accepted.
 */
export const IDX_UBYTE = 0x08;

export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/** Gzip member magic: 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Parses an IDX file's bytes (gzipped or not). `file` names it in errors; `maxBytes` bounds its decompressed size. */
export function parseIdx(bytes: Uint8Array, file: string, expectedDims?: number, maxBytes?: number): IdxArray {
  const raw: Uint8Array = isGzip(bytes) ? gunzipBounded(bytes, file, maxBytes) : bytes;
  const expectDims = expectedDims === undefined ? 'N' : String(expectedDims);
  const expectedMagic = `magic number 0x000008${expectedDims === undefined ? '0N' : hex2(expectedDims)} ` +
    `(unsigned bytes, ${expectDims} dimensions)`;
  if (raw.length < 4) {
    throw new ReproError(`${file}: too short to be an IDX file (${raw.length} bytes)`, {expected: expectedMagic});
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const magic = view.getUint32(0, false);
  const type = (magic >>> 8) & 0xff;
  const ndim = magic & 0xff;
  if ((magic >>> 16) !== 0 || type !== IDX_UBYTE || ndim === 0 || (expectedDims !== undefined && ndim !== expectedDims)) {
    throw new ReproError(`${file}: wrong IDX magic number 0x${magic.toString(16).padStart(8, '0')}`,
      {expected: expectedMagic, fix: 'check that this is the right file (images have 3 dimensions, labels 1); fetch it again if it is damaged'});
  }
  const header = 4 + 4 * ndim;
  if (raw.length < header) throw new ReproError(`${file}: truncated IDX header`, {expected: `${header} header bytes`});
  const dims: number[] = [];
  let size = 1;
  for (let i = 0; i < ndim; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    size *= d;
  }
  if (raw.length !== header + size) {
    throw new ReproError(`${file}: IDX size mismatch: header says ${dims.join('×')} = ${size} bytes of data, file has ${raw.length - header}`,
      {expected: `${header + size} bytes in total`, fix: 'the file is truncated or damaged: delete it and fetch it again'});
  }
  return {dims, data: raw.subarray(header)};
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** Writes an IDX file (unsigned bytes); used by tests and by anyone exporting a subset. */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, (IDX_UBYTE << 8) | dims.length, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, header);
  return out;
}
