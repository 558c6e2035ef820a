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

/**
 * sha256 of byte strings, from the cache while the file they live in (`file`: the file itself, or
 * the archive holding them) keeps its size and mtime. `key` names the entry in the cache.
 */
function cachedSha256(items: readonly {file: string; key: string; read: () => Uint8Array}[]): string[] {
  const cache = readCache();
  let changed = false;
  const out = items.map(({file, key, read}) => {
    const st = statSync(file);
    const hit = cache[key];
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.sha256;
    const sha256 = sha256Hex(read());
    cache[key] = {size: st.size, mtimeMs: st.mtimeMs, sha256};
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

/** sha256 of each file, from the cache when its size and mtime are unchanged. Pass `bytes` for files already read. */
export function filesSha256(paths: readonly string[], bytes?: ReadonlyMap<string, Uint8Array>): string[] {
  return cachedSha256(paths.map((path) => {
    const abs = resolve(path);
    return {file: abs, key: abs, read: () => bytes?.get(path) ?? readFileSync(abs)};
  }));
}

/**
 * The identity of files read from inside an archive: the same value `filesChecksum` gives the
 * extracted files (base names and content hashes), so the archive and its extraction are one
 * data set to the run cache. Member hashes are cached against the archive's size and mtime.
 */
export function archiveMembersChecksum(archive: string, members: readonly {name: string; data: Uint8Array}[]): string {
  const abs = resolve(archive);
  const hashes = cachedSha256(members.map((m) => ({file: abs, key: `${abs}#${m.name}`, read: () => m.data})));
  return sha256Hex(members.map((m, i) => `${basename(m.name)} ${hashes[i]}\n`).join(''));
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
