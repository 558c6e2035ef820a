import {ReproError} from '../util/errors';
import {limitError, weightsBudget} from '../util/limits';

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

/** Bytes per element of the dtypes read; a Map, so that a dtype named "constructor" is not found on Object.prototype. */
const BYTES: ReadonlyMap<string, number> = new Map([['F32', 4], ['F64', 8], ['F16', 2], ['I64', 8], ['I32', 4], ['U8', 1]]);
/** The reference implementation's cap on the JSON header (safetensors' MAX_HEADER_SIZE). */
const MAX_HEADER_BYTES = 100_000_000;
/** torch's maximum tensor rank is 64 too. */
export const MAX_RANK = 64;

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

/**
 * Reads every tensor, checking the file as the reference implementation does before a byte of
 * data is touched: a JSON object header whose entries each have a known dtype, a shape of
 * non-negative integers and data_offsets [begin, end] with end − begin the shape's size, all
 * within the data section, sorted, contiguous and covering it (no overlap, no hole). Memory
 * decoded is bounded by weightsBudget(file size); int64 values beyond 2^53 are refused.
 */
export function readSafetensors(bytes: Uint8Array, file: string): NamedTensor[] {
  if (bytes.length < 8) throw bad(file, `only ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen64 = view.getBigUint64(0, true);
  if (headerLen64 > BigInt(bytes.length - 8)) throw bad(file, `header length ${headerLen64} exceeds the file size ${bytes.length}`);
  const headerLen = Number(headerLen64);
  if (headerLen > MAX_HEADER_BYTES) throw bad(file, `header length ${headerLen} is over the format's limit of ${MAX_HEADER_BYTES}`);
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLen)).toString('utf8'));
  } catch (err) {
    throw bad(file, `header is not JSON (${(err as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw bad(file, `header is ${header === null ? 'null' : Array.isArray(header) ? 'an array' : typeof header}, not a JSON object`);
  }
  const base = 8 + headerLen;
  const dataBytes = bytes.length - base;
  const entries: {name: string; dtype: string; shape: number[]; begin: number; end: number; width: number}[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const at = `tensor "${name}"`;
    if (typeof info !== 'object' || info === null || Array.isArray(info)) throw bad(file, `${at} is not an object`);
    const {dtype, shape, data_offsets: offsets} = info as Record<string, unknown>;
    const width = typeof dtype === 'string' ? BYTES.get(dtype) : undefined;
    if (width === undefined) throw bad(file, `${at} has unsupported dtype ${JSON.stringify(dtype)?.slice(0, 40)}`);
    if (!Array.isArray(shape) || shape.length > MAX_RANK || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw bad(file, `${at} has shape ${JSON.stringify(shape)?.slice(0, 80)}: expected at most ${MAX_RANK} non-negative integers`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
        offsets[0] > offsets[1] || offsets[1] > dataBytes) {
      throw bad(file, `${at} has data_offsets ${JSON.stringify(offsets)?.slice(0, 80)}: expected [begin, end] with 0 ≤ begin ≤ end ≤ ${dataBytes} (the data section)`);
    }
    // The element count as a float: a product past 2^53 is already far larger than any file.
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    if (offsets[1] - offsets[0] !== size * width) {
      throw bad(file, `${at} offsets [${offsets[0]}, ${offsets[1]}] do not fit shape [${shape}] of ${dtype}`);
    }
    entries.push({name, dtype: dtype as string, shape: shape as number[], begin: offsets[0], end: offsets[1], width});
  }
  // As the reference implementation: tensors tile the data section exactly, so none overlaps another.
  let covered = 0;
  for (const e of [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end)) {
    if (e.begin !== covered) {
      throw bad(file, e.begin < covered ? `tensor "${e.name}" overlaps the tensor before it (offset ${e.begin} < ${covered})`
        : `a hole of ${e.begin - covered} bytes before tensor "${e.name}" (offset ${e.begin})`);
    }
    covered = e.end;
  }
  if (covered !== dataBytes) throw bad(file, `${dataBytes - covered} bytes after the last tensor belong to none`);
  const decoded = entries.reduce((a, e) => a + 4 * (e.end - e.begin) / e.width, 0);
  if (decoded > weightsBudget(bytes.length)) {
    throw limitError('weightsExpansion', file, `its tensors decode to ${decoded} bytes`);
  }
  return entries.map(({name, dtype, shape, begin, end}) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    const dv = new DataView(bytes.buffer, bytes.byteOffset + base + begin, end - begin);
    for (let i = 0; i < size; i++) {
      switch (dtype) {
        case 'F32': data[i] = dv.getFloat32(i * 4, true); break;
        case 'F64': data[i] = dv.getFloat64(i * 8, true); break;
        case 'F16': data[i] = halfToFloat(dv.getUint16(i * 2, true)); break;
        case 'I64': {
          const v = dv.getBigInt64(i * 8, true);
          if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
            throw bad(file, `tensor "${name}" holds the int64 ${v}, beyond 2^53 (a number cannot carry it exactly)`);
          }
          data[i] = Number(v);
          break;
        }
        case 'I32': data[i] = dv.getInt32(i * 4, true); break;
        case 'U8': data[i] = dv.getUint8(i); break;
      }
    }
    return {name, shape, data};
  });
}
