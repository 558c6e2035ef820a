import {createHash} from 'node:crypto';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';

/** The repository root (this file compiles to dist/src/runs/, three levels down). */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/**
 * Source directories whose code decides a run's numbers. A change to any file in them is a new
 * code version, so cached results trained by older code are not reused (a miss, never stale data).
 * The report, CLI and notebooks are not in the list: they read results, they do not make them.
 */
const TRAINING_CODE = ['src/train', 'src/models', 'src/data', 'src/engine', 'src/runs/spec.ts', 'src/runs/build_run_model.ts'];

function listFiles(path: string): string[] {
  const st = statSync(path, {throwIfNoEntry: false});
  if (!st) return [];
  if (st.isFile()) return [path];
  return readdirSync(path).sort().flatMap((name) => listFiles(join(path, name)));
}

let cached: string | undefined;

/** sha256 (first 16 hex digits) over the training code's paths and contents, plus the tfjs version. */
export function codeVersion(): string {
  if (cached !== undefined) return cached;
  const hash = createHash('sha256');
  for (const entry of TRAINING_CODE) {
    for (const file of listFiles(join(REPO_ROOT, entry))) {
      if (!/\.(ts|cc|h|hpp|gyp)$/.test(file)) continue;
      hash.update(relative(REPO_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  hash.update(`tfjs ${tfjsVersion()}`);
  cached = hash.digest('hex').slice(0, 16);
  return cached;
}

export function tfjsVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (require('@tensorflow/tfjs-core/package.json') as {version: string}).version;
}
