import {createHash, randomBytes} from 'node:crypto';
import {closeSync, linkSync, lstatSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync} from 'node:fs';
import {hostname} from 'node:os';
import {Worker} from 'node:worker_threads';

/**
 * A lease on a run: an exclusive lock file that its holder renews (a heartbeat) and that others
 * take over once it has not been renewed for its lease time. It works on a store shared by many
 * hosts (NFS and the like): expiry is judged by watching the file's content stop changing, on the
 * watcher's own clock (no clock agreement between hosts is needed), and a pid is only consulted
 * when the holder is on this host. The file is created whole (written to a temp file, then
 * hard-linked into place, which fails when it exists), so a lock is never seen half-written by us;
 * an empty, unreadable or directory lock (someone else's doing) is stale after a grace period.
 */
export interface LeaseHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  /** Absent in locks written before leases (treated as the default lease time). */
  readonly token?: string;
  readonly renewedAt?: string;
  readonly ttlMs?: number;
  readonly renewals?: number;
}

export interface LeaseOptions {
  /** How long an unrenewed lease stays valid (default $REPRO_LEASE_TTL_S or 60 s); renewed every ttl/4. */
  readonly ttlMs?: number;
  /** How long an empty, unreadable or directory lock must stay unchanged before it is stale (default $REPRO_LOCK_GRACE_S or 10 s). */
  readonly graceMs?: number;
  readonly pollMs?: number;
  /** How often a waiter repeats what it is waiting for (default 60 s): waiting is never silent. */
  readonly remindMs?: number;
  /**
   * A holder that has not called `progress()` for this long (default $REPRO_LEASE_STALL_S or 30 min)
   * is hung: its heartbeat stops renewing, so the lease expires and others take over. Without it a
   * deadlocked process whose heartbeat thread lives on would hold the run forever.
   */
  readonly stallMs?: number;
}

export interface Lease {
  readonly path: string;
  readonly holder: LeaseHolder;
  /** True once another process took the lease over (this holder was presumed dead). */
  lost(): boolean;
  /** Tells the heartbeat the holder is making progress (after every batch). */
  progress(): void;
  /** Stops the heartbeat and removes the lock if it is still ours. Idempotent. */
  release(): void;
}

/** What stands in the lock's place right now. */
export type LockState =
  | {readonly kind: 'missing'}
  | {readonly kind: 'held'; readonly holder: LeaseHolder; readonly key: string}
  | {readonly kind: 'unreadable'; readonly why: string; readonly key: string};

function envMs(name: string, fallbackS: number): number {
  const raw = process.env[name];
  const s = raw === undefined ? fallbackS : Number(raw);
  if (!Number.isFinite(s) || s <= 0) throw new Error(`$${name} must be a positive number of seconds, got "${raw}"`);
  return s * 1000;
}

export function defaultTtlMs(): number { return envMs('REPRO_LEASE_TTL_S', 60); }
export function defaultGraceMs(): number { return envMs('REPRO_LOCK_GRACE_S', 10); }
export function defaultStallMs(): number { return envMs('REPRO_LEASE_STALL_S', 1800); }

export function inspectLock(path: string): LockState {
  let st;
  try { st = lstatSync(path); } catch { return {kind: 'missing'}; }
  const key = `${st.mtimeMs}:${st.size}:${st.mode}`;
  if (st.isDirectory()) return {kind: 'unreadable', why: 'a directory, not a lock file', key};
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? {kind: 'missing'} : {kind: 'unreadable', why: `unreadable (${code})`, key};
  }
  if (text.trim() === '') return {kind: 'unreadable', why: 'empty', key: `${key}:empty`};
  try {
    const h = JSON.parse(text) as LeaseHolder;
    if (typeof h === 'object' && h !== null && typeof h.pid === 'number' && typeof h.host === 'string') return {kind: 'held', holder: h, key: text};
  } catch { /* fall through */ }
  return {kind: 'unreadable', why: 'not a lease (no pid and host in it)', key: text};
}

/** Alive unless gone or a zombie; only meaningful for a pid on this host. */
function alive(pid: number): boolean {
  try { process.kill(pid, 0); } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
  try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return true; }
}

