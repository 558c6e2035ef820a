import {ReproError} from '../util/errors';
import {limitError, weightsBudget} from '../util/limits';
import {describeValue, unpickle} from './pickle';
import {MAX_RANK} from './safetensors';
import type {NamedTensor} from './safetensors';
import {readStoredZip} from './zip_stored';

/**
 * PyTorch `.pth` state dicts (torch.save since PyTorch 1.6): a stored zip holding
 * `<archive>/data.pkl`, a pickle whose tensors are `torch._utils._rebuild_tensor_v2(storage,
 * offset, size, stride, …)` with each storage a persistent id ('storage', torch.FloatStorage, key,
 * location, numel) naming the raw little-endian bytes `<archive>/data/<key>`. Exactly what state
 * dicts need is supported: float32 and int64 storages (int64 values, such as BatchNorm's
 * num_batches_tracked, become float32 values marked dtype I64), any strides and storage offsets
 * (non-contiguous views are gathered), storages shared between tensors, OrderedDict/dict. Anything
 * else is a ReproError naming the file. The result has the shape of readSafetensors' (torch
 * layouts, state-dict keys), so loadTorchStateDict loads either.
 */

/** A Map, so that names such as torch.constructor or torch.__proto__ are not found on Object.prototype. */
const STORAGE_TYPES: ReadonlyMap<string, {dtype: 'F32' | 'I64'; bytes: number}> = new Map([
  ['FloatStorage', {dtype: 'F32', bytes: 4}],
  ['LongStorage', {dtype: 'I64', bytes: 8}],
] as const);
const STORAGE_NAMES = [...STORAGE_TYPES.keys()];

/** A storage named by a persistent id; its bytes are read once, however many tensors view it. */
interface StorageRef {readonly kind: 'storage'; readonly dtype: 'F32' | 'I64'; readonly key: string; readonly numel: number}
interface TensorRef {
  readonly kind: 'tensor';
  readonly storage: StorageRef;
  readonly offset: number;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
}

/** torch.save's format before PyTorch 1.6: pickle protocol 2, then LONG1 of the magic number 0x1950a86a20f9469cfc6c. */
const LEGACY_MAGIC = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

/** Whether `bytes` start like a torch.save file of the pre-1.6 format (which readPth refuses with its own message). */
export function isLegacyTorchSave(bytes: Uint8Array): boolean {
  return bytes.length >= LEGACY_MAGIC.length && LEGACY_MAGIC.every((b, i) => bytes[i] === b);
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function fail(file: string, what: string, fix = 'save `model.state_dict()` with torch.save (PyTorch ≥ 1.6), or download the file again'): ReproError {
  return new ReproError(`${file}: ${what}`, {expected: 'a torch.save zip archive of a state dict (float32/int64 tensors)', fix});
}

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);
const isIntList = (x: unknown): x is number[] => Array.isArray(x) && x.every(isInt);

