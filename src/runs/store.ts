import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {writeFileAtomic, writeJsonAtomic} from '../util/atomic';
import {ReproError} from '../util/errors';
import type {EpochMetrics} from '../train/metrics';
import {REPO_ROOT} from './code_version';
import {runHash} from './hash';
import {lockHolderAlive} from './lock';
import type {RunResult} from './result';
import {testsAfterEpoch, type RunSpec} from './spec';

/** The store's root: $REPRO_STORE, else runs/ in the repository. */
export function defaultStoreRoot(): string {
  return process.env.REPRO_STORE ? resolve(process.env.REPRO_STORE) : join(REPO_ROOT, 'runs');
}

/**
 * 'in progress': a live process holds its lock. 'interrupted': training stopped (Ctrl-C, a kill, a
 * crash) and left a checkpoint to resume from. 'incomplete': a spec and nothing else.
 * 'corrupt': a result that fails its checks (shown with the reason, never moved by listing).
 */
export type EntryStatus = 'done' | 'diverged' | 'in progress' | 'interrupted' | 'incomplete' | 'corrupt';

export interface StoreEntry {
  readonly hash: string;
  readonly status: EntryStatus;
  readonly spec?: RunSpec;
  readonly result?: RunResult;
  /** For 'corrupt': why the stored result is not trusted (it is left where it is). */
  readonly problem?: string;
}

/** sha256 of result.json's bytes, kept in result.json.sha256 beside it. */
function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Content-addressed run store: runs/<hash>/{spec.json, metrics.jsonl, result.json, checkpoint/,
 * lock}. result.json is written last and atomically, so its presence marks a finished run; it is
 * checked on every read (its sha256 in result.json.sha256, format, hash, spec, finite metrics)
 * and an entry that fails the check is never trusted: `read` (before training) sets it aside and
 * says so, `list` reports it as corrupt and moves nothing.
 */
export class RunStore {
  constructor(readonly root: string = defaultStoreRoot()) {
    const st = statSync(root, {throwIfNoEntry: false});
    if (st && !st.isDirectory()) {
      throw new ReproError(`the run store ${root} is not a directory`,
        {expected: 'a directory holding runs/<hash>/ entries (it is created when missing)', fix: 'pass --store DIR (or set REPRO_STORE) to a directory'});
    }
  }

  dir(hash: string): string { return join(this.root, hash); }
  checkpointDir(hash: string): string { return join(this.dir(hash), 'checkpoint'); }

  /**
   * The last epoch the entry's newest checkpoint holds, 0 when it has none: what a resume starts
   * after. Read from the names src/train/checkpoint.ts gives (epoch-NNNN, only ever complete), so
   * nothing is loaded.
   */
  checkpointEpoch(hash: string): number {
    let names: string[];
    try { names = readdirSync(this.checkpointDir(hash)); } catch { return 0; }
    return names.reduce((best, n) => Math.max(best, Number(/^epoch-(\d{4,})$/.exec(n)?.[1] ?? 0)), 0);
  }
  lockPath(hash: string): string { return join(this.dir(hash), 'lock'); }
  private resultPath(hash: string): string { return join(this.dir(hash), 'result.json'); }
  private checksumPath(hash: string): string { return join(this.dir(hash), 'result.json.sha256'); }
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

  /** Writes result.json.sha256 first, then result.json (each atomically): the result never appears without its checksum. */
  writeResult(result: RunResult): void {
    const text = JSON.stringify(result, null, 2) + '\n';
    writeFileAtomic(this.checksumPath(result.hash), `${sha256(text)}  result.json\n`);
    writeFileAtomic(this.resultPath(result.hash), text);
  }

  /** The stored result and why it cannot be trusted (undefined `problem`: it can), without changing anything. */
  inspect(hash: string): {result?: RunResult; problem?: string} | undefined {
    const path = this.resultPath(hash);
    if (!existsSync(path)) return undefined;
    let result: RunResult;
    try {
      const bytes = readFileSync(path);
      const sum = readFileSync(this.checksumPath(hash), {encoding: 'utf8', flag: 'r'}).split(/\s/)[0];
      if (sum !== sha256(bytes)) return {problem: `its sha256 differs from ${this.checksumPath(hash)} (edited after it was written?)`};
      result = JSON.parse(bytes.toString('utf8')) as RunResult;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return {problem: code === 'ENOENT' ? `${this.checksumPath(hash)} is missing` : `not readable JSON (${code ?? (err as Error).message})`};
    }
    const problem = validateResult(result, hash);
    return problem === undefined ? {result} : {problem};
  }

