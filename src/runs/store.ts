import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {writeFileAtomic, writeJsonAtomic} from '../util/atomic';
import type {EpochMetrics} from '../train/metrics';
import {REPO_ROOT} from './code_version';
import {runHash} from './hash';
import type {RunResult} from './result';
import type {RunSpec} from './spec';

/** The store's root: $REPRO_STORE, else runs/ in the repository. */
export function defaultStoreRoot(): string {
  return process.env.REPRO_STORE ? resolve(process.env.REPRO_STORE) : join(REPO_ROOT, 'runs');
}

export type EntryStatus = 'done' | 'diverged' | 'in progress' | 'incomplete';

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

  private importedPath(key: string): string { return join(this.root, 'imported', `${key}.json`); }

  /**
   * The hash a planned run reads its result from: its own (spec + this code version + data) when
   * that is stored; otherwise a result imported for the same spec and data by an earlier code
   * version (`repro store import`: committed baselines count as done across sittings); otherwise
   * its own hash (a run still to train).
   */
  resolve(spec: RunSpec, codeVersion: string, dataChecksum: string): {hash: string; imported?: {codeVersion: string}} {
    const own = runHash(spec, codeVersion, dataChecksum);
    if (existsSync(this.resultPath(own))) return {hash: own};
    const path = this.importedPath(specKey(spec, dataChecksum));
    if (!existsSync(path)) return {hash: own};
    try {
      const pin = JSON.parse(readFileSync(path, 'utf8')) as {hash: string};
      const r = typeof pin.hash === 'string' && /^[0-9a-f]{20}$/.test(pin.hash) ? this.read(pin.hash) : undefined;
      if (r) return {hash: pin.hash, imported: {codeVersion: r.provenance.codeVersion}};
    } catch { /* an unreadable pin is no pin: the run trains */ }
    return {hash: own};
  }

  /**
   * Adds a verified result (from a committed baseline or another machine) under its own hash and
   * pins it to its spec and data, so that later code versions count it as done. Returns false when
   * the store already had it.
   */
  importResult(result: RunResult): boolean {
    const problem = validateResult(result, result.hash);
    if (problem) throw new Error(problem);
    const had = existsSync(this.resultPath(result.hash));
    if (!had) {
      this.begin(result.hash, result.spec);
      this.writeMetrics(result.hash, result.history);
      this.writeResult(result);
    }
    mkdirSync(join(this.root, 'imported'), {recursive: true});
    writeJsonAtomic(this.importedPath(specKey(result.spec, result.dataChecksum)), {hash: result.hash});
    return !had;
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
        return {hash, status: existsSync(this.lockPath(hash)) ? 'in progress' : 'incomplete', spec};
      });
  }
}

/** A run's identity without the code version: what an imported result is matched on. */
export function specKey(spec: RunSpec, dataChecksum: string): string {
  return runHash(spec, 'any code version', dataChecksum);
}

/** Why a parsed result.json cannot be trusted, or undefined when it can. */
export function validateResult(r: RunResult, hash: string): string | undefined {
  let problem: string | undefined;
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
  r.history.forEach((m, i) => {
    // A run that tests only at the end ('final') has test metrics on its last epoch alone.
    const needsTest = r.spec.evalTest !== 'final' || i === r.history.length - 1;
    if ((needsTest && r.status === 'done' && typeof m.testError !== 'number') || typeof m.trainLoss !== 'number') {
      problem ??= `epoch ${String(m.epoch)} is malformed`;
    }
  });
  return problem;
}
