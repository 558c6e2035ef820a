// Loads a compiled module of the project (dist/…, made by `npm run build`) for the scripts that
// print README tables from the committed record, or says how to make it and exits 2.
import {existsSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** builtModule('src/claims/stats.js') → the exports of dist/src/claims/stats.js. */
export function builtModule(path) {
  const file = join(ROOT, 'dist', path);
  if (!existsSync(file)) {
    process.stderr.write(`${file} is missing: run \`npm run build\` first\n`);
    process.exit(2);
  }
  return createRequire(import.meta.url)(file);
}
