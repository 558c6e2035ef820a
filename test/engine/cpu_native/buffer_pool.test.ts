import {strict as assert} from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import {CPU_NATIVE, requireNative} from '../native_available';
import {BufferPool} from '../../../src/engine/cpu_native/buffer_pool';
import {PooledCpuBackend} from '../../../src/engine/cpu_native/pooled_backend';

describe('engine/cpu_native/buffer_pool', () => {
  it('recycles an array once its last reference is released', () => {
    const pool = new BufferPool(1 << 20);
    const a = pool.acquire(16);
    pool.retain(a);
    assert.notEqual(pool.acquire(16).buffer, a.buffer, 'a live array must not be handed out again');
    pool.release(a);
    assert.equal(pool.stats().freeBytes, 64);
    assert.equal(pool.acquire(16).buffer, a.buffer);
    assert.equal(pool.acquire(8).length, 8, 'another length is a new array');
    assert.deepEqual({hits: pool.stats().hits, misses: pool.stats().misses}, {hits: 1, misses: 3});
  });

  it('counts references per underlying buffer: a view keeps the memory alive', () => {
    const pool = new BufferPool(1 << 20);
    const a = pool.acquire(16);
    pool.retain(a);
    const view = a.subarray(4, 8);  // what a contiguous tfjs slice produces
    pool.retain(view);
    pool.release(a);
    assert.equal(pool.stats().freeBytes, 0, 'the view still uses the buffer');
    pool.release(view);
    assert.equal(pool.stats().freeBytes, 64);
    assert.equal(pool.acquire(16).buffer, a.buffer, 'the whole buffer is recycled, not the view');
  });

  it('never recycles an array that escaped (dataSync/readSync)', () => {
    const pool = new BufferPool(1 << 20);
    const a = pool.acquire(16);
    pool.retain(a);
    pool.escape(a);
    pool.release(a);
    assert.equal(pool.stats().freeBytes, 0);
    assert.notEqual(pool.acquire(16).buffer, a.buffer);
  });

  it('ignores arrays it did not allocate', () => {
    const pool = new BufferPool(1 << 20);
    const foreign = new Float32Array(16);
    pool.retain(foreign);
    pool.release(foreign);
    pool.release(new Int32Array(4));
    assert.equal(pool.stats().freeBytes, 0);
    assert.notEqual(pool.acquire(16).buffer, foreign.buffer);
  });

  it('keeps free memory under its cap and frees it all on trim', () => {
    const pool = new BufferPool(100);  // room for one 64-byte array, not two
    const arrays = [pool.acquire(16), pool.acquire(16), pool.acquire(32)];
    for (const a of arrays) pool.retain(a);
    for (const a of arrays) pool.release(a);
    assert.ok(pool.stats().freeBytes <= 100, `free ${pool.stats().freeBytes} bytes over the cap`);
    assert.equal(pool.stats().freeBytes, 64);
    assert.equal(pool.trim(), 64);
    assert.equal(pool.stats().freeBytes, 0);
    const misses = pool.stats().misses;
    pool.acquire(16);
    assert.equal(pool.stats().misses, misses + 1, 'after trim nothing is reused');
  });
});

describe('engine/cpu_native/pooled_backend', () => {
  it('recycles a kernel output after its tensor data is disposed', () => {
    const backend = new PooledCpuBackend();
    const out = backend.alloc(6);
    const id = backend.write(out, [2, 3], 'float32');
    backend.disposeData(id);
    assert.equal(backend.alloc(6).buffer, out.buffer);
    backend.dispose();
  });

  it('keeps memory shared by two data entries (a view) until both are disposed', () => {
    const backend = new PooledCpuBackend();
    const out = backend.alloc(6);
    const id = backend.write(out, [6], 'float32');
    const sliceId = backend.write(out.subarray(2, 4), [2], 'float32');
    backend.disposeData(id);
    assert.notEqual(backend.alloc(6).buffer, out.buffer);
    backend.disposeData(sliceId);
    assert.equal(backend.alloc(6).buffer, out.buffer);
    backend.dispose();
  });

  it('respects tfjs reference counts: memory is released only when the entry is deleted', () => {
    const backend = new PooledCpuBackend();
    const out = backend.alloc(6);
    const id = backend.write(out, [6], 'float32');
    backend.incRef(id);  // e.g. a reshape sharing the data
    backend.disposeData(id);
    assert.notEqual(backend.alloc(6).buffer, out.buffer);
    backend.disposeData(id);
    assert.equal(backend.alloc(6).buffer, out.buffer);
    backend.dispose();
  });

  it('never recycles an array returned by readSync', () => {
    const backend = new PooledCpuBackend();
    const out = backend.alloc(6);
    out.fill(7);
    const id = backend.write(out, [6], 'float32');
    const read = backend.readSync(id) as Float32Array;
    backend.disposeData(id);
    const next = backend.alloc(6);
    assert.notEqual(next.buffer, read.buffer);
    next.fill(-1);
    assert.deepEqual([...read], [7, 7, 7, 7, 7, 7], 'what the user holds is never overwritten');
    backend.dispose();
  });
});

describe('engine/cpu_native buffer pool inside cpu-native (end to end)', function () {
  before(function () { requireNative(this); });
  after(async () => { await tf.setBackend('cpu'); });

  it('reuses native outputs, and never overwrites what dataSync returned', async () => {
    await tf.setBackend(CPU_NATIVE);
    const backend = tf.backend() as unknown as PooledCpuBackend;
    assert.ok(backend instanceof PooledCpuBackend, 'cpu-native must be a pooled backend');
    const x = tf.tensor1d([1, -2, 3, -4, 5, -6, 7, -8]);
    const y = tf.relu(x);
    const held = y.dataSync();
    y.dispose();
    const before = backend.pool.stats();
    // Same-size native outputs after y was disposed: the pool may recycle, but never `held`.
    const zs = [tf.relu(tf.neg(x)), tf.relu(x)];
    zs[0].dataSync();
    assert.deepEqual([...held], [1, 0, 3, 0, 5, 0, 7, 0]);
    for (const z of zs) assert.notEqual(z.dataSync().buffer, held.buffer);
    // A disposed-and-unread output is recycled.
    const w = tf.relu(x);
    const wValues = (backend.data.get(w.dataId).values as Float32Array);
    w.dispose();
    const v = tf.relu(x);
    assert.equal((backend.data.get(v.dataId).values as Float32Array).buffer, wValues.buffer);
    assert.ok(backend.pool.stats().hits > before.hits);
    tf.dispose([x, v, ...zs]);
  });
});