function writeHolder(path: string, holder: LeaseHolder, how: 'create' | 'replace'): void {
  const tmp = `${path}.${holder.token}.${holder.renewals ?? 0}.tmp`;
  const fd = openSync(tmp, 'w');
  try { writeSync(fd, JSON.stringify(holder)); } finally { closeSync(fd); }
  try {
    if (how === 'replace') { renameSync(tmp, path); return; }
    linkSync(tmp, path); // atomic create-if-absent, also over NFS; the content is already whole
  } finally {
    rmSync(tmp, {force: true});
  }
}

// The heartbeat runs in a worker thread: training blocks the main thread for whole epochs.
// Flags (Int32): [0] stop requested, [1] stopped, [2] lease lost, [3] the holder's last progress
// (ms since the lease began).
const HEARTBEAT = `
const {workerData} = require('node:worker_threads');
const fs = require('node:fs');
const {path, holder, intervalMs, stallMs, start, flags: sab} = workerData;
const flags = new Int32Array(sab);
let renewals = 0;
while (Atomics.load(flags, 0) === 0) {
  Atomics.wait(flags, 0, 0, intervalMs);
  if (Atomics.load(flags, 0) !== 0) break;
  try {
    const now = JSON.parse(fs.readFileSync(path, 'utf8'));
    if (now.token !== holder.token) { Atomics.store(flags, 2, 1); break; }
    if (Date.now() - start - Atomics.load(flags, 3) > stallMs) continue; // hung holder: let the lease expire
    renewals += 1;
    const tmp = path + '.' + holder.token + '.' + renewals + '.tmp';
    fs.writeFileSync(tmp, JSON.stringify({...holder, renewedAt: new Date().toISOString(), renewals}));
    fs.renameSync(tmp, path);
  } catch (err) {
    if (err && err.code === 'ENOENT') { Atomics.store(flags, 2, 1); break; }
    /* a transient error (NFS hiccup): try again at the next beat */
  }
}
Atomics.store(flags, 1, 1);
Atomics.notify(flags, 1);
`;

function startHeartbeat(path: string, holder: LeaseHolder, ttlMs: number, stallMs: number): Lease {
  const flags = new Int32Array(new SharedArrayBuffer(16));
  const start = Date.now();
  const worker = new Worker(HEARTBEAT, {eval: true, workerData: {path, holder, intervalMs: Math.max(50, Math.floor(ttlMs / 4)), stallMs, start, flags: flags.buffer}});
  worker.unref();
  let released = false;
  return {
    path, holder,
    lost: () => Atomics.load(flags, 2) === 1,
    progress: () => { Atomics.store(flags, 3, Math.min(2 ** 31 - 1, Date.now() - start)); },
    release() {
      if (released) return;
      released = true;
      Atomics.store(flags, 0, 1);
      Atomics.notify(flags, 0);
      Atomics.wait(flags, 1, 0, 5000); // until the worker is past any renewal it had begun
      void worker.terminate();
      const now = inspectLock(path);
      if (now.kind === 'held' && now.holder.token === holder.token) rmSync(path, {force: true});
    },
  };
}

/** One attempt to create the lock; the lease (with its heartbeat running) or undefined when it exists. */
export function tryLease(path: string, opts: LeaseOptions = {}): Lease | undefined {
  const ttlMs = opts.ttlMs ?? defaultTtlMs();
  const now = new Date().toISOString();
  const holder: LeaseHolder = {pid: process.pid, host: hostname(), since: now, token: randomBytes(8).toString('hex'), renewedAt: now, ttlMs, renewals: 0};
  try {
    writeHolder(path, holder, 'create');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw err;
  }
  return startHeartbeat(path, holder, ttlMs, opts.stallMs ?? defaultStallMs());
}

/** The lock described for a person: who holds it and how to clear it. */
export function describeLock(path: string, state: LockState, ttlMs: number, graceMs: number): string {
  if (state.kind === 'missing') return `lock ${path} (now free)`;
  if (state.kind === 'unreadable') {
    return `lock ${path} is ${state.why}; it is treated as stale once unchanged for ${graceMs / 1000} s (or remove it: rm -r ${path})`;
  }
  const h = state.holder;
  const ttl = (h.ttlMs ?? ttlMs) / 1000;
  return `lock ${path}: held by process ${h.pid} on host ${h.host} since ${h.since || '?'}` +
    `${h.renewedAt ? `, last renewed ${h.renewedAt}` : ''}; it is taken over when not renewed for ${ttl} s. ` +
    `If that process is gone for good, remove the lock: rm ${path}`;
}

