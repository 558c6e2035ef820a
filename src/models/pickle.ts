import {ReproError} from '../util/errors';

/**
 * A minimal unpickler for what torch.save puts in data.pkl (pickle protocol 2; the protocol 3/4
 * framing and string opcodes are accepted too). It never runs code: a GLOBAL is resolved through
 * `hooks.global`, which returns a function for the few callables the caller allows and throws for
 * anything else; a persistent id (torch's storages) goes to `hooks.persistentLoad`.
 *
 * Python values become: None → null, bool → boolean, int → number (bigint beyond 2^53), float →
 * number, str → string, tuple and list → array, dict → Map (insertion order kept, as Python's).
 *
 * Bounded whatever the input: no recursion (the machine is a loop over a stack), integers of at
 * most MAX_INT_BYTES bytes, at most MAX_ITEMS values on the stack, in the memo and in containers
 * together, and messages describe values with describeValue (depth- and length-limited, safe on
 * self-referential lists).
 */
export interface PickleHooks {
  /** The callable for `module.name`; throws (a ReproError naming it) for a global that is not allowed. */
  global(module: string, name: string): (args: unknown[]) => unknown;
  persistentLoad(pid: unknown): unknown;
  /** BUILD (setting the state of an object made by REDUCE); the default accepts it on dicts and ignores the state. */
  build?(obj: unknown, state: unknown): void;
}

/** Opcode names, for messages about ones this reader does not handle. */
const NAMES: Record<number, string> = {
  0x49: 'INT', 0x4c: 'LONG', 0x46: 'FLOAT', 0x53: 'STRING', 0x54: 'BINSTRING', 0x55: 'SHORT_BINSTRING', 0x56: 'UNICODE',
  0x42: 'BINBYTES', 0x43: 'SHORT_BINBYTES', 0x8e: 'BINBYTES8', 0x81: 'NEWOBJ', 0x92: 'NEWOBJ_EX', 0x69: 'INST', 0x6f: 'OBJ',
  0x50: 'PERSID', 0x67: 'GET', 0x70: 'PUT', 0x8f: 'EMPTY_SET', 0x90: 'ADDITEMS', 0x91: 'FROZENSET', 0x96: 'BYTEARRAY8',
  0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};

/** Bytes of one LONG1/LONG4 integer: torch's state dicts use a few (the legacy magic number has 10). */
export const MAX_INT_BYTES = 64;
/** Values held at once (stack + memo + container items): far above a state dict's thousands of entries. */
export const MAX_ITEMS = 10_000_000;

/** A short, bounded description of an unpickled value for messages (never recurses far, never loops). */
export function describeValue(v: unknown, depth = 2): string {
  if (v === null) return 'None';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'bigint') return `${v.toString().slice(0, 30)}${v.toString().length > 30 ? '…' : ''}`;
  if (typeof v !== 'object') return typeof v === 'function' ? 'a global' : String(v);
  if (depth <= 0) return Array.isArray(v) ? '[…]' : '{…}';
  if (Array.isArray(v)) {
    const shown = v.slice(0, 6).map((x) => describeValue(x, depth - 1));
    return `[${shown.join(', ')}${v.length > 6 ? `, … (${v.length} items)` : ''}]`;
  }
  if (v instanceof Map) return `dict of ${v.size} entries`;
  return 'an object';
}

