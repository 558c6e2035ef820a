/**
 * Reuses the Float32Arrays of native kernel outputs. Allocating (and zero-filling) a
 * multi-megabyte array costs more than the arithmetic on it, and a training step allocates
 * hundreds of them with the same few sizes.
 *
 * Safety rules:
 * - Only arrays this pool handed out are ever recycled; everything else is left to the GC.
 * - References are counted per underlying ArrayBuffer, not per tensor: a tfjs slice or reshape
 *   may be a second tensor over the same memory (a view), and the memory is free only when the
 *   last of them is disposed.
 * - An array handed to user code (dataSync/readSync/data) may be held forever: it "escapes" and
 *   is never recycled.
 * - Recycled arrays are NOT zeroed: only kernels that write every element may acquire.
 * - Free memory is capped (the oldest free arrays are dropped first) and trim() frees it all.
 */

interface Entry {
  /** Live tensor data entries referring to this buffer. */
  refs: number;
  escaped: boolean;
}

export interface BufferPoolStats {
  /** Bytes held in the free lists. */
  freeBytes: number;
  /** acquire() calls served from the free lists / by a new allocation. */
  hits: number;
  misses: number;
}

export class BufferPool {
  private readonly owned = new WeakMap<ArrayBufferLike, Entry>();
  /**
   * Free arrays by length, oldest first. acquire() takes the newest: the array freed last is the
   * one most likely still in cache (handing out the oldest made every output a cache miss).
   */
  private readonly free = new Map<number, Float32Array[]>();
  private freeBytes = 0;
  private hits = 0;
  private misses = 0;

  constructor(readonly capBytes: number) {}

  /** An array of `length` float32s with unspecified contents, owned by the pool. */
  acquire(length: number): Float32Array {
    const list = this.free.get(length);
    const reused = list?.pop();
    if (reused !== undefined) {
      this.freeBytes -= reused.byteLength;
      this.hits++;
      return reused;
    }
    this.misses++;
    const a = new Float32Array(length);
    this.owned.set(a.buffer, {refs: 0, escaped: false});
    return a;
  }

  /** A tensor data entry now refers to `values` (its own array or a view of another). */
  retain(values: unknown): void {
    const e = this.entryOf(values);
    if (e) e.refs++;
  }

  /** A tensor data entry referring to `values` was deleted. */
  release(values: unknown): void {
    const e = this.entryOf(values);
    if (!e) return;
    e.refs--;
    if (e.refs > 0 || e.escaped) return;
    const buf = (values as Float32Array).buffer;
    const whole = new Float32Array(buf);
    if (whole.byteLength > this.capBytes) return;
    const list = this.free.get(whole.length) ?? [];
    list.push(whole);
    this.free.set(whole.length, list);
    this.freeBytes += whole.byteLength;
    this.enforceCap();
  }

  /** `values` was handed to code outside the backend: never recycle its memory. */
  escape(values: unknown): void {
    const e = this.entryOf(values);
    if (e) e.escaped = true;
  }

  /** Drops every free array (the GC reclaims them); returns the bytes released. */
  trim(): number {
    const bytes = this.freeBytes;
    for (const list of this.free.values()) for (const a of list) this.owned.delete(a.buffer);
    this.free.clear();
    this.freeBytes = 0;
    return bytes;
  }

  stats(): BufferPoolStats {
    return {freeBytes: this.freeBytes, hits: this.hits, misses: this.misses};
  }

  private entryOf(values: unknown): Entry | undefined {
    if (!(values instanceof Float32Array)) return undefined;
    return this.owned.get(values.buffer);
  }

  /** Drops free arrays, largest sizes' oldest first, until under the cap. */
  private enforceCap(): void {
    if (this.freeBytes <= this.capBytes) return;
    const lengths = [...this.free.keys()].sort((a, b) => b - a);
    for (const len of lengths) {
      const list = this.free.get(len) as Float32Array[];
      while (list.length > 0 && this.freeBytes > this.capBytes) {
        const a = list.shift() as Float32Array;
        this.owned.delete(a.buffer);
        this.freeBytes -= a.byteLength;
      }
      if (list.length === 0) this.free.delete(len);
      if (this.freeBytes <= this.capBytes) return;
    }
  }
}
