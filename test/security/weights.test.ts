import {strict as assert} from 'node:assert';
import {readPth} from '../../src/models/pth';
import {MAX_INT_BYTES, unpickle} from '../../src/models/pickle';
import {readSafetensors, writeSafetensors} from '../../src/models/safetensors';
import {readStoredZip} from '../../src/models/zip_stored';
import {assertReproError, floats, memoryGrowth, MiB, Pickle, pthArchive, safetensorsWith, stateDictPickle, storedZip} from './hostile';

/**
 * Class 2 of issue 12: weights files are untrusted. Each hostile file is placed inside a larger
 * buffer filled with 'S' (0x53), as Node's shared pool would hold other data: a read outside the
 * input would show up as 'SSSS' in a message or as 0x53535353 (≈ 9.1e11) in a tensor.
 */
function inPool(bytes: Uint8Array): Uint8Array {
  const pool = Buffer.alloc(bytes.length + 8192, 0x53);
  pool.set(bytes, 4096);
  return pool.subarray(4096, 4096 + bytes.length);
}

const SECRET_FLOAT = new DataView(Uint8Array.from([0x53, 0x53, 0x53, 0x53]).buffer).getFloat32(0, true);
const noLeak = (message: string) => assert.doesNotMatch(message, /SSSS/, 'bytes from outside the input in the message');