export function unpickle(bytes: Uint8Array, file: string, hooks: PickleHooks): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  let pos = 0;
  let items = 0;
  const count = (n: number) => {
    items += n;
    if (items > MAX_ITEMS) fail(`more than ${MAX_ITEMS} values (at byte ${pos}); a state dict holds far fewer`);
  };
  const fail = (what: string): never => {
    throw new ReproError(`${file}: cannot read the pickled state dict: ${what}`,
      {expected: 'a torch.save of a state dict (an OrderedDict of tensors)', fix: 'save `model.state_dict()` with torch.save, or download the file again'});
  };
  const need = (n: number) => { if (pos + n > bytes.length) fail(`truncated at byte ${pos}`); };
  const u8 = () => { need(1); return bytes[pos++]; };
  const u16 = () => { need(2); const v = view.getUint16(pos, true); pos += 2; return v; };
  const u32 = () => { need(4); const v = view.getUint32(pos, true); pos += 4; return v; };
  const text = (n: number) => { need(n); const s = Buffer.from(bytes.buffer, bytes.byteOffset + pos, n).toString('utf8'); pos += n; return s; };
  const line = () => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail(`unterminated line at byte ${pos}`);
    const s = text(end - pos);
    pos++;
    return s;
  };
  const pop = () => { if (stack.length === 0) fail(`stack underflow at byte ${pos}`); return stack.pop(); };
  const popMark = (): unknown[] => {
    const m = marks.pop();
    if (m === undefined) fail(`no MARK before byte ${pos}`);
    return stack.splice(m as number);
  };
  const top = () => { if (stack.length === 0) fail(`stack underflow at byte ${pos}`); return stack[stack.length - 1]; };
  const asMap = (x: unknown, op: string): Map<unknown, unknown> => {
    if (!(x instanceof Map)) fail(`${op} on a ${typeof x} at byte ${pos}`);
    return x as Map<unknown, unknown>;
  };
  const asList = (x: unknown, op: string): unknown[] => {
    if (!Array.isArray(x)) fail(`${op} on a ${typeof x} at byte ${pos}`);
    return x as unknown[];
  };
  const key = (k: unknown) => (typeof k === 'string' || typeof k === 'number' || typeof k === 'boolean' || k === null ? k
    : fail(`a dict key of type ${typeof k} at byte ${pos}`));
  const long = (n: number): number | bigint => {
    if (n > MAX_INT_BYTES) fail(`an integer of ${n} bytes at byte ${pos} (at most ${MAX_INT_BYTES} are read)`);
    need(n);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[pos + i]);
    if (n > 0 && bytes[pos + n - 1] & 0x80) v -= 1n << BigInt(8 * n);
    pos += n;
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
  const call = (fn: unknown, args: unknown, op: string) => {
    if (typeof fn !== 'function') fail(`${op} of something that is not an allowed global at byte ${pos}`);
    return (fn as (a: unknown[]) => unknown)(asList(args, op));
  };

  for (;;) {
    const at = pos;
    const op = u8();
    // Every opcode pushes at most one value: the stack (and the memo's copies of it) stay bounded.
    if (stack.length > MAX_ITEMS) fail(`more than ${MAX_ITEMS} values on the stack at byte ${at}`);
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: need(8); pos += 8; break; // FRAME (protocol 4): a length hint only
      case 0x2e: // STOP
        if (stack.length !== 1) fail(`${stack.length} values on the stack at STOP`);
        return stack[0];
      case 0x28: marks.push(stack.length); break; // MARK
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x74: stack.push(popMark()); break; // TUPLE
      case 0x85: stack.push([pop()]); break; // TUPLE1
      case 0x86: { const b = pop(); stack.push([pop(), b]); break; } // TUPLE2
      case 0x87: { const c = pop(), b = pop(); stack.push([pop(), b, c]); break; } // TUPLE3
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x61: { const v = pop(); count(1); asList(top(), 'APPEND').push(v); break; } // APPEND
      case 0x65: { // APPENDS (a loop: spreading a huge array into push() overflows the call stack)
        const vs = popMark();
        const list = asList(top(), 'APPENDS');
        count(vs.length);
        for (const v of vs) list.push(v);
        break;
      }
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x64: { // DICT
        const kv = popMark();
        const m = new Map<unknown, unknown>();
        for (let i = 0; i + 1 < kv.length; i += 2) m.set(key(kv[i]), kv[i + 1]);
        stack.push(m);
        break;
      }
      case 0x73: { const v = pop(), k = pop(); count(1); asMap(top(), 'SETITEM').set(key(k), v); break; } // SETITEM
      case 0x75: { // SETITEMS
        const kv = popMark();
        const m = asMap(top(), 'SETITEMS');
        count(kv.length);
        for (let i = 0; i + 1 < kv.length; i += 2) m.set(key(kv[i]), kv[i + 1]);
        break;
      }
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4a: need(4); stack.push(view.getInt32(pos, true)); pos += 4; break; // BININT
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x8a: stack.push(long(u8())); break; // LONG1
      case 0x8b: stack.push(long(u32())); break; // LONG4
      case 0x47: need(8); stack.push(view.getFloat64(pos, false)); pos += 8; break; // BINFLOAT (big-endian)
      case 0x58: stack.push(text(u32())); break; // BINUNICODE
      case 0x8c: stack.push(text(u8())); break; // SHORT_BINUNICODE
      case 0x8d: { need(8); const n = Number(view.getBigUint64(pos, true)); pos += 8; stack.push(text(n)); break; } // BINUNICODE8
      case 0x63: { const module = line(); stack.push(hooks.global(module, line())); break; } // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const name = pop(), module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail(`STACK_GLOBAL without two strings at byte ${at}`);
        stack.push(hooks.global(module as string, name as string));
        break;
      }
      case 0x71: count(1); memo.set(u8(), top()); break; // BINPUT
      case 0x72: count(1); memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: count(1); memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: case 0x6a: { // BINGET, LONG_BINGET
        const i = op === 0x68 ? u8() : u32();
        if (!memo.has(i)) fail(`memo entry ${i} is not defined (byte ${at})`);
        stack.push(memo.get(i));
        break;
      }
      case 0x51: stack.push(hooks.persistentLoad(pop())); break; // BINPERSID
      case 0x52: { const args = pop(); stack.push(call(pop(), args, 'REDUCE')); break; } // REDUCE
      case 0x62: { // BUILD
        const state = pop();
        const obj = top();
        if (hooks.build) hooks.build(obj, state);
        else if (!(obj instanceof Map)) fail(`BUILD on a ${typeof obj} at byte ${at}`);
        break;
      }
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      default:
        fail(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')}${NAMES[op] ? ` (${NAMES[op]})` : ''} at byte ${at}`);
    }
  }
}