  /**
   * The stored result for `hash`, or undefined when there is none. A result that fails its checks
   * is renamed to result.json.corrupt-<time> (kept for inspection) and treated as missing, and
   * `warn` is told the file, the reason and where it went: it is never moved silently.
   */
  read(hash: string, warn: (msg: string) => void = (m) => process.stderr.write(`warning: ${m}\n`)): RunResult | undefined {
    const found = this.inspect(hash);
    if (!found) return undefined;
    if (found.problem === undefined) return found.result;
    const path = this.resultPath(hash);
    const aside = `${path}.corrupt-${Date.now()}`;
    renameSync(path, aside);
    warn(`stored result ${path} is not trusted (corrupt or edited: ${found.problem}); moved to ${aside} and the run will be trained again`);
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
      const r = typeof pin.hash === 'string' && /^[0-9a-f]{20}$/.test(pin.hash) ? this.inspect(pin.hash)?.result : undefined;
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

  /**
   * Whether the run was trained into this store (by this machine or a host sharing the store), not
   * imported: training keeps its last epoch's checkpoint, `importResult` never writes one. A pin
   * does not tell: `reproduce` and `store export` pin runs trained here too.
   */
  trainedHere(hash: string): boolean {
    return existsSync(this.checkpointDir(hash));
  }

  /** Every entry in the store, newest first is not guaranteed: sorted by hash. */
  list(): StoreEntry[] {
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root, {withFileTypes: true})
      .filter((d) => d.isDirectory() && /^[0-9a-f]{20}$/.test(d.name))
      .map((d) => d.name)
      .sort()
      .map((hash): StoreEntry => {
        // Listing only looks: an untrusted result is reported with its reason, never moved.
        const found = this.inspect(hash);
        if (found?.result) return {hash, status: found.result.status, spec: found.result.spec, result: found.result};
        let spec: RunSpec | undefined;
        try { spec = JSON.parse(readFileSync(join(this.dir(hash), 'spec.json'), 'utf8')) as RunSpec; } catch { /* none */ }
        if (found) return {hash, status: 'corrupt', spec, problem: found.problem};
        const status: EntryStatus = lockHolderAlive(this.lockPath(hash)) ? 'in progress'
          : existsSync(this.interruptedPath(hash)) || existsSync(this.lockPath(hash)) || existsSync(this.checkpointDir(hash)) ? 'interrupted'
            : 'incomplete';
        return {hash, status, spec};
      });
  }
}

/** A run's identity without the code version: what an imported result is matched on. */
export function specKey(spec: RunSpec, dataChecksum: string): string {
  return runHash(spec, 'any code version', dataChecksum);
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
  if (r.provenance.cpu !== undefined && (typeof r.provenance.cpu !== 'string' || r.provenance.cpu.length > 300)) {
    return 'provenance.cpu is not a string of at most 300 characters';
  }
  if (runHash(r.spec, r.provenance.codeVersion, r.dataChecksum) !== hash) {
    return 'spec, code version and data checksum do not hash to the directory name';
  }
  for (const [i, m] of r.history.entries()) {
    // A run that tests only at the end (evalTest 'final') has test metrics on its last epoch(s) alone.
    const needsTest = r.status === 'done' && testsAfterEpoch(r.spec, i + 1);
    if ((needsTest && typeof m.testError !== 'number') || typeof m.trainLoss !== 'number') return `epoch ${String(m.epoch)} is malformed`;
    // JSON has no NaN: a non-finite metric was written as null. A run with one is not done.
    if (r.status === 'done' && Object.values(m).some((v) => v === null || (typeof v === 'number' && !Number.isFinite(v)))) {
      return `epoch ${String(m.epoch)} of a run marked done has a metric that is not a finite number`;
    }
  }
  return undefined;
}
