/**
 * The one error type for mistakes a user can fix: bad input, missing files, unknown names.
 * Every message says what went wrong, what was expected, and what to do next, so that the CLI
 * can print it without a stack trace.
 */
export class ReproError extends Error {
  readonly expected?: string;
  readonly fix?: string;

  constructor(what: string, opts: {expected?: string; fix?: string; cause?: unknown} = {}) {
    super(formatMessage(what, opts.expected, opts.fix), opts.cause === undefined ? undefined : {cause: opts.cause});
    this.name = 'ReproError';
    // Not enumerable: a notebook kernel prints an error with util.inspect, which would append them as an object dump.
    Object.defineProperty(this, 'expected', {value: opts.expected, enumerable: false});
    Object.defineProperty(this, 'fix', {value: opts.fix, enumerable: false});
    // In a notebook the message already says what went wrong and what to do: a stack only hides it.
    // (An accessor, so that Node's decoration of errors thrown in a vm, which prepends the throwing source line, cannot add it back.)
    if ((globalThis as {__tslab__?: unknown}).__tslab__ !== undefined) {
      Object.defineProperty(this, 'stack', {get: () => `${this.name}: ${this.message}`, set: () => {}, configurable: true});
    }
  }
}

function formatMessage(what: string, expected?: string, fix?: string): string {
  let msg = what;
  if (expected) msg += `\n  expected: ${expected}`;
  if (fix) msg += `\n  what to do: ${fix}`;
  return msg;
}

export function isReproError(err: unknown): err is ReproError {
  return err instanceof ReproError;
}
