import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import type {BackendValues, DataId, DataType} from '@tensorflow/tfjs-core';
import {BufferPool} from './buffer_pool';

/** Default cap on the pool's free memory: ResNet-56 at batch 128 cycles through ~1.8 GB. */
export const DEFAULT_POOL_CAP_BYTES = 2 * 1024 ** 3;

/**
 * The pure-JS CPU backend with the hooks the buffer pool needs: every data entry created
 * (write/move) retains its buffer, every entry deleted (disposeData) releases it, and every read
 * handed out (readSync/read) escapes it. Native kernels allocate outputs with `alloc`.
 */
export class PooledCpuBackend extends MathBackendCPU {
  readonly pool: BufferPool;

  constructor(capBytes = DEFAULT_POOL_CAP_BYTES) {
    super();
    this.pool = new BufferPool(capBytes);
  }

  /** An output array for a kernel that writes every element. */
  alloc(length: number): Float32Array {
    return this.pool.acquire(length);
  }

  override write(values: BackendValues, shape: number[], dtype: DataType): DataId {
    const id = super.write(values, shape, dtype);
    this.pool.retain(values);
    return id;
  }

  override move(dataId: DataId, values: BackendValues, shape: number[], dtype: DataType, refCount: number): void {
    super.move(dataId, values, shape, dtype, refCount);
    this.pool.retain(values);
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const entry = this.data.has(dataId) ? this.data.get(dataId) : undefined;
    const released = super.disposeData(dataId, force);
    if (entry !== undefined && !this.data.has(dataId)) this.pool.release(entry.values);
    return released;
  }

  override readSync(dataId: DataId): BackendValues {
    const values = super.readSync(dataId);
    if (this.data.has(dataId)) this.pool.escape(this.data.get(dataId).values);
    return values;
  }

  override dispose(): void {
    this.pool.trim();
    super.dispose();
  }
}
