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
    this.expected = opts.expected;
    this.fix = opts.fix;
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
