// Builders of hostile inputs for the security tests (not a test file itself): every file the
// tests feed the parsers is made here, byte by byte, so nothing depends on a fixture from elsewhere.
import {strict as assert} from 'node:assert';
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {ReproError} from '../../src/util/errors';
import {zipBytes} from '../data/fixtures';

/** A ReproError whose message matches every pattern and carries no stack trace into the CLI. */
export function assertReproError(fn: () => unknown, ...patterns: RegExp[]): ReproError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ReproError, `expected a ReproError, got ${caught instanceof Error ? caught.stack : String(caught)}`);
  for (const p of patterns) assert.match(caught.message, p);
  return caught;
}

export async function assertRejectsRepro(p: Promise<unknown>, ...patterns: RegExp[]): Promise<ReproError> {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ReproError, `expected a ReproError, got ${caught instanceof Error ? caught.stack : String(caught)}`);
  for (const pat of patterns) assert.match(caught.message, pat);
  return caught;
}

/** Growth of the process's memory (RSS and array buffers) while `fn` runs, in bytes. */
export async function memoryGrowth(fn: () => unknown): Promise<number> {
  const before = process.memoryUsage();
  let peak = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss - before.rss, m.arrayBuffers - before.arrayBuffers);
  };
  const timer = setInterval(sample, 5);
  try {
    await fn();
  } catch {
    // the caller checks the error separately
  } finally {
    clearInterval(timer);
    sample();
  }
  return peak;
}

export const MiB = 1024 * 1024;

/** A safetensors file from a raw header object (anything JSON can say) and data bytes. */
export function safetensorsWith(header: unknown, data: Uint8Array = new Uint8Array(0), headerLen?: bigint): Uint8Array {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, headerLen ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** Pickle protocol 2, written opcode by opcode. */
export class Pickle {
  private parts: number[] = [0x80, 0x02];
  op(...bytes: number[]): this { this.parts.push(...bytes); return this; }
  global(module: string, name: string): this { return this.op(0x63, ...Buffer.from(`${module}\n${name}\n`, 'utf8')); }
  str(s: string): this {
    const b = Buffer.from(s, 'utf8');
    const n = Buffer.alloc(4); n.writeUInt32LE(b.length);
    return this.op(0x58, ...n, ...b);
  }
  int(n: number): this {
    if (n >= 0 && n < 256) return this.op(0x4b, n);
    const b = Buffer.alloc(4); b.writeInt32LE(n);
    return this.op(0x4a, ...b);
  }
  mark(): this { return this.op(0x28); }
  tuple(): this { return this.op(0x74); }
  reduce(): this { return this.op(0x52); }
  persid(): this { return this.op(0x51); }
  emptyDict(): this { return this.op(0x7d); }
  setitem(): this { return this.op(0x73); }
  bool(b: boolean): this { return this.op(b ? 0x88 : 0x89); }
  stop(): Uint8Array { return Uint8Array.from([...this.parts, 0x2e]); }
  /** A tensor: _rebuild_tensor_v2(persid(('storage', torch.<type>, key, 'cpu', numel)), offset, shape, stride, False, OrderedDict()). */
  tensor(t: {type?: string; key: string; numel: number; offset?: number; shape: number[]; stride: number[]}): this {
    this.global('torch._utils', '_rebuild_tensor_v2').mark();
    this.mark().str('storage').global('torch', t.type ?? 'FloatStorage').str(t.key).str('cpu').int(t.numel).tuple().persid();
    this.int(t.offset ?? 0);
    this.mark(); for (const d of t.shape) this.int(d); this.tuple();
    this.mark(); for (const s of t.stride) this.int(s); this.tuple();
    this.bool(false).global('collections', 'OrderedDict').mark().tuple().reduce();
    return this.tuple().reduce();
  }
}

/** A state dict pickle {name: tensor, …}. */
export function stateDictPickle(tensors: {name: string; type?: string; key: string; numel: number; offset?: number; shape: number[]; stride: number[]}[]): Uint8Array {
  const p = new Pickle().global('collections', 'OrderedDict').mark().tuple().reduce();
  for (const t of tensors) p.str(t.name).tensor(t).setitem();
  return p.stop();
}

/** A stored zip (as torch.save writes): the project's zip fixture, with the same hostile name-length patch. */
export function storedZip(files: ReadonlyMap<string, Uint8Array>, patch?: {nameLength?: number}): Uint8Array {
  return zipBytes(files, patch);
}

/** A .pth archive: archive/data.pkl plus archive/data/<key> storages. */
export function pthArchive(pkl: Uint8Array, storages: Record<string, Uint8Array>): Uint8Array {
  const files = new Map<string, Uint8Array>([['archive/data.pkl', pkl], ['archive/byteorder', Buffer.from('little')]]);
  for (const [k, v] of Object.entries(storages)) files.set(`archive/data/${k}`, v);
  return storedZip(files);
}

export function floats(values: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

/**
 * Runs the real `repro` binary (bin/repro.js) in a child process and requires what a user must
 * see for a mistake: exit 2, "error: " and the patterns on stderr, no stack trace, no internal error.
 */
export function assertCliError(args: string[], env: Record<string, string> = {}, ...patterns: RegExp[]): string {
  const bin = join(__dirname, '..', '..', '..', 'bin', 'repro.js');
  const r = spawnSync(process.execPath, [bin, ...args], {encoding: 'utf8', env: {...process.env, ...env}, timeout: 60_000});
  assert.equal(r.status, 2, `exit status ${r.status}; stderr:\n${r.stderr}`);
  assert.match(r.stderr, /^error: /);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at .*\(.*:\d+:\d+\)/, 'a stack trace');
  for (const p of patterns) assert.match(r.stderr, p);
  return r.stderr;
}
