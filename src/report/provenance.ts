import type {RunResult} from '../runs/result';
import {adapterLine, type Provenance} from '../runs/provenance';
import type {ReportProvenance, ReportRun} from './model';

/** A run the report's experiments planned; `result` is absent when the store does not hold it. */
export interface PlannedRun {
  readonly experiment: string;
  readonly name: string;
  readonly hash: string;
  readonly result?: Pick<RunResult, 'status' | 'provenance'>;
}

/** What the report-writing process knows about itself; used where no stored run says otherwise. */
export type ProvenanceEnv = Pick<Provenance, 'git' | 'dirty' | 'backend' | 'device' | 'threads' | 'node' | 'tfjs'>;

/** One value if all runs agree; otherwise every distinct value with its run count, so mixed provenance shows. */
function agree(values: readonly string[], fallback: string): string {
  if (values.length === 0) return fallback;
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  if (counts.size === 1) return values[0];
  return [...counts].map(([v, n]) => `${v} (${n} run${n === 1 ? '' : 's'})`).join('; ');
}

/**
 * The provenance appendix from the runs behind the numbers: commit, backend, device, versions as
 * recorded by the runs themselves (not by the process that renders the report), every data
 * checksum they used, and each planned run with its hash and status ('missing' if not stored).
 */
export function reportProvenance(runs: readonly PlannedRun[], env: ProvenanceEnv): ReportProvenance {
  const stored = runs.flatMap((r) => (r.result ? [r.result.provenance] : []));
  const pick = (f: (p: Provenance) => string, fallback: string) => agree(stored.map(f), fallback);
  const data = new Map<string, Set<string>>();
  for (const p of stored) {
    for (const [name, checksum] of Object.entries(p.data)) {
      if (!data.has(name)) data.set(name, new Set());
      data.get(name)!.add(checksum);
    }
  }
  const adapters = stored.flatMap((p) => (p.adapter ? [adapterLine(p.adapter)] : []));
  const threads = stored.length ? [...new Set(stored.map((p) => p.threads))] : [env.threads];
  return {
    commit: pick((p) => p.git, env.git),
    dirty: stored.length ? stored.some((p) => p.dirty) : env.dirty,
    backend: pick((p) => p.backend, env.backend),
    device: pick((p) => p.device, env.device),
    // Results from before runs recorded their CPU show as 'not recorded', so a mixed record shows.
    ...(stored.some((p) => p.cpu) ? {cpu: pick((p) => p.cpu ?? 'not recorded', '')} : {}),
    ...(adapters.length ? {adapter: agree(adapters, '')} : {}),
    // A single number when all runs agree; the largest otherwise (the others show in the run table's provenance).
    threads: Math.max(...threads),
    node: pick((p) => p.node, env.node),
    tfjs: pick((p) => p.tfjs, env.tfjs),
    data: [...data].sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([name, sums]) => [...sums].sort().map((checksum) => ({name, checksum}))),
    runs: runs.map((r): ReportRun => ({hash: r.hash, experiment: r.experiment, name: r.name,
      status: r.result ? r.result.status : 'missing'})),
  };
}
