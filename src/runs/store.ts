import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {writeFileAtomic, writeJsonAtomic} from '../util/atomic';
import type {EpochMetrics} from '../train/metrics';
import {REPO_ROOT} from './code_version';
import {runHash} from './hash';
import {lockHolderAlive} from './lock';
import type {RunResult} from './result';
import type {RunSpec} from './spec';

/** The store's root: $REPRO_STORE, else runs/ in the repository. */
export function defaultStoreRoot(): string {
  return process.env.REPRO_STORE ? resolve(process.env.REPRO_STORE) : join(REPO_ROOT, 'runs');
}

/**
 * 'in progress': a live process holds its lock. 'interrupted': training stopped (Ctrl-C, a kill, a
 * crash) and left a checkpoint to resume from. 'incomplete': a spec and nothing else.
 */
export type EntryStatus = 'done' | 'diverged' | 'in progress' | 'interrupted' | 'incomplete';

export interface StoreEntry {
  readonly hash: string;
  readonly status: EntryStatus;
  readonly spec?: RunSpec;
  readonly result?: RunResult;
}

/**
 * Content-addressed run store: runs/<hash>/{spec.json, metrics.jsonl, result.json, checkpoint/,
 * lock}. result.json is written last and atomically, so its presence marks a finished run; it is
 * checked on every read (format, hash, spec) and an entry that fails the check is set aside and
 * re-run, never trusted.
 */
export class RunStore {
  constructor(readonly root: string = defaultStoreRoot()) {}

  dir(hash: string): string { return join(this.root, hash); }
  checkpointDir(hash: string): string { return join(this.dir(hash), 'checkpoint'); }
  lockPath(hash: string): string { return join(this.dir(hash), 'lock'); }
  private resultPath(hash: string): string { return join(this.dir(hash), 'result.json'); }
  private metricsPath(hash: string): string { return join(this.dir(hash), 'metrics.jsonl'); }
  private interruptedPath(hash: string): string { return join(this.dir(hash), 'interrupted.json'); }

  /** Records that training of `hash` was interrupted (the checkpoint stays, to resume from). */
  markInterrupted(hash: string, why: string): void {
    writeJsonAtomic(this.interruptedPath(hash), {at: new Date().toISOString(), why});
  }

  clearInterrupted(hash: string): void {
    rmSync(this.interruptedPath(hash), {force: true});
  }

  /** Deletes an entry that holds no result (never a finished or a running one); returns whether it did. */
  prune(entry: StoreEntry): boolean {
    if (entry.status !== 'interrupted' && entry.status !== 'incomplete') return false;
    if (lockHolderAlive(this.lockPath(entry.hash))) return false;
    rmSync(this.dir(entry.hash), {recursive: true, force: true});
    return true;
  }

  /** Creates the entry directory and writes spec.json (idempotent). */
  begin(hash: string, spec: RunSpec): void {
    mkdirSync(this.dir(hash), {recursive: true});
    writeJsonAtomic(join(this.dir(hash), 'spec.json'), spec);
  }

  /** Rewrites metrics.jsonl from the authoritative history (after each epoch's checkpoint). */
  writeMetrics(hash: string, history: readonly EpochMetrics[]): void {
    writeFileAtomic(this.metricsPath(hash), history.map((m) => JSON.stringify(m) + '\n').join(''));
  }

  writeResult(result: RunResult): void {
    writeJsonAtomic(this.resultPath(result.hash), result);
  }

  /**
   * The stored result for `hash`, or undefined when there is none. A result that is unreadable
   * or inconsistent is renamed to result.json.corrupt-<time> (kept for inspection), reported
   * through `warn`, and treated as missing.
   */
  read(hash: string, warn: (msg: string) => void = () => {}): RunResult | undefined {
    const path = this.resultPath(hash);
    if (!existsSync(path)) return undefined;
    let problem: string | undefined;
    let result: RunResult | undefined;
    try {
      result = JSON.parse(readFileSync(path, 'utf8')) as RunResult;
      problem = validateResult(result, hash);
    } catch (err) {
      problem = `not valid JSON (${(err as Error).message})`;
    }
    if (problem === undefined) return result;
    const aside = `${path}.corrupt-${Date.now()}`;
    renameSync(path, aside);
    warn(`stored result ${path} is corrupt (${problem}); moved to ${aside} and the run will be re-run`);
    return undefined;
  }

  /** Every entry in the store, newest first is not guaranteed: sorted by hash. */
  list(): StoreEntry[] {
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root, {withFileTypes: true})
      .filter((d) => d.isDirectory() && /^[0-9a-f]{20}$/.test(d.name))
      .map((d) => d.name)
      .sort()
      .map((hash): StoreEntry => {
        const result = this.read(hash);
        if (result) return {hash, status: result.status, spec: result.spec, result};
        let spec: RunSpec | undefined;
        try { spec = JSON.parse(readFileSync(join(this.dir(hash), 'spec.json'), 'utf8')) as RunSpec; } catch { /* none */ }
        const status: EntryStatus = lockHolderAlive(this.lockPath(hash)) ? 'in progress'
          : existsSync(this.interruptedPath(hash)) || existsSync(this.lockPath(hash)) || existsSync(this.checkpointDir(hash)) ? 'interrupted'
            : 'incomplete';
        return {hash, status, spec};
      });
  }
}

/** Why a parsed result.json cannot be trusted, or undefined when it can. */
export function validateResult(r: RunResult, hash: string): string | undefined {
  if (typeof r !== 'object' || r === null) return 'not an object';
  if (r.format !== 1) return `unknown format ${String(r.format)}`;
  if (r.hash !== hash) return `hash field ${String(r.hash)} does not match directory ${hash}`;
  if (r.status !== 'done' && r.status !== 'diverged') return `unknown status ${String(r.status)}`;
  if (!Array.isArray(r.history)) return 'history is not an array';
  if (r.status === 'done' && (r.history.length !== r.spec?.epochs || r.final === undefined)) {
    return `a finished run must have ${String(r.spec?.epochs)} epochs of history, found ${r.history.length}`;
  }
  if (typeof r.provenance?.codeVersion !== 'string') return 'provenance.codeVersion missing';
  if (runHash(r.spec, r.provenance.codeVersion, r.dataChecksum) !== hash) {
    return 'spec, code version and data checksum do not hash to the directory name';
  }
  for (const m of r.history) {
    if (typeof m.testError !== 'number' || typeof m.trainLoss !== 'number') return `epoch ${String(m.epoch)} is malformed`;
  }
  return undefined;
}
