import {isReproError} from '../util/errors';

/**
 * Last-resort error printing for the CLI: a user mistake (ReproError) prints its message alone;
 * anything else is a bug and prints the stack.
 */
export function fail(err: unknown): void {
  if (isReproError(err)) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`internal error (a bug, please report it): ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  }
}
