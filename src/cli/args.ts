import {ReproError} from '../util/errors';

/** What a command accepts: option names (without `--`) that take a value, and boolean flags. */
export interface ArgSpec {
  readonly values?: readonly string[];
  readonly flags?: readonly string[];
  /** Options that may be given more than once (collected in order). */
  readonly repeated?: readonly string[];
  /**
   * What positional arguments mean, for the error message ("NAME...", "NOTEBOOK..."); a command
   * that declares none rejects them, so a stray word (`repro claims quick`) is never ignored.
   */
  readonly positional?: string;
}

export interface ParsedArgs {
  readonly positional: string[];
  readonly values: Map<string, string>;
  readonly repeated: Map<string, string[]>;
  readonly flags: Set<string>;
}

/**
 * Parses `--name value`, `--name=value` and `--flag`. An option the command does not know is an
 * error that lists the ones it does, so a typo never silently changes what runs.
 */
export function parseArgs(command: string, argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const values = new Map<string, string>();
  const repeated = new Map<string, string[]>();
  const flags = new Set<string>();
  const positional: string[] = [];
  const valueNames = new Set([...(spec.values ?? []), ...(spec.repeated ?? [])]);
  const flagNames = new Set(spec.flags ?? []);
  const known = () =>
    [...[...valueNames].map((n) => `--${n} VALUE`), ...[...flagNames].map((n) => `--${n}`)].join(', ') || '(none)';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') { positional.push(...argv.slice(i + 1)); break; }
    if (!arg.startsWith('--')) { positional.push(arg); continue; }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (flagNames.has(name)) {
      if (eq >= 0) throw new ReproError(`repro ${command}: option --${name} takes no value (got "${arg}")`);
      flags.add(name);
      continue;
    }
    if (!valueNames.has(name)) {
      throw new ReproError(`repro ${command}: unknown option --${name}`,
        {expected: `one of ${known()}`, fix: `run \`repro ${command} --help\` for usage`});
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    if (value === undefined) throw new ReproError(`repro ${command}: option --${name} needs a value`);
    if (spec.repeated?.includes(name)) {
      const list = repeated.get(name) ?? [];
      list.push(value);
      repeated.set(name, list);
    } else {
      values.set(name, value);
    }
  }
  if (positional.length > 0 && spec.positional === undefined) {
    throw new ReproError(`repro ${command}: unexpected argument "${positional[0]}"`,
      {expected: `options only (${known()})`, fix: `options start with --; run \`repro ${command} --help\` for usage`});
  }
  return {positional, values, repeated, flags};
}

/** An integer option, with an error naming the option when it is not one. */
export function intOption(command: string, args: ParsedArgs, name: string, fallback: number): number {
  const raw = args.values.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n)) {
    throw new ReproError(`repro ${command}: --${name} must be an integer, got "${raw}"`);
  }
  return n;
}
