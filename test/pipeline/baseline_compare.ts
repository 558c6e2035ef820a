import {strict as assert} from 'node:assert';

type ClaimRow = {id: string; verdict: string; measured?: number | boolean};

/** What a baseline compares of a claim: verdict and measured value (notes and commands may be reworded). */
export const essence = (cs: readonly ClaimRow[]) => cs.map((c) => ({id: c.id, verdict: c.verdict, measured: c.measured}));

/**
 * Claims whose measured value depends on the CPU that reruns them, not on our code: A7 measures
 * |ours − PyTorch| with PyTorch run live here, and its kernels round differently per instruction set
 * (3.37e-6 on the Sapphire Rapids Xeon that made the smoke baselines, 3.53e-6 on the machines before it).
 */
const MEASURED_ON_THIS_CPU = new Set(['A7']);

/**
 * How far a number trained on another kind of CPU may be from the baseline's, relative: oneDNN picks
 * its convolution kernels and their blocking by instruction set and cache size, so some nets round
 * differently in the last bits, and a few training steps carry that into the losses (1.7e-4 seen
 * on E's ResNet-18 between two kinds of Xeon). Far below any claim's tolerance.
 */
export const OTHER_CPU_RTOL = 1e-3;

const close = (a: number, b: number) => Math.abs(a - b) <= OTHER_CPU_RTOL * Math.max(Math.abs(a), Math.abs(b));

/**
 * A rerun's claims against a committed baseline's: the same verdicts and the same measured values,
 * to the last bit when every run was trained on the baselines' kind of CPU (`sameCpu`), within
 * OTHER_CPU_RTOL otherwise; for MEASURED_ON_THIS_CPU within a factor of 2 (a rounding error of the
 * same size; the verdict holds the bound).
 */
export function assertSameClaims(ours: readonly ClaimRow[], committed: readonly ClaimRow[], sameCpu = true): void {
  const a = essence(ours), b = essence(committed);
  for (const row of a) {
    const base = b.find((c) => c.id === row.id);
    if (typeof row.measured !== 'number' || typeof base?.measured !== 'number') continue;
    const ratio = row.measured / base.measured;
    if (MEASURED_ON_THIS_CPU.has(row.id) ? ratio >= 0.5 && ratio <= 2 : !sameCpu && close(row.measured, base.measured)) {
      row.measured = base.measured;
    }
  }
  assert.deepEqual(a, b);
}

type RunRow = {experiment: string; name: string; cpu?: string; final?: Readonly<Record<string, number>>};

const key = (r: RunRow) => `${r.experiment}/${r.name}`;

/** A run trained on another kind of CPU: every field equal but the losses, which may differ within OTHER_CPU_RTOL. */
function matchesAcrossCpus(ours: RunRow, base: RunRow): boolean {
  const {cpu: _a, final: fa = {}, ...restA} = ours;
  const {cpu: _b, final: fb = {}, ...restB} = base;
  const keys = new Set([...Object.keys(fa), ...Object.keys(fb)]);
  return JSON.stringify(restA) === JSON.stringify(restB) &&
    [...keys].every((k) => fa[k] === fb[k] || (k.endsWith('Loss') && typeof fa[k] === 'number' && typeof fb[k] === 'number' && close(fa[k], fb[k])));
}

/**
 * A rerun's final metrics against a committed baseline's, naming the runs that differ. On the kind of
 * CPU that trained a baseline run (its `cpu`), training repeats exactly, so the run must match to the
 * last bit; on another kind its losses may round differently (OTHER_CPU_RTOL), which is said on the
 * console with the runs it concerns. Returns whether every run was compared bit for bit.
 */
export function assertSameRuns(ours: readonly RunRow[], committed: readonly RunRow[], log: (line: string) => void = console.log): boolean {
  const missing = committed.filter((c) => !ours.some((r) => key(r) === key(c))).map(key);
  const otherCpu: RunRow[] = [], differ: string[] = [];
  for (const r of ours) {
    const base = committed.find((c) => key(c) === key(r));
    const same = base !== undefined && r.cpu !== undefined && r.cpu === base.cpu;
    if (base && !same) otherCpu.push(r);
    if (!base || (same ? JSON.stringify(r) !== JSON.stringify(base) : !matchesAcrossCpus(r, base))) differ.push(key(r));
  }
  if (otherCpu.length) {
    const kinds = (rows: readonly (RunRow | undefined)[]) => [...new Set(rows.map((r) => r?.cpu ?? 'not recorded'))].join('; ');
    const rounded = otherCpu.filter((r) => JSON.stringify(r.final) !== JSON.stringify(committed.find((c) => key(c) === key(r))?.final)).map(key);
    log(`    NOTE: ${otherCpu.length} of ${ours.length} runs are not on the committed baselines' kind of CPU ` +
      `(here: ${kinds(otherCpu)}; baselines: ${kinds(otherCpu.map((r) => committed.find((c) => key(c) === key(r))))}), so their ` +
      `losses were compared within ${OTHER_CPU_RTOL} (relative), not bit for bit` +
      `${rounded.length ? ` (${rounded.length} differ in the last bits: ${rounded.join(', ')})` : ' (all equal to the last bit)'}. ` +
      'The bit-for-bit check runs on a machine of the baselines\' kind; `npm run baselines -- --profile smoke` from a clean tree records this kind instead.');
  }
  assert.ok(!differ.length && !missing.length,
    `${differ.length} of ${ours.length} runs differ from the committed smoke baselines (${differ.join(', ') || 'none'})` +
    `${missing.length ? `; not rerun: ${missing.join(', ')}` : ''}. On the kind of CPU that trained a baseline run (its "cpu") ` +
    'training repeats bit for bit with the same backend and thread count; on another kind only the losses may differ, by at most ' +
    `${OTHER_CPU_RTOL} (relative). So the code changed these numbers: if on purpose, regenerate the baselines ` +
    '(`npm run baselines -- --profile smoke` from a clean tree) and say why in the commit.');
  assert.deepEqual(ours.map(key), committed.map(key), 'the runs are in another order than the baselines\' (the plan\'s)');
  return otherCpu.length === 0;
}