describe('security: weights files (safetensors, .pth, pickle, zip)', () => {
  describe('safetensors', () => {
    const ok = (shape: number[], offsets: [number, number], dtype = 'F32') => ({w: {dtype, shape, data_offsets: offsets}});
    const cases: [string, Uint8Array, RegExp][] = [
      ['a negative begin offset', safetensorsWith(ok([2], [-8, 0]), floats([1, 2])), /data_offsets \[-8,0\]/],
      ['offsets past the data', safetensorsWith(ok([4], [0, 16]), floats([1, 2])), /data_offsets \[0,16\]/],
      ['a null header', safetensorsWith(null), /header is null/],
      ['an array header', safetensorsWith([1, 2]), /header is an array/],
      ['a string shape', safetensorsWith({w: {dtype: 'F32', shape: ['2'], data_offsets: [0, 8]}}, floats([1, 2])), /shape \["2"\]/],
      ['a fractional shape', safetensorsWith(ok([1.5], [0, 6]), floats([1, 2])), /shape \[1\.5\]/],
      ['a negative shape', safetensorsWith(ok([-2], [0, 8]), floats([1, 2])), /shape \[-2\]/],
      ['a dtype named "constructor"', safetensorsWith(ok([2], [0, 8], 'constructor'), floats([1, 2])), /unsupported dtype "constructor"/],
      ['a tensor that is not an object', safetensorsWith({w: 3}), /tensor "w" is not an object/],
      ['overlapping tensors', safetensorsWith({a: {dtype: 'F32', shape: [2], data_offsets: [0, 8]}, b: {dtype: 'F32', shape: [2], data_offsets: [4, 12]}}, floats([1, 2, 3])), /overlaps/],
      ['a header length of 2^63', safetensorsWith({}, new Uint8Array(0), 2n ** 63n), /header length 9223372036854775808 exceeds/],
      ['an int64 above 2^53', safetensorsWith(ok([1], [0, 8], 'I64'), new Uint8Array(new BigInt64Array([2n ** 60n]).buffer)), /int64 1152921504606846976, beyond 2\^53/],
    ];
    for (const [name, file, pattern] of cases) {
      it(`refuses ${name}, naming the file`, () => {
        const e = assertReproError(() => readSafetensors(inPool(file), 'evil.safetensors'), /^evil\.safetensors: not a valid safetensors file/, pattern);
        noLeak(e.message);
      });
    }

    it('still reads what it writes (a correct result for a well-formed file)', () => {
      const t = [{name: 'a', shape: [2, 2], data: Float32Array.from([1, 2, 3, 4])}, {name: 'b', shape: [1], data: Float32Array.from([5])}];
      const back = readSafetensors(inPool(writeSafetensors(t)), 'ok.safetensors');
      assert.deepEqual(back.map((x) => [x.name, x.shape, [...x.data]]), [['a', [2, 2], [1, 2, 3, 4]], ['b', [1], [5]]]);
      assert.ok(!back.some((x) => x.data.includes(SECRET_FLOAT)));
    });
  });

  describe('stored zip (the .pth container)', () => {
    it('refuses a central-directory name length that runs past the end of the file, disclosing nothing', () => {
      const zip = storedZip(new Map([['archive/data.pkl', Uint8Array.from([0x80, 0x02, 0x4e, 0x2e])]]), {nameLength: 60000});
      const e = assertReproError(() => readStoredZip(inPool(zip), 'evil.pth'), /^evil\.pth: not a readable torch\.save zip archive/, /runs past the end/);
      noLeak(e.message);
    });

    it('refuses a file too short to be a zip', () => {
      assertReproError(() => readStoredZip(inPool(Uint8Array.from([0x50, 0x4b, 3, 4])), 'tiny.pth'), /tiny\.pth: .*too short/);
    });
  });

  describe('pickle', () => {
    const hooks = {global: () => { throw new Error('no globals here'); }, persistentLoad: () => null};

    it('refuses a LONG4 integer of a megabyte without spending the CPU on it', () => {
      const n = 1 << 20;
      const body = Buffer.alloc(5 + n); body[0] = 0x8b; body.writeUInt32LE(n, 1);
      const bytes = Uint8Array.from([0x80, 0x02, ...body, 0x2e]);
      const t0 = Date.now();
      assertReproError(() => unpickle(bytes, 'long.pkl', hooks), new RegExp(`integer of ${n} bytes .*at most ${MAX_INT_BYTES}`));
      assert.ok(Date.now() - t0 < 1000, 'bounded time');
    });

    it('reads a list nested 100,000 deep without overflowing the stack (no recursion)', () => {
      const depth = 100_000;
      // EMPTY_LIST, then (EMPTY_LIST APPEND) repeated: each list inside the one before, built with a MARK per level.
      const ops: number[] = [0x80, 0x02];
      for (let i = 0; i < depth; i++) ops.push(0x5d); // depth lists on the stack
      for (let i = 1; i < depth; i++) ops.push(0x61); // APPEND each into the one below
      ops.push(0x2e);
      let v = unpickle(Uint8Array.from(ops), 'deep.pkl', hooks) as unknown[];
      let levels = 1;
      while (Array.isArray(v) && v.length === 1) { v = v[0] as unknown[]; levels++; }
      assert.equal(levels, depth);
    });

    it('describes a self-referential list in a message without looping', () => {
      // A list appended to itself (via the memo), used as a persistent id: the message must stay short.
      const bytes = Uint8Array.from([0x80, 0x02, 0x5d, 0x71, 0x00, 0x68, 0x00, 0x61, 0x51, 0x2e]);
      const e = assertReproError(() => readPth(pthArchive(bytes, {}), 'loop.pth'), /loop\.pth: unsupported persistent id \[\[\[…\]\]\]/);
      assert.ok(e.message.length < 1000);
    });
  });

  describe('.pth state dicts', () => {
    const pth = (tensors: Parameters<typeof stateDictPickle>[0], storages: Record<string, Uint8Array>) =>
      inPool(pthArchive(stateDictPickle(tensors), storages));

    it('reads a well-formed state dict (shared storage, a view with an offset)', () => {
      const file = pth([{name: 'a', key: '0', numel: 4, shape: [2], stride: [1]}, {name: 'b', key: '0', numel: 4, offset: 2, shape: [2], stride: [1]}],
        {0: floats([1, 2, 3, 4])});
      assert.deepEqual(readPth(file, 'ok.pth').map((t) => [t.name, [...t.data]]), [['a', [1, 2]], ['b', [3, 4]]]);
    });

    const cases: [string, Parameters<typeof stateDictPickle>[0], Record<string, Uint8Array>, RegExp][] = [
      ['a storage type found on Object.prototype (torch.constructor)', [{name: 'w', type: 'constructor', key: '0', numel: 1, shape: [1], stride: [1]}], {0: floats([1])}, /torch\.constructor/],
      ['a storage type named __proto__', [{name: 'w', type: '__proto__', key: '0', numel: 1, shape: [1], stride: [1]}], {0: floats([1])}, /torch\.__proto__/],
      ['a shared storage declared with two sizes', [{name: 'a', key: '0', numel: 2, shape: [2], stride: [1]}, {name: 'b', key: '0', numel: 8, shape: [8], stride: [1]}], {0: floats([1, 2])}, /storage data\/0 is declared twice, as 2 F32 and as 8 F32/],
      ['a negative numel', [{name: 'w', key: '0', numel: -4, shape: [1], stride: [1]}], {0: floats([1])}, /non-negative size/],
      ['a negative stride', [{name: 'w', key: '0', numel: 4, offset: 3, shape: [2], stride: [-1]}], {0: floats([1, 2, 3, 4])}, /negative size, stride or offset/],
      ['a view past its storage', [{name: 'w', key: '0', numel: 2, shape: [3], stride: [1]}], {0: floats([1, 2])}, /reads past its storage of 2 values/],
      ['a storage shorter than its numel', [{name: 'w', key: '0', numel: 4, shape: [4], stride: [1]}], {0: floats([1, 2])}, /has 8 bytes, fewer than its 4 F32 values need/],
    ];
    for (const [name, tensors, storages, pattern] of cases) {
      it(`refuses ${name}, naming the file`, () => {
        noLeak(assertReproError(() => readPth(pth(tensors, storages), 'evil.pth'), /evil\.pth/, pattern).message);
      });
    }

    it('refuses a stride-0 view that would expand 4 bytes to gigabytes, before allocating', async () => {
      const file = pth([{name: 'w', key: '0', numel: 1, shape: [40000, 40000], stride: [0, 0]}], {0: floats([1])});
      const grew = await memoryGrowth(() => assertReproError(() => readPth(file, 'expand.pth'), /expand\.pth: .*6400000000 bytes|expand\.pth: tensor "w" takes the decoded size past the budget/, /REPRO_MAX_WEIGHTS_EXPANSION/));
      assert.ok(grew < 64 * MiB, `memory grew by ${(grew / MiB).toFixed(0)} MiB`);
    });

    it('refuses an int64 above 2^53', () => {
      const big = new Uint8Array(new BigInt64Array([2n ** 62n]).buffer);
      assertReproError(() => readPth(pth([{name: 'n', type: 'LongStorage', key: '0', numel: 1, shape: [], stride: []}], {0: big}), 'big.pth'),
        /big\.pth: storage data\/0 holds the int64 4611686018427387904/);
    });

    it('refuses a global outside the allowed few (no code runs)', () => {
      const pkl = new Pickle().global('os', 'system').str('echo pwned').op(0x85).reduce().stop();
      assertReproError(() => readPth(pthArchive(pkl, {}), 'rce.pth'), /rce\.pth: the pickle uses os\.system/);
    });
  });
});
