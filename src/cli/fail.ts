import {isTrainingInterrupted} from '../train/interrupt';
import {isReproError} from '../util/errors';

/**
 * Last-resort error printing for the CLI: a user mistake (ReproError) prints its message alone;
 * an interrupted training says how to resume (exit 130, as for SIGINT); anything else is a bug and
 * prints the stack.
 */
export function fail(err: unknown): void {
  if (isTrainingInterrupted(err)) {
    process.stderr.write(`interrupted; run the same command to resume (${err.run} stopped during epoch ${err.epoch}; ` +
      'the checkpoint of its last finished epoch is kept, and `repro runs` lists it as interrupted)\n');
    process.exitCode = 130;
  } else if (isReproError(err)) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`internal error (a bug, please report it): ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  }
}
