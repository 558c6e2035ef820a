import {resolve} from 'node:path';

/**
 * The project's data cache, `data/` at the repository root (git-ignored except data/README.md).
 * REPRO_DATA_ROOT moves it (tests point it at a temp dir).
 */
export function dataRoot(): string {
  return process.env.REPRO_DATA_ROOT ?? resolve(__dirname, '..', '..', '..', 'data');
}