/**
 * Removes a stale lock, once: a marker file created exclusively per stale content makes sure only
 * one waiter takes over a given dead lease (the others see the winner's new lease and wait on).
 */
function takeOver(path: string, key: string, markerStaleMs: number): boolean {
  const marker = `${path}.takeover-${createHash('sha1').update(key).digest('hex').slice(0, 12)}`;
  try {
    closeSync(openSync(marker, 'wx'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // A taker that died between marker and removal must not block everyone forever.
    try { if (Date.now() - statSync(marker).mtimeMs > markerStaleMs) rmSync(marker, {force: true}); } catch { /* gone */ }
    return false;
  }
  try {
    const now = inspectLock(path);
    if (now.kind === 'missing' || now.key !== key) return false;
    const aside = `${path}.stale-${Date.now()}-${randomBytes(3).toString('hex')}`;
    renameSync(path, aside);
    rmSync(aside, {recursive: true, force: true});
    return true;
  } finally {
    rmSync(marker, {force: true});
  }
}

/** Why the lock in `state` may be taken over now, or undefined while it must be respected. */
function staleReason(state: LockState, unchangedMs: number, ttlMs: number, graceMs: number): string | undefined {
  if (state.kind === 'missing') return undefined;
  if (state.kind === 'unreadable') return unchangedMs >= graceMs ? `it is ${state.why} and unchanged for ${Math.round(unchangedMs / 1000)} s` : undefined;
  const h = state.holder;
  if (h.host === hostname() && h.pid !== process.pid && !alive(h.pid)) return `its holder, process ${h.pid} on this host, is gone`;
  const ttl = h.ttlMs ?? ttlMs;
  return unchangedMs >= ttl ? `process ${h.pid} on host ${h.host} has not renewed it for ${Math.round(unchangedMs / 1000)} s (lease time ${ttl / 1000} s)` : undefined;
}

/**
 * Waits until the lease is ours. `onWait` is told what it waits for (the lock's path, its holder,
 * how to clear it) at once and again every `remindMs`, and when it takes over a stale lock.
 */
export async function acquireLease(path: string, onWait: (message: string) => void, opts: LeaseOptions = {}): Promise<Lease> {
  const ttlMs = opts.ttlMs ?? defaultTtlMs(), graceMs = opts.graceMs ?? defaultGraceMs();
  const pollMs = opts.pollMs ?? Math.min(500, Math.max(20, ttlMs / 8)), remindMs = opts.remindMs ?? 60_000;
  const t0 = Date.now();
  let observed: {key: string; since: number} | undefined;
  let toldAt: number | undefined;
  for (;;) {
    const lease = tryLease(path, {ttlMs, ...(opts.stallMs ? {stallMs: opts.stallMs} : {})});
    if (lease) return lease;
    const state = inspectLock(path);
    if (state.kind === 'missing') continue;
    const now = Date.now();
    if (observed?.key !== state.key) observed = {key: state.key, since: now};
    const reason = staleReason(state, now - observed.since, ttlMs, graceMs);
    if (reason) {
      if (takeOver(path, state.key, Math.max(ttlMs, graceMs))) onWait(`taking over stale lock ${path}: ${reason}`);
      continue;
    }
    if (toldAt === undefined || now - toldAt >= remindMs) {
      onWait(`${toldAt === undefined ? 'waiting' : `still waiting (${Math.round((now - t0) / 1000)} s)`} for ${describeLock(path, state, ttlMs, graceMs)}`);
      toldAt = now;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * Whether a live holder has the lock at `path` (for `repro runs` and `--prune`): a holder on this
 * host whose process runs, or one on another host whose lease file was renewed within its lease
 * time (judged by the file's modification time, on this host's clock).
 */
export function lockHolderAlive(path: string): boolean {
  const state = inspectLock(path);
  if (state.kind !== 'held') return false;
  if (state.holder.host === hostname()) return alive(state.holder.pid);
  try {
    return Date.now() - statSync(path).mtimeMs < (state.holder.ttlMs ?? defaultTtlMs());
  } catch {
    return false;
  }
}
