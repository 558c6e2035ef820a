import {ensureRun, type RunDeps} from '../runs/ensure_run';
import type {RunStore} from '../runs/store';
import type {ProfilePlan} from './plan';
import {undisturbedSeconds} from './estimate';

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = Math.round(s % 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

/**
 * Trains every planned training the store does not hold, one after the other, with an overall
 * line per run: runs done/total, elapsed and an ETA from the work done so far (epochs × images
 * × depth), each finished run's time taken as undisturbed (estimate.ts). Returns the number
 * trained; a diverged run is stored and its claims say so.
 */
export async function runMissing(plan: ProfilePlan, deps: RunDeps, store: RunStore, log: (line: string) => void): Promise<number> {
  const todo = plan.trainings.filter((t) => !t.cached);
  const total = todo.reduce((a, t) => a + t.work, 0);
  const t0 = Date.now();
  let doneWork = 0;
  let doneSeconds = 0;
  for (const [i, t] of todo.entries()) {
    const elapsed = (Date.now() - t0) / 1000;
    const eta = doneWork > 0 ? (doneSeconds / doneWork) * (total - doneWork) : NaN;
    log(`[${i + 1}/${todo.length}] training ${t.spec.experiment}/${t.spec.name} (${t.spec.model}, ${t.spec.epochs} epochs) ` +
      `— elapsed ${formatSeconds(elapsed)}, ETA ${formatSeconds(eta)}`);
    const {result} = await ensureRun(t.spec, deps, store);
    if (result.status === 'diverged') log(`  ${t.spec.experiment}/${t.spec.name} DIVERGED at iteration ${result.divergedAt?.iteration}`);
    doneWork += t.work;
    doneSeconds += undisturbedSeconds(result);
  }
  if (todo.length) log(`trained ${todo.length} run(s) in ${formatSeconds((Date.now() - t0) / 1000)}`);
  return todo.length;
}
