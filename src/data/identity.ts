import {createHash} from 'node:crypto';
import {readFileSync, statSync} from 'node:fs';
import {basename, join, relative, resolve} from 'node:path';
import {writeJsonAtomic} from '../util/atomic';
import {dataRoot} from './paths';

/**
 * Data identity: sha256 over the source files' bytes. Re-hashing 180 MB on every run would cost
 * seconds, so each file's hash is cached in data/.checksum-cache.json keyed by path, size and
 * mtime; a changed file (new size or mtime) is hashed again.
 */
interface CacheEntry {size: number; mtimeMs: number; sha256: string}

function cachePath(): string {
  return join(dataRoot(), '.checksum-cache.json');
}

function readCache(): Record<string, CacheEntry> {
  try {
    return JSON.parse(readFileSync(cachePath(), 'utf8')) as Record<string, CacheEntry>;
  } catch {
    return {}; // absent or unreadable: it is only a cache
  }
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** sha256 of each file, from the cache when its size and mtime are unchanged. Pass `bytes` for files already read. */
export function filesSha256(paths: readonly string[], bytes?: ReadonlyMap<string, Uint8Array>): string[] {
  const cache = readCache();
  let changed = false;
  const out = paths.map((path) => {
    const abs = resolve(path);
    const st = statSync(abs);
    const hit = cache[abs];
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.sha256;
    const sha256 = sha256Hex(bytes?.get(path) ?? readFileSync(abs));
    cache[abs] = {size: st.size, mtimeMs: st.mtimeMs, sha256};
    changed = true;
    return sha256;
  });
  if (changed) {
    try {
      writeJsonAtomic(cachePath(), cache);
    } catch {
      // A read-only data root only costs a re-hash next time.
    }
  }
  return out;
}

/**
 * The identity of a set of source files: sha256 over their names (relative to `base`, or the
 * base name) and hashes, in the given order.
 */
export function filesChecksum(paths: readonly string[], bytes?: ReadonlyMap<string, Uint8Array>, base?: string): string {
  const hashes = filesSha256(paths, bytes);
  const lines = paths.map((p, i) => `${base ? relative(base, p) : basename(p)} ${hashes[i]}\n`);
  return sha256Hex(lines.join(''));
}
