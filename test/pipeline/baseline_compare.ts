import {strict as assert} from 'node:assert';
import {isaFamily} from '../../src/runs/cpu_kind';

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
 * How a rerun can be held to a baseline, by the kinds of CPU that trained them (src/runs/cpu_kind.ts):
 * - `bits`: the same kind. Training repeats bit for bit (same backend and thread count).
 * - `rounding`: the same vector family, other caches or AVX-512 level. oneDNN blocks some
 *   convolutions by cache size (`brgconv`), so those nets round differently and a few steps carry it
 *   into the losses (1.7e-4 on E's ResNet-18 between two kinds of Xeon; the other 38 runs identical).
 * - `verdicts`: another family (AVX2 against AVX-512) or a kind not recorded. Every kernel changes,
 *   and the smoke profile's short, steep runs amplify that: capped at AVX2, 36 of 40 runs differed,
 *   losses by up to 70% and error rates by several images, while all 21 verdicts held.
 *   Only the runs' shape and the verdicts can be compared.
 */
export type Strictness = 'bits' | 'rounding' | 'verdicts';

/** How far a loss (and a claim's measured value) may move under `rounding`, relative. Far below any claim's tolerance. */
export const ROUNDING_RTOL = 1e-3;

const close = (a: number, b: number) => Math.abs(a - b) <= ROUNDING_RTOL * Math.max(Math.abs(a), Math.abs(b));

/**
 * A rerun's claims against a committed baseline's: the same verdicts always; the same measured
 * values to the last bit under `bits`, within ROUNDING_RTOL under `rounding`, not compared under
 * `verdicts`; for MEASURED_ON_THIS_CPU within a factor of 2 (a rounding error of the same size; the
 * verdict holds the bound).
 */
export function assertSameClaims(ours: readonly ClaimRow[], committed: readonly ClaimRow[], strictness: Strictness = 'bits'): void {
  const a = essence(ours), b = essence(committed);
  for (const row of a) {
    const base = b.find((c) => c.id === row.id);
    if (strictness === 'verdicts' && base) { row.measured = base.measured; continue; }
    if (typeof row.measured !== 'number' || typeof base?.measured !== 'number') continue;
    const ratio = row.measured / base.measured;
    if (MEASURED_ON_THIS_CPU.has(row.id) ? ratio >= 0.5 && ratio <= 2 : strictness === 'rounding' && close(row.measured, base.measured)) {
      row.measured = base.measured;
    }
  }
  assert.deepEqual(a, b);
}

type RunRow = {experiment: string; name: string; status?: string; cpu?: string; final?: Readonly<Record<string, number>>};

const key = (r: RunRow) => `${r.experiment}/${r.name}`;

/** The strictness two runs can be held to, by the kinds of CPU that trained them. */
function strictnessFor(ours: RunRow, base: RunRow): Strictness {
  if (ours.cpu === undefined || base.cpu === undefined) return 'verdicts';
  if (ours.cpu === base.cpu) return 'bits';
  return isaFamily(ours.cpu) === isaFamily(base.cpu) ? 'rounding' : 'verdicts';
}

/** Metrics that are not measurements (counters and the schedule): equal under every strictness. */
const SHAPE = new Set(['epoch', 'iteration', 'lr']);

function matches(ours: RunRow, base: RunRow, strictness: Strictness): boolean {
  if (strictness === 'bits') return JSON.stringify(ours) === JSON.stringify(base);
  const {cpu: _a, final: fa = {}, ...restA} = ours;
  const {cpu: _b, final: fb = {}, ...restB} = base;
  const keys = new Set([...Object.keys(fa), ...Object.keys(fb)]);
  return JSON.stringify(restA) === JSON.stringify(restB) && [...keys].every((k) => {
    const x = fa[k], y = fb[k];
    if (x === y) return true;
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || SHAPE.has(k)) return false;
    // Error rates count images: one that flips is not rounding, but is what another family's kernels do.
    return strictness === 'verdicts' || (k.endsWith('Loss') && close(x, y));
  });
}

/**
 * A rerun's final metrics against a committed baseline's, naming the runs that differ, each held to
 * the strictness its kinds of CPU allow (Strictness). Whatever is less than bit for bit is said on
 * the console: the kinds, and the runs whose numbers moved. Returns the loosest strictness used,
 * for assertSameClaims.
 */
export function assertSameRuns(ours: readonly RunRow[], committed: readonly RunRow[], log: (line: string) => void = console.log): Strictness {
  const baseOf = new Map(committed.map((c) => [key(c), c]));
  const missing = committed.filter((c) => !ours.some((r) => key(r) === key(c))).map(key);
  const differ: string[] = [];
  const loose = new Map<Strictness, RunRow[]>(), moved = new Map<Strictness, string[]>();
  for (const r of ours) {
    const base = baseOf.get(key(r));
    if (!base) { differ.push(key(r)); continue; }
    const strictness = strictnessFor(r, base);
    if (strictness !== 'bits') loose.set(strictness, [...loose.get(strictness) ?? [], r]);
    if (!matches(r, base, strictness)) differ.push(key(r));
    else if (strictness !== 'bits' && JSON.stringify(r.final) !== JSON.stringify(base.final)) moved.set(strictness, [...moved.get(strictness) ?? [], key(r)]);
  }
  const kinds = (rows: readonly (RunRow | undefined)[]) => [...new Set(rows.map((r) => r?.cpu ?? 'not recorded'))].join('; ');
  for (const [strictness, rows] of loose) {
    const names = moved.get(strictness) ?? [];
    log(`    NOTE: ${rows.length} of ${ours.length} runs are not on the committed baselines' kind of CPU (here: ${kinds(rows)}; ` +
      `baselines: ${kinds(rows.map((r) => baseOf.get(key(r))))}), so ` +
      (strictness === 'rounding'
        ? `their losses were compared within ${ROUNDING_RTOL} (relative), not bit for bit`
        : 'of their numbers only the shape (status, epochs, steps, learning rate, finite metrics) and the claims\' verdicts were compared') +
      `${names.length ? ` (${names.length} differ from the baselines: ${names.join(', ')})` : ' (all equal to the last bit)'}. ` +
      'The bit-for-bit check runs on a machine of the baselines\' kind; `npm run baselines -- --profile smoke` from a clean tree records this kind instead.');
  }
  assert.ok(!differ.length && !missing.length,
    `${differ.length} of ${ours.length} runs differ from the committed smoke baselines (${differ.join(', ') || 'none'})` +
    `${missing.length ? `; not rerun: ${missing.join(', ')}` : ''}. On the kind of CPU that trained a baseline run (its "cpu") ` +
    `training repeats bit for bit with the same backend and thread count; on another kind of the same family only the losses may differ, ` +
    `by at most ${ROUNDING_RTOL} (relative); on another family the numbers may move, but not a run's status, epochs, steps or ` +
    'learning rate, nor a metric become non-finite. So the code changed these runs: if on purpose, regenerate the baselines ' +
    '(`npm run baselines -- --profile smoke` from a clean tree) and say why in the commit.');
  assert.deepEqual(ours.map(key), committed.map(key), 'the runs are in another order than the baselines\' (the plan\'s)');
  return loose.has('verdicts') ? 'verdicts' : loose.has('rounding') ? 'rounding' : 'bits';
}
