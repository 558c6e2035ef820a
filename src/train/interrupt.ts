import {ReproError} from '../util/errors';

/**
 * Stopping a training at the next step. Training yields to the event loop after every step, so a
 * SIGINT handler (Ctrl-C in a terminal, "interrupt kernel" in Jupyter, which sends SIGINT to the
 * kernel) gets to run; it calls requestStop(), and the trainer throws TrainingInterrupted at the
 * next step. The last epoch's checkpoint is on disk: running the same thing again resumes there.
 */
let stopRequested = false;

export function requestStop(): void { stopRequested = true; }

export function isStopRequested(): boolean { return stopRequested; }

/** Forgets an earlier request (a Ctrl-C that arrived while nothing trained must not stop the next run). */
export function clearStopRequest(): void { stopRequested = false; }

export class TrainingInterrupted extends ReproError {
  constructor(readonly run: string, readonly epoch: number, resume: string) {
    super(`interrupted: ${run} stopped during epoch ${epoch}`,
      {fix: `${resume}: it resumes from the last finished epoch's checkpoint`});
    this.name = 'TrainingInterrupted';
  }
}

export function isTrainingInterrupted(err: unknown): err is TrainingInterrupted {
  return err instanceof TrainingInterrupted;
}

/** Lets pending signals and I/O run (one macrotask turn): what makes a step interruptible. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

let installed: (() => void) | undefined;

/**
 * The CLI's Ctrl-C: the first asks training to stop at the next step (and says so), a second one
 * exits at once. Returns a function that removes the handler.
 */
export function stopOnSigint(say: (line: string) => void = (l) => process.stderr.write(l + '\n')): () => void {
  if (installed) return installed;
  let count = 0;
  const handler = () => {
    count += 1;
    if (count > 1) { say('interrupted again: exiting now'); process.exit(130); }
    say('\ninterrupt received: stopping at the next training step (Ctrl-C again to exit at once)');
    requestStop();
  };
  process.on('SIGINT', handler);
  installed = () => { process.off('SIGINT', handler); installed = undefined; };
  return installed;
}
