import {createHash} from 'node:crypto';
import {readdirSync, readFileSync} from 'node:fs';
import {join, relative, sep} from 'node:path';
import * as yauzl from 'yauzl';
import {ReproError} from '../util/errors';
import {limit, limitError} from '../util/limits';

/**
 * A read-only tree of files, from a directory or a zip archive, so that a loader reads
 * `tiny-imagenet-200.zip` and its extracted directory the same way. Paths use '/'.
 */
export interface FileTree {
  /** Where it came from, for messages (`archive.zip:` prefix for entries of a zip). */
  readonly label: string;
  /** Every file path, relative to the root. */
  readonly files: readonly string[];
  has(path: string): boolean;
  read(path: string): Uint8Array;
  /** A label naming `path` inside this tree, for error messages. */
  describe(path: string): string;
}

/**
 * sha256 over every file's path and bytes, in path order: the same for a zip and for its
 * extraction, so both are one data set to the run cache.
 */
export function treeChecksum(tree: FileTree): string {
  const h = createHash('sha256');
  for (const f of tree.files) h.update(`${f}\n`).update(tree.read(f));
  return h.digest('hex');
}

export function directoryTree(root: string): FileTree {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, {withFileTypes: true})) {
      if (e.name.startsWith('.')) continue; // caches, .part files, .DS_Store: not data
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) files.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(root);
  files.sort();
  const set = new Set(files);
  return {
    label: root, files,
    has: (p) => set.has(p),
    read: (p) => readFileSync(join(root, p)),
    describe: (p) => join(root, p),
  };
}

/**
 * Reads every file of a zip into memory (the archives read here are a few hundred MB at most).
 * What it may expand to is bounded before anything is inflated: each entry's declared size and
 * their total must be within REPRO_MAX_DECOMPRESSED_BYTES, and yauzl checks while inflating that
 * an entry is no larger than it declared.
 */
export async function zipTree(zipPath: string): Promise<FileTree> {
  const entries = new Map<string, Uint8Array>();
  const maxBytes = limit('decompressedBytes');
  let total = 0;
  await new Promise<void>((resolveAll, reject) => {
    const fail = (err: unknown) => reject(new ReproError(`${zipPath}: unreadable zip archive (${(err as Error).message})`,
      {expected: 'a complete zip file', fix: 'delete it and fetch it again', cause: err}));
    yauzl.open(zipPath, {lazyEntries: true}, (err, zip) => {
      if (err || !zip) { fail(err); return; }
      zip.on('error', fail);
      zip.on('end', () => resolveAll());
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) { zip.readEntry(); return; }
        total += entry.uncompressedSize;
        if (total > maxBytes) {
          zip.close();
          reject(limitError('decompressedBytes', `${zipPath}:${entry.fileName}`, `the archive's entries declare ${total} bytes so far`));
          return;
        }
        zip.openReadStream(entry, (e2, stream) => {
          if (e2 || !stream) { fail(e2); return; }
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', fail);
          stream.on('end', () => { entries.set(entry.fileName, Buffer.concat(chunks)); zip.readEntry(); });
        });
      });
      zip.readEntry();
    });
  });
  const files = [...entries.keys()].sort();
  return {
    label: zipPath, files,
    has: (p) => entries.has(p),
    read: (p) => {
      const b = entries.get(p);
      if (!b) throw new ReproError(`${zipPath}: no entry ${p}`);
      return b;
    },
    describe: (p) => `${zipPath}:${p}`,
  };
}

/** The same tree seen from a sub-folder (e.g. the zip's top-level `tiny-imagenet-200/`). */
export function subTree(tree: FileTree, prefix: string): FileTree {
  if (prefix === '') return tree;
  const pre = prefix.endsWith('/') ? prefix : `${prefix}/`;
  const files = tree.files.filter((f) => f.startsWith(pre)).map((f) => f.slice(pre.length));
  return {
    label: tree.describe(pre), files,
    has: (p) => tree.has(pre + p),
    read: (p) => tree.read(pre + p),
    describe: (p) => tree.describe(pre + p),
  };
}
