import {createHash} from 'node:crypto';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';

/** The repository root (this file compiles to dist/src/runs/, three levels down). */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/**
 * Source directories whose code decides a run's numbers. A change to any file in them is a new
 * code version, so cached results trained by older code are not reused (a miss, never stale data).
 * The report, CLI and notebooks are not in the list: they read results, they do not make them.
 * Nor is the bench (src/cli/bench/): measuring speed must not make the next sitting retrain.
 */
export const TRAINING_CODE: readonly string[] = ['src/train', 'src/models', 'src/data', 'src/engine', 'src/runs/spec.ts', 'src/runs/build_run_model.ts'];

function listFiles(path: string): string[] {
  const st = statSync(path, {throwIfNoEntry: false});
  if (!st) return [];
  if (st.isFile()) return [path];
  return readdirSync(path).sort().flatMap((name) => listFiles(join(path, name)));
}

/** The files whose bytes make the code version: sources and native build files, not notes or data. */
export function isTrainingSource(path: string): boolean {
  return /\.(ts|cc|h|hpp|gyp)$/.test(path);
}

/**
 * The code version of the given training files (repository-relative paths with their bytes, in
 * codeVersion's order: TRAINING_CODE's order, then directory by directory, names sorted). Shared
 * with the history search (code_version_history.ts), which must hash old commits exactly alike.
 */
export function hashTrainingCode(files: Iterable<{path: string; bytes: Uint8Array}>, tfjs: string): string {
  const hash = createHash('sha256');
  for (const f of files) hash.update(f.path).update('\0').update(f.bytes).update('\0');
  hash.update(`tfjs ${tfjs}`);
  return hash.digest('hex').slice(0, 16);
}

/** The code version of the training code in the checkout at `root` (as it is on disk, committed or not). */
export function codeVersionOf(root: string): string {
  const files = TRAINING_CODE.flatMap((entry) => listFiles(join(root, entry)))
    .filter(isTrainingSource)
    .map((file) => ({path: relative(root, file), bytes: readFileSync(file)}));
  return hashTrainingCode(files, tfjsVersion());
}

let cached: string | undefined;

/** sha256 (first 16 hex digits) over this checkout's training code paths and contents, plus the tfjs version. */
export function codeVersion(): string {
  cached ??= codeVersionOf(REPO_ROOT);
  return cached;
}

export function tfjsVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (require('@tensorflow/tfjs-core/package.json') as {version: string}).version;
}