/** Reads a `.pth` state dict into named float32 tensors (int64 ones marked I64), in the file's order. */
export function readPth(bytes: Uint8Array, file: string): NamedTensor[] {
  if (!isZip(bytes)) {
    if (isLegacyTorchSave(bytes)) {
      throw fail(file, 'is in the legacy torch.save format (before PyTorch 1.6), which this reader does not support',
        're-save it with a current PyTorch: torch.save(torch.load(OLD), NEW)');
    }
    throw fail(file, 'is not a zip archive (torch.save\'s format since PyTorch 1.6)');
  }
  const entries = readStoredZip(bytes, file);
  const pkl = [...entries.keys()].find((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (!pkl) throw fail(file, 'has no <archive>/data.pkl entry');
  const prefix = pkl.slice(0, pkl.length - 'data.pkl'.length);
  const byteorder = entries.get(`${prefix}byteorder`);
  if (byteorder && Buffer.from(byteorder).toString('utf8').trim() !== 'little') {
    throw fail(file, `stores its tensors ${Buffer.from(byteorder).toString('utf8').trim()}-endian; only little-endian is supported`);
  }

  const allowed = new Map<string, (args: unknown[]) => unknown>([
    ['collections.OrderedDict', (args) => {
      if (args.length !== 0) throw fail(file, 'OrderedDict called with arguments');
      return new Map();
    }],
    ['torch._utils._rebuild_tensor_v2', (args) => rebuildTensor(args, file)],
    // A saved nn.Parameter: the tensor inside (data, requires_grad, backward_hooks).
    ['torch._utils._rebuild_parameter', (args) => {
      if (!isTensorRef(args[0])) throw fail(file, '_rebuild_parameter without a tensor');
      return args[0];
    }],
  ]);
  // Storages by key: one key is one storage, so every id naming it must agree (torch refuses the file otherwise).
  const storageByKey = new Map<string, StorageRef>();
  // The storage classes the pickle names (torch.FloatStorage …), recognised by identity in persistent ids.
  const storageTypes = new Map<unknown, string>();
  const root = unpickle(entries.get(pkl) as Uint8Array, `${file} (${pkl})`, {
    global(module, name) {
      const qualified = `${module}.${name}`;
      if (module === 'torch' && STORAGE_TYPES.has(name)) {
        const marker = () => { throw fail(file, `${qualified} called directly`); };
        storageTypes.set(marker, name);
        return marker;
      }
      if (module === 'torch' && name.endsWith('Storage')) {
        throw fail(file, `holds a tensor of storage type ${qualified}; only torch.${STORAGE_NAMES.join(' and torch.')} ` +
          '(float32, int64) are supported', 'convert the state dict to float32 first: {k: v.float() if v.is_floating_point() else v}');
      }
      const fn = allowed.get(qualified);
      if (fn) return fn;
      throw fail(file, `the pickle uses ${qualified.slice(0, 200)}, which a state dict of float32/int64 tensors does not need ` +
        `(supported: ${[...allowed.keys()].join(', ')}, torch.${STORAGE_NAMES.join(', torch.')})`);
    },
    persistentLoad(pid) {
      if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length !== 5) throw fail(file, `unsupported persistent id ${describeValue(pid)}`);
      const [, type, key, , numel] = pid as unknown[];
      const typeName = storageTypes.get(type);
      if (typeName === undefined) throw fail(file, 'a storage whose type is not torch.FloatStorage or torch.LongStorage');
      if (typeof key !== 'string' || !/^\w{1,64}$/.test(key) || !isInt(numel) || numel < 0) {
        throw fail(file, `a storage id without a key and a non-negative size: ${describeValue(pid)}`);
      }
      const dtype = (STORAGE_TYPES.get(typeName) as {dtype: 'F32' | 'I64'}).dtype;
      const seen = storageByKey.get(key);
      if (seen) {
        if (seen.numel !== numel || seen.dtype !== dtype) {
          throw fail(file, `storage data/${key} is declared twice, as ${seen.numel} ${seen.dtype} and as ${numel} ${dtype} values (torch refuses such a file)`);
        }
        return seen;
      }
      const ref: StorageRef = Object.freeze({kind: 'storage', dtype, key, numel});
      made.add(ref);
      storageByKey.set(key, ref);
      return ref;
    },
  });

  if (!(root instanceof Map)) throw fail(file, 'does not hold a state dict (its top-level object is not a dict)');
  // Everything decoded (storages once, then each tensor's copy) must fit the file's budget, checked before allocating.
  let budget = weightsBudget(bytes.length);
  const spend = (n: number, what: string) => {
    budget -= n;
    if (budget < 0) throw limitError('weightsExpansion', file, `${what} takes the decoded size past the budget of ${weightsBudget(bytes.length)} bytes`);
  };
  const storages = new Map<string, Float32Array>();
  const out: NamedTensor[] = [];
  for (const [name, value] of root) {
    if (typeof name !== 'string') throw fail(file, `has a state-dict key of type ${typeof name}`);
    const t = value;
    if (!isTensorRef(t)) throw fail(file, `entry "${name}" is not a tensor`);
    checkView(t, name, file);
    let data = storages.get(t.storage.key);
    if (!data) {
      spend(4 * t.storage.numel, `storage data/${t.storage.key}`);
      data = decodeStorage(entries.get(`${prefix}data/${t.storage.key}`), t.storage, file);
      storages.set(t.storage.key, data);
    }
    spend(4 * t.shape.reduce((a, d) => a * d, 1), `tensor "${name}"`);
    out.push({name, shape: t.shape, data: gather(data, t), ...(t.storage.dtype === 'I64' ? {dtype: 'I64' as const} : {})});
  }
  return out;
}

/** Tensor and storage records are frozen objects made here, recognised by identity, not by a field a pickle could forge. */
const made = new WeakSet<object>();
function isTensorRef(x: unknown): x is TensorRef {
  return typeof x === 'object' && x !== null && made.has(x) && (x as TensorRef).kind === 'tensor';
}
function isStorageRef(x: unknown): x is StorageRef {
  return typeof x === 'object' && x !== null && made.has(x) && (x as StorageRef).kind === 'storage';
}

function rebuildTensor(args: unknown[], file: string): TensorRef {
  const [storage, offset, shape, stride] = args;
  if (!isStorageRef(storage) || !isInt(offset) || !isIntList(shape) || !isIntList(stride) ||
      shape.length !== stride.length) {
    throw fail(file, '_rebuild_tensor_v2 with arguments that are not (storage, offset, size, stride, …)');
  }
  const t: TensorRef = Object.freeze({kind: 'tensor', storage, offset, shape: Object.freeze([...shape]), stride: Object.freeze([...stride])});
  made.add(t);
  return t;
}

/**
 * What torch accepts of a view, and no more: at most 64 dimensions, sizes, strides and offset
 * non-negative, and every element inside the storage. (A stride of 0 is legal: expand(); the
 * copy it makes is paid for from the budget.)
 */
function checkView(t: TensorRef, name: string, file: string): void {
  if (t.shape.length > MAX_RANK) throw fail(file, `tensor "${name}" has ${t.shape.length} dimensions (torch allows ${MAX_RANK})`);
  if (t.shape.some((d) => d < 0) || t.stride.some((s) => s < 0) || t.offset < 0) {
    throw fail(file, `tensor "${name}" has a negative size, stride or offset (size [${t.shape}], stride [${t.stride}], offset ${t.offset})`);
  }
  if (t.shape.some((d) => d === 0)) return;
  const last = t.offset + t.shape.reduce((a, d, i) => a + (d - 1) * t.stride[i], 0);
  if (!Number.isSafeInteger(last) || last >= t.storage.numel) {
    throw fail(file, `tensor "${name}" (size [${t.shape}], stride [${t.stride}], offset ${t.offset}) reads past its storage of ${t.storage.numel} values`);
  }
}

function decodeStorage(bytes: Uint8Array | undefined, s: StorageRef, file: string): Float32Array {
  if (!bytes) throw fail(file, `storage data/${s.key} is missing from the archive`);
  const width = s.dtype === 'F32' ? 4 : 8;
  if (bytes.length < s.numel * width) {
    throw fail(file, `storage data/${s.key} has ${bytes.length} bytes, fewer than its ${s.numel} ${s.dtype} values need`);
  }
  if (s.dtype === 'F32') {
    // A copy is 4-byte aligned whatever the entry's position in the file (and Buffer#slice would not copy).
    const copy = new Uint8Array(s.numel * 4);
    copy.set(bytes.subarray(0, s.numel * 4));
    return new Float32Array(copy.buffer);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, s.numel * 8);
  const out = new Float32Array(s.numel);
  for (let i = 0; i < s.numel; i++) {
    const v = view.getBigInt64(i * 8, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw fail(file, `storage data/${s.key} holds the int64 ${v}, beyond what a float32 state dict value can carry`);
    }
    out[i] = Number(v);
  }
  return out;
}

/** The tensor's elements in row-major order, read through its offset and strides. */
function gather(storage: Float32Array, t: TensorRef): Float32Array {
  // checkView has bounded every index this reads.
  const size = t.shape.reduce((a, b) => a * b, 1);
  if (size === 0) return new Float32Array(0);
  let contiguous = true;
  for (let i = t.shape.length - 1, expect = 1; i >= 0; i--) {
    if (t.shape[i] !== 1 && t.stride[i] !== expect) contiguous = false;
    expect *= t.shape[i];
  }
  if (contiguous) return storage.slice(t.offset, t.offset + size);
  const out = new Float32Array(size);
  const rank = t.shape.length;
  const index = new Array<number>(rank).fill(0);
  let src = t.offset;
  for (let k = 0; k < size; k++) {
    out[k] = storage[src];
    // Odometer over the multi-index, moving the source position by the strides.
    for (let d = rank - 1; d >= 0; d--) {
      if (++index[d] < t.shape[d]) { src += t.stride[d]; break; }
      src -= (t.shape[d] - 1) * t.stride[d];
      index[d] = 0;
    }
  }
  return out;
}
