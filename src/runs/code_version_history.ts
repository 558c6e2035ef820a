import {execFileSync} from 'node:child_process';
import {hashTrainingCode, isTrainingSource, REPO_ROOT, TRAINING_CODE, tfjsVersion} from './code_version';

/**
 * The commits whose training code has one code version: `first` changed the training code to it
 * and `last` is the newest commit that still has it. Checking out `last` runs that exact training
 * code with the newest everything else (CLI, executors), which is what finishing old work needs.
 */
export interface CodeEra {
  readonly version: string;
  readonly first: string;
  readonly last: string;
}

function git(root: string, args: string[], input?: string): Buffer {
  return execFileSync('git', args, {cwd: root, input, stdio: ['pipe', 'pipe', 'ignore'], maxBuffer: 1 << 30});
}

/** TRAINING_CODE's order, then directory by directory with names sorted: the order codeVersion reads the tree in. */
function codeOrder(a: string, b: string): number {
  const rank = (p: string) => TRAINING_CODE.findIndex((e) => p === e || p.startsWith(`${e}/`));
  const byEntry = rank(a) - rank(b);
  if (byEntry !== 0) return byEntry;
  const sa = a.split('/');
  const sb = b.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    if (sa[i] !== sb[i]) return sa[i] < sb[i] ? -1 : 1;
  }
  return sa.length - sb.length;
}

/** Every blob's bytes, read in one `git cat-file --batch` (header "<sha> blob <size>", bytes, newline). */
function readBlobs(root: string, shas: readonly string[]): Map<string, Buffer> {
  const out = git(root, ['cat-file', '--batch'], shas.join('\n') + '\n');
  const blobs = new Map<string, Buffer>();
  let at = 0;
  while (at < out.length) {
    const eol = out.indexOf(0x0a, at);
    const [sha, type, size] = out.subarray(at, eol).toString().split(' ');
    if (type !== 'blob') throw new Error(`git cat-file: ${sha} is ${type ?? 'unreadable'}, expected a blob`);
    const start = eol + 1;
    blobs.set(sha, out.subarray(start, start + Number(size)));
    at = start + Number(size) + 1;
  }
  return blobs;
}

/**
 * The code versions of the last `limit` commits that changed the training code, newest first,
 * each hashed from git's objects exactly as codeVersion hashes a checkout (with this tfjs
 * version: code run under another tfjs matches no era). Throws when `root` is not a git checkout.
 */
export function codeVersionHistory(root: string = REPO_ROOT, limit = 300): CodeEra[] {
  const commits = git(root, ['log', `-n${limit}`, '--format=%h', '--', ...TRAINING_CODE]).toString().split('\n').filter(Boolean);
  const trees = commits.map((c) => git(root, ['ls-tree', '-r', '-z', c, '--', ...TRAINING_CODE]).toString().split('\0').filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [, type, sha] = line.slice(0, tab).split(' ');
      return {type, sha, path: line.slice(tab + 1)};
    })
    .filter((e) => e.type === 'blob' && isTrainingSource(e.path))
    .sort((a, b) => codeOrder(a.path, b.path)));
  const blobs = readBlobs(root, [...new Set(trees.flat().map((e) => e.sha))]);
  const tfjs = tfjsVersion();
  // Each commit's first parent, in one call: the newest commit of an era is the parent of the next era's first.
  const parent = new Map(git(root, ['log', '--format=%h %p']).toString().split('\n').filter(Boolean)
    .map((line) => line.split(' ') as [string, string]));
  const head = git(root, ['rev-parse', '--short', 'HEAD']).toString().trim();
  return commits.map((first, i) => ({
    version: hashTrainingCode(trees[i].map((e) => ({path: e.path, bytes: blobs.get(e.sha)!})), tfjs),
    first,
    last: i === 0 ? head : parent.get(commits[i - 1]) ?? `${commits[i - 1]}^`,
  }));
}
