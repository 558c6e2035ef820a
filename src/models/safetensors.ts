import {ReproError} from '../util/errors';

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a JSON
 * header {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {...}}, then the raw
 * little-endian tensor bytes. Read: F32, F64, F16 (→ float32), I64/I32 (→ float32 values).
 * Write: F32, or I64 for a tensor marked `dtype: 'I64'` (torch's integer buffers such as
 * BatchNorm's num_batches_tracked; its values must be integers).
 */
export interface NamedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
  /** Only read by writeSafetensors; the default is F32. */
  readonly dtype?: 'F32' | 'I64';
}

const BYTES: Record<string, number> = {F32: 4, F64: 8, F16: 2, I64: 8, I32: 4, U8: 1};

export function writeSafetensors(tensors: readonly NamedTensor[], metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) {
      throw new Error(`writeSafetensors: "${t.name}" has ${t.data.length} values for shape [${t.shape}]`);
    }
    const width = t.dtype === 'I64' ? 8 : 4;
    header[t.name] = {dtype: t.dtype ?? 'F32', shape: t.shape, data_offsets: [offset, offset + size * width]};
    offset += size * width;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned (as the reference writer does).
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  const view = new DataView(out.buffer);
  for (const t of tensors) {
    if (t.dtype === 'I64') {
      for (let i = 0; i < t.data.length; i++) view.setBigInt64(pos + 8 * i, BigInt(Math.round(t.data[i])), true);
      pos += 8 * t.data.length;
      continue;
    }
    // Float32Array is little-endian on every platform Node supports.
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    pos += t.data.byteLength;
  }
  return out;
}

function bad(file: string, what: string): ReproError {
  return new ReproError(`${file}: not a valid safetensors file: ${what}`,
    {expected: '8-byte header length, JSON header, tensor data', fix: 're-export the file (e.g. scripts/export_torchvision.py)'});
}

function halfToFloat(h: number): number {
  const s = (h & 0x8000) ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

export function readSafetensors(bytes: Uint8Array, file: string): NamedTensor[] {
  if (bytes.length < 8) throw bad(file, `only ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen > bytes.length - 8) throw bad(file, `header length ${headerLen} exceeds the file size ${bytes.length}`);
  let header: Record<string, {dtype: string; shape: number[]; data_offsets: [number, number]}>;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, headerLen).toString('utf8'));
  } catch (err) {
    throw bad(file, `header is not JSON (${(err as Error).message})`);
  }
  const base = 8 + headerLen;
  const out: NamedTensor[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const width = BYTES[info.dtype];
    if (width === undefined) throw bad(file, `tensor "${name}" has unsupported dtype ${info.dtype}`);
    const [begin, end] = info.data_offsets;
    const size = info.shape.reduce((a, b) => a * b, 1);
    if (end - begin !== size * width || base + end > bytes.length) {
      throw bad(file, `tensor "${name}" offsets [${begin}, ${end}] do not fit shape [${info.shape}] of ${info.dtype}`);
    }
    const data = new Float32Array(size);
    const off = bytes.byteOffset + base + begin;
    const dv = new DataView(bytes.buffer, off, end - begin);
    for (let i = 0; i < size; i++) {
      switch (info.dtype) {
        case 'F32': data[i] = dv.getFloat32(i * 4, true); break;
        case 'F64': data[i] = dv.getFloat64(i * 8, true); break;
        case 'F16': data[i] = halfToFloat(dv.getUint16(i * 2, true)); break;
        case 'I64': data[i] = Number(dv.getBigInt64(i * 8, true)); break;
        case 'I32': data[i] = dv.getInt32(i * 4, true); break;
        case 'U8': data[i] = dv.getUint8(i); break;
      }
    }
    out.push({name, shape: info.shape, data});
  }
  return out;
}
