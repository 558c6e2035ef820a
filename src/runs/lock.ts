import {closeSync, openSync, readFileSync, rmSync, writeSync} from 'node:fs';
import {hostname} from 'node:os';

/**
 * An exclusive lock file: created with O_EXCL, holding the owner's pid and host. A lock whose
 * owner process no longer exists on this host is stale (the holder was killed) and is taken over,
 * so a crash never blocks a run forever.
 */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a process that is still running holds the lock at `path` (another host's lock counts as held). */
export function lockHolderAlive(path: string): boolean {
  const owner = readOwner(path);
  if (owner === undefined) return false;
  return owner.host !== hostname() || alive(owner.pid);
}

/** Tries once; returns a release function, or undefined when a live process holds the lock. */
export function tryLock(path: string): (() => void) | undefined {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      const owner: LockOwner = {pid: process.pid, host: hostname(), since: new Date().toISOString()};
      writeSync(fd, JSON.stringify(owner));
      closeSync(fd);
      return () => rmSync(path, {force: true});
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readOwner(path);
      // An unreadable lock may be mid-write by its creator: treat it as held this time.
      if (owner === undefined || owner.host !== hostname() || alive(owner.pid)) return undefined;
      rmSync(path, {force: true}); // stale: its holder is gone
    }
  }
  return undefined;
}

/** Waits (polling) until the lock is ours. `onWait` is told once who holds it. */
export async function acquireLock(path: string, onWait: (owner: LockOwner | undefined) => void,
  pollMs = 500): Promise<() => void> {
  let told = false;
  for (;;) {
    const release = tryLock(path);
    if (release) return release;
    if (!told) { onWait(readOwner(path)); told = true; }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
