/** One sub-command of `repro`. Each lives in its own file under src/cli/commands/. */
export interface Command {
  readonly name: string;
  /** One line for `repro --help`. */
  readonly summary: string;
  /** Full usage text for `repro NAME --help`. */
  readonly usage: string;
  /** Returns the process exit code. */
  run(argv: readonly string[]): Promise<number>;
}
