/**
 * The broadcast patterns the native binary kernel handles (mirrors the enum in
 * src/engine/native/elementwise.cc). Anything else runs on the stock JS kernel.
 */
export const BROADCAST_MODE = {same: 0, scalarB: 1, scalarA: 2, lastAxisB: 3, lastAxisA: 4, middleB: 5, middleA: 6} as const;
export type BroadcastMode = typeof BROADCAST_MODE[keyof typeof BROADCAST_MODE];

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

const size = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);

/** `small` is a per-channel vector over big's last axis: [C], [1,C], [1,1,1,C]… */
function isLastAxisVector(big: readonly number[], small: readonly number[]): boolean {
  if (big.length === 0 || small.length === 0 || small.length > big.length) return false;
  const c = big[big.length - 1];
  return small[small.length - 1] === c && small.slice(0, -1).every((d) => d === 1);
}

/**
 * `small` (same rank) equals `big` except for one contiguous block of axes where it is 1 (and
 * big is not): big is [outer, mid, inner] and small [outer, inner].
 */
function middleBlock(big: readonly number[], small: readonly number[]): {inner: number; mid: number} | undefined {
  if (big.length !== small.length) return undefined;
  const differs = big.map((d, i) => d !== small[i]);
  const first = differs.indexOf(true);
  const last = differs.lastIndexOf(true);
  if (first < 0) return undefined;
  for (let i = first; i <= last; i++) if (small[i] !== 1) return undefined;
  return {mid: size(big.slice(first, last + 1)), inner: size(big.slice(last + 1))};
}

/**
 * The native mode for a ⊙ b, with the last-axis length (`inner`) and, for the middle modes, the
 * broadcast block's size (`mid`), or undefined when not supported natively.
 */
export function broadcastMode(a: readonly number[], b: readonly number[]):
  {mode: BroadcastMode; inner: number; mid: number; outShape: number[]} | undefined {
  if (sameShape(a, b)) return {mode: BROADCAST_MODE.same, inner: 1, mid: 1, outShape: [...a]};
  // Output must have the shape of the larger side: a rank-raising broadcast is left to JS.
  if (size(b) === 1 && b.length <= a.length) return {mode: BROADCAST_MODE.scalarB, inner: 1, mid: 1, outShape: [...a]};
  if (size(a) === 1 && a.length <= b.length) return {mode: BROADCAST_MODE.scalarA, inner: 1, mid: 1, outShape: [...b]};
  if (isLastAxisVector(a, b)) return {mode: BROADCAST_MODE.lastAxisB, inner: a[a.length - 1], mid: 1, outShape: [...a]};
  if (isLastAxisVector(b, a)) return {mode: BROADCAST_MODE.lastAxisA, inner: b[b.length - 1], mid: 1, outShape: [...b]};
  const mb = middleBlock(a, b);
  if (mb && mb.inner > 0) return {mode: BROADCAST_MODE.middleB, ...mb, outShape: [...a]};
  const ma = middleBlock(b, a);
  if (ma && ma.inner > 0) return {mode: BROADCAST_MODE.middleA, ...ma, outShape: [...b]};
  return undefined;
}

/**
 * A reduction over `axes` as [outer, mid, inner] when the axes form one contiguous block, or
 * undefined otherwise.
 */
export function contiguousReduction(shape: readonly number[], axes: readonly number[]):
  {outer: number; mid: number; inner: number} | undefined {
  const sorted = [...new Set(axes.map((a) => (a < 0 ? a + shape.length : a)))].sort((x, y) => x - y);
  if (sorted.length === 0) return undefined;
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (first < 0 || last >= shape.length || last - first + 1 !== sorted.length) return undefined;
  return {outer: size(shape.slice(0, first)), mid: size(shape.slice(first, last + 1)),
    inner: size(shape.slice(last + 1))};
}
