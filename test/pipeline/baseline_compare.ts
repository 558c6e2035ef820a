import {strict as assert} from 'node:assert';

type ClaimRow = {id: string; verdict: string; measured?: number | boolean};

/** What a baseline compares of a claim: verdict and measured value (notes and commands may be reworded). */
export const essence = (cs: readonly ClaimRow[]) => cs.map((c) => ({id: c.id, verdict: c.verdict, measured: c.measured}));

/**
 * Claims whose measured value depends on the CPU that reruns them, not on our code: A7 measures
 * |ours − PyTorch| with PyTorch run live here, and its kernels round differently per instruction set
 * (3.53e-6 on the machines that made the smoke baselines, 3.37e-6 on an AVX-512 Xeon).
 */
const MEASURED_ON_THIS_CPU = new Set(['A7']);

/**
 * A rerun's claims against a committed baseline's: the same verdicts, the same measured values to the
 * last bit (training repeats bit for bit on the same kind of CPU), and for MEASURED_ON_THIS_CPU a value within a
 * factor of 2 of the committed one (a rounding error of the same size; the verdict holds the bound).
 */
export function assertSameClaims(ours: readonly ClaimRow[], committed: readonly ClaimRow[]): void {
  const a = essence(ours), b = essence(committed);
  for (const row of a) {
    const base = b.find((c) => c.id === row.id);
    if (!MEASURED_ON_THIS_CPU.has(row.id) || typeof row.measured !== 'number' || typeof base?.measured !== 'number') continue;
    const ratio = row.measured / base.measured;
    if (ratio >= 0.5 && ratio <= 2) row.measured = base.measured;
  }
  assert.deepEqual(a, b);
}

type RunRow = {experiment: string; name: string};

/**
 * A rerun's final metrics against a committed baseline's, to the last bit, naming the runs that
 * differ: training repeats exactly on the same backend, thread count and kind of CPU, but oneDNN
 * picks its convolution kernels and their blocking by instruction set and cache size, so another
 * kind of CPU may round some nets differently (README, "smoke").
 */
export function assertSameRuns(ours: readonly RunRow[], committed: readonly RunRow[]): void {
  const key = (r: RunRow) => `${r.experiment}/${r.name}`;
  const differ = ours.filter((r) => JSON.stringify(r) !== JSON.stringify(committed.find((c) => key(c) === key(r)))).map(key);
  const missing = committed.filter((c) => !ours.some((r) => key(r) === key(c))).map(key);
  assert.ok(!differ.length && !missing.length,
    `${differ.length} of ${ours.length} runs differ from the committed smoke baselines (${differ.join(', ') || 'none'})` +
    `${missing.length ? `; not rerun: ${missing.join(', ')}` : ''}. Training repeats bit for bit on the same backend, ` +
    'thread count and kind of CPU; oneDNN chooses its kernels and their blocking by instruction set and cache size, so on ' +
    'another kind of CPU some nets round differently (seen on a Sapphire Rapids Xeon: E\'s ResNet-18; README, "smoke") ' +
    'before any code is at fault.');
  assert.deepEqual(ours, committed);
}
